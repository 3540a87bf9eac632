//! Forms that behave, shared by every console page that writes.
//!
//! A write is an HTML form posted to a console route, which runs one of the API's mutations
//! in-process as the signed-in user ([`Form::submit`]), so permissions, validation, versions, client
//! keys and audit rows are exactly those of `/graphql`. The machinery here makes every such form
//! behave the same way:
//!
//! - [`Form::read`] refuses a post without this visitor's CSRF token (403, nothing runs);
//! - the readers (`required`, `rupiah`, `date`, `choice`, ...) turn typed text into API values or
//!   put an Indonesian reason beside the field, and a form with any such reason runs no mutation;
//! - an API refusal naming a field (`extensions.field`, e.g. `input.amountPlanned`) is put beside
//!   the form field a page maps it to, everything typed stays in the form, and nothing was stored
//!   (each mutation is one transaction);
//! - a stale `version` (`CONFLICT`) shows the stored values with what the user typed beside each
//!   field that differs ([`Form::stale`]); a double-submitted update whose values are already stored
//!   counts as done ([`Form::already_saved`]);
//! - a create carries a hidden `clientKey` minted when the form was drawn, so a double-clicked
//!   submit replays the first create instead of making a second record.
//!
//! Field names are the form's own (Indonesian, `snake_case`); each page maps the API's input paths
//! to them. Rendering lives in [`fields`], the Rupiah parser in [`rupiah`], the API's reasons in
//! Indonesian in [`messages`], region picking in [`region`].

pub mod fields;
pub mod messages;
mod read;
pub mod region;
pub mod rupiah;
mod submit;

pub use submit::field_map;

use super::page::{Ctx, Failure};
use super::words as w;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;

/// What a stale version means, said to the user.
pub const STALE: &str = w::STALE;

/// Hidden field of a create's client key.
pub const CLIENT_KEY: &str = "clientKey";
/// Hidden field of the version an update was read at.
pub const VERSION: &str = "versi";

/// One form: what the user typed (or what a record holds), and what is wrong with it.
#[derive(Debug, Default)]
pub struct Form {
    pairs: Vec<(String, String)>,
    values: HashMap<String, String>,
    errors: Vec<(String, String)>,
    /// A reason for the whole form, not for one field (a stale version, an unmapped refusal).
    pub notice: Option<String>,
    yours: HashMap<String, String>,
    candidates: HashMap<String, Vec<(String, String)>>,
    sent: HashMap<String, String>,
    stale: bool,
    /// Labels of the fields drawn so far (the reasons listed above the form name them).
    labels: std::cell::RefCell<HashMap<String, String>>,
}

impl Form {
    /// An empty form, with a fresh client key.
    pub fn new() -> Self {
        let mut f = Self::default();
        f.set(CLIENT_KEY, super::session::new_token());
        f
    }

