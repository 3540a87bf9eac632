//! HTTP: GraphQL over HTTP (graphql/graphql-over-http) on `/graphql` (GraphiQL for browsers), with
//! persisted operations, introspection rules and `Cache-Control` for queries over GET.
//!
//! Handled by hand rather than by async-graphql-axum's ready-made service, because the spec asks for
//! things that service does not do: JSON-only POST bodies (a form or text/plain POST, which a browser
//! sends cross-site without a preflight, is refused: the CSRF guard), `Accept` negotiation between
//! `application/graphql-response+json` and `application/json`, 4xx for requests that fail before
//! execution under the former, and no mutations over GET.

use super::AppState;
use crate::auth::{Session, Viewer};
use crate::error::envelope;
use crate::loaders;
use crate::rate_limit::ClientAddr;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tracing::Instrument;

/// `GET /graphql`: GraphiQL, or a query in the address.
mod get;
pub(crate) use get::get_from;
pub use get::{GetParams, get};
/// Media types and the shapes of answers.
mod reply;
/// The stages a request passes before and after it is executed.
mod stages;
pub use reply::CACHE_STATUS;
pub(crate) use reply::accepted;
use reply::{Flavour, JSON, negotiate, refused, request_error};
use stages::{How, admit, cached, finish, identify};

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
    let token = match super::observe::parse_bearer(value.as_bytes()) {
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
    let schema = super::operation::pick_schema(state, &viewer, &mut request);
    let operation = super::operation::name(&mut request);
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
    crate::metrics::set_outcome(super::operation::outcome(&response));
    response
}

/// How the request arrived: GET requests are cacheable and may not run mutations.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Method {
    Get,
    Post,
}

/// `/graphql`'s stages, in order, each able to answer early: the request is admitted (persisted
/// document, size, GET rules, document limits), the caller identified (and held to trusted-only
/// operations), streamed if it asks to be, answered from the response cache if it can be, executed,
/// and its answer shaped (status, headers, kept for the next identical query).
async fn execute(
    state: &AppState,
    headers: &HeaderMap,
    flavour: Flavour,
    method: Method,
    addr: ClientAddr,
    mut request: async_graphql::Request,
) -> Response {
    // Before anything is read (the caller's account included), so that an answer read after a
    // change can never be kept as if from before it.
    let generation = state.responses.generation();
    let resolved = match admit(state, flavour, method, &mut request) {
        Ok(r) => r,
        Err(res) => return res,
    };
    let viewer = match identify(state, headers, flavour, resolved, &mut request).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    if super::live::wants_stream(headers) {
        return super::live::sse(state, viewer, request.data(addr));
    }
    if super::live::is_subscription(&mut request) {
        return refused(
            flavour,
            crate::error::Code::BadUserInput,
            "subscriptions run over a WebSocket (graphql-transport-ws) or with Accept: text/event-stream",
            Some("query"),
        );
    }
    let how = How {
        flavour,
        method,
        signed_in: matches!(viewer, Viewer::User(_)),
    };
    let store = match cached(state, how, &viewer, &mut request, generation).await {
        Ok(store) => store,
        Err(kept) => return kept,
    };
    let operation = super::operation::name(&mut request);
    let response = execute_as(state, viewer, request.data(addr)).await;
    finish(state, how, response, store, operation)
}

/// `POST /graphql`: a JSON GraphQL request.
pub async fn post(
    State(state): State<AppState>,
    Extension(addr): Extension<ClientAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(flavour) = negotiate(&headers) else {
        return request_error(
            StatusCode::NOT_ACCEPTABLE,
            Flavour::Json,
            "accept application/graphql-response+json or application/json",
        );
    };
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case(JSON));
    if !is_json {
        return request_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            flavour,
            "POST a JSON body with Content-Type: application/json",
        );
    }
    match serde_json::from_slice::<async_graphql::Request>(&body) {
        Ok(request) => execute(&state, &headers, flavour, Method::Post, addr, request).await,
        Err(e) => request_error(
            StatusCode::BAD_REQUEST,
            flavour,
            &format!("the body is not a GraphQL request: {e}"),
        ),
    }
}
