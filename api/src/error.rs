//! One error type for the whole API. Its `code` is what clients and tests match on; internal errors
//! are logged with their cause and reach the client as an opaque INTERNAL.

use async_graphql::ErrorExtensions;
use sea_orm::DbErr;

/// The stable `extensions.code` of every refusal: the one vocabulary the API, its HTTP envelopes,
/// the metrics and the console share. Clients match on `as_str()`; nothing matches on messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    /// Sign in first.
    Unauthenticated,
    /// Signed in, but not allowed.
    Forbidden,
    /// No such record (or not one the caller may know of).
    NotFound,
    /// An argument is wrong; `extensions.field` names it.
    BadUserInput,
    /// A stale version, a taken key, or the same client key in flight.
    Conflict,
    /// Too many requests; `extensions.retryAfter` says how long to wait.
    RateLimited,
    /// A persisted-query hash the hub does not know (the client sends the document again).
    PersistedQueryNotFound,
    /// Anything else: logged, never detailed to the client.
    Internal,
}

impl Code {
    /// Every code, for tables that must cover them all.
    pub const ALL: [Code; 8] = [
        Code::Unauthenticated,
        Code::Forbidden,
        Code::NotFound,
        Code::BadUserInput,
        Code::Conflict,
        Code::RateLimited,
        Code::PersistedQueryNotFound,
        Code::Internal,
    ];

    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Unauthenticated => "UNAUTHENTICATED",
            Code::Forbidden => "FORBIDDEN",
            Code::NotFound => "NOT_FOUND",
            Code::BadUserInput => "BAD_USER_INPUT",
            Code::Conflict => "CONFLICT",
            Code::RateLimited => "RATE_LIMITED",
            Code::PersistedQueryNotFound => "PERSISTED_QUERY_NOT_FOUND",
            Code::Internal => "INTERNAL",
        }
    }

    /// The code of a wire spelling; an unknown one is INTERNAL, as the client would treat it.
    pub fn parse(text: &str) -> Code {
        Code::ALL
            .into_iter()
            .find(|c| c.as_str() == text)
            .unwrap_or(Code::Internal)
    }

    /// The code of an HTTP status, for answers that carry no code of their own.
    pub fn of_status(status: u16) -> Code {
        match status {
            401 => Code::Unauthenticated,
            403 => Code::Forbidden,
            404 => Code::NotFound,
            409 => Code::Conflict,
            429 => Code::RateLimited,
            400..=499 => Code::BadUserInput,
            _ => Code::Internal,
        }
    }

    /// The HTTP status a non-GraphQL route answers with.
    pub fn status(self) -> axum::http::StatusCode {
        use axum::http::StatusCode as S;
        match self {
            Code::Unauthenticated => S::UNAUTHORIZED,
            Code::Forbidden => S::FORBIDDEN,
            Code::NotFound | Code::PersistedQueryNotFound => S::NOT_FOUND,
            Code::BadUserInput => S::BAD_REQUEST,
            Code::Conflict => S::CONFLICT,
            Code::RateLimited => S::TOO_MANY_REQUESTS,
            Code::Internal => S::INTERNAL_SERVER_ERROR,
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

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
    pub fn code(&self) -> Code {
        match self {
            Self::Unauthenticated => Code::Unauthenticated,
            Self::Forbidden(_) => Code::Forbidden,
            Self::NotFound(_) => Code::NotFound,
            Self::BadInput { .. } => Code::BadUserInput,
            Self::Conflict(_) => Code::Conflict,
            Self::RateLimited { .. } => Code::RateLimited,
            Self::Internal(_) => Code::Internal,
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
            ext.set("code", e.code().as_str());
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
    code: Code,
    message: &str,
    field: Option<&str>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut ext = serde_json::json!({ "code": code.as_str() });
    if let Some(f) = field {
        ext["field"] = f.into();
    }
    let body = serde_json::json!({ "errors": [{ "message": message, "extensions": ext }] });
    (status, axum::Json(body)).into_response()
}

impl AppError {
    /// The HTTP status of this error on a non-GraphQL route.
    pub fn status(&self) -> axum::http::StatusCode {
        self.code().status()
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
