//! Programs from a spreadsheet, with yearly targets and target villages: matched on their `code`.

use super::*;
use crate::services::audit::AuditEntity;

mod columns;
pub use columns::PROGRAM_COLUMNS;
use columns::*;

mod check;
use check::check_rows;

/// A yearly target: year, unit, target, realised.
type Target = (i32, String, f64, Option<f64>);

/// A program as the file states it (targets and villages sorted, for comparison).
#[derive(PartialEq)]
struct ProgramState {
    code: Option<String>,
    name: String,
    description: Option<String>,
    owner_id: String,
    cluster: entity::enums::Cluster,
    start_year: i32,
    end_year: i32,
    targets: Vec<Target>,
    villages: Vec<String>,
}

const CODE: usize = 0;
const PNAME: usize = 1;
const OWNER: usize = 2;
const CLUSTER: usize = 3;
const START: usize = 4;
const END: usize = 5;
const PDESC: usize = 6;
const TARGETS: usize = 7;
const VILLAGES: usize = 8;

use entity::{program, program_target, program_village};

/// What a row is checked with: the sheet, the importer, the hub's organizations and programs, and
/// the villages the file names.
struct Lookups<'a> {
    sheet: &'a Sheet,
    importer: Importer<'a>,
    default_regency: Option<&'a str>,
    orgs: Orgs<'a>,
    /// Stored programs by lowercased code.
    by_code: HashMap<String, &'a program::Model>,
    regions: &'a Regions,
    now: chrono::DateTime<Utc>,
}

/// A row as planned: its number, the stored program if any, and the file's state of it.
type Row = (usize, Option<program::Model>, ProgramState);

/// Imports programs with their yearly targets and target villages, with the checks of
/// `createProgram`/`updateProgram`: an admin or a coordinator of the owner's region, texts bounded,
/// years in 2000–2100 and in order, targets inside the program's years and never negative, one
/// target per year and unit, target villages that are villages inside the importer's region.
pub async fn programs(job: &Job<'_>) -> AppResult<Report> {
    let Started {
        mut report,
        sheet,
        default_regency,
        w,
    } = match job.start(&PROGRAM_COLUMNS, &[]).await? {
        Ok(started) => started,
        Err(report) => return Ok(report),
    };
    let importer = job.importer;
    let txn = &w.txn;
    let orgs = entity::organization::Entity::find().all(txn).await?;
    let stored: Vec<program::Model> = program::Entity::find().all(txn).await?;
    let mut wants = RegionWants::default();
    for (_, r) in &sheet.rows {
        for v in split(&sheet.cell(r, VILLAGES)) {
            wants.add(&v, "", default_regency.as_deref());
        }
    }
    let regions = wants.read(txn, Some(RegionLevel::Village)).await?;
    let l = Lookups {
        sheet: &sheet,
        importer,
        default_regency: default_regency.as_deref(),
        orgs: Orgs::new(&orgs),
        by_code: stored
            .iter()
            .filter_map(|p| p.code.as_ref().map(|c| (c.to_lowercase(), p)))
            .collect(),
        regions: &regions,
        now: Utc::now(),
    };
    let checked = check_rows(&l, &mut report);
    let stored_state = StoredState::read(txn, &checked).await?;
    let plan = plan(checked, &stored_state, &mut report);
    if job.stops(&report) {
        return Ok(report);
    }
    for row in plan {
        if !write_row(txn, &l, row, &mut report).await? {
            return settle(w, report, false).await;
        }
    }
    settle(w, report, true).await
}

