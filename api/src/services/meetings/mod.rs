//! Meetings and their action items: filters shared by the root lists and the nested ones; every
//! write of a meeting, decision and action item in [`write`].

mod actions;
pub mod write;

use crate::region_code::RegionCode;
use crate::services::contributions::{like_escape, region_condition};
use chrono::NaiveDate;
use entity::enums::{ActionItemStatus, MeetingLevel};
use sea_orm::ColumnTrait;
use sea_orm::sea_query::{Condition, Query};

/// Today in Western Indonesia Time (WIB, UTC+7): an item due yesterday in Jakarta is overdue even while
/// it is still yesterday in UTC.
pub fn today() -> NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive()
}

/// Whether an item in this state is overdue on `today`.
pub fn is_overdue(status: ActionItemStatus, due_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    matches!(
        status,
        ActionItemStatus::Open | ActionItemStatus::InProgress
    ) && due_on.is_some_and(|d| d < today)
}

/// A checked action-item filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ActionItemFilter {
    /// Items of meetings held in this region or below.
    pub region: Option<RegionCode>,
    /// Owned by any of these organizations.
    pub owner_ids: Vec<String>,
    /// In any of these statuses.
    pub statuses: Vec<ActionItemStatus>,
    /// Only overdue items (true) or only items not overdue (false).
    pub overdue: Option<bool>,
    /// Items of this meeting.
    pub meeting_id: Option<String>,
    /// Due on or before this date.
    pub due_before: Option<NaiveDate>,
}

/// The WHERE clause of an action-item list.
pub fn action_item_condition(f: &ActionItemFilter, today: NaiveDate) -> Condition {
    use entity::action_item::Column;
    let mut c = Condition::all();
    if let Some(region) = &f.region {
        use entity::meeting as m;
        c = c.add(
            Column::MeetingId.in_subquery(
                Query::select()
                    .column(m::Column::Id)
                    .from(m::Entity)
                    .cond_where(region_condition(m::Column::RegionCode, region))
                    .to_owned(),
            ),
        );
    }
    if !f.owner_ids.is_empty() {
        c = c.add(Column::OwnerId.is_in(f.owner_ids.clone()));
    }
    if !f.statuses.is_empty() {
        c = c.add(Column::Status.is_in(f.statuses.clone()));
    }
    if let Some(id) = &f.meeting_id {
        c = c.add(Column::MeetingId.eq(id.as_str()));
    }
    if let Some(d) = f.due_before {
        c = c.add(Column::DueOn.lte(d));
    }
    let overdue = Condition::all()
        .add(Column::Status.is_in([ActionItemStatus::Open, ActionItemStatus::InProgress]))
        .add(Column::DueOn.lt(today));
    match f.overdue {
        Some(true) => c = c.add(overdue),
        Some(false) => c = c.add(overdue.not()),
        None => {}
    }
    c
}

/// A checked meeting filter.
#[derive(Debug, Clone, Default)]
pub struct MeetingFilter {
    /// Held in this region or below.
    pub region: Option<RegionCode>,
    /// At any of these levels.
    pub levels: Vec<MeetingLevel>,
    /// Held on or after.
    pub held_from: Option<NaiveDate>,
    /// Held on or before.
    pub held_to: Option<NaiveDate>,
    /// Hosted by any of these organizations.
    pub host_ids: Vec<String>,
    /// Attended by any of these organizations.
    pub participant_ids: Vec<String>,
    /// Folded text the title must contain.
    pub text: Option<String>,
}

/// The WHERE clause of a meeting list.
pub fn meeting_condition(f: &MeetingFilter) -> Condition {
    use entity::meeting::Column;
    let mut c = Condition::all();
    if let Some(region) = &f.region {
        c = c.add(region_condition(Column::RegionCode, region));
    }
    if !f.levels.is_empty() {
        c = c.add(Column::Level.is_in(f.levels.clone()));
    }
    if let Some(d) = f.held_from {
        c = c.add(Column::HeldOn.gte(d));
    }
    if let Some(d) = f.held_to {
        c = c.add(Column::HeldOn.lte(d));
    }
    if !f.host_ids.is_empty() {
        c = c.add(Column::HostId.is_in(f.host_ids.clone()));
    }
    if !f.participant_ids.is_empty() {
        use entity::meeting_participant as mp;
        c = c.add(
            Column::Id.in_subquery(
                Query::select()
                    .column(mp::Column::MeetingId)
                    .from(mp::Entity)
                    .and_where(mp::Column::OrganizationId.is_in(f.participant_ids.clone()))
                    .to_owned(),
            ),
        );
    }
    if let Some(t) = &f.text {
        use sea_orm::sea_query::{Expr, ExprTrait, Func};
        c = c.add(
            Expr::expr(Func::lower(Expr::col(Column::Title))).like(format!("%{}%", like_escape(t))),
        );
    }
    c
}
