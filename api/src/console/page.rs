//! What every console page shares: who is asking (from the session cookie), the CSRF token, running
//! GraphQL documents as that user, the layout around a page, and the error pages.

use super::words as w;
use crate::auth::Viewer;
use crate::error::Code;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, PreEscaped, html};
use serde_json::Value;

/// The layout around every page.
mod layout;
use layout::layout;

/// One GraphQL document a page ran, with its variables ("Lihat GraphQL").
pub struct Ran {
    /// The document text.
    pub document: &'static str,
    /// Its variables.
    pub variables: Value,
}

/// The context of one console request.
pub struct Ctx {
    /// Shared application state.
    pub state: AppState,
    /// The signed-in user, or anonymous.
    pub viewer: Viewer,
    /// Path and query of this request (where to come back to after signing in).
    pub here: String,
    /// The CSRF token forms must echo (double-submit: it is also in a cookie).
    pub csrf: String,
    new_csrf: bool,
    expired_session: bool,
    /// Served over HTTPS (directly or behind a proxy that says so): cookies get `Secure`.
    pub https: bool,
    /// The documents run so far.
    pub ran: Vec<Ran>,
    /// The hub session of the cookie, when signed in: `logout` ends it, and the CSRF token is
    /// bound to it.
    pub session: Option<crate::auth::Session>,
    /// Seconds to wait, when the last document run was refused by a rate limit.
    pub retry_after: Option<u64>,
    addr: crate::rate_limit::ClientAddr,
}

/// Why a page cannot be shown.
#[derive(Debug)]
pub struct Failure {
    /// The API's `extensions.code`.
    pub code: Code,
    /// The message.
    pub message: String,
    /// The field it names, if any.
    pub field: Option<String>,
}

impl Failure {
    /// A NOT_FOUND failure with a message.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self {
            code: Code::NotFound,
            message: message.into(),
            field: None,
        }
    }

    /// A BAD_USER_INPUT failure naming a field.
    pub fn bad_input(field: &str, message: impl Into<String>) -> Self {
        Self {
            code: Code::BadUserInput,
            message: message.into(),
            field: Some(field.into()),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx
where
    AppState: axum::extract::FromRef<S>,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        use axum::extract::FromRef;
        let state = AppState::from_ref(state);
        let mut expired_session = false;
        let (viewer, session) = match crate::auth::session_token(&parts.headers) {
            Some(token) => match state.auth.signed_in(&state.db, &token).await {
                Ok(v) => v,
                Err(_) => {
                    expired_session = true;
                    (Viewer::Anonymous, None)
                }
            },
            None => (Viewer::Anonymous, None),
        };
        // Signed in, the token forms carry is the session's own (computed from its id): one seen
        // with another session, or planted in this browser's cookie, is refused. Not signed in
        // (the sign-in form, a complaint), it is the double-submit cookie's.
        let (csrf, new_csrf) = match (&session, super::cookies::csrf_cookie(&parts.headers)) {
            (Some(s), _) => (state.auth.csrf_for(&s.sid), false),
            (None, Some(t)) => (t, false),
            (None, None) => (super::cookies::new_token(), true),
        };
        let here = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());
        let https = crate::http::is_https(&parts.headers);
        if must_change_first(&viewer, parts.uri.path()) {
            return Err(Redirect::to(PASSWORD_PATH).into_response());
        }
        let addr = parts
            .extensions
            .get::<crate::rate_limit::ClientAddr>()
            .copied()
            .unwrap_or(crate::rate_limit::ClientAddr(None));
        let ctx = Ctx {
            addr,
            https,
            state,
            viewer,
            here,
            csrf,
            new_csrf,
            expired_session,
            session,
            retry_after: None,
            ran: Vec::new(),
        };
        // A post from another site (a form, a script) is refused before anything reads its body.
        if parts.method == axum::http::Method::POST
            && !super::origin::same_origin(&parts.headers, ctx.state.public_origin.as_deref())
        {
            return Err(ctx.fail(Failure {
                code: Code::Forbidden,
                message: w::CROSS_SITE.into(),
                field: None,
            }));
        }
        Ok(ctx)
    }
}

