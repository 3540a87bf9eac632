//! Follow-up of meeting decisions: action items counted by state, per owner or per meeting.

use crate::error::AppResult;
use crate::region_code::RegionCode;
use crate::services::meetings::{ActionItemFilter, action_item_condition, today};
use entity::action_item::{Column, Entity};
use entity::enums::ActionItemStatus;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

/// Action items of one owner, counted by state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowUpCounts {
    /// Organization or meeting id.
    pub id: String,
    /// Open.
    pub open: i64,
    /// In progress.
    pub in_progress: i64,
    /// Done.
    pub done: i64,
    /// Dropped.
    pub dropped: i64,
    /// Open or in progress past their due date.
    pub overdue: i64,
}

/// `CAST(SUM(CASE WHEN cond THEN 1 ELSE 0 END) AS BIGINT)`: how many rows of the group meet `cond`.
fn how_many(cond: Condition) -> Expr {
    Expr::case(cond, 1).finally(0).sum().cast_as("BIGINT")
}

/// Action items of meetings held in `region` (all when none), counted per owner or per meeting in one
/// GROUP BY each.
pub async fn follow_up(
    db: &impl ConnectionTrait,
    region: Option<&RegionCode>,
    by_meeting: bool,
) -> AppResult<Vec<FollowUpCounts>> {
    use ActionItemStatus::{Done, Dropped, InProgress, Open};
    let today = today();
    let key = if by_meeting {
        Column::MeetingId
    } else {
        Column::OwnerId
    };
    let filter = ActionItemFilter {
        region: region.cloned(),
        ..Default::default()
    };
    let in_state = |s: ActionItemStatus| Condition::all().add(Column::Status.eq(s));
    let overdue = Condition::all()
        .add(Column::Status.is_in([Open, InProgress]))
        .add(Column::DueOn.lt(today));
    let rows: Vec<(String, i64, i64, i64, i64, i64)> = Entity::find()
        .select_only()
        .column_as(key, "k")
        .expr_as(how_many(in_state(Open)), "open")
        .expr_as(how_many(in_state(InProgress)), "in_progress")
        .expr_as(how_many(in_state(Done)), "done")
        .expr_as(how_many(in_state(Dropped)), "dropped")
        .expr_as(how_many(overdue), "overdue")
        .filter(action_item_condition(&filter, today))
        .group_by(key)
        .into_tuple()
        .all(db)
        .await?;
    let mut out: Vec<FollowUpCounts> = rows
        .into_iter()
        .map(
            |(id, open, in_progress, done, dropped, overdue)| FollowUpCounts {
                id,
                open,
                in_progress,
                done,
                dropped,
                overdue,
            },
        )
        .collect();
    out.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then((b.open + b.in_progress).cmp(&(a.open + a.in_progress)))
            .then(a.id.cmp(&b.id))
    });
    Ok(out)
}
