//! What every door of the hub (the API's routes, the console, the live feeds) is handed: the
//! schema, the connection pool, and the shared services around them.

use crate::auth::Auth;
use crate::config::Introspection;
use crate::limits::QueryLimits;
use crate::metrics::Metrics;
use crate::persisted::Persisted;
use crate::rate_limit::RateLimiter;
use crate::schema::{AppSchema, Schemas};
use crate::services::writes::WriteGate;
use axum::http::HeaderValue;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

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
    pub imports: Arc<crate::import_door::ImportDoor>,
}
