//! Village indicators from a spreadsheet: matched on (village, year).

use super::*;
use crate::services::audit::AuditEntity;

mod columns;
pub use columns::INDICATOR_COLUMNS;
use columns::*;

const VILLAGE: usize = 0;
const REG: usize = 1;
const Y: usize = 2;
const SRC: usize = 3;
const AS_OF: usize = 4;
const COUNTS: std::ops::Range<usize> = 5..14;
const PREVALENCE: usize = 14;
const IDM: usize = 15;
const PRIORITY: usize = 16;

use entity::village_indicator::{Column as IC, Entity, Model};

/// What a row is checked with: the sheet, the importer, and the villages the file names.
struct Lookups<'a> {
    sheet: &'a Sheet,
    importer: Importer<'a>,
    default_regency: Option<&'a str>,
    regions: &'a Regions,
    now: chrono::DateTime<Utc>,
}

/// Imports village indicators (one row per village and year), with the checks of
/// `setVillageIndicators`: a coordinator of the village's region (or an admin), a village, a year in
/// 2000–2100, counts never negative, poor households at most the households, deciles all four or
/// none, prevalence 0–100. Matched on (village, year): equal figures are unchanged, others update
/// the row (version + 1, audit row). Unlike the mutation no version is asked for: the file is the
/// newer statement of the figures.
pub async fn indicators(
    job: &Job<'_>,
    progress: &mut (dyn FnMut(&str, usize, usize) + Send),
) -> AppResult<Report> {
    let Started {
        mut report,
        sheet,
        default_regency,
        w,
    } = match job.start(&INDICATOR_COLUMNS, &[]).await? {
        Ok(started) => started,
        Err(report) => return Ok(report),
    };
    let importer = job.importer;
    let txn = &w.txn;
    let mut wants = RegionWants::default();
    for (_, r) in &sheet.rows {
        let (raw, own) = (sheet.cell(r, VILLAGE), sheet.cell(r, REG));
        wants.add(&raw, &own, default_regency.as_deref());
    }
    let regions = wants.read(txn, Some(RegionLevel::Village)).await?;
    let l = Lookups {
        sheet: &sheet,
        importer,
        default_regency: default_regency.as_deref(),
        regions: &regions,
        now: Utc::now(),
    };
    let checked = check_rows(&l, &mut report, progress);
    let stored = stored_rows(txn, &checked).await?;
    let plan = plan(&l, checked, &stored, &mut report);
    if job.stops(&report) {
        return Ok(report);
    }
    let wrote = write(txn, &l, plan, &mut report).await?;
    settle(w, report, wrote).await
}

/// The first pass: every row's cells, with progress; rows with problems are left out.
fn check_rows(
    l: &Lookups,
    report: &mut Report,
    progress: &mut (dyn FnMut(&str, usize, usize) + Send),
) -> Vec<(usize, Model)> {
    let total = l.sheet.rows.len();
    let mut checked: Vec<(usize, Model)> = Vec::with_capacity(total);
    for (n, (row, r)) in l.sheet.rows.iter().enumerate() {
        if n > 0 && n.is_multiple_of(PROGRESS_EVERY) {
            progress("checked", n, total);
        }
        let mut c = Cells::new(l.sheet, *row, r);
        let result = check_row(l, &mut c);
        checked.extend(c.finish(report, result).map(|m| (*row, m)));
    }
    checked
}

