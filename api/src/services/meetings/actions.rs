//! A meeting's decisions and action items, and the owners' progress on them: how a rakor's
//! decisions are followed up.

use super::write::{DECISION_MAX, check_program, org_exists};
use crate::error::{AppError, AppResult};
use crate::services::audit::AuditEntity;
use crate::services::authz::Actor;
use crate::services::writes::{self, Change, opt_text, text};
use crate::services::{new_id, organizations};
use chrono::{NaiveDate, Utc};
use entity::enums::ActionItemStatus as ItemStatus;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};

/// A new action item.
#[derive(Debug, Clone)]
pub struct NewActionItem {
    /// What has to be done.
    pub text: String,
    /// Who has to do it.
    pub owner_id: String,
    /// By when (not before the meeting).
    pub due_on: Option<NaiveDate>,
    /// Programs it concerns.
    pub program_ids: Vec<String>,
    /// Regions it concerns.
    pub region_codes: Vec<String>,
}

/// Changes to an action item.
#[derive(Debug, Clone, Default)]
pub struct ActionItemPatch {
    /// New text.
    pub text: Option<String>,
    /// New owner.
    pub owner_id: Option<String>,
    /// New due date.
    pub due_on: Option<NaiveDate>,
}

async fn meeting_of(db: &impl ConnectionTrait, id: &str) -> AppResult<entity::meeting::Model> {
    entity::meeting::Entity::find_by_id(id.to_string())
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("no such meeting".into()))
}

/// Records a decision of a meeting, with its action items (admins; coordinators of its region).
pub async fn add_decision(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    meeting_id: &str,
    text_: &str,
    action_items: Vec<NewActionItem>,
    key: Option<&str>,
) -> AppResult<entity::decision::Model> {
    use entity::decision::{ActiveModel, Column, Entity};
    if let Some(found) = writes::replayed::<Entity>(db, actor, key, AuditEntity::Decision).await? {
        return Ok(found);
    }
    let meeting = meeting_of(db, meeting_id).await?;
    actor.require_coordinator_of(&meeting.region_code, "record this meeting's decisions")?;
    let last = Entity::find()
        .filter(Column::MeetingId.eq(meeting.id.clone()))
        .order_by_desc(Column::Position)
        .one(db)
        .await?;
    let decision = ActiveModel {
        id: Set(new_id()),
        meeting_id: Set(meeting.id.clone()),
        position: Set(last.map(|d| d.position + 1).unwrap_or(0)),
        text: Set(text("text", text_, DECISION_MAX)?),
    }
    .insert(db)
    .await?;
    crate::services::audit::record(
        db,
        actor,
        AuditEntity::Decision,
        &decision.id,
        "create",
        None::<&()>,
        Some(&decision),
    )
    .await?;
    for (i, item) in action_items.into_iter().enumerate() {
        let field = format!("actionItems.{i}");
        insert_item(db, actor, (&decision, meeting.held_on), item, &field, None).await?;
    }
    if let (Some(k), Some(user)) = (key, actor.user_id()) {
        writes::remember(db, user, k, AuditEntity::Decision, &decision.id).await?;
    }
    Ok(decision)
}

/// Adds an action item to a decision (admins; coordinators of the meeting's region).
pub async fn add_action_item(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    decision_id: &str,
    input: NewActionItem,
    key: Option<&str>,
) -> AppResult<entity::action_item::Model> {
    use entity::action_item::Entity;
    if let Some(found) = writes::replayed::<Entity>(db, actor, key, AuditEntity::ActionItem).await?
    {
        return Ok(found);
    }
    let decision = entity::decision::Entity::find_by_id(decision_id.to_string())
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("no such decision".into()))?;
    let meeting = meeting_of(db, &decision.meeting_id).await?;
    actor.require_coordinator_of(&meeting.region_code, "assign this meeting's action items")?;
    insert_item(db, actor, (&decision, meeting.held_on), input, "input", key).await
}

