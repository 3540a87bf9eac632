//! From changes to events: the changed records loaded once, in one statement per kind of record,
//! for every subscriber of this process.

use super::{Bus, Change, Event, Signal};
use crate::services::audit::AuditEntity;
use entity::{
    action_item, action_item_region, complaint, contribution, contribution_transaction,
    meeting_region, village_indicator,
};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};
use std::collections::HashMap;
use tokio::sync::mpsc::Receiver;

/// Turns signals into events until the feed ends.
pub(super) async fn run(db: DatabaseConnection, bus: Bus, mut rx: Receiver<Signal>) {
    while let Some(signal) = rx.recv().await {
        let changes = match signal {
            Signal::Reload => {
                bus.send(Event::Reload);
                continue;
            }
            Signal::Changes(changes) => changes,
        };
        match events(&db, &bus, &changes).await {
            Ok(events) => events.into_iter().for_each(|e| bus.send(e)),
            Err(e) => {
                // The records could not be read: subscribers learn that they missed something.
                tracing::warn!(error = %e, "cannot load changed records");
                bus.send(Event::Reload);
            }
        }
    }
}

/// The events of a burst of changes, in the order of the changes (one per changed record per kind:
/// a record changed twice in a burst is sent once, as it is now, with its last action).
async fn events(
    db: &DatabaseConnection,
    bus: &Bus,
    changes: &[Change],
) -> Result<Vec<Event>, DbErr> {
    let mut out = Vec::new();
    for c in changes {
        match AuditEntity::from_name(&c.entity) {
            Some(AuditEntity::User) => out.push(Event::User { id: c.id.clone() }),
            Some(AuditEntity::Region) => out.push(Event::Regions),
            _ => {}
        }
    }
    // Records are read only when someone is subscribed to them; caches need only the above.
    if bus.subscriptions() == 0 {
        return Ok(out);
    }
    let burst = Burst(changes);
    out.extend(contributions(db, &burst).await?);
    let items = burst.ids(AuditEntity::ActionItem);
    if !items.is_empty() {
        let last_action = |entity, id: &str| burst.last_action(entity, id);
        out.extend(action_items(db, items, &last_action).await?);
    }
    let complaints = burst.ids(AuditEntity::Complaint);
    if !complaints.is_empty() {
        for row in complaint::Entity::find()
            .filter(complaint::Column::Id.is_in(complaints))
            .all(db)
            .await?
        {
            let action = burst.last_action(AuditEntity::Complaint, &row.id);
            out.push(Event::Complaint { action, row });
        }
    }
    let indicators = burst.ids(AuditEntity::VillageIndicator);
    if !indicators.is_empty() {
        for row in village_indicator::Entity::find()
            .filter(village_indicator::Column::Id.is_in(indicators))
            .all(db)
            .await?
        {
            let action = burst.last_action(AuditEntity::VillageIndicator, &row.id);
            out.push(Event::Indicator { action, row });
        }
    }
    Ok(out)
}

/// A burst of changes, asked which records of a kind it changed and how each was changed last.
struct Burst<'a>(&'a [Change]);

impl Burst<'_> {
    /// The ids of the records of `entity` changed, in the order of the changes.
    fn ids(&self, entity: AuditEntity) -> Vec<String> {
        self.0
            .iter()
            .filter(|c| c.entity == entity.name())
            .map(|c| c.id.clone())
            .collect()
    }

    /// The last action done to record `id` of `entity` in the burst.
    fn last_action(&self, entity: AuditEntity, id: &str) -> String {
        self.0
            .iter()
            .rev()
            .find(|c| c.entity == entity.name() && c.id == id)
            .map(|c| c.action.clone())
            .unwrap_or_default()
    }
}

/// The contributions changed in a burst, each once, as they are now; a transaction's change is its
/// contribution's change.
async fn contributions(db: &DatabaseConnection, burst: &Burst<'_>) -> Result<Vec<Event>, DbErr> {
    let mut actions: Vec<(String, String)> = burst
        .ids(AuditEntity::Contribution)
        .into_iter()
        .map(|id| {
            let action = burst.last_action(AuditEntity::Contribution, &id);
            (id, action)
        })
        .collect();
    let transactions = burst.ids(AuditEntity::Transaction);
    if !transactions.is_empty() {
        for t in contribution_transaction::Entity::find()
            .filter(contribution_transaction::Column::Id.is_in(transactions))
            .all(db)
            .await?
        {
            actions.push((t.contribution_id, "transaction".into()));
        }
    }
    dedup_last(&mut actions);
    if actions.is_empty() {
        return Ok(Vec::new());
    }
    let rows = by_id(
        contribution::Entity::find()
            .filter(contribution::Column::Id.is_in(actions.iter().map(|(id, _)| id.clone())))
            .all(db)
            .await?,
        |r| r.id.clone(),
    );
    Ok(actions
        .into_iter()
        .filter_map(|(id, action)| {
            let row = rows.get(&id)?.clone();
            Some(Event::Contribution { action, row })
        })
        .collect())
}

/// Action items with the regions they concern (their own and their meeting's).
pub(super) async fn action_items(
    db: &DatabaseConnection,
    ids: Vec<String>,
    last_action: &impl Fn(AuditEntity, &str) -> String,
) -> Result<Vec<Event>, DbErr> {
    let rows = action_item::Entity::find()
        .filter(action_item::Column::Id.is_in(ids.clone()))
        .all(db)
        .await?;
    let mut regions: HashMap<String, Vec<String>> = HashMap::new();
    for r in action_item_region::Entity::find()
        .filter(action_item_region::Column::ActionItemId.is_in(ids))
        .all(db)
        .await?
    {
        regions
            .entry(r.action_item_id)
            .or_default()
            .push(r.region_code);
    }
    let meetings: Vec<String> = rows.iter().map(|r| r.meeting_id.clone()).collect();
    let mut meeting_regions: HashMap<String, Vec<String>> = HashMap::new();
    for r in meeting_region::Entity::find()
        .filter(meeting_region::Column::MeetingId.is_in(meetings))
        .all(db)
        .await?
    {
        meeting_regions
            .entry(r.meeting_id)
            .or_default()
            .push(r.region_code);
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let mut all = regions.remove(&row.id).unwrap_or_default();
            all.extend(
                meeting_regions
                    .get(&row.meeting_id)
                    .cloned()
                    .unwrap_or_default(),
            );
            all.sort();
            all.dedup();
            Event::ActionItem {
                action: last_action(AuditEntity::ActionItem, &row.id),
                row,
                regions: all,
            }
        })
        .collect())
}

/// Keeps one entry per id, the last, in the order of first appearance.
fn dedup_last(pairs: &mut Vec<(String, String)>) {
    let mut last: HashMap<String, String> = HashMap::new();
    for (id, action) in pairs.iter() {
        last.insert(id.clone(), action.clone());
    }
    let mut seen = std::collections::HashSet::new();
    pairs.retain(|(id, _)| seen.insert(id.clone()));
    for (id, action) in pairs.iter_mut() {
        if let Some(a) = last.get(id) {
            *action = a.clone();
        }
    }
}

fn by_id<T>(rows: Vec<T>, key: impl Fn(&T) -> String) -> HashMap<String, T> {
    rows.into_iter().map(|r| (key(&r), r)).collect()
}
