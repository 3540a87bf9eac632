//! GraphQL over SSE ("distinct connections" mode) for any `/graphql` request that accepts
//! `text/event-stream` (the console's `EventSource`, and clients behind proxies that refuse
//! WebSockets): the same schema and per-request data as every other request.

use crate::auth::Viewer;
use crate::state::AppState;
use async_graphql::parser::types::OperationType;
use axum::http::{HeaderMap, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use std::convert::Infallible;
use std::time::Duration;

/// The GraphQL over SSE media type.
const EVENT_STREAM: &str = "text/event-stream";

/// How often an idle stream sends a comment, so proxies do not close it.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Whether the client asked for GraphQL over SSE.
pub fn wants_stream(headers: &HeaderMap) -> bool {
    super::reply::accepted(headers).is_some_and(|types| types.iter().any(|t| t == EVENT_STREAM))
}

/// Whether the operation the request selects is a subscription.
pub fn is_subscription(request: &mut async_graphql::Request) -> bool {
    crate::context::operation::kind(request) == Some(OperationType::Subscription)
}

/// One GraphQL request as an SSE response: `next` events with each result, then `complete`.
/// A query or mutation sends one `next`; a subscription sends one per change until the client
/// goes away or the hub stops.
pub fn sse(state: &AppState, viewer: Viewer, mut request: async_graphql::Request) -> Response {
    let schema = crate::context::operation::pick_schema(state, &viewer, &mut request).clone();
    let request = crate::context::request_data(state, viewer, request);
    let stopped = state.bus.clone();
    let results = schema
        .execute_stream(request)
        .map(|r| {
            Ok::<_, Infallible>(
                SseEvent::default()
                    .event("next")
                    .json_data(r)
                    .unwrap_or_default(),
            )
        })
        .take_until(async move { stopped.stopped().await })
        .chain(futures_util::stream::once(async {
            Ok(SseEvent::default().event("complete").data(""))
        }));
    let mut res = Sse::new(results)
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response();
    // Tell nginx-style proxies not to hold the stream back.
    res.headers_mut()
        .insert("x-accel-buffering", header::HeaderValue::from_static("no"));
    res
}
