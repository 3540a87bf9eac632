//! Prometheus metrics (`GET /metrics`) and the per-request statistics behind them.
//!
//! Each request runs inside a task-local [`RequestStats`]: the SQL statement callback counts into it
//! (DataLoader batches run in spawned tasks, which `loaders::for_request` re-enters into the same
//! scope), and the GraphQL handler records the operation name and outcome code there. Label values
//! are bounded: operation names are cut to a safe alphabet and the first [`MAX_OPERATIONS`] distinct
//! names; later ones are counted as `other`, so a client cannot grow the metrics without bound.

use prometheus::{
    Encoder, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGaugeVec, Opts,
    Registry, TextEncoder,
};
use sea_orm::{DatabaseConnection, DbBackend};
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Most distinct operation names kept as label values.
pub const MAX_OPERATIONS: usize = 200;

tokio::task_local! {
    static REQUEST: Arc<RequestStats>;
}

/// What one request did, filled in while it runs.
#[derive(Default, Debug)]
pub struct RequestStats {
    statements: AtomicU64,
    operation: Mutex<Option<String>>,
    outcome: Mutex<Option<&'static str>>,
}

impl RequestStats {
    /// SQL statements sent so far.
    pub fn statements(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }
}

/// The statistics of the request this task serves, if any.
pub fn current() -> Option<Arc<RequestStats>> {
    REQUEST.try_with(Arc::clone).ok()
}

/// Runs `fut` as part of the request `stats` belongs to.
pub async fn scope<F: std::future::Future>(stats: Arc<RequestStats>, fut: F) -> F::Output {
    REQUEST.scope(stats, fut).await
}

/// Counts one SQL statement against the current request.
pub fn count_statement() {
    let _ = REQUEST.try_with(|r| r.statements.fetch_add(1, Ordering::Relaxed));
}

/// Records the GraphQL operation name of the current request.
pub fn set_operation(name: &str) {
    let _ = REQUEST.try_with(|r| {
        *r.operation.lock().unwrap_or_else(|e| e.into_inner()) = Some(name.to_string())
    });
}

/// Records the outcome code of the current request (`OK` or an error code).
pub fn set_outcome(code: &'static str) {
    let _ = REQUEST.try_with(|r| *r.outcome.lock().unwrap_or_else(|e| e.into_inner()) = Some(code));
}

/// The hub's metrics.
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    statements: Histogram,
    pool: IntGaugeVec,
    panics: IntCounter,
    rate_limited: IntCounterVec,
    response_cache: IntCounterVec,
    operations: Mutex<HashSet<String>>,
}

impl Metrics {
    /// Registers every metric.
    pub fn new() -> Self {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "sinergi_requests_total",
                "Requests by operation and outcome code",
            ),
            &["operation", "outcome"],
        )
        .expect("valid metric");
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "sinergi_request_duration_seconds",
                "Time from request to response, by operation",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
            ]),
            &["operation"],
        )
        .expect("valid metric");
        let statements = Histogram::with_opts(
            HistogramOpts::new(
                "sinergi_sql_statements_per_request",
                "SQL statements one request sent",
            )
            .buckets(vec![
                0.0, 1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 21.0, 50.0, 100.0, 1000.0,
            ]),
        )
        .expect("valid metric");
        let pool = IntGaugeVec::new(
            Opts::new(
                "sinergi_db_pool_connections",
                "Pooled database connections by state",
            ),
            &["state"],
        )
        .expect("valid metric");
        let panics = IntCounter::new(
            "sinergi_panics_total",
            "Requests that panicked (answered 500 INTERNAL)",
        )
        .expect("valid metric");
        let rate_limited = IntCounterVec::new(
            Opts::new(
                "sinergi_rate_limited_total",
                "Requests and sign-in attempts refused by a rate limit, by bucket",
            ),
            &["scope"],
        )
        .expect("valid metric");
        let response_cache = IntCounterVec::new(
            Opts::new(
                "sinergi_response_cache_total",
                "Queries answered from the response cache (hit) or run and kept (miss)",
            ),
            &["result"],
        )
        .expect("valid metric");
        for c in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(response_cache.clone()),
            Box::new(latency.clone()),
            Box::new(statements.clone()),
            Box::new(pool.clone()),
            Box::new(panics.clone()),
            Box::new(rate_limited.clone()),
        ] {
            registry.register(c).expect("unique metric names");
        }
        Self {
            registry,
            requests,
            latency,
            statements,
            pool,
            panics,
            rate_limited,
            response_cache,
            operations: Mutex::new(HashSet::new()),
        }
    }

    /// Counts a query answered from the response cache (`hit`) or run and kept (`miss`).
    pub fn response_cache(&self, result: &str) {
        self.response_cache.with_label_values(&[result]).inc();
    }

    /// The label for an operation name: a safe alphabet, and `other` past the first names seen.
    fn operation_label(&self, name: &str) -> String {
        let clean: String = name
            .chars()
            .filter(|c| {
                c.is_ascii_alphanumeric() || *c == '_' || *c == '/' || *c == '.' || *c == '-'
            })
            .take(64)
            .collect();
        if clean.is_empty() {
            return "anonymous".into();
        }
        let mut seen = self.operations.lock().unwrap_or_else(|e| e.into_inner());
        if seen.contains(&clean) {
            return clean;
        }
        if seen.len() < MAX_OPERATIONS {
            seen.insert(clean.clone());
            return clean;
        }
        "other".into()
    }

    /// Records a finished request.
    pub fn observe(&self, stats: &RequestStats, route: &str, status: u16, seconds: f64) {
        let operation = stats
            .operation
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let label = match operation {
            Some(op) => self.operation_label(&op),
            None => route.to_string(),
        };
        let outcome = stats
            .outcome
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .unwrap_or_else(|| outcome_of_status(status));
        self.requests
            .with_label_values(&[label.as_str(), outcome])
            .inc();
        self.latency
            .with_label_values(&[label.as_str()])
            .observe(seconds);
        self.statements.observe(stats.statements() as f64);
    }

    /// Counts a panic.
    pub fn panicked(&self) {
        self.panics.inc();
    }

    /// Counts a refusal by a rate limit, under its bucket's label (`rate_limit::Scope::label`).
    pub fn rate_limited(&self, scope: &str) {
        self.rate_limited.with_label_values(&[scope]).inc();
    }

    /// The text exposition, with the pool gauges read now.
    pub fn render(&self, db: &DatabaseConnection) -> String {
        let (size, idle) = match db.get_database_backend() {
            DbBackend::Sqlite => {
                let p = db.get_sqlite_connection_pool();
                (p.size(), p.num_idle())
            }
            _ => {
                let p = db.get_postgres_connection_pool();
                (p.size(), p.num_idle())
            }
        };
        let idle = idle as i64;
        self.pool.with_label_values(&["idle"]).set(idle);
        self.pool
            .with_label_values(&["in_use"])
            .set((size as i64 - idle).max(0));
        let mut out = Vec::new();
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut out);
        String::from_utf8(out).unwrap_or_default()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

/// The outcome code of a response that did not say otherwise, from its status.
fn outcome_of_status(status: u16) -> &'static str {
    match status {
        200..=399 => "OK",
        _ => crate::error::Code::of_status(status).as_str(),
    }
}