/// A user whose password someone else set may use no page but `/kata-sandi` (and signing in or
/// out) until choosing their own: the API would refuse their writes anyway, and sending them
/// straight there says why.
fn must_change_first(viewer: &Viewer, path: &str) -> bool {
    let allowed = [PASSWORD_PATH, "/masuk", "/keluar"];
    matches!(viewer, Viewer::User(u) if u.must_change_password)
        && !allowed.contains(&path)
        && !path.starts_with("/aset/")
}

impl Ctx {
    /// Whether a posted form carries this visitor's CSRF token: the session's own when signed in,
    /// else the one in the visitor's cookie.
    pub fn csrf_ok(&self, fields: &std::collections::HashMap<String, String>) -> bool {
        // A cookie token minted for this very request was never sent by the browser: it cannot match.
        let known = self.csrf_is_bound() || !self.csrf_is_new();
        known && fields.get("csrf").is_some_and(|t| t == &self.csrf)
    }

    /// Whether the signed-in user manages users and organizations at all (admin or coordinator):
    /// who sees the links to these pages.
    pub fn manages_people(&self) -> bool {
        use entity::enums::Role;
        self.user()
            .is_some_and(|u| matches!(u.role, Role::Admin | Role::Coordinator))
    }

    /// Whether this request's CSRF token was minted just now (the browser sent none).
    pub fn csrf_is_new(&self) -> bool {
        self.new_csrf
    }

    /// Whether the CSRF token is the session's own (signed in) rather than the cookie's.
    pub fn csrf_is_bound(&self) -> bool {
        self.session.is_some()
    }

    /// The signed-in user, if any.
    pub fn user(&self) -> Option<&entity::user::Model> {
        self.viewer.user().ok()
    }

    /// Runs a GraphQL document as the viewer, through the same executor as `/graphql`, and keeps it
    /// for "Lihat GraphQL". Any error fails the page with the API's code and field.
    async fn run(&mut self, document: &'static str, variables: Value) -> Result<Value, Failure> {
        // The client address, as `/graphql` attaches it: every limit keyed by address (sign-in
        // attempts, complaints without an account) applies through the same resolver at both doors.
        let mut request = async_graphql::Request::new(document)
            .variables(async_graphql::Variables::from_json(variables.clone()))
            .data(self.addr);
        if let Some(s) = &self.session {
            request = request.data(s.clone());
        }
        self.ran.push(Ran {
            document,
            variables,
        });
        let response = crate::context::execute_as(&self.state, self.viewer.clone(), request).await;
        if let Some(err) = response.errors.first() {
            let ext = err.extensions.as_ref();
            let text = |k: &str| {
                ext.and_then(|e| e.get(k)).and_then(|v| match v {
                    async_graphql::Value::String(s) => Some(s.clone()),
                    _ => None,
                })
            };
            self.retry_after = ext.and_then(|e| match e.get("retryAfter") {
                Some(async_graphql::Value::Number(n)) => n.as_u64(),
                _ => None,
            });
            return Err(Failure {
                code: Code::parse(&text("code").unwrap_or_default()),
                message: err.message.clone(),
                field: text("field"),
            });
        }
        response.data.into_json().map_err(|_| internal())
    }

    /// Runs one of the console's compiled documents (`console::documents`) as the viewer and
    /// answers with its typed data. Prefer this to `run`: the answer's shape is checked against the
    /// schema when the hub is built, not when a page is drawn.
    pub async fn query<Q>(&mut self, variables: Q::Variables) -> Result<Q::ResponseData, Failure>
    where
        Q: graphql_client::GraphQLQuery,
    {
        let body = Q::build_query(variables);
        let variables = serde_json::to_value(&body.variables).map_err(|_| internal())?;
        let data = self.run(body.query, variables).await?;
        typed::<Q>(data)
    }

    /// `query` for a document whose variables are secret (a password): "Lihat GraphQL" shows the
    /// document with each variable's value hidden, whatever the page does afterwards.
    pub async fn query_secret<Q>(
        &mut self,
        variables: Q::Variables,
    ) -> Result<Q::ResponseData, Failure>
    where
        Q: graphql_client::GraphQLQuery,
    {
        let body = Q::build_query(variables);
        let variables = serde_json::to_value(&body.variables).map_err(|_| internal())?;
        let result = self.run(body.query, variables).await;
        if let Some(ran) = self.ran.last_mut() {
            ran.variables = hidden(&ran.variables);
        }
        typed::<Q>(result?)
    }

