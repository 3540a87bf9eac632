//! HTTP: GraphQL over HTTP (graphql/graphql-over-http) on `/graphql` (GraphiQL for browsers), with
//! persisted operations, introspection rules and `Cache-Control` for queries over GET.
//!
//! Handled by hand rather than by async-graphql-axum's ready-made service, because the spec asks for
//! things that service does not do: JSON-only POST bodies (a form or text/plain POST, which a browser
//! sends cross-site without a preflight, is refused: the CSRF guard), `Accept` negotiation between
//! `application/graphql-response+json` and `application/json`, 4xx for requests that fail before
//! execution under the former, and no mutations over GET.

use super::AppState;
use crate::auth::Viewer;
use crate::context::execute_as;
use crate::rate_limit::ClientAddr;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;

/// `GET /graphql`: GraphiQL, or a query in the address.
mod get;
pub(crate) use get::get_from;
pub use get::{GetParams, get};
/// Media types and the shapes of answers.
mod reply;
/// GraphQL over SSE.
pub(crate) mod sse;
/// The stages a request passes before and after it is executed.
mod stages;
pub use reply::CACHE_STATUS;
use reply::{Flavour, JSON, negotiate, refused, request_error};
use stages::{How, admit, cached, finish, identify};

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
        Err(res) => return *res,
    };
    let viewer = match identify(state, headers, flavour, resolved, &mut request).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    if sse::wants_stream(headers) {
        return sse::sse(state, viewer, request.data(addr));
    }
    if sse::is_subscription(&mut request) {
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
    let operation = crate::context::operation::name(&mut request);
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
