//! Every write of a coordination meeting, its decisions and its action items. The GraphQL mutations
//! (and through them the console) call these. Errors name the public API's input fields.

use crate::error::{AppError, AppResult};
use crate::services::audit::AuditEntity;
use crate::services::authz::Actor;
use crate::services::writes::{self, Change, opt_text, text};
use crate::services::{new_id, organizations};
use chrono::{NaiveDate, Utc};
use entity::enums::MeetingLevel;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
};

/// Longest meeting title and location, in characters.
pub const TITLE_MAX: usize = 300;
/// Longest minutes, in characters.
pub const MINUTES_MAX: usize = 100_000;
/// Most agenda lines, and the longest line.
pub const AGENDA_LINES_MAX: usize = 100;
/// Longest agenda line, in characters.
pub const AGENDA_LINE_MAX: usize = 1000;
/// Longest decision, action item or progress note, in characters.
pub const DECISION_MAX: usize = 2000;

/// An organization at a meeting.
#[derive(Debug, Clone)]
pub struct Participant {
    /// The organization.
    pub organization_id: String,
    /// Who came for it.
    pub representative: Option<String>,
    /// Their role at the meeting.
    pub role: Option<String>,
}

/// A new meeting.
#[derive(Debug, Clone)]
pub struct NewMeeting {
    /// Title.
    pub title: String,
    /// Level.
    pub level: MeetingLevel,
    /// Region it is held for.
    pub region_code: String,
    /// Date held.
    pub held_on: NaiveDate,
    /// Host organization.
    pub host_id: String,
    /// Where.
    pub location: Option<String>,
    /// Agenda lines, in order.
    pub agenda: Vec<String>,
    /// Minutes.
    pub minutes: Option<String>,
    /// Who took part.
    pub participants: Vec<Participant>,
    /// Programs it concerned.
    pub program_ids: Vec<String>,
    /// Regions it concerned.
    pub region_codes: Vec<String>,
}

/// Changes to a meeting; `None` leaves a value, a given list replaces the old one.
#[derive(Debug, Clone, Default)]
pub struct MeetingPatch {
    /// New title.
    pub title: Option<String>,
    /// New date.
    pub held_on: Option<NaiveDate>,
    /// New location.
    pub location: Option<String>,
    /// New agenda.
    pub agenda: Option<Vec<String>>,
    /// New minutes.
    pub minutes: Option<String>,
    /// New participants.
    pub participants: Option<Vec<Participant>>,
}

pub(super) async fn org_exists(db: &impl ConnectionTrait, field: &str, id: &str) -> AppResult<()> {
    organizations::org_exists(db, field, id).await.map(|_| ())
}

