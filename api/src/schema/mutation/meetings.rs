//! The meeting mutations: each parses its input, calls one function of
//! `services::meetings::write` in one transaction, and returns the record.

use super::{actor, begin};
use crate::error::GqlResult;
use crate::schema::enums::{ActionItemStatus, MeetingLevel};
use crate::schema::scalars::Date;
use crate::schema::types::meeting::{ActionItem, Decision, Meeting};
use crate::services::meetings::write as service;
use crate::services::writes::check_client_key;
use async_graphql::{Context, ID, InputObject, Object};

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

fn ids(list: Vec<ID>) -> Vec<String> {
    list.into_iter().map(|id| id.0).collect()
}

impl From<ParticipantInput> for service::Participant {
    fn from(p: ParticipantInput) -> Self {
        Self {
            organization_id: p.organization_id.0,
            representative: p.representative,
            role: p.role,
        }
    }
}

impl From<MeetingInput> for service::NewMeeting {
    fn from(i: MeetingInput) -> Self {
        Self {
            title: i.title,
            level: i.level.into(),
            region_code: i.region_code,
            held_on: i.held_on.0,
            host_id: i.host_id.0,
            location: i.location,
            agenda: i.agenda,
            minutes: i.minutes,
            participants: i.participants.into_iter().map(Into::into).collect(),
            program_ids: ids(i.program_ids),
            region_codes: i.region_codes,
        }
    }
}

impl From<MeetingPatch> for service::MeetingPatch {
    fn from(p: MeetingPatch) -> Self {
        Self {
            title: p.title,
            held_on: p.held_on.map(|d| d.0),
            location: p.location,
            agenda: p.agenda,
            minutes: p.minutes,
            participants: p
                .participants
                .map(|l| l.into_iter().map(Into::into).collect()),
        }
    }
}

impl From<ActionItemInput> for service::NewActionItem {
    fn from(i: ActionItemInput) -> Self {
        Self {
            text: i.text,
            owner_id: i.owner_id.0,
            due_on: i.due_on.map(|d| d.0),
            program_ids: ids(i.program_ids),
            region_codes: i.region_codes,
        }
    }
}

impl From<ActionItemPatch> for service::ActionItemPatch {
    fn from(p: ActionItemPatch) -> Self {
        Self {
            text: p.text,
            owner_id: p.owner_id.map(|id| id.0),
            due_on: p.due_on.map(|d| d.0),
        }
    }
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
        let actor = actor(ctx)?;
        let key = check_client_key(&client_key)?;
        let w = begin(ctx).await?;
        let m = service::create(&w.txn, &actor, input.into(), key).await?;
        w.commit().await?;
        Ok(Meeting(m))
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
        let m = service::update(&w.txn, &actor, (&id, version), input.into()).await?;
        w.commit().await?;
        Ok(Meeting(m))
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
        let items = action_items.into_iter().map(Into::into).collect();
        let w = begin(ctx).await?;
        let d = service::add_decision(&w.txn, &actor, &meeting_id, &text_, items, key).await?;
        w.commit().await?;
        Ok(Decision(d))
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
        let item =
            service::add_action_item(&w.txn, &actor, &decision_id, input.into(), key).await?;
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
        let item =
            service::update_action_item(&w.txn, &actor, (&id, version), input.into()).await?;
        w.commit().await?;
        Ok(ActionItem(item))
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
        progress(ctx, (id, version), Some(status), note).await
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
        progress(ctx, (id, version), status, Some(note)).await
    }
}

async fn progress(
    ctx: &Context<'_>,
    (id, version): (ID, i32),
    status: Option<ActionItemStatus>,
    note: Option<String>,
) -> GqlResult<ActionItem> {
    let actor = actor(ctx)?;
    let w = begin(ctx).await?;
    let status = status.map(Into::into);
    let item = service::progress(&w.txn, &actor, (&id, version), status, note.as_deref()).await?;
    w.commit().await?;
    Ok(ActionItem(item))
}
