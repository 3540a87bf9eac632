use super::{actor, begin};
use crate::error::{AppError, AppResult, GqlResult};
use crate::region_code::parse_code;
use crate::schema::enums::{ActionItemStatus, MeetingLevel};
use crate::schema::scalars::Date;
use crate::schema::types::meeting::{ActionItem, Decision, Meeting};
use crate::services::authz::Actor;
use crate::services::writes::{
    check_client_key, check_version, finish_create, lock_version, opt_text, remember, replayed,
    save_update, text,
};
use crate::services::{audit, new_id};
use async_graphql::{Context, ID, InputObject, Object};
use chrono::{NaiveDate, Utc};
use entity::enums::ActionItemStatus as ItemStatus;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};

#[derive(Default)]
pub struct MeetingMutation;

/// An organization at a meeting.
#[derive(InputObject, Clone)]
pub struct ParticipantInput {
    /// The organization.
    organization_id: ID,
    /// Who came for it.
    representative: Option<String>,
    /// Their role at the meeting.
    role: Option<String>,
}

/// A new meeting.
#[derive(InputObject)]
pub struct MeetingInput {
    /// Title.
    title: String,
    /// Level.
    level: MeetingLevel,
    /// Region it is held for.
    region_code: String,
    /// Date held.
    held_on: Date,
    /// Host organization.
    host_id: ID,
    /// Where.
    location: Option<String>,
    /// Agenda lines, in order.
    #[graphql(default)]
    agenda: Vec<String>,
    /// Minutes.
    minutes: Option<String>,
    /// Who took part.
    #[graphql(default)]
    participants: Vec<ParticipantInput>,
    /// Programs it concerned.
    #[graphql(default)]
    program_ids: Vec<ID>,
    /// Regions it concerned.
    #[graphql(default)]
    region_codes: Vec<String>,
}

/// Changes to a meeting; absent fields stay, given lists replace the old ones.
#[derive(InputObject, Default)]
pub struct MeetingPatch {
    /// New title.
    title: Option<String>,
    /// New date.
    held_on: Option<Date>,
    /// New location.
    location: Option<String>,
    /// New agenda.
    agenda: Option<Vec<String>>,
    /// New minutes.
    minutes: Option<String>,
    /// New participants.
    participants: Option<Vec<ParticipantInput>>,
}

/// A new action item.
#[derive(InputObject, Clone)]
pub struct ActionItemInput {
    /// What has to be done.
    text: String,
    /// Who has to do it.
    owner_id: ID,
    /// By when (not before the meeting).
    due_on: Option<Date>,
    /// Programs it concerns.
    #[graphql(default)]
    program_ids: Vec<ID>,
    /// Regions it concerns.
    #[graphql(default)]
    region_codes: Vec<String>,
}

/// Changes to an action item (assigning it to another owner, moving its due date).
#[derive(InputObject, Default)]
pub struct ActionItemPatch {
    /// New text.
    text: Option<String>,
    /// New owner.
    owner_id: Option<ID>,
    /// New due date.
    due_on: Option<Date>,
}

async fn org_exists(db: &impl ConnectionTrait, field: &str, id: &str) -> AppResult<()> {
    entity::organization::Entity::find_by_id(id.to_string())
        .one(db)
        .await?
        .map(|_| ())
        .ok_or_else(|| AppError::bad_input(field, "no such organization"))
}

