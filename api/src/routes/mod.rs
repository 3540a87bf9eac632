//! HTTP routes by concern: GraphQL over HTTP and GraphiQL (`graphql`), the TKPK downloads
//! (`exports`), spreadsheet uploads and templates (`imports`), and the probes (`health`).
//! Every JSON error envelope is built by `AppError`'s `IntoResponse` (in `error.rs`).

use crate::auth::Auth;
use crate::limits::QueryLimits;
use crate::schema::AppSchema;
use crate::services::writes::WriteGate;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use sea_orm::DatabaseConnection;
use std::sync::Arc;
use std::time::Duration;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

/// Downloads: the TKPK workbook and the contributions CSV.
pub mod exports;
/// GraphQL over HTTP, GraphiQL, and the per-request context the console shares.
pub mod graphql;
/// Liveness and readiness probes.
pub mod health;
/// Spreadsheet uploads and their templates.
pub mod imports;

/// What every handler needs.
#[derive(Clone)]
pub struct AppState {
    /// The GraphQL schema (immutable, shared).
    pub schema: AppSchema,
    /// The connection pool.
    pub db: DatabaseConnection,
    /// Limits checked before execution.
    pub limits: QueryLimits,
    /// Token keys.
    pub auth: Arc<Auth>,
    /// Serialises writers on SQLite.
    pub gate: WriteGate,
}

/// The hub's router.
///
/// Spreadsheet uploads (`POST /imports/{kind}`) get their own, larger body limit
/// (`max_import_bytes`); every other route keeps `max_body_bytes`.
pub fn router(
    state: AppState,
    max_body_bytes: usize,
    max_import_bytes: usize,
    timeout: Duration,
) -> Router {
    let imports = Router::new()
        .route("/imports/{kind}", post(imports::upload))
        .route("/imports/{kind}/{file}", get(imports::template))
        .layer(DefaultBodyLimit::max(max_import_bytes))
        .layer(RequestBodyLimitLayer::new(max_import_bytes));
    Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route("/exports/lp2kd.xlsx", get(exports::workbook))
        .route("/exports/contributions.csv", get(exports::csv))
        .route("/health", get(health::health))
        .route("/ready", get(health::ready))
        .merge(crate::console::router())
        .layer(RequestBodyLimitLayer::new(max_body_bytes))
        .merge(imports)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            timeout,
        ))
        .with_state(state)
}

/// A file download with its media type and suggested file name.
pub(crate) fn download(bytes: Vec<u8>, content_type: &'static str, filename: String) -> Response {
    let mut res = (StatusCode::OK, bytes).into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}