fn check_row(l: &Lookups, c: &mut Cells) -> Option<Model> {
    let village = village(l, c);
    if let Some(v) = village
        && let Err(e) = l
            .importer
            .require_coordinator_of(&v.code, "record this village's indicators")
    {
        c.forbid(VILLAGE, &c.get(VILLAGE), e);
    }
    let year_cell = c.get(Y);
    let year = year_cell
        .parse::<i32>()
        .ok()
        .filter(|y| crate::services::FISCAL_YEARS.contains(y));
    if year.is_none() {
        c.problem(Y, &year_cell, "a fiscal year between 2000 and 2100");
    }
    let src_cell = c.get(SRC);
    let source = writes::text("", &src_cell, rules::INDICATOR_SOURCE_MAX)
        .map_err(|e| c.problem(SRC, &src_cell, text_reason(e)))
        .ok();
    let date_cell = c.get(AS_OF);
    let as_of = parse_date(&date_cell);
    if as_of.is_none() {
        c.problem(AS_OF, &date_cell, "a date, 2026-01-31 or 31/01/2026");
    }
    let counts = counts(c);
    let prevalence = prevalence(c);
    let idm = idm(c);
    let priority = priority(c);
    let (v, year, source, as_of) = (village?, year?, source?, as_of?);
    Some(Model {
        id: new_id(),
        village_code: v.code.clone(),
        fiscal_year: year,
        source,
        as_of,
        households: counts[0],
        population: counts[1],
        poor_households: counts[2],
        households_decile1: counts[3],
        households_decile2: counts[4],
        households_decile3: counts[5],
        households_decile4: counts[6],
        stunting_risk_families: counts[7],
        stunting_cases: counts[8],
        stunting_prevalence: prevalence,
        idm_status: idm,
        priority,
        version: 1,
        created_at: l.now,
        updated_at: l.now,
        verification: crate::services::verification::after_write(&l.importer, &v.code),
        verification_note: None,
    })
}

/// The village, by code, or by name below the row's regency (its own column, else the file's).
fn village<'a>(l: &Lookups<'a>, c: &mut Cells) -> Option<&'a entity::region::Model> {
    let raw = c.get(VILLAGE);
    let name = match region_cell(&raw) {
        RegionCell::Code(code) => {
            let found = l
                .regions
                .by_code
                .get(code.as_str())
                .filter(|m| m.level == RegionLevel::Village);
            if found.is_none() {
                c.problem(VILLAGE, &raw, format!("{code} is not a village in the hub"));
            }
            return found;
        }
        RegionCell::Bad(why) => {
            c.problem(VILLAGE, &raw, why);
            return None;
        }
        RegionCell::Name(name) => name,
    };
    let own = c.get(REG);
    let regency = if own.is_empty() {
        l.default_regency.map(str::to_string)
    } else {
        RegionCode::parse(&own)
            .ok()
            .filter(|code| code.level() == RegionLevel::Regency)
            .map(|code| code.to_string())
    };
    let Some(reg) = regency else {
        c.problem(
            VILLAGE,
            &raw,
            "a village name needs the file's regency (--regency, ?regency= or a valid kabupaten column); or give the code",
        );
        return None;
    };
    l.regions
        .pick(c, (VILLAGE, &raw), (&reg, &name), ("village", "villages"))
}

/// The counts (households to stunting cases), each empty or a whole number never negative; then
/// poor households at most the households, and deciles all four or none.
fn counts(c: &mut Cells) -> Vec<Option<i32>> {
    let mut counts: Vec<Option<i32>> = Vec::new();
    let mut counts_ok = true;
    for col in COUNTS {
        let cell = c.get(col);
        if cell.is_empty() {
            counts.push(None);
            continue;
        }
        match cell.parse::<i32>() {
            Ok(n) if n >= 0 => counts.push(Some(n)),
            Ok(_) => {
                counts_ok = false;
                c.problem(col, &cell, "never negative");
            }
            Err(_) => {
                counts_ok = false;
                c.problem(col, &cell, "a whole number");
            }
        }
    }
    if counts_ok {
        if let (Some(p), Some(h)) = (counts[2], counts[0])
            && p > h
        {
            let why = "cannot exceed households";
            c.problem(COUNTS.start + 2, &p.to_string(), why);
        }
        let deciles = &counts[3..7];
        if deciles.iter().any(Option::is_some) && !deciles.iter().all(Option::is_some) {
            c.problem(COUNTS.start + 3, "", "deciles 1 to 4: all four or none");
        }
    }
    counts
}

fn prevalence(c: &mut Cells) -> Option<f64> {
    let cell = c.get(PREVALENCE);
    if cell.is_empty() {
        return None;
    }
    match cell.replace(',', ".").parse::<f64>() {
        Ok(p) if (0.0..=100.0).contains(&p) => Some(p),
        _ => {
            c.problem(PREVALENCE, &cell, "a percentage between 0 and 100");
            None
        }
    }
}

