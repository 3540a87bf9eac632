//! Coordination meetings (rakor) at every level, with agenda, participants, decisions, action items
//! and progress updates. Action items due before the dataset's "today" are mostly done, some overdue:
//! the "open and overdue, by owner" question needs both.

use super::catalog::{CAPITAL_PROVINCE, Catalog};
use super::organizations::Directory;
use super::time::{at_midnight, date, today};
use super::{Timings, bulk, names, new_id, thousands, weighted};
use chrono::{Datelike, Duration, NaiveDate};
use entity::enums::{ActionItemStatus as ItemStatus, MeetingLevel};
use entity::{
    action_item, action_item_update, decision, meeting, meeting_agenda_item, meeting_participant,
};
use rand::Rng;
use rand::rngs::SmallRng;
use rand::seq::{IndexedRandom, SliceRandom};
use sea_orm::{ActiveValue::Set, DatabaseConnection, TransactionTrait};
use std::time::Instant;

/// Meetings written per database transaction (each brings about a dozen child rows).
const MEETINGS_PER_TRANSACTION: usize = 2_500;

/// Where and by whom a meeting is held, before ids are given out in date order.
struct Spec {
    held_on: NaiveDate,
    level: MeetingLevel,
    region_code: String,
    place: String,
    host: usize,
    /// Organizations that may be invited besides the host.
    invitees: Vec<usize>,
}

/// Rows of one transaction's worth of meetings.
#[derive(Default)]
struct Batch {
    meetings: Vec<meeting::ActiveModel>,
    agenda: Vec<meeting_agenda_item::ActiveModel>,
    participants: Vec<meeting_participant::ActiveModel>,
    decisions: Vec<decision::ActiveModel>,
    items: Vec<action_item::ActiveModel>,
    updates: Vec<action_item_update::ActiveModel>,
}

/// Generates and inserts `count` meetings with their children.
pub async fn generate(
    db: &DatabaseConnection,
    catalog: &Catalog,
    dir: &Directory,
    rng: &mut SmallRng,
    count: usize,
    timings: &mut Timings,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let first = date(2022, 1, 3);
    let days = (today() - first).num_days();
    let mut specs: Vec<Spec> = (0..count)
        .map(|_| {
            let held_on = first + Duration::days(rng.random_range(0..=days));
            spec(catalog, dir, rng, held_on)
        })
        .collect();
    // Ids are time-ordered, so give them out in meeting-date order, as a live hub would.
    specs.sort_by_key(|s| s.held_on);

    let mut totals = [0u64; 6];
    for chunk in specs.chunks(MEETINGS_PER_TRANSACTION) {
        let mut batch = Batch::default();
        for s in chunk {
            add_meeting(&mut batch, rng, dir, s);
        }
        let txn = db.begin().await?;
        bulk::prepare_transaction(&txn).await?;
        totals[0] += bulk::insert_all(&txn, batch.meetings).await?;
        totals[1] += bulk::insert_all(&txn, batch.agenda).await?;
        totals[2] += bulk::insert_all(&txn, batch.participants).await?;
        totals[3] += bulk::insert_all(&txn, batch.decisions).await?;
        totals[4] += bulk::insert_all(&txn, batch.items).await?;
        totals[5] += bulk::insert_all(&txn, batch.updates).await?;
        txn.commit().await?;
    }
    let labels = [
        "meetings",
        "agenda items",
        "participants",
        "decisions",
        "action items",
        "action item updates",
    ];
    let detail: Vec<String> = labels
        .iter()
        .zip(totals)
        .map(|(l, n)| format!("{} {l}", thousands(n)))
        .collect();
    println!("    {}", detail.join(", "));
    timings.record(
        "meetings (+ children)",
        totals.iter().sum(),
        started.elapsed(),
    );
    Ok(())
}