    /// Signed in, or the failure that sends the visitor to `/masuk` and back here afterwards.
    pub fn require_user(&self) -> Result<&entity::user::Model, Failure> {
        self.user().ok_or_else(|| Failure {
            code: Code::Unauthenticated,
            message: w::SIGN_IN_NEEDED.into(),
            field: None,
        })
    }

    /// A whole page: the layout around `body`, with "Lihat GraphQL" for what the page ran.
    pub fn render(&self, title: &str, body: Markup) -> Response {
        let page = layout(self, title, body);
        self.finish((StatusCode::OK, axum::response::Html(page.into_string())).into_response())
    }

    /// The response of a failure: sign-in redirect, or an error page with the reason.
    pub fn fail(&self, failure: Failure) -> Response {
        let status = match failure.code {
            Code::Unauthenticated => {
                let to = format!("/masuk?kembali={}", urlencode(&self.here));
                return self.finish(Redirect::to(&to).into_response());
            }
            Code::Forbidden => StatusCode::FORBIDDEN,
            Code::NotFound => StatusCode::NOT_FOUND,
            Code::BadUserInput => StatusCode::BAD_REQUEST,
            Code::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let heading = match status {
            StatusCode::FORBIDDEN => w::FORBIDDEN,
            StatusCode::NOT_FOUND => w::NOT_FOUND,
            StatusCode::BAD_REQUEST => w::BAD_INPUT,
            StatusCode::TOO_MANY_REQUESTS => w::RATE_LIMITED,
            _ => w::INTERNAL,
        };
        let body = html! {
            h1 { (heading) }
            p.error role="alert" {
                @if let Some(f) = &failure.field { strong { (f) } ": " }
                @if status == StatusCode::INTERNAL_SERVER_ERROR { (w::INTERNAL_DETAIL) } @else { (failure.message) }
            }
            p { a href="/" { (w::BACK_HOME) } }
        };
        self.finish(
            (
                status,
                axum::response::Html(layout(self, heading, body).into_string()),
            )
                .into_response(),
        )
    }

    /// Adds the cookies this request needs (a new CSRF token, clearing an expired session) and the
    /// headers every console page carries.
    pub fn finish(&self, mut res: Response) -> Response {
        let headers = res.headers_mut();
        if self.new_csrf {
            super::cookies::set_cookie(
                headers,
                super::cookies::CSRF_COOKIE,
                &self.csrf,
                None,
                self.https,
            );
        }
        if self.expired_session {
            super::cookies::clear_session_cookie(headers);
        }
        no_store(headers);
        res
    }
}

/// Console pages show data the viewer may see: never cached by shared caches.
pub fn no_store(headers: &mut HeaderMap) {
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

/// Percent-encodes a query-string value.
pub fn urlencode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `PreEscaped` for SVG built by `charts`, which escapes its own text.
pub fn svg(markup: String) -> PreEscaped<String> {
    PreEscaped(markup)
}

/// Where a user who must change the password is sent.
pub const PASSWORD_PATH: &str = "/kata-sandi";

/// The failure of an answer the console cannot read: a bug on our side, logged, never the user's.
fn internal() -> Failure {
    Failure {
        code: Code::Internal,
        message: "internal error".into(),
        field: None,
    }
}

/// The typed answer of document `Q`. The executor answered from the same schema the types were
/// compiled against, so a mismatch is a bug (logged with the document's name).
fn typed<Q: graphql_client::GraphQLQuery>(data: Value) -> Result<Q::ResponseData, Failure> {
    serde_json::from_value(data).map_err(|e| {
        tracing::error!(document = std::any::type_name::<Q>(), error = %e, "console answer does not fit its type");
        internal()
    })
}

/// Variables as "Lihat GraphQL" shows them for a secret document: the names, not the values.
fn hidden(variables: &Value) -> Value {
    match variables {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, _)| (k.clone(), Value::String("•••".into())))
                .collect(),
        ),
        _ => Value::Null,
    }
}
