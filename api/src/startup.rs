//! Building the application (database, schema, router, listener) and running it until a signal.

use crate::config::Config;
use crate::db::{self, StatementCounter};
use crate::routes::{self, AppState};
use crate::schema;
use axum::http::HeaderValue;
use sea_orm::DatabaseConnection;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// A built, bound, not yet running hub.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    addr: SocketAddr,
    db: DatabaseConnection,
    statements: StatementCounter,
    drain: Duration,
    bus: crate::events::Bus,
}

impl Application {
    /// Connects to and migrates the configured database, builds the schema and binds the listener
    /// (port 0 picks a free port, as the tests do).
    pub async fn build(config: &Config) -> anyhow::Result<Self> {
        let acquire = Duration::from_secs(config.db_acquire_timeout_secs.max(1));
        let (db, statements) =
            db::connect_and_migrate_with(&config.database_url, config.db_pool, acquire).await?;
        let limits = crate::limits::QueryLimits {
            max_query_bytes: config.max_query_bytes,
            max_aliases: config.max_aliases,
            max_fields: config.max_fields,
        };
        let auth = Arc::new(crate::auth::Auth::load(config, &db).await?);
        let persisted = crate::persisted::Persisted::load(
            config.trusted_documents.as_deref(),
            config.trusted_documents_only,
            config.persisted_query_cache,
        )?;
        let mut cors_origins = Vec::new();
        for origin in config
            .cors_origins
            .iter()
            .map(|o| o.trim())
            .filter(|o| !o.is_empty())
        {
            if origin == "*" || !(origin.starts_with("https://") || origin.starts_with("http://")) {
                anyhow::bail!(
                    "SINERGI_CORS_ORIGINS takes exact origins such as https://dasbor.example.go.id, not `{origin}`"
                );
            }
            cors_origins.push(HeaderValue::from_str(origin.trim_end_matches('/'))?);
        }
        let public_origin = match config.public_url.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(url) => Some(crate::console::origin::parse_public_url(url)?),
        };
        let schemas = schema::build_all(config);
        let gate = crate::services::writes::WriteGate::default();
        let bus = crate::events::Bus::new(gate.commits());
        bus.start(&config.database_url, &db).await?;
        auth.users.follow(&bus);
        crate::region_cache::RegionCache::register(&db).follow(&bus);
        let state = AppState {
            schema: schemas.open.clone(),
            db: db.clone(),
            limits,
            auth,
            gate,
            bus: bus.clone(),
            schemas,
            introspection: config.introspection,
            persisted: Arc::new(persisted),
            rate_limiter: Arc::new(crate::rate_limit::RateLimiter::new(&config.rate_limits)),
            metrics: config
                .metrics
                .then(|| Arc::new(crate::metrics::Metrics::new())),
            client_ip_header: config.client_ip_header.clone(),
            cors_origins: Arc::new(cors_origins),
            public_origin: public_origin.map(Arc::from),
            responses: Arc::new(crate::response_cache::ResponseCache::new(
                config.response_cache_mb,
                bus.clone(),
            )),
            imports: Arc::new(crate::import_door::ImportDoor::new(
                &config.import_limits,
                config.max_import_bytes,
            )),
        };
        let router = routes::router(
            state,
            crate::console::router(),
            crate::console::import_router(config.max_import_bytes),
            config.max_body_bytes,
            Duration::from_secs(config.request_timeout_secs),
            routes::security_headers::SecurityHeaders::new(
                config.hsts_max_age_secs,
                config.hsts_include_subdomains,
            ),
        );
        let listener = TcpListener::bind(&config.bind)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.bind))?;
        let addr = listener.local_addr()?;
        Ok(Self {
            listener,
            router,
            addr,
            db,
            statements,
            drain: Duration::from_secs(config.shutdown_drain_secs),
            bus,
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The connection pool (tests use it to seed and inspect data).
    pub fn db(&self) -> DatabaseConnection {
        self.db.clone()
    }

    /// This process's change feed (tests watch it).
    pub fn bus(&self) -> crate::events::Bus {
        self.bus.clone()
    }

    /// The counter of SQL statements sent through the pool.
    pub fn statements(&self) -> StatementCounter {
        self.statements.clone()
    }

    /// Serves until `shutdown` completes, then stops accepting connections and lets the requests
    /// in flight finish, for at most the drain time (`SINERGI_SHUTDOWN_DRAIN_SECS`).
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let (signalled, drain_started) = tokio::sync::oneshot::channel::<()>();
        let bus = self.bus.clone();
        let signal = async move {
            shutdown.await;
            // Subscriptions end now, or their long-lived connections would hold the drain open.
            bus.stop();
            let _ = signalled.send(());
        };
        // The peer address feeds the per-address rate limits.
        let serve = axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(signal);
        let drain = self.drain;
        let deadline = async move {
            if drain_started.await.is_ok() {
                tokio::time::sleep(drain).await;
            } else {
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            served = serve => served?,
            () = deadline => tracing::warn!(
                drain_secs = drain.as_secs(),
                "drain time over: exiting with requests still in flight"
            ),
        }
        self.bus.stop();
        self.db.close().await?;
        Ok(())
    }

    /// Serves until SIGTERM or Ctrl-C.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.run_until(shutdown_signal()).await
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
