//! Change notifications on PostgreSQL (issue 14): every audit row, as it commits, is announced on the
//! `sinergi_changes` channel with its entity, id and action, so every hub process on the database
//! (replicas, and the command line importing beside a server) learns of every write through
//! `LISTEN`. A trigger rather than a `NOTIFY` sent by the hub's write path because it is
//! transactional for free (PostgreSQL delivers a notification only when its transaction commits,
//! and drops it on rollback) and covers every writer, whichever process or code path made the change.
//!
//! SQLite has no such channel: there the one hub process reads new audit rows after each of its own
//! commits, and polls for rows other processes wrote (see `api/src/events/feed.rs`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

/// Payload: a small JSON object, far below PostgreSQL's 8,000-byte notification limit (ids are UUIDs,
/// entities and actions short words).
const UP: &str = r#"
CREATE OR REPLACE FUNCTION sinergi_notify_change() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('sinergi_changes',
        json_build_object('e', NEW.entity, 'i', NEW.entity_id, 'a', NEW.action)::text);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_notify AFTER INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION sinergi_notify_change();
"#;

const DOWN: &str = r#"
DROP TRIGGER IF EXISTS audit_log_notify ON audit_log;
DROP FUNCTION IF EXISTS sinergi_notify_change();
"#;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        manager.get_connection().execute_unprepared(UP).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        manager.get_connection().execute_unprepared(DOWN).await?;
        Ok(())
    }
}
