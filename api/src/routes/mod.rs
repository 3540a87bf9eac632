//! HTTP routes by concern: GraphQL over HTTP (`graphql`) and GraphiQL (`graphiql`), the TKPK
//! downloads (`exports`), spreadsheet uploads and templates (`imports`), the probes (`health`), the
//! Prometheus scrape (`metrics`), and the layers in front of all of them (`observe`).
//! Every JSON error envelope is built by `AppError`'s `IntoResponse` (in `error.rs`).

pub use crate::state::AppState;
use axum::Router;
use axum::http::{Method, StatusCode, header};
use axum::routing::{get, post};
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
/// Spreadsheet uploads and their templates.
pub mod imports;
/// Subscriptions: graphql-ws over WebSocket and GraphQL over SSE.
pub mod live;
/// The Prometheus scrape.
pub mod metrics;
/// Request ids, spans, metrics, rate limits and the catch-panic answer.
pub mod observe;
/// Headers on every response: nosniff, Referrer-Policy, framing, HSTS behind TLS.
pub mod security_headers;

/// The hub's router, with the console's `pages` (and its `import_pages`, which read their own
/// bodies) composed in by the caller (`startup`), so that routes and console stand side by side.
///
/// Spreadsheet uploads (`POST /imports/{kind}`) read their body themselves, within the import
/// door's limits (`import_door`); every other route keeps `max_body_bytes`.
pub fn router(
    state: AppState,
    pages: Router<AppState>,
    import_pages: Router<AppState>,
    max_body_bytes: usize,
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
        .merge(pages)
        .route("/metrics", get(metrics::metrics))
        .layer(RequestBodyLimitLayer::new(max_body_bytes))
        .merge(imports)
        .merge(import_pages)
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