/// Level, place, host and likely participants of one meeting.
fn spec(catalog: &Catalog, dir: &Directory, rng: &mut SmallRng, held_on: NaiveDate) -> Spec {
    let year = held_on.year();
    let quarter = ["I", "II", "III", "IV"][(held_on.month0() / 3) as usize];
    let roll = rng.random_range(0..100);
    if roll < 1 && !dir.ministries.is_empty() {
        let capital = catalog.province(CAPITAL_PROVINCE).unwrap_or(0);
        let mut invitees: Vec<usize> = dir.ministries.clone();
        for _ in 0..6 {
            let p = catalog.skewed_province(rng);
            invitees.push(dir.province_bappeda[p]);
        }
        return Spec {
            held_on,
            level: MeetingLevel::National,
            region_code: catalog.provinces[capital].code.clone(),
            place: format!("Rakornas Penanggulangan Kemiskinan {year}"),
            host: *dir.ministries.choose(rng).unwrap_or(&0),
            invitees,
        };
    }
    if roll < 10 {
        let p = catalog.skewed_province(rng);
        let mut invitees = dir.province_gov[p].clone();
        for _ in 0..4 {
            let r = catalog.province_regencies[p].clone();
            if !r.is_empty() {
                invitees.push(dir.regency_bappeda[rng.random_range(r)]);
            }
        }
        invitees.extend(dir.business.in_province(rng, p));
        invitees.extend(dir.academia.in_province(rng, p));
        return Spec {
            held_on,
            level: MeetingLevel::Province,
            region_code: catalog.provinces[p].code.clone(),
            place: format!(
                "Rakor TKPK Provinsi {} Triwulan {quarter} {year}",
                catalog.provinces[p].name
            ),
            host: dir.province_bappeda[p],
            invitees,
        };
    }
    if roll < 80 {
        let r = catalog.skewed_regency(rng);
        let p = catalog.regencies[r].parent;
        let mut invitees = dir.regency_gov[r].clone();
        invitees.extend(dir.business.near(rng, p, r));
        invitees.extend(dir.academia.near(rng, p, r));
        invitees.extend(dir.community.near(rng, p, r));
        let districts = catalog.regency_districts[r].clone();
        if roll < 55 || districts.is_empty() {
            return Spec {
                held_on,
                level: MeetingLevel::Regency,
                region_code: catalog.regencies[r].code.clone(),
                place: format!(
                    "Rakor TKPK {} Triwulan {quarter} {year}",
                    catalog.regencies[r].name
                ),
                host: dir.regency_bappeda[r],
                invitees,
            };
        }
        let d = &catalog.districts[rng.random_range(districts)];
        return Spec {
            held_on,
            level: MeetingLevel::District,
            region_code: d.code.clone(),
            place: format!("Rakor Kecamatan {} {year}", d.name),
            host: dir.regency_bappeda[r],
            invitees,
        };
    }
    // A village deliberation hosted by the village government.
    let v = *dir.villages_with_gov.choose(rng).unwrap_or(&0);
    let village = &catalog.villages[v];
    let mut invitees = vec![dir.regency_bappeda[village.regency]];
    invitees.extend(dir.community.near(rng, village.province, village.regency));
    invitees.extend(dir.business.near(rng, village.province, village.regency));
    invitees.extend(dir.academia.near(rng, village.province, village.regency));
    Spec {
        held_on,
        level: MeetingLevel::Village,
        region_code: village.code.clone(),
        place: format!("Musyawarah Desa {} {year}", village.name),
        host: dir.village_gov[v].unwrap_or(dir.regency_bappeda[village.regency]),
        invitees,
    }
}