/// Creates one action item under a decision, with its links and its audit row.
async fn insert_item(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    (decision, held_on): (&entity::decision::Model, NaiveDate),
    input: NewActionItem,
    field: &str,
    key: Option<&str>,
) -> AppResult<entity::action_item::Model> {
    org_exists(db, &format!("{field}.ownerId"), &input.owner_id).await?;
    if input.due_on.is_some_and(|d| d < held_on) {
        return Err(AppError::bad_input(
            format!("{field}.dueOn"),
            "an action item cannot be due before its meeting",
        ));
    }
    let now = Utc::now();
    let item = entity::action_item::ActiveModel {
        id: Set(new_id()),
        decision_id: Set(decision.id.clone()),
        meeting_id: Set(decision.meeting_id.clone()),
        text: Set(text(&format!("{field}.text"), &input.text, DECISION_MAX)?),
        owner_id: Set(input.owner_id),
        due_on: Set(input.due_on),
        status: Set(ItemStatus::Open),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    for (i, p) in input.program_ids.iter().enumerate() {
        check_program(db, &format!("{field}.programIds.{i}"), p).await?;
        entity::action_item_program::ActiveModel {
            action_item_id: Set(item.id.clone()),
            program_id: Set(p.clone()),
        }
        .insert(db)
        .await?;
    }
    for (i, r) in input.region_codes.iter().enumerate() {
        let code = organizations::region_exists(db, &format!("{field}.regionCodes.{i}"), r).await?;
        entity::action_item_region::ActiveModel {
            action_item_id: Set(item.id.clone()),
            region_code: Set(code),
        }
        .insert(db)
        .await?;
    }
    writes::created(db, actor, key, (AuditEntity::ActionItem, &item.id), &item).await?;
    Ok(item)
}

/// Who may change an action item: coordinators of its meeting's region may do anything; the owner
/// organization may report progress when `owner_may`.
async fn item_rights(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    id: &str,
    owner_may: bool,
) -> AppResult<entity::meeting::Model> {
    let item = entity::action_item::Entity::find_by_id(id.to_string())
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("no such action item".into()))?;
    let meeting = meeting_of(db, &item.meeting_id).await?;
    let owner = owner_may && actor.organization_id() == Some(item.owner_id.as_str());
    if !owner {
        actor.require_coordinator_of(&meeting.region_code, "manage this meeting's action items")?;
    }
    Ok(meeting)
}

/// Re-assigns an action item or moves its due date (coordinators of the meeting's region).
pub async fn update_action_item(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    (id, version): (&str, i32),
    patch: ActionItemPatch,
) -> AppResult<entity::action_item::Model> {
    let meeting = item_rights(db, actor, id, false).await?;
    let change = Change::new(id, version, "update");
    writes::update(
        db,
        actor,
        change,
        |_| Ok(()),
        async |before: &entity::action_item::Model| {
            let mut am = before.clone().into_active_model();
            if let Some(t) = &patch.text {
                am.text = Set(text("input.text", t, DECISION_MAX)?);
            }
            if let Some(o) = patch.owner_id {
                org_exists(db, "input.ownerId", &o).await?;
                am.owner_id = Set(o);
            }
            if let Some(d) = patch.due_on {
                if d < meeting.held_on {
                    return Err(AppError::bad_input(
                        "input.dueOn",
                        "an action item cannot be due before its meeting",
                    ));
                }
                am.due_on = Set(Some(d));
            }
            Ok(am)
        },
    )
    .await
}

/// Reports progress on an action item: a note, a new status, or both (coordinators of the meeting's
/// region, and the owner organization).
pub async fn progress(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    (id, version): (&str, i32),
    status: Option<ItemStatus>,
    note: Option<&str>,
) -> AppResult<entity::action_item::Model> {
    let note = opt_text("note", note, DECISION_MAX)?;
    item_rights(db, actor, id, true).await?;
    let action = if status.is_some() {
        "status"
    } else {
        "progress"
    };
    let change = Change::new(id, version, action);
    writes::update(
        db,
        actor,
        change,
        |_| Ok(()),
        async |before: &entity::action_item::Model| {
            let mut am = before.clone().into_active_model();
            if let Some(s) = status {
                am.status = Set(s);
            }
            if let Some(n) = note {
                let by = actor
                    .organization_id()
                    .map(str::to_string)
                    .unwrap_or_else(|| before.owner_id.clone());
                entity::action_item_update::ActiveModel {
                    id: Set(new_id()),
                    action_item_id: Set(before.id.clone()),
                    at: Set(Utc::now()),
                    by_organization_id: Set(by),
                    by_user_id: Set(actor.user_id().map(str::to_string)),
                    note: Set(n),
                    status: Set(status),
                }
                .insert(db)
                .await?;
            }
            Ok(am)
        },
    )
    .await
}