    /// A form showing a record's values.
    pub fn filled<'a>(values: impl IntoIterator<Item = (&'a str, String)>) -> Self {
        let mut f = Self::new();
        for (k, v) in values {
            f.set(k, v);
        }
        f
    }

    /// A posted form, or the 403 answer when it does not carry this visitor's CSRF token (a form
    /// from another site): then nothing else happens.
    pub fn read(ctx: &Ctx, body: &Bytes) -> Result<Self, Box<Response>> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
        let values: HashMap<String, String> = pairs.iter().cloned().collect();
        if !ctx.csrf_ok(&values) {
            return Err(Box::new(ctx.fail(Failure {
                code: crate::error::Code::Forbidden,
                message: w::CSRF_FAILED.into(),
                field: Some("csrf".into()),
            })));
        }
        let mut f = Self {
            pairs,
            values,
            ..Self::default()
        };
        if f.value(CLIENT_KEY).is_empty() {
            f.set(CLIENT_KEY, super::session::new_token());
        }
        Ok(f)
    }

    /// The value of a field as typed (empty when absent).
    pub fn value(&self, name: &str) -> &str {
        self.values.get(name).map(String::as_str).unwrap_or("")
    }

    /// Every value posted under `name` (checkboxes, multiple selects), non-empty ones only.
    pub fn all(&self, name: &str) -> Vec<String> {
        let posted: Vec<String> = self
            .pairs
            .iter()
            .filter(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_string())
            .collect();
        if posted.is_empty() && self.pairs.is_empty() {
            // A form filled from a record keeps lists as one comma-joined value.
            return self
                .value(name)
                .split(',')
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
                .collect();
        }
        posted
    }

    /// Sets a field's value.
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.values.insert(name.to_string(), value.into());
    }

    /// The reason beside a field, if any.
    pub fn error(&self, name: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, m)| m.as_str())
    }

    /// Notes a field's label as it is drawn.
    pub fn label(&self, name: &str, label: &str) {
        self.labels
            .borrow_mut()
            .insert(name.to_string(), label.to_string());
    }

    /// The label a field was drawn with (its name until drawn).
    pub fn label_of(&self, name: &str) -> String {
        self.labels
            .borrow()
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.replace('_', " "))
    }

    /// Every field with a reason, in the order found.
    pub fn errors(&self) -> &[(String, String)] {
        &self.errors
    }

    /// Puts a reason beside a field (the first reason found for a field is the one shown).
    pub fn reject(&mut self, name: &str, reason: impl Into<String>) {
        if self.error(name).is_none() {
            self.errors.push((name.to_string(), reason.into()));
        }
    }

    /// What the user had typed in a field that a stale version replaced with the stored value.
    pub fn yours(&self, name: &str) -> Option<&str> {
        self.yours.get(name).map(String::as_str)
    }

    /// Regions (code, description) a region field's text could mean.
    pub fn candidates(&self, name: &str) -> &[(String, String)] {
        self.candidates.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Whether anything stops the form from being sent.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// The status to answer a form shown again: 409 after a stale version, 422 with reasons.
    pub fn status(&self) -> StatusCode {
        if self.stale {
            StatusCode::CONFLICT
        } else if self.has_errors() || self.notice.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        }
    }

    /// The create's client key (minted when the form was first drawn, kept across re-renders).
    pub fn client_key(&self) -> &str {
        self.value(CLIENT_KEY)
    }
}

/// After a stored write: back to the record's page (303, so a reload does not post again).
pub fn done(ctx: &Ctx, to: &str) -> Response {
    ctx.finish(Redirect::to(to).into_response())
}

/// A form page answered with the form's status (422 with reasons, 409 after a stale version).
pub fn answer(ctx: &Ctx, form: &Form, title: &str, body: maud::Markup) -> Response {
    let mut res = ctx.render(title, body);
    *res.status_mut() = form.status();
    res
}

/// Whether the signed-in user acts for `organization` (`authz::Actor::acts_for`, the API's own
/// rule): who may write an organization's contributions. The API decides; this only hides what
/// it would refuse.
pub fn acts_for(ctx: &Ctx, organization: Option<&str>) -> bool {
    let Some(user) = ctx.user() else { return false };
    let actor = crate::services::authz::Actor::User(user);
    actor.is_admin() || organization.is_some_and(|o| actor.acts_for(o))
}

/// Whether the signed-in user manages `region` (`authz::Actor::manages`, the API's own rule):
/// who may manage meetings, their decisions and action items, programs there.
pub fn coordinates(ctx: &Ctx, region: Option<&str>) -> bool {
    let Some(user) = ctx.user() else { return false };
    let actor = crate::services::authz::Actor::User(user);
    actor.is_admin() || region.is_some_and(|r| actor.manages(r))
}

/// The 403 page of a form the user may not use (reached by URL).
pub fn refused(ctx: &Ctx, why: &str) -> Response {
    ctx.fail(Failure {
        code: crate::error::Code::Forbidden,
        message: why.into(),
        field: None,
    })
}
