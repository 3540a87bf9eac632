//! Sending a form's values through a mutation, and putting what the API answers where the user
//! will see it: a refusal beside its field, a stale version as the stored values beside what was
//! typed.

use super::{Form, VERSION, messages, rupiah};
use crate::console::page::{Ctx, Failure};
use crate::error::Code;

impl Form {
    /// Runs one of the console's compiled documents (a mutation) for this form, unless the form
    /// already has reasons. `Ok(Some(data))` when it was stored; `Ok(None)` when the form is to be
    /// shown again (reasons beside fields, or a stale version: call [`Form::stale`] with the
    /// stored values); `Err` when the page itself fails (not signed in, not allowed, not found).
    pub async fn send<Q: graphql_client::GraphQLQuery>(
        &mut self,
        ctx: &mut Ctx,
        variables: Q::Variables,
        field_of: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Q::ResponseData>, Failure> {
        self.send_as::<Q>(ctx, variables, field_of, false).await
    }

    /// [`Form::send`] for a document carrying a password: "Lihat GraphQL" shows it with its
    /// variables hidden (see [`Ctx::query_secret`]).
    pub async fn send_secret<Q: graphql_client::GraphQLQuery>(
        &mut self,
        ctx: &mut Ctx,
        variables: Q::Variables,
        field_of: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Q::ResponseData>, Failure> {
        self.send_as::<Q>(ctx, variables, field_of, true).await
    }

    async fn send_as<Q: graphql_client::GraphQLQuery>(
        &mut self,
        ctx: &mut Ctx,
        variables: Q::Variables,
        field_of: impl Fn(&str) -> Option<String>,
        secret: bool,
    ) -> Result<Option<Q::ResponseData>, Failure> {
        if self.has_errors() || self.notice.is_some() {
            return Ok(None);
        }
        let result = match secret {
            true => ctx.query_secret::<Q>(variables).await,
            false => ctx.query::<Q>(variables).await,
        };
        match result {
            Ok(data) => Ok(Some(data)),
            Err(f) => {
                self.absorb(f, field_of)?;
                Ok(None)
            }
        }
    }

    /// Puts an API refusal where the user will see it: beside the field it names, or above the
    /// form. Failures that are not about the form's values are handed back.
    pub fn absorb(
        &mut self,
        failure: Failure,
        field_of: impl Fn(&str) -> Option<String>,
    ) -> Result<(), Failure> {
        match failure.code {
            Code::BadUserInput => {
                let reason = messages::indonesian(&failure);
                match failure.field.as_deref().and_then(&field_of) {
                    Some(name) => self.reject(&name, reason),
                    None => self.notice = Some(reason),
                }
                Ok(())
            }
            Code::Conflict => {
                self.stale = !failure.message.contains("client key");
                self.notice = Some(messages::indonesian(&failure));
                Ok(())
            }
            Code::Forbidden | Code::NotFound => Err(Failure {
                message: messages::indonesian(&failure),
                ..failure
            }),
            _ => Err(failure),
        }
    }

    /// Whether the last submit met a stale version.
    pub fn is_stale(&self) -> bool {
        self.stale
    }

    /// After a stale version: whether every field the user sent already holds what they typed
    /// (a double-clicked update whose first click was stored), so the form counts as saved.
    pub fn already_saved<K: AsRef<str>>(&self, current: &[(K, String)]) -> bool {
        current
            .iter()
            .map(|(name, now)| (name.as_ref(), now))
            .filter(|(name, _)| *name != VERSION && self.values.contains_key(*name))
            .all(|(name, now)| {
                let sent = self.sent.get(name).map(String::as_str);
                same(sent.unwrap_or(self.value(name)), now)
            })
    }

    /// After a stale version: shows the stored values (and version) in the form, keeping what the
    /// user typed beside each field that differs.
    pub fn stale<K: AsRef<str>>(&mut self, current: &[(K, String)]) {
        for (name, now) in current {
            let name = name.as_ref();
            let typed = self.value(name).to_string();
            if name != VERSION && !same(&typed, now) {
                self.yours.insert(name.to_string(), typed);
            }
            self.set(name, now.clone());
        }
    }

    /// After a submit, with the record's stored values: whether it met a stale version that was in
    /// fact already saved (see [`Form::already_saved`]), so the caller answers as for a success;
    /// otherwise a stale form now shows the stored values (see [`Form::stale`]).
    pub fn saved_after_stale<K: AsRef<str>>(&mut self, current: &[(K, String)]) -> bool {
        if !self.stale {
            return false;
        }
        if self.already_saved(current) {
            return true;
        }
        self.stale(current);
        false
    }

    /// Remembers what a field's text was sent to the API as (a region name as its code), for
    /// [`Form::already_saved`]; the field keeps showing what the user typed.
    pub fn resolved(&mut self, name: &str, sent: String) {
        self.sent.insert(name.to_string(), sent);
    }

    /// Remembers the regions a region field's text could mean (shown as choices beside it).
    pub fn offer(&mut self, name: &str, candidates: Vec<(String, String)>) {
        self.candidates.insert(name.to_string(), candidates);
    }
}

/// Two renderings of one value: the same text, or the same amount however it was grouped.
fn same(typed: &str, stored: &str) -> bool {
    let (a, b) = (typed.trim(), stored.trim());
    if a == b {
        return true;
    }
    matches!((rupiah::parse(a), rupiah::parse(b)), (Ok(Some(x)), Ok(Some(y))) if x == y)
        && a.chars().any(|c| c.is_ascii_digit())
}

/// A field map from the API's input paths to form fields: `("input.title", "judul")`; a path the
/// map does not name (e.g. `input.participants.2.role`) is tried by its first matching prefix.
pub fn field_map(
    pairs: &'static [(&'static str, &'static str)],
) -> impl Fn(&str) -> Option<String> {
    move |api: &str| {
        pairs
            .iter()
            .find(|(p, _)| *p == api)
            .or_else(|| {
                pairs
                    .iter()
                    .find(|(p, _)| api.starts_with(p) && api[p.len()..].starts_with('.'))
            })
            .map(|(_, f)| (*f).to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_paths_map_to_form_fields() {
        let map = field_map(&[("input.title", "judul"), ("input.participants", "peserta")]);
        assert_eq!(map("input.title").as_deref(), Some("judul"));
        assert_eq!(map("input.participants.2.role").as_deref(), Some("peserta"));
        assert_eq!(map("input.titles"), None);
        assert_eq!(map("version"), None);
    }

    #[test]
    fn a_stale_form_shows_the_stored_values_and_what_was_typed() {
        let mut f = Form::filled([
            ("judul", "Judul saya".to_string()),
            ("komitmen", "Rp 1.000".to_string()),
        ]);
        assert!(f.already_saved(&[("judul", "Judul saya".into()), ("komitmen", "1000".into())]));
        f.stale(&[
            ("judul", "Judul orang lain".into()),
            ("komitmen", "1.000".into()),
        ]);
        assert_eq!(f.value("judul"), "Judul orang lain");
        assert_eq!(f.yours("judul"), Some("Judul saya"));
        assert_eq!(
            f.yours("komitmen"),
            None,
            "the same amount, grouped otherwise"
        );
    }
}
