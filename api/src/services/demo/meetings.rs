//! Rows of the demo's meetings: agenda, participants, decisions and their action items with progress
//! notes, and the programs and regions each concerns.

use super::data;
use super::{demo_id, put, stamp};
use chrono::{TimeZone, Utc};
use entity::*;
use sea_orm::ActiveValue::Set;
use sea_orm::{DatabaseTransaction, DbErr};

/// The rows of every meeting, table by table, in the order they are inserted.
#[derive(Default)]
struct Rows {
    meetings: Vec<meeting::ActiveModel>,
    agenda: Vec<meeting_agenda_item::ActiveModel>,
    participants: Vec<meeting_participant::ActiveModel>,
    programs: Vec<meeting_program::ActiveModel>,
    regions: Vec<meeting_region::ActiveModel>,
    decisions: Vec<decision::ActiveModel>,
    items: Vec<action_item::ActiveModel>,
    updates: Vec<action_item_update::ActiveModel>,
    item_programs: Vec<action_item_program::ActiveModel>,
    item_regions: Vec<action_item_region::ActiveModel>,
}

/// Inserts the meetings and everything they hold, parents before children.
pub(super) async fn load(
    txn: &DatabaseTransaction,
    meetings: &[data::Meeting],
) -> Result<u64, DbErr> {
    let mut rows = Rows::default();
    for m in meetings {
        rows.add(m);
    }
    Ok(put(txn, rows.meetings).await?
        + put(txn, rows.agenda).await?
        + put(txn, rows.participants).await?
        + put(txn, rows.programs).await?
        + put(txn, rows.regions).await?
        + put(txn, rows.decisions).await?
        + put(txn, rows.items).await?
        + put(txn, rows.updates).await?
        + put(txn, rows.item_programs).await?
        + put(txn, rows.item_regions).await?)
}

impl Rows {
    fn add(&mut self, m: &data::Meeting) {
        let mid = demo_id(&m.key);
        self.meetings.push(meeting::ActiveModel {
            id: Set(mid.clone()),
            title: Set(m.title.clone()),
            level: Set(m.level),
            region_code: Set(m.region.clone()),
            held_on: Set(m.held_on),
            host_id: Set(demo_id(&m.host)),
            location: Set(Some(m.location.clone())),
            minutes: Set(Some(m.minutes.clone())),
            version: Set(1),
            created_at: Set(stamp()),
            updated_at: Set(stamp()),
        });
        self.agenda
            .extend(m.agenda.iter().enumerate().map(|(i, text)| {
                meeting_agenda_item::ActiveModel {
                    meeting_id: Set(mid.clone()),
                    position: Set(i as i32),
                    text: Set(text.clone()),
                }
            }));
        self.participants.extend(
            m.participants
                .iter()
                .map(|p| meeting_participant::ActiveModel {
                    id: Set(demo_id(&format!("{}-{}", m.key, p.organization))),
                    meeting_id: Set(mid.clone()),
                    organization_id: Set(demo_id(&p.organization)),
                    representative: Set(Some(p.representative.clone())),
                    role: Set(Some(p.role.clone())),
                }),
        );
        self.programs
            .extend(m.programs.iter().map(|p| meeting_program::ActiveModel {
                meeting_id: Set(mid.clone()),
                program_id: Set(demo_id(p)),
            }));
        self.regions
            .extend(m.regions.iter().map(|r| meeting_region::ActiveModel {
                meeting_id: Set(mid.clone()),
                region_code: Set(r.clone()),
            }));
        for (pos, d) in m.decisions.iter().enumerate() {
            let did = demo_id(&format!("{}-decision-{pos}", m.key));
            self.decisions.push(decision::ActiveModel {
                id: Set(did.clone()),
                meeting_id: Set(mid.clone()),
                position: Set(pos as i32),
                text: Set(d.text.clone()),
            });
            for item in &d.action_items {
                self.add_item(m, &did, item);
            }
        }
    }

    /// An action item of decision `did`, concerning the meeting's first program and first region.
    fn add_item(&mut self, m: &data::Meeting, did: &str, item: &data::ActionItem) {
        let aid = demo_id(&format!("{}-action-{}", m.key, item.key));
        let morning = item.due_on.and_hms_opt(9, 0, 0).expect("valid time");
        self.items.push(action_item::ActiveModel {
            id: Set(aid.clone()),
            decision_id: Set(did.to_string()),
            meeting_id: Set(demo_id(&m.key)),
            text: Set(item.text.clone()),
            owner_id: Set(demo_id(&item.owner)),
            due_on: Set(Some(item.due_on)),
            status: Set(item.status),
            version: Set(1),
            created_at: Set(stamp()),
            updated_at: Set(stamp()),
        });
        self.updates
            .extend(item.updates.iter().enumerate().map(|(i, note)| {
                action_item_update::ActiveModel {
                    id: Set(demo_id(&format!(
                        "{}-action-{}-update-{i}",
                        m.key, item.key
                    ))),
                    action_item_id: Set(aid.clone()),
                    at: Set(Utc.from_utc_datetime(&morning)),
                    by_organization_id: Set(demo_id(&item.owner)),
                    by_user_id: Set(None),
                    note: Set(note.clone()),
                    status: Set(Some(item.status)),
                }
            }));
        self.item_programs
            .extend(
                m.programs
                    .iter()
                    .take(1)
                    .map(|p| action_item_program::ActiveModel {
                        action_item_id: Set(aid.clone()),
                        program_id: Set(demo_id(p)),
                    }),
            );
        self.item_regions.extend(m.regions.iter().take(1).map(|r| {
            action_item_region::ActiveModel {
                action_item_id: Set(aid.clone()),
                region_code: Set(r.clone()),
            }
        }));
    }
}
