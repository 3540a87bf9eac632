//! Every row per key, in a fixed order: the "has many" side of relations whose lists stay small
//! (a program's phases, a meeting's decisions, an organization's units, ...).

use super::{DbLoader, LoadError};
use async_graphql::dataloader::Loader;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

macro_rules! has_many {
    ($(#[$doc:meta])* $key:ident, $module:ident, $fk:ident, |$row:ident| $fk_value:expr, [$($order:ident),+]) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct $key(pub String);

        impl Loader<$key> for DbLoader {
            type Value = Vec<entity::$module::Model>;
            type Error = LoadError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Self::Error> {
                use entity::$module::{Column, Entity};
                let mut q = Entity::find().filter(Column::$fk.is_in(keys.iter().map(|k| k.0.clone())));
                $(q = q.order_by_asc(Column::$order);)+
                let mut out: HashMap<$key, Self::Value> = HashMap::new();
                for $row in q.all(&self.db).await? {
                    out.entry($key($fk_value)).or_default().push($row);
                }
                Ok(out)
            }
        }
    };
}

has_many!(
    /// Indicator rows of a village, oldest year first.
    IndicatorsOfVillage, village_indicator, VillageCode, |r| r.village_code.clone(), [FiscalYear]
);
has_many!(
    /// Units (SKPDs, branches) of an organization.
    UnitsOfOrganization, organization, ParentId, |r| r.parent_id.clone().unwrap_or_default(), [Name, Id]
);
has_many!(
    /// Users acting for an organization.
    MembersOfOrganization, user, OrganizationId, |r| r.organization_id.clone().unwrap_or_default(), [Name, Id]
);
has_many!(
    /// Programs an organization owns.
    ProgramsOfOwner, program, OwnerId, |r| r.owner_id.clone(), [Name, Id]
);
has_many!(
    /// Meetings an organization took part in (participant rows).
    ParticipationsOfOrganization, meeting_participant, OrganizationId, |r| r.organization_id.clone(), [MeetingId]
);
has_many!(
    /// Strategies of a program.
    StrategiesOfProgram, program_strategy, ProgramId, |r| r.program_id.clone(), [Strategy]
);
has_many!(
    /// Target groups of a program.
    TargetGroupsOfProgram, program_target_group, ProgramId, |r| r.program_id.clone(), [TargetGroup]
);
has_many!(
    /// Phases of a program, by year.
    PhasesOfProgram, program_phase, ProgramId, |r| r.program_id.clone(), [FiscalYear, Name]
);
has_many!(
    /// Yearly targets of a program.
    TargetsOfProgram, program_target, ProgramId, |r| r.program_id.clone(), [FiscalYear, Unit]
);
has_many!(
    /// Target villages of a program.
    VillagesOfProgram, program_village, ProgramId, |r| r.program_id.clone(), [VillageCode]
);
has_many!(
    /// Programs a village is targeted by.
    ProgramsOfVillage, program_village, VillageCode, |r| r.village_code.clone(), [ProgramId]
);
has_many!(
    /// Transactions of a contribution, by date.
    TransactionsOfContribution, contribution_transaction, ContributionId, |r| r.contribution_id.clone(), [OccurredOn, Id]
);
has_many!(
    /// Synergies where a program is the first side.
    SynergiesAsA, program_synergy, ProgramAId, |r| r.program_a_id.clone(), [Id]
);
has_many!(
    /// Synergies where a program is the second side.
    SynergiesAsB, program_synergy, ProgramBId, |r| r.program_b_id.clone(), [Id]
);
has_many!(
    /// Synergies agreed at a meeting.
    SynergiesOfMeeting, program_synergy, MeetingId, |r| r.meeting_id.clone().unwrap_or_default(), [Id]
);
has_many!(
    /// Agenda lines of a meeting, in order.
    AgendaOfMeeting, meeting_agenda_item, MeetingId, |r| r.meeting_id.clone(), [Position]
);
has_many!(
    /// Participants of a meeting.
    ParticipantsOfMeeting, meeting_participant, MeetingId, |r| r.meeting_id.clone(), [Id]
);
has_many!(
    /// Decisions of a meeting, in order.
    DecisionsOfMeeting, decision, MeetingId, |r| r.meeting_id.clone(), [Position]
);
has_many!(
    /// Action items of a meeting.
    ActionItemsOfMeeting, action_item, MeetingId, |r| r.meeting_id.clone(), [Id]
);
has_many!(
    /// Action items of a decision.
    ActionItemsOfDecision, action_item, DecisionId, |r| r.decision_id.clone(), [Id]
);
has_many!(
    /// Programs a meeting concerned.
    ProgramsOfMeeting, meeting_program, MeetingId, |r| r.meeting_id.clone(), [ProgramId]
);
has_many!(
    /// Regions a meeting concerned.
    RegionsOfMeeting, meeting_region, MeetingId, |r| r.meeting_id.clone(), [RegionCode]
);
has_many!(
    /// Progress notes of an action item, oldest first.
    UpdatesOfActionItem, action_item_update, ActionItemId, |r| r.action_item_id.clone(), [At, Id]
);
has_many!(
    /// Programs an action item concerns.
    ProgramsOfActionItem, action_item_program, ActionItemId, |r| r.action_item_id.clone(), [ProgramId]
);
has_many!(
    /// Regions an action item concerns.
    RegionsOfActionItem, action_item_region, ActionItemId, |r| r.action_item_id.clone(), [RegionCode]
);
