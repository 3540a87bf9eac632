//! Subscriptions over a WebSocket: graphql-ws (and the older subscriptions-transport-ws) on an
//! upgrade of `GET /graphql`; GraphQL over SSE is `graphql::sse`.
//!
//! Both run the same schema and the same per-request data as `/graphql` (`context::request_data`).
//! A WebSocket connection is signed in by the upgrade request's own credentials (the console's
//! cookie, or an `Authorization` header where the client can set one) or by `connection_init`'s
//! payload `{"Authorization": "Bearer <token>"}` (browsers cannot set headers on a WebSocket).
//! Over a WebSocket only subscriptions run, within the same query limits as over HTTP: queries and
//! mutations go to `POST /graphql`, where the HTTP rules (persisted documents, rate limits) apply.

use super::AppState;
use super::graphql::sse::is_subscription;
use crate::auth::Viewer;
use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql::{Data, Executor};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::{FromRequestParts, Request, WebSocketUpgrade};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use std::sync::Arc;

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
    let viewer = match crate::context::viewer(&state, &parts.headers).await {
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
            crate::context::parse_bearer(value.as_bytes()).map_err(async_graphql::Error::new)?,
        ),
        None => None,
    };
    let viewer = match token {
        Some(t) => state.auth.viewer(&state.db, t).await.map_err(|_| {
            async_graphql::Error::new("the token is invalid or expired: sign in again")
        })?,
        None => viewer,
    };
    Ok(crate::context::data_for(&state, viewer))
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
