//! `GET /metrics`: the Prometheus text exposition (see `crate::metrics` for the list).

use super::AppState;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The metrics, or 404 when they are switched off (`SINERGI_METRICS=false`).
pub async fn metrics(State(state): State<AppState>) -> Response {
    let Some(metrics) = &state.metrics else {
        return crate::error::AppError::NotFound("metrics are switched off".into()).into_response();
    };
    let mut res = (StatusCode::OK, metrics.render(&state.db)).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    res
}
