//! The audit log: one row per change, written in the change's own transaction.

use crate::services::authz::Actor;
use crate::services::new_id;
use entity::audit_log::{ActiveModel, Entity};
use sea_orm::ActiveValue::Set;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};
use serde::Serialize;

/// Records that `actor` did `action` to `entity` `id`, with the record before and after as JSON.
pub async fn record<B: Serialize, A: Serialize>(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    entity: &str,
    id: &str,
    action: &str,
    before: Option<&B>,
    after: Option<&A>,
) -> Result<(), DbErr> {
    let json = |v: Option<String>| v;
    Entity::insert(ActiveModel {
        id: Set(new_id()),
        at: Set(chrono::Utc::now()),
        actor_user_id: Set(Some(actor.id().to_string())),
        actor_organization_id: Set(actor.organization_id().map(str::to_string)),
        entity: Set(entity.to_string()),
        entity_id: Set(id.to_string()),
        action: Set(action.to_string()),
        before: Set(json(before.and_then(|b| serde_json::to_string(b).ok()))),
        after: Set(json(after.and_then(|a| serde_json::to_string(a).ok()))),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}
