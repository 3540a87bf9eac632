//! One error type for the whole API. Its `code` is what clients and tests match on; internal errors
//! are logged with their cause and reach the client as an opaque INTERNAL.

use async_graphql::ErrorExtensions;
use sea_orm::DbErr;

/// Every way a request can fail.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The caller must sign in first.
    #[error("sign-in required")]
    Unauthenticated,
    /// The caller is signed in but may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The thing asked for does not exist (or the caller may not know it exists).
    #[error("{0}")]
    NotFound(String),
    /// An argument is wrong; `field` names it (dotted path, e.g. `filter.region`).
    #[error("{field}: {message}")]
    BadInput { field: String, message: String },
    /// The record changed since the caller read it, or a unique key is taken.
    #[error("{0}")]
    Conflict(String),
    /// Too many requests (or sign-in attempts) in too short a time; try again after the wait.
    #[error("too many requests: try again in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    /// Anything else: logged in full, sent as a bare INTERNAL.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl AppError {
    /// A BAD_USER_INPUT error naming `field`.
    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::BadInput {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The stable `extensions.code`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden(_) => "FORBIDDEN",
            Self::NotFound(_) => "NOT_FOUND",
            Self::BadInput { .. } => "BAD_USER_INPUT",
            Self::Conflict(_) => "CONFLICT",
            Self::RateLimited { .. } => "RATE_LIMITED",
            Self::Internal(_) => "INTERNAL",
        }
    }
}

impl From<DbErr> for AppError {
    /// A unique key taken by a concurrent write (two imports of the same new rows at once on
    /// PostgreSQL, two creates racing for one e-mail) is CONFLICT, as a stale version is: the
    /// caller reloads and retries. Anything else from the database is INTERNAL.
    fn from(e: DbErr) -> Self {
        if let Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) = e.sql_err() {
            return Self::Conflict(
                "another write stored the same record at the same moment: nothing of yours was stored; reload and retry".into(),
            );
        }
        Self::Internal(e.into())
    }
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        Self::Internal(e)
    }
}

impl From<AppError> for async_graphql::Error {
    fn from(e: AppError) -> Self {
        if let AppError::Internal(cause) = &e {
            tracing::error!(error = ?cause, "internal error while resolving a request");
        }
        let mut err = async_graphql::Error::new(e.to_string());
        err = err.extend_with(|_, ext| {
            ext.set("code", e.code());
            if let AppError::BadInput { field, .. } = &e {
                ext.set("field", field.as_str());
            }
            if let AppError::RateLimited { retry_after_secs } = &e {
                ext.set("retryAfter", *retry_after_secs);
            }
        });
        err
    }
}

/// Result of a resolver or service call.
pub type AppResult<T> = Result<T, AppError>;

impl From<std::sync::Arc<DbErr>> for AppError {
    fn from(e: std::sync::Arc<DbErr>) -> Self {
        Self::Internal(anyhow::anyhow!("batched load failed: {e}"))
    }
}

/// Result of a GraphQL resolver: errors carry `extensions.code`.
pub type GqlResult<T> = async_graphql::Result<T>;

/// The JSON error envelope of a non-GraphQL route (and of GraphQL requests refused before
/// execution): `{"errors":[{"message", "extensions":{"code", "field"?}}]}`. Built only here.
pub fn envelope(
    status: axum::http::StatusCode,
    code: &'static str,
    message: &str,
    field: Option<&str>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut ext = serde_json::json!({ "code": code });
    if let Some(f) = field {
        ext["field"] = f.into();
    }
    let body = serde_json::json!({ "errors": [{ "message": message, "extensions": ext }] });
    (status, axum::Json(body)).into_response()
}

impl AppError {
    /// The HTTP status of this error on a non-GraphQL route.
    pub fn status(&self) -> axum::http::StatusCode {
        use axum::http::StatusCode as S;
        match self {
            Self::Unauthenticated => S::UNAUTHORIZED,
            Self::Forbidden(_) => S::FORBIDDEN,
            Self::NotFound(_) => S::NOT_FOUND,
            Self::BadInput { .. } => S::BAD_REQUEST,
            Self::Conflict(_) => S::CONFLICT,
            Self::RateLimited { .. } => S::TOO_MANY_REQUESTS,
            Self::Internal(_) => S::INTERNAL_SERVER_ERROR,
        }
    }
}

impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        match &self {
            Self::BadInput { field, message } => {
                envelope(self.status(), self.code(), message, Some(field))
            }
            Self::Internal(cause) => {
                tracing::error!(error = ?cause, "internal error");
                envelope(self.status(), self.code(), "internal error", None)
            }
            Self::Forbidden(m) | Self::NotFound(m) | Self::Conflict(m) => {
                envelope(self.status(), self.code(), m, None)
            }
            Self::Unauthenticated => envelope(self.status(), self.code(), &self.to_string(), None),
            Self::RateLimited { retry_after_secs } => {
                let mut res = envelope(self.status(), self.code(), &self.to_string(), None);
                res.headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, (*retry_after_secs).into());
                res
            }
        }
    }
}