/// The parts of a cell separated by `;`, trimmed, blanks dropped.
fn split(cell: &str) -> Vec<String> {
    cell.split(';')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The stored targets and villages of the programs the file names.
#[derive(Default)]
struct StoredState {
    targets: HashMap<String, Vec<Target>>,
    villages: HashMap<String, Vec<String>>,
}

impl StoredState {
    async fn read(txn: &impl ConnectionTrait, checked: &[Row]) -> AppResult<Self> {
        let ids: Vec<String> = checked
            .iter()
            .filter_map(|(_, b, _)| b.as_ref().map(|b| b.id.clone()))
            .collect();
        let mut out = Self::default();
        for chunk in ids.chunks(CHUNK) {
            for t in program_target::Entity::find()
                .filter(program_target::Column::ProgramId.is_in(chunk.iter().cloned()))
                .all(txn)
                .await?
            {
                let target = (t.fiscal_year, t.unit, t.target, t.realised);
                out.targets.entry(t.program_id).or_default().push(target);
            }
            for v in program_village::Entity::find()
                .filter(program_village::Column::ProgramId.is_in(chunk.iter().cloned()))
                .all(txn)
                .await?
            {
                out.villages
                    .entry(v.program_id)
                    .or_default()
                    .push(v.village_code);
            }
        }
        Ok(out)
    }

    /// A stored program as a file would state it.
    fn of(&self, b: &program::Model) -> ProgramState {
        let mut targets = self.targets.get(&b.id).cloned().unwrap_or_default();
        targets.sort_by(|a, c| (a.0, &a.1).cmp(&(c.0, &c.1)));
        let mut villages = self.villages.get(&b.id).cloned().unwrap_or_default();
        villages.sort();
        ProgramState {
            code: b.code.clone(),
            name: b.name.clone(),
            description: b.description.clone(),
            owner_id: b.owner_id.clone(),
            cluster: b.cluster,
            start_year: b.start_year,
            end_year: b.end_year,
            targets,
            villages,
        }
    }
}

/// The second pass: each row against its stored program; unchanged rows are left out.
fn plan(checked: Vec<Row>, stored: &StoredState, report: &mut Report) -> Vec<Row> {
    let mut plan: Vec<Row> = Vec::new();
    for (row, before, state) in checked {
        match &before {
            Some(b) if stored.of(b) == state => report.unchanged += 1,
            Some(_) => {
                report.updated += 1;
                plan.push((row, before, state));
            }
            None => {
                report.inserted += 1;
                plan.push((row, before, state));
            }
        }
    }
    plan
}

/// Writes one planned program (updated at the version read, or inserted with its audit row) and
/// replaces its targets and villages with the file's. `false` when it changed meanwhile (the
/// problem is in `report`; the caller drops the transaction).
async fn write_row(
    txn: &impl ConnectionTrait,
    l: &Lookups<'_>,
    (row, before, s): Row,
    report: &mut Report,
) -> AppResult<bool> {
    let after = match &before {
        Some(b) => {
            let code = s.code.as_deref().unwrap_or_default();
            let at = (row, l.sheet.names[CODE].as_str(), code);
            let mut am = b.clone().into_active_model();
            am.name = Set(s.name.clone());
            am.search_name = Set(fold(&s.name));
            am.description = Set(s.description.clone());
            am.owner_id = Set(s.owner_id.clone());
            am.cluster = Set(s.cluster);
            am.start_year = Set(s.start_year);
            am.end_year = Set(s.end_year);
            match update_as_read(txn, &l.importer, report, (b, am), at).await? {
                Some(after) => after,
                None => return Ok(false),
            }
        }
        None => insert(txn, &s, l.now).await?,
    };
    replace_children(txn, &after.id, &s).await?;
    if before.is_none() {
        let importer = &l.importer;
        let none = None::<&()>;
        audit::record(
            txn,
            importer,
            AuditEntity::Program,
            &after.id,
            "create",
            none,
            Some(&after),
        )
        .await?;
    }
    Ok(true)
}

async fn insert(
    txn: &impl ConnectionTrait,
    s: &ProgramState,
    now: chrono::DateTime<Utc>,
) -> AppResult<program::Model> {
    let am = program::ActiveModel {
        id: Set(new_id()),
        code: Set(s.code.clone()),
        search_name: Set(fold(&s.name)),
        name: Set(s.name.clone()),
        description: Set(s.description.clone()),
        owner_id: Set(s.owner_id.clone()),
        cluster: Set(s.cluster),
        start_year: Set(s.start_year),
        end_year: Set(s.end_year),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    };
    Ok(am.insert(txn).await?)
}

/// Replaces a program's targets and villages with the file's (the file is the newer statement).
async fn replace_children(txn: &impl ConnectionTrait, id: &str, s: &ProgramState) -> AppResult<()> {
    program_target::Entity::delete_many()
        .filter(program_target::Column::ProgramId.eq(id))
        .exec(txn)
        .await?;
    program_village::Entity::delete_many()
        .filter(program_village::Column::ProgramId.eq(id))
        .exec(txn)
        .await?;
    if !s.targets.is_empty() {
        program_target::Entity::insert_many(s.targets.iter().map(|(y, u, t, re)| {
            program_target::ActiveModel {
                id: Set(new_id()),
                program_id: Set(id.to_string()),
                fiscal_year: Set(*y),
                unit: Set(u.clone()),
                target: Set(*t),
                realised: Set(*re),
            }
        }))
        .exec_without_returning(txn)
        .await?;
    }
    for chunk in s.villages.chunks(CHUNK) {
        program_village::Entity::insert_many(chunk.iter().map(|v| program_village::ActiveModel {
            program_id: Set(id.to_string()),
            village_code: Set(v.clone()),
        }))
        .exec_without_returning(txn)
        .await?;
    }
    Ok(())
}