fn idm(c: &mut Cells) -> Option<entity::enums::IdmStatus> {
    let cell = c.get(IDM);
    if cell.is_empty() {
        return None;
    }
    let s = parse_enum(&cell, crate::labels::Kind::IdmStatus, IDM_LABELS);
    if s.is_none() {
        c.problem(IDM, &cell, "unknown IDM status (see the template)");
    }
    s
}

fn priority(c: &mut Cells) -> bool {
    let cell = c.get(PRIORITY);
    match fold(&cell).as_str() {
        "" | "tidak" | "no" | "false" | "0" | "n" => false,
        "ya" | "yes" | "true" | "1" | "y" => true,
        _ => {
            c.problem(PRIORITY, &cell, "ya or tidak (yes or no)");
            false
        }
    }
}

/// The stored rows of the checked rows' villages, by (village, year).
async fn stored_rows(
    txn: &impl ConnectionTrait,
    checked: &[(usize, Model)],
) -> AppResult<HashMap<(String, i32), Model>> {
    let villages: Vec<String> = checked
        .iter()
        .map(|(_, m)| m.village_code.clone())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut stored: HashMap<(String, i32), Model> = HashMap::new();
    for chunk in villages.chunks(CHUNK) {
        for m in Entity::find()
            .filter(IC::VillageCode.is_in(chunk.iter().cloned()))
            .all(txn)
            .await?
        {
            stored.insert((m.village_code.clone(), m.fiscal_year), m);
        }
    }
    Ok(stored)
}

/// The second pass: a village and year once in the file, then each row against its stored row.
fn plan(
    l: &Lookups,
    checked: Vec<(usize, Model)>,
    stored: &HashMap<(String, i32), Model>,
    report: &mut Report,
) -> Plan<Model> {
    let mut seen: HashMap<(String, i32), usize> = HashMap::new();
    let mut plan = Plan::new();
    for (row, mut m) in checked {
        let k = (m.village_code.clone(), m.fiscal_year);
        if let Some(first) = seen.get(&k) {
            let why = format!(
                "village and year repeated: already on row {first} for {}",
                m.fiscal_year
            );
            let p = l.sheet.problem(row, VILLAGE, &m.village_code, why);
            report.problems.push(p);
            continue;
        }
        seen.insert(k.clone(), row);
        let before = stored.get(&k).cloned();
        if let Some(b) = &before {
            m.id = b.id.clone();
            m.version = b.version;
            m.created_at = b.created_at;
            m.updated_at = b.updated_at;
            // Compared as stored; `replace` sets the state a change leaves.
            m.verification = b.verification;
            m.verification_note = b.verification_note.clone();
        }
        plan.add(report, row, before, m);
    }
    plan
}

/// Writes the plan: new rows batched with their audit rows, changed ones at the version read.
/// `false` when a record changed meanwhile (the problem is in `report`).
async fn write(
    txn: &impl ConnectionTrait,
    l: &Lookups<'_>,
    plan: Plan<Model>,
    report: &mut Report,
) -> AppResult<bool> {
    let mut audit_rows: Vec<entity::audit_log::ActiveModel> = Vec::new();
    let entity = (AuditEntity::VillageIndicator, id_of as fn(&Model) -> &str);
    insert_new::<Entity>(txn, &l.importer, entity, &plan.inserts, &mut audit_rows).await?;
    for (row, b, m) in plan.updates {
        let at = (
            row,
            l.sheet.names[VILLAGE].as_str(),
            m.village_code.as_str(),
        );
        if !report
            .lock_as_read::<Entity>(txn, (&b.id, b.version), at)
            .await?
        {
            return Ok(false);
        }
        crate::services::indicators::replace(txn, &l.importer, &b, m).await?;
    }
    audit::record_many(txn, audit_rows).await?;
    Ok(true)
}

fn id_of(m: &Model) -> &str {
    &m.id
}