async fn write_agenda(
    db: &impl ConnectionTrait,
    meeting: &str,
    agenda: Vec<String>,
) -> AppResult<()> {
    use entity::meeting_agenda_item as a;
    a::Entity::delete_many()
        .filter(a::Column::MeetingId.eq(meeting))
        .exec(db)
        .await?;
    if agenda.len() > 100 {
        return Err(AppError::bad_input("input.agenda", "at most 100 lines"));
    }
    for (i, line) in agenda.iter().enumerate() {
        a::ActiveModel {
            meeting_id: Set(meeting.into()),
            position: Set(i as i32),
            text: Set(text(&format!("input.agenda.{i}"), line, 1000)?),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

async fn write_participants(
    db: &impl ConnectionTrait,
    meeting: &str,
    list: Vec<ParticipantInput>,
) -> AppResult<()> {
    use entity::meeting_participant as p;
    p::Entity::delete_many()
        .filter(p::Column::MeetingId.eq(meeting))
        .exec(db)
        .await?;
    for (i, x) in list.into_iter().enumerate() {
        org_exists(
            db,
            &format!("input.participants.{i}.organizationId"),
            &x.organization_id,
        )
        .await?;
        p::ActiveModel {
            id: Set(new_id()),
            meeting_id: Set(meeting.into()),
            organization_id: Set(x.organization_id.0),
            representative: Set(opt_text(
                &format!("input.participants.{i}.representative"),
                x.representative.as_deref(),
                200,
            )?),
            role: Set(opt_text(
                &format!("input.participants.{i}.role"),
                x.role.as_deref(),
                100,
            )?),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Writes links from a meeting or action item to programs and regions.
async fn check_program(db: &impl ConnectionTrait, field: &str, id: &str) -> AppResult<()> {
    entity::program::Entity::find_by_id(id.to_string())
        .one(db)
        .await?
        .map(|_| ())
        .ok_or_else(|| AppError::bad_input(field, "no such program"))
}

async fn check_region(db: &impl ConnectionTrait, field: &str, code: &str) -> AppResult<String> {
    let code = parse_code(field, code)?;
    entity::region::Entity::find_by_id(code.to_string())
        .one(db)
        .await?
        .map(|r| r.code)
        .ok_or_else(|| AppError::bad_input(field, format!("no region {code} in the hub")))
}

/// Creates one action item under a decision, with its links.
async fn insert_item(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    decision: &entity::decision::Model,
    held_on: NaiveDate,
    input: ActionItemInput,
    field: &str,
) -> AppResult<entity::action_item::Model> {
    org_exists(db, &format!("{field}.ownerId"), &input.owner_id).await?;
    if let Some(d) = input.due_on
        && d.0 < held_on
    {
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
        text: Set(text(&format!("{field}.text"), &input.text, 2000)?),
        owner_id: Set(input.owner_id.0),
        due_on: Set(input.due_on.map(|d| d.0)),
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
            program_id: Set(p.0.clone()),
        }
        .insert(db)
        .await?;
    }
    for (i, r) in input.region_codes.iter().enumerate() {
        let code = check_region(db, &format!("{field}.regionCodes.{i}"), r).await?;
        entity::action_item_region::ActiveModel {
            action_item_id: Set(item.id.clone()),
            region_code: Set(code),
        }
        .insert(db)
        .await?;
    }
    audit::record(
        db,
        actor,
        "action_item",
        &item.id,
        "create",
        None::<&()>,
        Some(&item),
    )
    .await?;
    Ok(item)
}

async fn meeting_of(db: &impl ConnectionTrait, id: &str) -> AppResult<entity::meeting::Model> {
    entity::meeting::Entity::find_by_id(id.to_string())
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("no such meeting".into()))
}

/// Loads an action item for a change: coordinators of its meeting's region may do anything, the owner
/// organization may report progress (`owner_may`).
async fn item_for_change(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    id: &str,
    version: i32,
    owner_may: bool,
) -> AppResult<(entity::action_item::Model, entity::meeting::Model)> {
    let found = entity::action_item::Entity::find_by_id(id.to_string())
        .one(db)
        .await?;
    let item = found.ok_or_else(|| AppError::NotFound("no such action item".into()))?;
    let meeting = meeting_of(db, &item.meeting_id).await?;
    let owner = owner_may && actor.organization_id() == Some(item.owner_id.as_str());
    if !owner {
        actor.require_coordinator_of(&meeting.region_code, "manage this meeting's action items")?;
    }
    let item = check_version(Some(item), version, "action item", |i| i.version)?;
    lock_version::<entity::action_item::Entity>(db, &item.id, version).await?;
    Ok((item, meeting))
}

async fn save_item(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    before: &entity::action_item::Model,
    am: entity::action_item::ActiveModel,
    action: &str,
) -> AppResult<entity::action_item::Model> {
    save_update(db, actor, (&before.id, before.version), before, am, action).await
}

#[Object]
impl MeetingMutation {
    /// Records a coordination meeting (admins; coordinators of its region).
    async fn create_meeting(
        &self,
        ctx: &Context<'_>,
        input: MeetingInput,
        client_key: Option<String>,
    ) -> GqlResult<Meeting> {
        use entity::meeting::{ActiveModel, Entity};
        let actor = actor(ctx)?;
        let key = check_client_key(&client_key)?;
        let w = begin(ctx).await?;
        if let Some(found) = replayed::<Entity>(&w.txn, actor.id(), key, "meeting").await? {
            return Ok(Meeting(found));
        }
        let region = check_region(&w.txn, "input.regionCode", &input.region_code).await?;
        actor.require_coordinator_of(&region, "record meetings here")?;
        org_exists(&w.txn, "input.hostId", &input.host_id).await?;
        let now = Utc::now();
        let model = ActiveModel {
            id: Set(new_id()),
            title: Set(text("input.title", &input.title, 300)?),
            level: Set(input.level.into()),
            region_code: Set(region),
            held_on: Set(input.held_on.0),
            host_id: Set(input.host_id.0),
            location: Set(opt_text("input.location", input.location.as_deref(), 300)?),
            minutes: Set(opt_text(
                "input.minutes",
                input.minutes.as_deref(),
                100_000,
            )?),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&w.txn)
        .await
        .map_err(AppError::from)?;
        write_agenda(&w.txn, &model.id, input.agenda).await?;
        write_participants(&w.txn, &model.id, input.participants).await?;
        for (i, p) in input.program_ids.iter().enumerate() {
            check_program(&w.txn, &format!("input.programIds.{i}"), p).await?;
            entity::meeting_program::ActiveModel {
                meeting_id: Set(model.id.clone()),
                program_id: Set(p.0.clone()),
            }
            .insert(&w.txn)
            .await
            .map_err(AppError::from)?;
        }
        for (i, r) in input.region_codes.iter().enumerate() {
            let code = check_region(&w.txn, &format!("input.regionCodes.{i}"), r).await?;
            entity::meeting_region::ActiveModel {
                meeting_id: Set(model.id.clone()),
                region_code: Set(code),
            }
            .insert(&w.txn)
            .await
            .map_err(AppError::from)?;
        }
        finish_create(w, &actor, key, "meeting", &model.id, &model).await?;
        Ok(Meeting(model))
    }

    /// Changes a meeting's record: title, date, agenda, minutes, participants.
    async fn update_meeting(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        input: MeetingPatch,
    ) -> GqlResult<Meeting> {
        let actor = actor(ctx)?;
        let w = begin(ctx).await?;
        let found = entity::meeting::Entity::find_by_id(id.0.clone())
            .one(&w.txn)
            .await
            .map_err(AppError::from)?;
        if let Some(m) = &found {
            actor.require_coordinator_of(&m.region_code, "change this meeting")?;
        }
        let before = check_version(found, version, "meeting", |m| m.version)?;
        lock_version::<entity::meeting::Entity>(&w.txn, &before.id, version).await?;
        let mut am = before.clone().into_active_model();
        if let Some(t) = &input.title {
            am.title = Set(text("input.title", t, 300)?);
        }
        if let Some(d) = input.held_on {
            am.held_on = Set(d.0);
        }
        if input.location.is_some() {
            am.location = Set(opt_text("input.location", input.location.as_deref(), 300)?);
        }
        if input.minutes.is_some() {
            am.minutes = Set(opt_text(
                "input.minutes",
                input.minutes.as_deref(),
                100_000,
            )?);
        }
        if let Some(a) = input.agenda {
            write_agenda(&w.txn, &before.id, a).await?;
        }
        if let Some(p) = input.participants {
            write_participants(&w.txn, &before.id, p).await?;
        }
        let after = save_update(
            &w.txn,
            &actor,
            (&before.id, before.version),
            &before,
            am,
            "update",
        )
        .await?;
        w.commit().await?;
        Ok(Meeting(after))
    }

    /// Records a decision of a meeting, with its action items.
    async fn add_decision(
        &self,
        ctx: &Context<'_>,
        meeting_id: ID,
        #[graphql(name = "text", desc = "What was decided.")] text_: String,
        #[graphql(default)] action_items: Vec<ActionItemInput>,
        client_key: Option<String>,
    ) -> GqlResult<Decision> {
        let actor = actor(ctx)?;
        let key = check_client_key(&client_key)?;
        let w = begin(ctx).await?;
        if let Some(found) =
            replayed::<entity::decision::Entity>(&w.txn, actor.id(), key, "decision").await?
        {
            return Ok(Decision(found));
        }
        let meeting = meeting_of(&w.txn, &meeting_id).await?;
        actor.require_coordinator_of(&meeting.region_code, "record this meeting's decisions")?;
        let last = entity::decision::Entity::find()
            .filter(entity::decision::Column::MeetingId.eq(meeting.id.clone()))
            .order_by_desc(entity::decision::Column::Position)
            .one(&w.txn)
            .await
            .map_err(AppError::from)?;
        let decision = entity::decision::ActiveModel {
            id: Set(new_id()),
            meeting_id: Set(meeting.id.clone()),
            position: Set(last.map(|d| d.position + 1).unwrap_or(0)),
            text: Set(text("text", &text_, 2000)?),
        }
        .insert(&w.txn)
        .await
        .map_err(AppError::from)?;
        audit::record(
            &w.txn,
            &actor,
            "decision",
            &decision.id,
            "create",
            None::<&()>,
            Some(&decision),
        )
        .await
        .map_err(AppError::from)?;
        for (i, item) in action_items.into_iter().enumerate() {
            insert_item(
                &w.txn,
                &actor,
                &decision,
                meeting.held_on,
                item,
                &format!("actionItems.{i}"),
            )
            .await?;
        }
        if let Some(k) = key {
            remember(&w.txn, actor.id(), k, "decision", &decision.id).await?;
        }
        w.commit().await?;
        Ok(Decision(decision))
    }

    /// Adds an action item to a decision.
    async fn add_action_item(
        &self,
        ctx: &Context<'_>,
        decision_id: ID,
        input: ActionItemInput,
        client_key: Option<String>,
    ) -> GqlResult<ActionItem> {
        let actor = actor(ctx)?;
        let key = check_client_key(&client_key)?;
        let w = begin(ctx).await?;
        if let Some(found) =
            replayed::<entity::action_item::Entity>(&w.txn, actor.id(), key, "action_item").await?
        {
            return Ok(ActionItem(found));
        }
        let decision = entity::decision::Entity::find_by_id(decision_id.0.clone())
            .one(&w.txn)
            .await
            .map_err(AppError::from)?
            .ok_or_else(|| AppError::NotFound("no such decision".into()))?;
        let meeting = meeting_of(&w.txn, &decision.meeting_id).await?;
        actor.require_coordinator_of(&meeting.region_code, "assign this meeting's action items")?;
        let item = insert_item(&w.txn, &actor, &decision, meeting.held_on, input, "input").await?;
        if let Some(k) = key {
            remember(&w.txn, actor.id(), k, "action_item", &item.id).await?;
        }
        w.commit().await?;
        Ok(ActionItem(item))
    }

    /// Re-assigns an action item or moves its due date (coordinators of the meeting's region).
    async fn update_action_item(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        input: ActionItemPatch,
    ) -> GqlResult<ActionItem> {
        let actor = actor(ctx)?;
        let w = begin(ctx).await?;
        let (before, meeting) = item_for_change(&w.txn, &actor, &id, version, false).await?;
        let mut am = before.clone().into_active_model();
        if let Some(t) = &input.text {
            am.text = Set(text("input.text", t, 2000)?);
        }
        if let Some(o) = &input.owner_id {
            org_exists(&w.txn, "input.ownerId", o).await?;
            am.owner_id = Set(o.0.clone());
        }
        if let Some(d) = input.due_on {
            if d.0 < meeting.held_on {
                return Err(AppError::bad_input(
                    "input.dueOn",
                    "an action item cannot be due before its meeting",
                )
                .into());
            }
            am.due_on = Set(Some(d.0));
        }
        let after = save_item(&w.txn, &actor, &before, am, "update").await?;
        w.commit().await?;
        Ok(ActionItem(after))
    }

    /// Changes an action item's status, with an optional note (coordinators of the meeting's region,
    /// and the owner organization).
    async fn set_action_item_status(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        status: ActionItemStatus,
        note: Option<String>,
    ) -> GqlResult<ActionItem> {
        progress(ctx, id, version, Some(status.into()), note).await
    }

    /// Adds a progress note to an action item, optionally changing its status (coordinators of the
    /// meeting's region, and the owner organization).
    async fn add_action_item_progress(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        note: String,
        status: Option<ActionItemStatus>,
    ) -> GqlResult<ActionItem> {
        progress(ctx, id, version, status.map(Into::into), Some(note)).await
    }
}

async fn progress(
    ctx: &Context<'_>,
    id: ID,
    version: i32,
    status: Option<ItemStatus>,
    note: Option<String>,
) -> GqlResult<ActionItem> {
    let actor = actor(ctx)?;
    let note = opt_text("note", note.as_deref(), 2000)?;
    let w = begin(ctx).await?;
    let (before, _) = item_for_change(&w.txn, &actor, &id, version, true).await?;
    let mut am = before.clone().into_active_model();
    if let Some(s) = status {
        am.status = Set(s);
    }
    if let Some(n) = &note {
        let by = actor
            .organization_id()
            .map(str::to_string)
            .unwrap_or_else(|| before.owner_id.clone());
        entity::action_item_update::ActiveModel {
            id: Set(new_id()),
            action_item_id: Set(before.id.clone()),
            at: Set(Utc::now()),
            by_organization_id: Set(by),
            by_user_id: Set(Some(actor.id().to_string())),
            note: Set(n.clone()),
            status: Set(status),
        }
        .insert(&w.txn)
        .await
        .map_err(AppError::from)?;
    }
    let after = save_item(
        &w.txn,
        &actor,
        &before,
        am,
        if status.is_some() {
            "status"
        } else {
            "progress"
        },
    )
    .await?;
    w.commit().await?;
    Ok(ActionItem(after))
}
