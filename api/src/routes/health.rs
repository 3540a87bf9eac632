//! `GET /health` (the process answers) and `GET /ready` (the database answers, fully migrated).

use super::AppState;
use crate::db;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Alive: the process answers.
pub async fn health() -> &'static str {
    "ok"
}

/// Ready: the database answers and every migration is applied.
pub async fn ready(State(state): State<AppState>) -> Response {
    if db::is_ready(&state.db).await {
        (StatusCode::OK, "ready").into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "database unreachable or not migrated",
        )
            .into_response()
    }
}
