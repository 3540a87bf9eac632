//! Subscriptions over the wire: graphql-ws (and the older subscriptions-transport-ws) on a WebSocket
//! upgrade of `GET /graphql`, and GraphQL over SSE ("distinct connections" mode) for any
//! `/graphql` request that accepts `text/event-stream` (the console's `EventSource`, and clients
//! behind proxies that refuse WebSockets).
//!
//! Both run the same schema and the same per-request data as `/graphql` (`graphql::request_data`).
//! A WebSocket connection is signed in by the upgrade request's own credentials (the console's
//! cookie, or an `Authorization` header where the client can set one) or by `connection_init`'s
//! payload `{"Authorization": "Bearer <token>"}` (browsers cannot set headers on a WebSocket).
//! Over a WebSocket only subscriptions run, within the same query limits as over HTTP: queries and
//! mutations go to `POST /graphql`, where the HTTP rules (persisted documents, rate limits) apply.

use super::AppState;
use crate::auth::Viewer;
use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql::parser::types::OperationType;
use async_graphql::{Data, Executor};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::{FromRequestParts, Request, WebSocketUpgrade};
use axum::http::{HeaderMap, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

/// The GraphQL over SSE media type.
const EVENT_STREAM: &str = "text/event-stream";

/// How often an idle stream sends a comment, so proxies do not close it.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Whether the client asked for GraphQL over SSE.
pub fn wants_stream(headers: &HeaderMap) -> bool {
    super::graphql::accepted(headers).is_some_and(|types| types.iter().any(|t| t == EVENT_STREAM))
}

/// Whether the operation the request selects is a subscription.
pub fn is_subscription(request: &mut async_graphql::Request) -> bool {
    super::operation::kind(request) == Some(OperationType::Subscription)
}

/// One GraphQL request as an SSE response: `next` events with each result, then `complete`.
/// A query or mutation sends one `next`; a subscription sends one per change until the client
/// goes away or the hub stops.
pub fn sse(state: &AppState, viewer: Viewer, mut request: async_graphql::Request) -> Response {
    let schema = super::operation::pick_schema(state, &viewer, &mut request).clone();
    let request = super::graphql::request_data(state, viewer, request);
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

/// `GET /graphql`: a WebSocket upgrade starts a graphql-ws connection; anything else is the plain
/// GET handler (a query in the address, or GraphiQL for a browser).
pub async fn get_or_upgrade(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request,
) -> Response {
    let (mut parts, body) = request.into_parts();
    let upgrading = parts
        .headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    if !upgrading {
        let request = Request::from_parts(parts, body);
        return match super::graphql::get_from(state, request).await {
            Ok(res) | Err(res) => res,
        };
    }
    let protocol = match GraphQLProtocol::from_request_parts(&mut parts, &state).await {
        Ok(p) => p,
        Err(status) => {
            return (
                status,
                "ask for the graphql-transport-ws (or graphql-ws) subprotocol",
            )
                .into_response();
        }
    };
    let upgrade = match WebSocketUpgrade::from_request_parts(&mut parts, &state).await {
        Ok(u) => u,
        Err(rejection) => return rejection.into_response(),
    };
    // Credentials on the upgrade request itself; refused outright if present but invalid.
    let viewer = match super::graphql::viewer(&state, &parts.headers).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| {
            let executor = LiveExecutor {
                state: state.clone(),
            };
            GraphQLWebSocket::new(socket, executor, protocol)
                .on_connection_init(move |payload| connection_data(state, viewer, payload))
                .serve()
        })
}

/// The data every operation of a WebSocket connection runs with: the viewer named by
/// `connection_init`'s token, else the upgrade request's.
async fn connection_data(
    state: AppState,
    viewer: Viewer,
    payload: serde_json::Value,
) -> async_graphql::Result<Data> {
    // The same `Bearer <token>` as the HTTP header, refused the same way when malformed.
    let token = match ["Authorization", "authorization"]
        .iter()
        .find_map(|k| payload.get(k).and_then(|v| v.as_str()))
    {
        Some(value) => Some(
            super::observe::parse_bearer(value.as_bytes()).map_err(async_graphql::Error::new)?,
        ),
        None => None,
    };
    let viewer = match token {
        Some(t) => state.auth.viewer(&state.db, t).await.map_err(|_| {
            async_graphql::Error::new("the token is invalid or expired: sign in again")
        })?,
        None => viewer,
    };
    Ok(super::graphql::data_for(&state, viewer))
}

/// Runs a WebSocket connection's operations: subscriptions only, within the query limits, on the
/// schema the connection's viewer may use.
#[derive(Clone)]
struct LiveExecutor {
    state: AppState,
}

impl LiveExecutor {
    fn refuse(&self, request: &mut async_graphql::Request) -> Option<async_graphql::Response> {
        let limits = &self.state.limits;
        let why = if let Err(why) = crate::limits::check_size(&request.query, limits) {
            why
        } else if let Some(Err(why)) = request
            .parsed_query()
            .ok()
            .map(|doc| crate::limits::check_document(doc, limits))
        {
            why
        } else if !is_subscription(request) {
            "only subscriptions run over a WebSocket: send queries and mutations to POST /graphql"
                .into()
        } else {
            return None;
        };
        let mut err = async_graphql::ServerError::new(why, None);
        err.extensions
            .get_or_insert_with(Default::default)
            .set("code", crate::error::Code::BadUserInput.as_str());
        Some(async_graphql::Response::from_errors(vec![err]))
    }
}

impl Executor for LiveExecutor {
    async fn execute(&self, mut request: async_graphql::Request) -> async_graphql::Response {
        match self.refuse(&mut request) {
            Some(refused) => refused,
            None => self.state.schemas.closed.execute(request).await,
        }
    }

    fn execute_stream(
        &self,
        mut request: async_graphql::Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, async_graphql::Response> {
        if let Some(refused) = self.refuse(&mut request) {
            return futures_util::stream::once(async move { refused }).boxed();
        }
        let stopped = self.state.bus.clone();
        self.state
            .schemas
            .closed
            .execute_stream_with_session_data(request, session_data.unwrap_or_default())
            .take_until(async move { stopped.stopped().await })
            .boxed()
    }
}
