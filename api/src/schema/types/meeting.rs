// Action items were first written here; their paths stay valid.
use crate::error::GqlResult;
use crate::loaders::{
    ActionItemsOfDecision, ActionItemsOfMeeting, AgendaOfMeeting, DecisionsOfMeeting, MeetingById,
    OrganizationById, ParticipantsOfMeeting, ProgramById, ProgramsOfMeeting, RegionByCode,
    RegionsOfMeeting, SynergiesOfMeeting, load_linked, load_list, load_one,
};
use crate::schema::enums::MeetingLevel;
use crate::schema::scalars::Date;
pub use crate::schema::types::action_item::{
    ActionItem, ActionItemFilter, ActionItemUpdate, action_items_page, owner_action_items,
};
use crate::schema::types::organization::Organization;
use crate::schema::types::program::{Program, ProgramSynergy};
use crate::schema::types::region::Region;
use async_graphql::{Context, ID, Object};

/// Sort key of meetings, newest first: inverted date then id.
pub fn meeting_sort_key(m: &entity::meeting::Model) -> String {
    use chrono::Datelike;
    let d = m.held_on;
    format!(
        "{:08}\u{1f}{}",
        99_999_999 - (d.year() * 10_000 + d.month() as i32 * 100 + d.day() as i32),
        m.id
    )
}

/// A coordination meeting (rakor) and what it decided.
pub struct Meeting(pub entity::meeting::Model);

#[Object]
impl Meeting {
    /// Stable id.
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Title, e.g. "Rapat Koordinasi TKPK Provinsi Lampung".
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Government level.
    async fn level(&self) -> MeetingLevel {
        self.0.level.into()
    }
    /// Region it was held for.
    async fn region(&self, ctx: &Context<'_>) -> GqlResult<Option<Region>> {
        Ok(load_one(ctx, RegionByCode(self.0.region_code.clone()))
            .await?
            .map(Region))
    }
    /// Date held.
    async fn held_on(&self) -> Date {
        Date(self.0.held_on)
    }
    /// Host organization (normally Bappeda as TKPK secretariat).
    async fn host(&self, ctx: &Context<'_>) -> GqlResult<Option<Organization>> {
        Ok(load_one(ctx, OrganizationById(self.0.host_id.clone()))
            .await?
            .map(Organization))
    }
    /// Where it was held.
    async fn location(&self) -> Option<&str> {
        self.0.location.as_deref()
    }
    /// Agenda, in order.
    async fn agenda(&self, ctx: &Context<'_>) -> GqlResult<Vec<String>> {
        Ok(load_list(ctx, AgendaOfMeeting(self.0.id.clone()))
            .await?
            .into_iter()
            .map(|a| a.text)
            .collect())
    }
    /// Minutes (notulen).
    async fn minutes(&self) -> Option<&str> {
        self.0.minutes.as_deref()
    }
    /// Who took part.
    async fn participants(&self, ctx: &Context<'_>) -> GqlResult<Vec<MeetingParticipant>> {
        Ok(load_list(ctx, ParticipantsOfMeeting(self.0.id.clone()))
            .await?
            .into_iter()
            .map(MeetingParticipant)
            .collect())
    }
    /// Decisions, in order.
    async fn decisions(&self, ctx: &Context<'_>) -> GqlResult<Vec<Decision>> {
        Ok(load_list(ctx, DecisionsOfMeeting(self.0.id.clone()))
            .await?
            .into_iter()
            .map(Decision)
            .collect())
    }
    /// Every action item of every decision.
    async fn action_items(&self, ctx: &Context<'_>) -> GqlResult<Vec<ActionItem>> {
        Ok(load_list(ctx, ActionItemsOfMeeting(self.0.id.clone()))
            .await?
            .into_iter()
            .map(ActionItem)
            .collect())
    }
    /// Programs the meeting concerned.
    async fn programs(&self, ctx: &Context<'_>) -> GqlResult<Vec<Program>> {
        Ok(load_linked(ctx, ProgramsOfMeeting(self.0.id.clone()), |l| {
            ProgramById(l.program_id)
        })
        .await?
        .into_iter()
        .map(Program)
        .collect())
    }
    /// Regions the meeting concerned.
    async fn regions(&self, ctx: &Context<'_>) -> GqlResult<Vec<Region>> {
        Ok(load_linked(ctx, RegionsOfMeeting(self.0.id.clone()), |l| {
            RegionByCode(l.region_code)
        })
        .await?
        .into_iter()
        .map(Region)
        .collect())
    }
    /// Program synergies agreed at this meeting.
    async fn synergies(&self, ctx: &Context<'_>) -> GqlResult<Vec<ProgramSynergy>> {
        Ok(load_list(ctx, SynergiesOfMeeting(self.0.id.clone()))
            .await?
            .into_iter()
            .map(ProgramSynergy)
            .collect())
    }
}

/// An organization at a meeting, and who came for it.
pub struct MeetingParticipant(pub entity::meeting_participant::Model);

#[Object]
impl MeetingParticipant {
    /// The organization.
    async fn organization(&self, ctx: &Context<'_>) -> GqlResult<Option<Organization>> {
        Ok(
            load_one(ctx, OrganizationById(self.0.organization_id.clone()))
                .await?
                .map(Organization),
        )
    }
    /// Who represented it (name or position).
    async fn representative(&self) -> Option<&str> {
        self.0.representative.as_deref()
    }
    /// Role at the meeting (chair, secretariat, speaker, participant).
    async fn role(&self) -> Option<&str> {
        self.0.role.as_deref()
    }
}

/// A decision taken at a meeting.
pub struct Decision(pub entity::decision::Model);

#[Object]
impl Decision {
    /// Stable id.
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    /// What was decided.
    async fn text(&self) -> &str {
        &self.0.text
    }
    /// The meeting.
    async fn meeting(&self, ctx: &Context<'_>) -> GqlResult<Option<Meeting>> {
        Ok(load_one(ctx, MeetingById(self.0.meeting_id.clone()))
            .await?
            .map(Meeting))
    }
    /// Its action items.
    async fn action_items(&self, ctx: &Context<'_>) -> GqlResult<Vec<ActionItem>> {
        Ok(load_list(ctx, ActionItemsOfDecision(self.0.id.clone()))
            .await?
            .into_iter()
            .map(ActionItem)
            .collect())
    }
    /// True when it has action items and every one is done or dropped.
    async fn done(&self, ctx: &Context<'_>) -> GqlResult<bool> {
        let items = load_list(ctx, ActionItemsOfDecision(self.0.id.clone())).await?;
        Ok(!items.is_empty()
            && items.iter().all(|i| {
                matches!(
                    i.status,
                    entity::enums::ActionItemStatus::Done
                        | entity::enums::ActionItemStatus::Dropped
                )
            }))
    }
}
