//! Where changes come from: PostgreSQL's `LISTEN sinergi_changes`, or SQLite's audit log read
//! after each commit.
//!
//! The feed reads through a connection of its own, outside the request pool: it never takes a
//! request's connection, and its statements are not counted as a request's.

use super::{Bus, Change, Signal};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use std::time::Duration;
use tokio::sync::mpsc::Sender;

/// The PostgreSQL channel the audit trigger notifies (migration 000024).
pub const CHANNEL: &str = "sinergi_changes";

/// Changes in one burst beyond which subscribers are told to reload rather than sent each one: an
/// import of thousands of rows is better shown by reloading than as thousands of events.
pub const MAX_BURST: usize = 500;

/// How often SQLite's feed looks for rows written by other processes (the command line).
const POLL: Duration = Duration::from_secs(1);

/// How long to wait before reconnecting a lost PostgreSQL listener.
const RECONNECT: Duration = Duration::from_secs(1);

/// Starts the feed for the database at `url`; returns once it is listening.
pub(super) async fn start(
    url: &str,
    app: &DatabaseConnection,
    bus: Bus,
    tx: Sender<Signal>,
) -> anyhow::Result<DatabaseConnection> {
    // An in-memory SQLite database exists only in the pool that opened it.
    let own = if url.contains(":memory:") || url.contains("mode=memory") {
        app.clone()
    } else {
        crate::db::connect(url, 2).await?.0
    };
    if crate::db::is_sqlite(&own) {
        let last = last_rowid(&own).await?;
        bus.set_live(true);
        tokio::spawn(sqlite(own.clone(), bus, tx, last));
    } else {
        let listener = listen(&own).await?;
        bus.set_live(true);
        tokio::spawn(postgres(own.clone(), listener, bus, tx));
    }
    Ok(own)
}

async fn listen(db: &DatabaseConnection) -> Result<sqlx::postgres::PgListener, sqlx::Error> {
    let mut listener =
        sqlx::postgres::PgListener::connect_with(db.get_postgres_connection_pool()).await?;
    // Say at once that the connection was lost, rather than after sqlx has tried to open another
    // (which, with the database unreachable, takes the pool's whole acquire timeout): until this
    // feed says so, the caches keep trusting what they hold.
    listener.eager_reconnect(false);
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

async fn postgres(
    db: DatabaseConnection,
    mut listener: sqlx::postgres::PgListener,
    bus: Bus,
    tx: Sender<Signal>,
) {
    loop {
        let first = tokio::select! {
            got = listener.try_recv() => got,
            () = bus.stopped() => return,
        };
        match first {
            Ok(Some(first)) => {
                let mut burst = vec![first];
                while burst.len() <= MAX_BURST {
                    match listener.next_buffered() {
                        Some(n) => burst.push(n),
                        None => break,
                    }
                }
                let signal = if burst.len() > MAX_BURST {
                    // The rest of the burst is drained by the next rounds, and reported as reloads too
                    // only if it is itself large: a subscriber reloads once per large burst.
                    Signal::Reload
                } else {
                    Signal::Changes(
                        burst
                            .iter()
                            .filter_map(|n| serde_json::from_str(n.payload()).ok())
                            .collect(),
                    )
                };
                // Cached answers stop being used as soon as the change is known, not when the
                // subscribers have been served.
                bus.changed();
                if tx.send(signal).await.is_err() {
                    return;
                }
            }
            // The connection dropped: anything committed until we listen again is lost to us.
            Ok(None) | Err(_) => {
                bus.set_live(false);
                tracing::warn!("change listener lost its connection: reconnecting");
                drop(listener);
                listener = loop {
                    tokio::select! {
                        () = tokio::time::sleep(RECONNECT) => {},
                        () = bus.stopped() => return,
                    }
                    match listen(&db).await {
                        Ok(l) => break l,
                        Err(e) => {
                            tracing::warn!(error = %e, "change listener cannot reconnect yet")
                        }
                    }
                };
                // Listening again: whatever happened in the gap is covered by a reload.
                if tx.send(Signal::Reload).await.is_err() {
                    return;
                }
                bus.set_live(true);
            }
        }
    }
}

async fn last_rowid(db: &DatabaseConnection) -> Result<i64, sea_orm::DbErr> {
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT COALESCE(MAX(rowid), 0) AS last FROM audit_log",
        ))
        .await?;
    Ok(match row {
        Some(r) => r.try_get("", "last")?,
        None => 0,
    })
}

/// SQLite has one writer at a time, so audit rows get increasing rowids in commit order: reading
/// those above the last one seen misses nothing.
async fn sqlite(db: DatabaseConnection, bus: Bus, tx: Sender<Signal>, mut last: i64) {
    loop {
        tokio::select! {
            () = bus.written().notified() => {},
            () = tokio::time::sleep(POLL) => {},
            () = bus.stopped() => return,
        }
        let rows = db
            .query_all_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                "SELECT rowid AS seq, entity, entity_id, action FROM audit_log \
                 WHERE rowid > ? ORDER BY rowid LIMIT ?",
                [last.into(), (MAX_BURST as i64 + 1).into()],
            ))
            .await;
        let rows = match rows {
            Ok(rows) => rows,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read new audit rows");
                continue;
            }
        };
        let Some(end) = rows.last() else { continue };
        if let Ok(seq) = end.try_get::<i64>("", "seq") {
            last = seq;
        }
        let signal = if rows.len() > MAX_BURST {
            match last_rowid(&db).await {
                Ok(seq) => last = seq,
                Err(e) => tracing::warn!(error = %e, "cannot read the last audit row"),
            }
            Signal::Reload
        } else {
            Signal::Changes(
                rows.iter()
                    .filter_map(|r| {
                        Some(Change {
                            entity: r.try_get("", "entity").ok()?,
                            id: r.try_get("", "entity_id").ok()?,
                            action: r.try_get("", "action").ok()?,
                        })
                    })
                    .collect(),
            )
        };
        bus.changed();
        if tx.send(signal).await.is_err() {
            return;
        }
    }
}
