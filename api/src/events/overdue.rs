//! Action items falling overdue. No write marks that moment, so each hub process notices the day
//! change itself (in WIB, as the overdue rule counts days) and tells its own subscribers, once per
//! item: every process has its own subscribers, so none is told twice.

use super::{Bus, Event};
use crate::services::meetings::{is_overdue, today};
use chrono::NaiveDate;
use entity::action_item::{Column, Entity};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};
use std::time::Duration;

/// How often the day is checked: an item falls overdue at most this long after midnight WIB.
const CHECK: Duration = Duration::from_secs(60);

pub(super) async fn run(db: DatabaseConnection, bus: Bus) {
    let mut day = today();
    loop {
        tokio::select! {
            () = tokio::time::sleep(CHECK) => {},
            () = bus.stopped() => return,
        }
        let now = today();
        if now == day {
            continue;
        }
        if bus.subscriptions() > 0 {
            match newly_overdue(&db, day, now).await {
                Ok(events) => events.into_iter().for_each(|e| bus.send(e)),
                Err(e) => {
                    tracing::warn!(error = %e, "cannot read the items falling overdue");
                    bus.send(Event::Reload);
                }
            }
        }
        day = now;
    }
}

/// The items overdue on `to` that were not on `from` (due in `[from, to)` and still open), as
/// `overdue` events with their regions.
pub async fn newly_overdue(
    db: &DatabaseConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Event>, DbErr> {
    let ids: Vec<String> = Entity::find()
        .filter(Column::DueOn.gte(from))
        .filter(Column::DueOn.lt(to))
        .all(db)
        .await?
        .into_iter()
        .filter(|i| is_overdue(i.status, i.due_on, to))
        .map(|i| i.id)
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    super::resolve::action_items(
        db,
        ids,
        &|_: crate::services::audit::AuditEntity, _: &str| "overdue".to_string(),
    )
    .await
}
