//! The audit log: one row per change, written in the change's own transaction, by this one module
//! for every writer (mutations, the console, imports, the command line, the demo load).

use crate::services::authz::Actor;
use crate::services::new_id;
use entity::audit_log::{ActiveModel, Entity};
use sea_orm::ActiveValue::Set;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};
use serde::Serialize;

/// Rows per multi-row INSERT: well under SQLite's 32,766 bound parameters (9 columns a row).
const CHUNK: usize = 500;

/// The audit row saying that `actor` did `action` to `entity` `id`, with the record before and after
/// as JSON. The system (command line) is recorded with no user.
pub fn row<B: Serialize, A: Serialize>(
    actor: &Actor<'_>,
    entity: &str,
    id: &str,
    action: &str,
    before: Option<&B>,
    after: Option<&A>,
) -> ActiveModel {
    ActiveModel {
        id: Set(new_id()),
        at: Set(chrono::Utc::now()),
        actor_user_id: Set(actor.user_id().map(str::to_string)),
        actor_organization_id: Set(actor.organization_id().map(str::to_string)),
        entity: Set(entity.to_string()),
        entity_id: Set(id.to_string()),
        action: Set(action.to_string()),
        before: Set(before.and_then(|b| serde_json::to_string(b).ok())),
        after: Set(after.and_then(|a| serde_json::to_string(a).ok())),
    }
}

/// Records one change (see [`row`]).
pub async fn record<B: Serialize, A: Serialize>(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    entity: &str,
    id: &str,
    action: &str,
    before: Option<&B>,
    after: Option<&A>,
) -> Result<(), DbErr> {
    Entity::insert(row(actor, entity, id, action, before, after))
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Records many changes at once (an import), in multi-row inserts.
pub async fn record_many(db: &impl ConnectionTrait, rows: Vec<ActiveModel>) -> Result<(), DbErr> {
    for chunk in rows.chunks(CHUNK) {
        Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}
