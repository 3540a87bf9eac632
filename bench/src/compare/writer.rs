//! A steady trickle of writes beside the reads (`compare --writes-per-second`): what the hub's
//! answers kept between requests are worth when the data does change.
//!
//! Each write is what a write through the hub leaves in the database: the contribution row touched
//! and an audit row in the same transaction, whose trigger tells every hub process (NOTIFY). It goes
//! straight to PostgreSQL, so both servers run under the same database load and neither spends its
//! own CPU on it; the hub stops using every answer it kept when the notification arrives.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, TransactionTrait};
use std::time::Duration;
use tokio::task::JoinHandle;

/// Writes committed so far, and the task that makes them (aborted when dropped).
pub struct Writer {
    task: JoinHandle<anyhow::Result<()>>,
    written: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Writer {
    /// Starts writing `per_second` times a second on `url`, touching `contribution` (whose rows the
    /// servers return unchanged: only `updated_at` moves).
    pub async fn start(url: &str, per_second: f64, contribution: String) -> anyhow::Result<Self> {
        let db = sea_orm::Database::connect(url).await?;
        let written = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let count = written.clone();
        let every = Duration::from_secs_f64(1.0 / per_second);
        let task = tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                write(&db, &contribution).await?;
                count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        });
        Ok(Self { task, written })
    }

    /// Writes committed so far.
    pub fn written(&self) -> u64 {
        self.written.load(std::sync::atomic::Ordering::Relaxed)
    }
}

async fn write(db: &DatabaseConnection, contribution: &str) -> anyhow::Result<()> {
    let txn = db.begin().await?;
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "UPDATE contributions SET updated_at = now() WHERE id = $1",
        [contribution.into()],
    ))
    .await?;
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "INSERT INTO audit_log (id, at, entity, entity_id, action) VALUES ($1, now(), 'contribution', $2, 'update')",
        [uuid::Uuid::now_v7().to_string().into(), contribution.into()],
    ))
    .await?;
    txn.commit().await?;
    Ok(())
}
