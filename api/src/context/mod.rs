//! One GraphQL request as the hub runs it, whichever door it came in by (`/graphql`, the live
//! feeds, the console's pages): who the caller is, the per-request data every operation reads, and
//! the in-process executor.

use crate::auth::{Session, Viewer};
use crate::error::envelope;
use crate::loaders;
use crate::state::AppState;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tracing::Instrument;

/// Schema choice, name and outcome of one GraphQL operation.
pub mod operation;

/// The caller named by the `Authorization: Bearer` header, or else by the console's session cookie;
/// a header that is present but not a valid token is refused outright rather than treated as
/// anonymous, so a client never silently reads less. An expired session cookie is anonymous: the
/// console sends its holder to `/masuk`. (Cookies are safe here: the session cookie is
/// `SameSite=Strict` and `/graphql` accepts only JSON bodies.)
pub async fn viewer(state: &AppState, headers: &HeaderMap) -> Result<Viewer, Response> {
    Ok(caller(state, headers).await?.0)
}

/// [`viewer`], with the hub session of the token (none for anonymous and single-sign-on callers),
/// which `logout` ends and `changeOwnPassword` spares. A token whose session ended (signed out, or
/// ended by a password change or reset) is refused like an expired one.
pub async fn caller(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<(Viewer, Option<Session>), Response> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(match crate::auth::session_token(headers) {
            Some(token) => state
                .auth
                .signed_in(&state.db, &token)
                .await
                .unwrap_or((Viewer::Anonymous, None)),
            None => (Viewer::Anonymous, None),
        });
    };
    let refused = |message: &str| {
        let mut res = envelope(
            StatusCode::UNAUTHORIZED,
            crate::error::Code::Unauthenticated,
            message,
            None,
        );
        res.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        res
    };
    let token = match parse_bearer(value.as_bytes()) {
        Ok(t) => t,
        Err(why) => return Err(refused(why)),
    };
    match state.auth.signed_in(&state.db, token.trim()).await {
        Ok(v) => Ok(v),
        Err(crate::error::AppError::Unauthenticated) => Err(refused(
            "the token is invalid, expired or signed out: sign in again",
        )),
        Err(e) => Err(e.into_response()),
    }
}

/// Attaches what every operation reads besides its arguments (loaders, connection, draft
/// visibility, viewer, keys, write gate, rate limits, metrics, change feed) to a request.
pub(crate) fn request_data(
    state: &AppState,
    viewer: Viewer,
    request: async_graphql::Request,
) -> async_graphql::Request {
    let visibility = viewer.draft_visibility();
    let request = request
        .data(loaders::for_request(state.db.clone(), visibility.clone()))
        .data(state.db.clone())
        .data(visibility)
        .data(viewer)
        .data(state.auth.clone())
        .data(state.gate.clone())
        .data(state.rate_limiter.clone())
        .data(state.bus.clone());
    match &state.metrics {
        Some(m) => request.data(m.clone()),
        None => request,
    }
}

/// The same data for a WebSocket connection, whose operations share it.
pub(crate) fn data_for(state: &AppState, viewer: Viewer) -> async_graphql::Data {
    request_data(state, viewer, async_graphql::Request::new("")).data
}

/// Runs one GraphQL request as `viewer` with the per-request context every caller shares (loaders,
/// connection, draft visibility, keys, write gate): the `/graphql` handler and the console's pages.
/// Errors without a code (syntax, validation, depth, complexity, input coercion: all raised before
/// execution) get `BAD_USER_INPUT`.
pub async fn execute_as(
    state: &AppState,
    viewer: Viewer,
    mut request: async_graphql::Request,
) -> async_graphql::Response {
    let schema = operation::pick_schema(state, &viewer, &mut request);
    let operation = operation::name(&mut request);
    let request = request_data(state, viewer, request);
    crate::metrics::set_operation(&operation);
    let span = tracing::info_span!("operation", name = %operation);
    let mut response = schema.execute(request).instrument(span).await;
    for err in &mut response.errors {
        let has_code = err
            .extensions
            .as_ref()
            .is_some_and(|e| e.get("code").is_some());
        if !has_code {
            err.extensions
                .get_or_insert_with(Default::default)
                .set("code", crate::error::Code::BadUserInput.as_str());
        }
    }
    crate::metrics::set_outcome(operation::outcome(&response));
    response
}

/// Reads `Bearer <token>` (the scheme in any case, as RFC 9110 allows); `Err` explains the problem.
pub fn parse_bearer(value: &[u8]) -> Result<&str, &'static str> {
    let text = std::str::from_utf8(value).map_err(|_| "the Authorization header is not text")?;
    let (scheme, token) = text
        .trim()
        .split_once(' ')
        .ok_or("the Authorization header must be `Bearer <token>`")?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err("the Authorization header must be `Bearer <token>`");
    }
    let token = token.trim();
    if token.is_empty() {
        return Err("the Authorization header must be `Bearer <token>`");
    }
    Ok(token)
}
