//! `GET /graphql` without a WebSocket upgrade: GraphiQL for a browser, otherwise a query (or a
//! persisted query, or an SSE subscription) in the query string.

use super::{Flavour, Method, execute, negotiate, request_error};
use crate::rate_limit::ClientAddr;
use crate::routes::AppState;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::collections::HashMap;

/// Query-string form of a GraphQL request.
#[derive(Deserialize)]
pub struct GetParams {
    query: Option<String>,
    #[serde(rename = "operationName")]
    operation_name: Option<String>,
    variables: Option<String>,
    extensions: Option<String>,
}

/// `GET /graphql` without a WebSocket upgrade (see `live::get_or_upgrade`), from the whole request.
pub(crate) async fn get_from(
    state: AppState,
    request: axum::extract::Request,
) -> Result<Response, Response> {
    use axum::extract::FromRequestParts;
    let (mut parts, _) = request.into_parts();
    let addr = parts
        .extensions
        .get::<ClientAddr>()
        .copied()
        .unwrap_or(ClientAddr(None));
    let params = Query::<GetParams>::from_request_parts(&mut parts, &state)
        .await
        .map_err(IntoResponse::into_response)?;
    Ok(get(State(state), Extension(addr), parts.headers, params).await)
}

/// `GET /graphql`: GraphiQL for a browser (which reads `query` and `variables` from the address into
/// its editors), otherwise a query or a persisted query in the query string.
pub async fn get(
    State(state): State<AppState>,
    Extension(addr): Extension<ClientAddr>,
    headers: HeaderMap,
    Query(params): Query<GetParams>,
) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    if wants_html {
        return crate::routes::graphiql::page();
    }
    let Some(flavour) = negotiate(&headers) else {
        return request_error(
            StatusCode::NOT_ACCEPTABLE,
            Flavour::Json,
            "accept application/graphql-response+json or application/json",
        );
    };
    if params.query.is_none() && params.extensions.is_none() {
        return request_error(
            StatusCode::BAD_REQUEST,
            flavour,
            "a GET request needs a `query` parameter",
        );
    }
    let mut request = async_graphql::Request::new(params.query.unwrap_or_default());
    if let Some(op) = params.operation_name {
        request = request.operation_name(op);
    }
    if let Some(vars) = params.variables {
        match serde_json::from_str::<HashMap<String, serde_json::Value>>(&vars) {
            Ok(v) => {
                request = request.variables(async_graphql::Variables::from_json(
                    serde_json::Value::Object(v.into_iter().collect()),
                ));
            }
            Err(_) => {
                return request_error(
                    StatusCode::BAD_REQUEST,
                    flavour,
                    "`variables` must be a JSON object",
                );
            }
        }
    }
    if let Some(ext) = params.extensions {
        match serde_json::from_str::<HashMap<String, async_graphql::Value>>(&ext) {
            Ok(e) => request.extensions = async_graphql::Extensions(e),
            Err(_) => {
                return request_error(
                    StatusCode::BAD_REQUEST,
                    flavour,
                    "`extensions` must be a JSON object",
                );
            }
        }
    }
    execute(&state, &headers, flavour, Method::Get, addr, request).await
}