/// One meeting and all its child rows.
fn add_meeting(b: &mut Batch, rng: &mut SmallRng, dir: &Directory, s: &Spec) {
    let id = new_id();
    let created = at_midnight(s.held_on) + Duration::hours(15);
    b.meetings.push(meeting::ActiveModel {
        id: Set(id.clone()),
        title: Set(s.place.clone()),
        level: Set(s.level),
        region_code: Set(s.region_code.clone()),
        held_on: Set(s.held_on),
        host_id: Set(dir.orgs[s.host].id.clone()),
        location: Set(rng.random_bool(0.7).then(|| "Aula Bappeda".to_owned())),
        minutes: Set(rng
            .random_bool(0.5)
            .then(|| format!("Notulen {}: rapat berjalan lancar.", s.place))),
        version: Set(1),
        created_at: Set(created),
        updated_at: Set(created),
    });

    let mut agenda: Vec<&str> = names::AGENDA.to_vec();
    agenda.shuffle(rng);
    for (pos, text) in agenda.iter().take(rng.random_range(2..=5)).enumerate() {
        b.agenda.push(meeting_agenda_item::ActiveModel {
            meeting_id: Set(id.clone()),
            position: Set(pos as i32),
            text: Set((*text).to_owned()),
        });
    }

    // Host plus one to three distinct invitees.
    let mut people = vec![s.host];
    let mut invitees = s.invitees.clone();
    invitees.shuffle(rng);
    let wanted = rng.random_range(2..=4);
    for o in invitees {
        if people.len() >= wanted {
            break;
        }
        if !people.contains(&o) {
            people.push(o);
        }
    }
    for &o in &people {
        b.participants.push(meeting_participant::ActiveModel {
            id: Set(new_id()),
            meeting_id: Set(id.clone()),
            organization_id: Set(dir.orgs[o].id.clone()),
            representative: Set(Some(names::person(rng))),
            role: Set(Some(names::pick(rng, names::PARTICIPANT_ROLES).to_owned())),
        });
    }

    for pos in 0..rng.random_range(1..=3) {
        let decision_id = new_id();
        b.decisions.push(decision::ActiveModel {
            id: Set(decision_id.clone()),
            meeting_id: Set(id.clone()),
            position: Set(pos),
            text: Set(names::pick(rng, names::DECISIONS).to_owned()),
        });
        for _ in 0..rng.random_range(1..=2) {
            let owner = *people.choose(rng).unwrap_or(&s.host);
            add_action_item(b, rng, dir, &id, &decision_id, owner, s.held_on);
        }
    }
}

/// An action item with a due date, a status that fits it, and sometimes progress updates.
fn add_action_item(
    b: &mut Batch,
    rng: &mut SmallRng,
    dir: &Directory,
    meeting_id: &str,
    decision_id: &str,
    owner: usize,
    held_on: NaiveDate,
) {
    let due = held_on + Duration::days(rng.random_range(14..=120));
    let status = if due < today() {
        weighted(
            rng,
            &[
                (ItemStatus::Done, 60),
                (ItemStatus::Open, 15),
                (ItemStatus::InProgress, 15),
                (ItemStatus::Dropped, 10),
            ],
        )
    } else {
        weighted(rng, &[(ItemStatus::Open, 55), (ItemStatus::InProgress, 45)])
    };
    let id = new_id();
    let created = at_midnight(held_on) + Duration::hours(16);
    let mut updated = created;
    if rng.random_bool(0.35) {
        let n = rng.random_range(1..=2);
        let last_day = due.min(today());
        let span = (last_day - held_on).num_days().max(1);
        for k in 1..=n {
            let at = at_midnight(held_on) + Duration::days(span * k / n) + Duration::hours(9);
            // The last update states the item's current status; earlier ones only report progress.
            let new_status = if k == n && status != ItemStatus::Open {
                Some(status)
            } else {
                None
            };
            b.updates.push(action_item_update::ActiveModel {
                id: Set(new_id()),
                action_item_id: Set(id.clone()),
                at: Set(at),
                by_organization_id: Set(dir.orgs[owner].id.clone()),
                by_user_id: Set(None),
                note: Set(names::pick(rng, names::UPDATE_NOTES).to_owned()),
                status: Set(new_status),
            });
            updated = updated.max(at);
        }
    }
    b.items.push(action_item::ActiveModel {
        id: Set(id),
        decision_id: Set(decision_id.to_owned()),
        meeting_id: Set(meeting_id.to_owned()),
        text: Set(names::pick(rng, names::ACTIONS).to_owned()),
        owner_id: Set(dir.orgs[owner].id.clone()),
        due_on: Set(Some(due)),
        status: Set(status),
        version: Set(1),
        created_at: Set(created),
        updated_at: Set(updated),
    });
}