pub(super) async fn check_program(
    db: &impl ConnectionTrait,
    field: &str,
    id: &str,
) -> AppResult<()> {
    entity::program::Entity::find_by_id(id.to_string())
        .one(db)
        .await?
        .map(|_| ())
        .ok_or_else(|| AppError::bad_input(field, "no such program"))
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
    if agenda.len() > AGENDA_LINES_MAX {
        return Err(AppError::bad_input(
            "input.agenda",
            format!("at most {AGENDA_LINES_MAX} lines"),
        ));
    }
    for (i, line) in agenda.iter().enumerate() {
        a::ActiveModel {
            meeting_id: Set(meeting.into()),
            position: Set(i as i32),
            text: Set(text(&format!("input.agenda.{i}"), line, AGENDA_LINE_MAX)?),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

async fn write_participants(
    db: &impl ConnectionTrait,
    meeting: &str,
    list: Vec<Participant>,
) -> AppResult<()> {
    use entity::meeting_participant as p;
    p::Entity::delete_many()
        .filter(p::Column::MeetingId.eq(meeting))
        .exec(db)
        .await?;
    for (i, x) in list.into_iter().enumerate() {
        let field = format!("input.participants.{i}");
        org_exists(db, &format!("{field}.organizationId"), &x.organization_id).await?;
        p::ActiveModel {
            id: Set(new_id()),
            meeting_id: Set(meeting.into()),
            organization_id: Set(x.organization_id),
            representative: Set(opt_text(
                &format!("{field}.representative"),
                x.representative.as_deref(),
                200,
            )?),
            role: Set(opt_text(&format!("{field}.role"), x.role.as_deref(), 100)?),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Links a meeting to the programs and regions it concerned.
async fn write_links(
    db: &impl ConnectionTrait,
    meeting: &str,
    program_ids: &[String],
    region_codes: &[String],
) -> AppResult<()> {
    for (i, p) in program_ids.iter().enumerate() {
        check_program(db, &format!("input.programIds.{i}"), p).await?;
        entity::meeting_program::ActiveModel {
            meeting_id: Set(meeting.to_string()),
            program_id: Set(p.clone()),
        }
        .insert(db)
        .await?;
    }
    for (i, r) in region_codes.iter().enumerate() {
        let code = organizations::region_exists(db, &format!("input.regionCodes.{i}"), r).await?;
        entity::meeting_region::ActiveModel {
            meeting_id: Set(meeting.to_string()),
            region_code: Set(code),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Records a coordination meeting (admins; coordinators of its region).
pub async fn create(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    input: NewMeeting,
    key: Option<&str>,
) -> AppResult<entity::meeting::Model> {
    use entity::meeting::{ActiveModel, Entity};
    if let Some(found) = writes::replayed::<Entity>(db, actor, key, AuditEntity::Meeting).await? {
        return Ok(found);
    }
    let region = organizations::region_exists(db, "input.regionCode", &input.region_code).await?;
    actor.require_coordinator_of(&region, "record meetings here")?;
    org_exists(db, "input.hostId", &input.host_id).await?;
    let now = Utc::now();
    let model = ActiveModel {
        id: Set(new_id()),
        title: Set(text("input.title", &input.title, TITLE_MAX)?),
        level: Set(input.level),
        region_code: Set(region),
        held_on: Set(input.held_on),
        host_id: Set(input.host_id),
        location: Set(opt_text(
            "input.location",
            input.location.as_deref(),
            TITLE_MAX,
        )?),
        minutes: Set(opt_text(
            "input.minutes",
            input.minutes.as_deref(),
            MINUTES_MAX,
        )?),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    write_agenda(db, &model.id, input.agenda).await?;
    write_participants(db, &model.id, input.participants).await?;
    write_links(db, &model.id, &input.program_ids, &input.region_codes).await?;
    writes::created(db, actor, key, (AuditEntity::Meeting, &model.id), &model).await?;
    Ok(model)
}

/// Changes a meeting's record: title, date, agenda, minutes, participants.
pub async fn update(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    (id, version): (&str, i32),
    patch: MeetingPatch,
) -> AppResult<entity::meeting::Model> {
    let change = Change::new(id, version, "update");
    let authorize = |m: &entity::meeting::Model| {
        actor.require_coordinator_of(&m.region_code, "change this meeting")
    };
    writes::update(
        db,
        actor,
        change,
        authorize,
        async |before: &entity::meeting::Model| {
            let mut am = before.clone().into_active_model();
            if let Some(t) = &patch.title {
                am.title = Set(text("input.title", t, TITLE_MAX)?);
            }
            if let Some(d) = patch.held_on {
                am.held_on = Set(d);
            }
            if patch.location.is_some() {
                am.location = Set(opt_text(
                    "input.location",
                    patch.location.as_deref(),
                    TITLE_MAX,
                )?);
            }
            if patch.minutes.is_some() {
                am.minutes = Set(opt_text(
                    "input.minutes",
                    patch.minutes.as_deref(),
                    MINUTES_MAX,
                )?);
            }
            if let Some(a) = patch.agenda {
                write_agenda(db, &before.id, a).await?;
            }
            if let Some(p) = patch.participants {
                write_participants(db, &before.id, p).await?;
            }
            Ok(am)
        },
    )
    .await
}

pub use super::actions::{
    ActionItemPatch, NewActionItem, add_action_item, add_decision, progress, update_action_item,
};
