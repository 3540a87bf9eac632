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

pub use crate::config::ACQUIRE_TIMEOUT_SECS;

/// Connects to `url` with the default acquire timeout (see [`connect_with`]).
pub async fn connect(
    url: &str,
    pool: u32,
) -> anyhow::Result<(DatabaseConnection, StatementCounter)> {
    connect_with(url, pool, Duration::from_secs(ACQUIRE_TIMEOUT_SECS)).await
}

/// Connects to `url`, SQLite or PostgreSQL. SQLite gets WAL (readers beside the writer), foreign keys,
/// a busy timeout, and a real pool: sea-orm would otherwise give it a single connection. `acquire`
/// bounds the wait for a connection, including opening one (a database that is down or unreachable
/// answers within it).
pub async fn connect_with(
    url: &str,
    pool: u32,
    acquire: Duration,
) -> anyhow::Result<(DatabaseConnection, StatementCounter)> {
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.max_connections(pool.max(1))
        .min_connections(1)
        .connect_timeout(acquire)
        .acquire_timeout(acquire)
        .sqlx_logging(false);
    if url.starts_with("sqlite:") {
        opts.map_sqlx_sqlite_opts(|o| {
            o.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // FULL: a commit is on disk before it is acknowledged, so an acknowledged write
                // survives a power cut, not only a crash of the process (NORMAL in WAL mode may
                // lose the last commits when the machine itself goes down).
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                // Reads dominate: memory-map the file (address space, not RAM) and give each pooled
                // connection a 32 MiB page cache instead of SQLite's 2 MiB default. On the national
                // benchmark this halves the dashboard's windowed statement (20 ms to 10 ms).
                .pragma("mmap_size", "1073741824")
                .pragma("cache_size", "-32768")
                // Deleted and overwritten content is zeroed in the file, not only unlinked from
                // the b-tree, so an erased complaint contact leaves no bytes in the database's
                // pages or free list (the WAL is emptied by `checkpoint_after_erasure`).
                .pragma("secure_delete", "on")
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
    connect_and_migrate_with(url, pool, Duration::from_secs(ACQUIRE_TIMEOUT_SECS)).await
}

/// [`connect_and_migrate`] with an acquire timeout (see [`connect_with`]).
pub async fn connect_and_migrate_with(
    url: &str,
    pool: u32,
    acquire: Duration,
) -> anyhow::Result<(DatabaseConnection, StatementCounter)> {
    let (db, counter) = connect_with(url, pool, acquire).await?;
    Migrator::up(&db, None)
        .await
        .context("cannot apply the migrations")?;
    Ok((db, counter))
}

/// How long `/ready` waits for the database before it answers 503.
pub const READY_TIMEOUT: Duration = Duration::from_secs(2);

/// True when the database answers within [`READY_TIMEOUT`] and no migration is pending (what
/// `/ready` reports).
pub async fn is_ready(db: &DatabaseConnection) -> bool {
    let check = async {
        let ping = db.execute_unprepared("SELECT 1").await.is_ok();
        ping && matches!(Migrator::get_pending_migrations(db).await, Ok(p) if p.is_empty())
    };
    tokio::time::timeout(READY_TIMEOUT, check)
        .await
        .unwrap_or(false)
}

/// After personal data was erased (a closed complaint's contact), SQLite's WAL still holds the
/// pages as they were before: a TRUNCATE checkpoint copies the zeroed pages (`secure_delete`) into
/// the database and empties the WAL file. It runs in the background after the erasing commit,
/// since it waits for readers to finish; busy, it tries again a few times. PostgreSQL keeps the old
/// row version until VACUUM: see docs/security.md.
pub fn checkpoint_after_erasure(db: &DatabaseConnection) {
    if !is_sqlite(db) {
        return;
    }
    let db = db.clone();
    tokio::spawn(async move {
        for _ in 0..20 {
            let done = db
                .query_one_raw(sea_orm::Statement::from_string(
                    DbBackend::Sqlite,
                    "PRAGMA wal_checkpoint(TRUNCATE)",
                ))
                .await
                .ok()
                .flatten()
                .and_then(|row| row.try_get_by_index::<i32>(0).ok())
                == Some(0);
            if done {
                return;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        tracing::warn!("the WAL could not be emptied after an erasure: readers kept it busy");
    });
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
