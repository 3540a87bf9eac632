//! HTTP routes by concern: GraphQL over HTTP (`graphql`) and GraphiQL (`graphiql`), the TKPK
//! downloads (`exports`), spreadsheet uploads and templates (`imports`), the probes (`health`), the
//! Prometheus scrape (`metrics`), and the layers in front of all of them (`observe`).
//! Every JSON error envelope is built by `AppError`'s `IntoResponse` (in `error.rs`).

use crate::auth::Auth;
use crate::config::Introspection;
use crate::limits::QueryLimits;
use crate::metrics::Metrics;
use crate::persisted::Persisted;
use crate::rate_limit::RateLimiter;
use crate::schema::{AppSchema, Schemas};
use crate::services::writes::WriteGate;
use axum::Router;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use sea_orm::DatabaseConnection;
use std::sync::Arc;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

/// Downloads: the TKPK workbook and the contributions CSV.
pub mod exports;
/// GraphiQL's page and its vendored assets, embedded in the binary.
pub mod graphiql;
/// GraphQL over HTTP, and the per-request context the console shares.
pub mod graphql;
/// Liveness and readiness probes.
pub mod health;
/// The slots and limits every spreadsheet upload passes.
pub mod import_door;
/// Spreadsheet uploads and their templates.
pub mod imports;
/// Subscriptions: graphql-ws over WebSocket and GraphQL over SSE.
pub mod live;
/// The Prometheus scrape.
pub mod metrics;
/// Request ids, spans, metrics, rate limits and the catch-panic answer.
pub mod observe;
/// Schema choice, name and outcome of one GraphQL operation.
pub(crate) mod operation;
/// Headers on every response: nosniff, Referrer-Policy, framing, HSTS behind TLS.
pub mod security_headers;

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
    /// The schema with and without introspection, and for introspection alone.
    pub schemas: Schemas,
    /// Who may introspect.
    pub introspection: Introspection,
    /// Trusted documents and automatic persisted queries.
    pub persisted: Arc<Persisted>,
    /// Request and sign-in buckets.
    pub rate_limiter: Arc<RateLimiter>,
    /// Prometheus metrics; `None` when switched off.
    pub metrics: Option<Arc<Metrics>>,
    /// Header naming the client address behind a proxy.
    pub client_ip_header: Option<String>,
    /// Browser origins allowed to call `/graphql` cross-site.
    pub cors_origins: Arc<Vec<HeaderValue>>,
    /// The hub's own origin when configured (`--public-url`): console posts may come from it.
    pub public_origin: Option<Arc<str>>,
    /// Live changes, for subscriptions.
    pub bus: crate::events::Bus,
    /// Answers to repeated queries.
    pub responses: Arc<crate::response_cache::ResponseCache>,
    /// Spreadsheet uploads' slots and limits.
    pub imports: Arc<import_door::ImportDoor>,
}

/// The hub's router.
///
/// Spreadsheet uploads (`POST /imports/{kind}`) read their body themselves, within the import
/// door's limits (`import_door`); every other route keeps `max_body_bytes`.
pub fn router(
    state: AppState,
    max_body_bytes: usize,
    max_import_bytes: usize,
    timeout: Duration,
    headers: security_headers::SecurityHeaders,
) -> Router {
    let imports = Router::new()
        .route("/imports/{kind}", post(imports::upload))
        .route("/imports/{kind}/{file}", get(imports::template));
    let mut graphql =
        Router::new().route("/graphql", get(live::get_or_upgrade).post(graphql::post));
    if !state.cors_origins.is_empty() {
        // Exact origins only and no credentials: partners' dashboards send a bearer token, and the
        // console's cookie is SameSite=Strict anyway. Other origins get no CORS headers at all.
        graphql = graphql.layer(
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(state.cors_origins.iter().cloned()))
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
                .expose_headers([observe::REQUEST_ID, graphql::CACHE_STATUS])
                .max_age(Duration::from_secs(600)),
        );
    }
    let panics = state.metrics.clone();
    Router::new()
        .merge(graphql)
        .route("/graphiql/{file}", get(graphiql::asset))
        .route("/exports/lp2kd.xlsx", get(exports::workbook))
        .route("/exports/contributions.csv", get(exports::csv))
        .route("/health", get(health::health))
        .route("/ready", get(health::ready))
        .merge(crate::console::router())
        .route("/metrics", get(metrics::metrics))
        .layer(RequestBodyLimitLayer::new(max_body_bytes))
        .merge(imports)
        .merge(crate::console::import_router(max_import_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            timeout,
        ))
        .layer(CatchPanicLayer::custom(observe::panic_response(panics)))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            observe::rate_limit,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            observe::observe,
        ))
        .layer(axum::middleware::from_fn_with_state(
            headers,
            security_headers::add,
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
