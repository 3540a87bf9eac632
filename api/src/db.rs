//! Opening the database the configuration names, and keeping it migrated.

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Counts every SQL statement the hub sends. Tests read it to prove that a request costs a fixed number
/// of statements whatever the data (and none at all when it is refused before execution).
#[derive(Clone, Default, Debug)]
pub struct StatementCounter(Arc<AtomicU64>);

impl StatementCounter {
    /// Statements sent so far.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// Connects to `url`, SQLite or PostgreSQL. SQLite gets WAL (readers beside the writer), foreign keys,
/// a busy timeout, and a real pool: sea-orm would otherwise give it a single connection.
pub async fn connect(
    url: &str,
    pool: u32,
) -> anyhow::Result<(DatabaseConnection, StatementCounter)> {
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.max_connections(pool.max(1))
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30))
        .sqlx_logging(false);
    if url.starts_with("sqlite:") {
        opts.map_sqlx_sqlite_opts(|o| {
            o.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                // Reads dominate: memory-map the file (address space, not RAM) and give each pooled
                // connection a 32 MiB page cache instead of SQLite's 2 MiB default. On the national
                // benchmark this halves the dashboard's windowed statement (20 ms to 10 ms).
                .pragma("mmap_size", "1073741824")
                .pragma("cache_size", "-32768")
        });
    } else if !url.starts_with("postgres:") && !url.starts_with("postgresql:") {
        anyhow::bail!(
            "DATABASE_URL must start with sqlite:// or postgres:// (got `{}`)",
            redact(url)
        );
    }
    let mut db = Database::connect(opts)
        .await
        .with_context(|| format!("cannot open the database at {}", redact(url)))?;
    let counter = StatementCounter::default();
    let inner = counter.0.clone();
    db.set_metric_callback(move |m| {
        inner.fetch_add(1, Ordering::SeqCst);
        crate::metrics::count_statement();
        // The statement's shape and time only: its values (which may be personal data) stay out.
        tracing::debug!(
            target: "sinergi::sql",
            elapsed_ms = m.elapsed.as_secs_f64() * 1000.0,
            failed = m.failed,
            sql = %m.statement.sql.chars().take(120).collect::<String>(),
            "sql statement"
        );
    });
    Ok((db, counter))
}

/// Connects and applies every pending migration: each subcommand calls this, so any of them works on a
/// fresh database.
pub async fn connect_and_migrate(
    url: &str,
    pool: u32,
) -> anyhow::Result<(DatabaseConnection, StatementCounter)> {
    let (db, counter) = connect(url, pool).await?;
    Migrator::up(&db, None)
        .await
        .context("cannot apply the migrations")?;
    Ok((db, counter))
}

/// True when the database answers and no migration is pending (what `/ready` reports).
pub async fn is_ready(db: &DatabaseConnection) -> bool {
    let ping = db.execute_unprepared("SELECT 1").await.is_ok();
    ping && matches!(Migrator::get_pending_migrations(db).await, Ok(p) if p.is_empty())
}

/// Whether this connection is SQLite (a few statements differ, e.g. bulk-insert batch sizes).
pub fn is_sqlite(db: &impl ConnectionTrait) -> bool {
    db.get_database_backend() == DbBackend::Sqlite
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}
