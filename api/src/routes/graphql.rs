//! HTTP: GraphQL over HTTP (graphql/graphql-over-http) on `/graphql`, GraphiQL for browsers, and the
//! health and readiness probes.
//!
//! Handled by hand rather than by async-graphql-axum's ready-made service, because the spec asks for
//! things that service does not do: JSON-only POST bodies (a form or text/plain POST, which a browser
//! sends cross-site without a preflight, is refused: the CSRF guard), `Accept` negotiation between
//! `application/graphql-response+json` and `application/json`, 4xx for requests that fail before
//! execution under the former, and no mutations over GET.

use super::AppState;
use crate::auth::Viewer;
use crate::error::envelope;
use crate::limits;
use crate::loaders;
use async_graphql::http::GraphiQLSource;
use async_graphql::parser::types::OperationType;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use std::collections::HashMap;

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

/// Which response media type the client accepts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flavour {
    GraphqlResponse,
    Json,
}

fn negotiate(headers: &HeaderMap) -> Option<Flavour> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Some(Flavour::Json);
    };
    let types: Vec<String> = accept
        .split(',')
        .map(|t| {
            t.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .collect();
    if types.iter().any(|t| t == GRAPHQL_RESPONSE) {
        Some(Flavour::GraphqlResponse)
    } else if types
        .iter()
        .any(|t| t == JSON || t == "application/*" || t == "*/*")
    {
        Some(Flavour::Json)
    } else {
        None
    }
}

fn request_error(status: StatusCode, flavour: Flavour, message: &str) -> Response {
    let mut res = envelope(status, "BAD_USER_INPUT", message, None);
    res.headers_mut()
        .insert(header::CONTENT_TYPE, content_type(flavour));
    res
}

fn content_type(flavour: Flavour) -> HeaderValue {
    HeaderValue::from_static(match flavour {
        Flavour::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
        Flavour::Json => "application/json; charset=utf-8",
    })
}

/// The caller named by the `Authorization: Bearer` header, or else by the console's session cookie;
/// a header that is present but not a valid token is refused outright rather than treated as
/// anonymous, so a client never silently reads less. An expired session cookie is anonymous: the
/// console sends its holder to `/masuk`. (Cookies are safe here: the session cookie is
/// `SameSite=Strict` and `/graphql` accepts only JSON bodies.)
pub async fn viewer(state: &AppState, headers: &HeaderMap) -> Result<Viewer, Response> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(match crate::auth::session_token(headers) {
            Some(token) => state
                .auth
                .viewer(&state.db, &token)
                .await
                .unwrap_or(Viewer::Anonymous),
            None => Viewer::Anonymous,
        });
    };
    let token = value.to_str().ok().and_then(|v| {
        v.strip_prefix("Bearer ")
            .or_else(|| v.strip_prefix("bearer "))
    });
    let refused = |message: &str| {
        let mut res = envelope(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", message, None);
        res.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        res
    };
    let Some(token) = token else {
        return Err(refused("the Authorization header must be `Bearer <token>`"));
    };
    match state.auth.viewer(&state.db, token.trim()).await {
        Ok(v) => Ok(v),
        Err(crate::error::AppError::Unauthenticated) => {
            Err(refused("the token is invalid or expired: sign in again"))
        }
        Err(e) => Err(e.into_response()),
    }
}

/// Runs one GraphQL request as `viewer` with the per-request context every caller shares (loaders,
/// connection, draft visibility, keys, write gate): the `/graphql` handler and the console's pages.
/// Errors without a code (syntax, validation, depth, complexity, input coercion: all raised before
/// execution) get `BAD_USER_INPUT`.
pub async fn execute_as(
    state: &AppState,
    viewer: Viewer,
    request: async_graphql::Request,
) -> async_graphql::Response {
    let visibility = viewer.draft_visibility();
    let request = request
        .data(loaders::for_request(state.db.clone(), visibility.clone()))
        .data(state.db.clone())
        .data(visibility)
        .data(viewer)
        .data(state.auth.clone())
        .data(state.gate.clone());
    let mut response = state.schema.execute(request).await;
    for err in &mut response.errors {
        let has_code = err
            .extensions
            .as_ref()
            .is_some_and(|e| e.get("code").is_some());
        if !has_code {
            err.extensions
                .get_or_insert_with(Default::default)
                .set("code", "BAD_USER_INPUT");
        }
    }
    response
}

async fn execute(
    state: &AppState,
    headers: &HeaderMap,
    flavour: Flavour,
    request: async_graphql::Request,
) -> Response {
    if let Err(why) = limits::check(&request.query, &state.limits) {
        let status = if flavour == Flavour::GraphqlResponse {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        };
        let mut res = envelope(status, "BAD_USER_INPUT", &why, Some("query"));
        res.headers_mut()
            .insert(header::CONTENT_TYPE, content_type(flavour));
        return res;
    }
    let viewer = match viewer(state, headers).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let response = execute_as(state, viewer, request).await;
    // Under application/graphql-response+json a request that never reached execution (syntax,
    // validation, limits) answers 400; under application/json every well-formed request answers 200.
    let status = if flavour == Flavour::GraphqlResponse
        && response.data == async_graphql::Value::Null
        && response.is_err()
    {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let mut res = (status, Json(response)).into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, content_type(flavour));
    res
}

/// `POST /graphql`: a JSON GraphQL request.
pub async fn post(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
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
        Ok(request) => execute(&state, &headers, flavour, request).await,
        Err(e) => request_error(
            StatusCode::BAD_REQUEST,
            flavour,
            &format!("the body is not a GraphQL request: {e}"),
        ),
    }
}

/// Query-string form of a GraphQL request.
#[derive(Deserialize)]
pub struct GetParams {
    query: Option<String>,
    #[serde(rename = "operationName")]
    operation_name: Option<String>,
    variables: Option<String>,
}

/// `GET /graphql`: a query in the query string, or GraphiQL for a browser.
pub async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<GetParams>,
) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    let Some(query) = params.query else {
        if wants_html {
            return Html(
                GraphiQLSource::build()
                    .endpoint("/graphql")
                    .title("Sinergi GraphiQL")
                    .finish(),
            )
            .into_response();
        }
        return request_error(
            StatusCode::BAD_REQUEST,
            Flavour::Json,
            "a GET request needs a `query` parameter",
        );
    };
    let Some(flavour) = negotiate(&headers) else {
        return request_error(
            StatusCode::NOT_ACCEPTABLE,
            Flavour::Json,
            "accept application/graphql-response+json or application/json",
        );
    };
    if let Ok(doc) = async_graphql::parser::parse_query(&query) {
        let is_mutation = doc.operations.iter().any(|(name, op)| {
            let selected = match (&params.operation_name, name) {
                (Some(wanted), Some(n)) => n.as_str() == wanted,
                _ => true,
            };
            selected && op.node.ty != OperationType::Query
        });
        if is_mutation {
            let mut res = request_error(
                StatusCode::METHOD_NOT_ALLOWED,
                flavour,
                "only queries may be sent over GET; POST mutations",
            );
            res.headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("POST"));
            return res;
        }
    }
    let mut request = async_graphql::Request::new(query);
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
    execute(&state, &headers, flavour, request).await
}
