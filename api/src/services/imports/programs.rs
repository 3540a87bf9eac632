//! Programs from a spreadsheet, with yearly targets and target villages: matched on their `code`.

use super::*;

/// The columns of a programs file: one row per program, its yearly targets and target villages in
/// one cell each (spreadsheet users keep a program on one line). Rows are matched on the program's
/// code, which is unique in the hub. A re-import replaces the targets and villages with the file's
/// (the file is the newer statement); equal values are unchanged.
pub const PROGRAM_COLUMNS: [Column; 9] = [
    Column {
        en: "code",
        id: "kode",
        aliases: &["kode_program", "program_code"],
        required: true,
        example: "KMP-2026",
        doc: "Kode program, unik, paling banyak 64 karakter; kunci impor ulang. / Program code, unique; the re-import key.",
    },
    Column {
        en: "name",
        id: "nama",
        aliases: &["nama_program"],
        required: true,
        example: "Kawasan Mandiri Pangan",
        doc: "Nama program, paling banyak 200 karakter. / Name.",
    },
    Column {
        en: "owner",
        id: "pemilik",
        aliases: &["penanggung_jawab", "owner_id"],
        required: true,
        example: "Dinas Pertanian dan Pangan Kabupaten Pekalongan",
        doc: "Organisasi pemilik (nama persis atau id). / Owner organization, by name or id.",
    },
    Column {
        en: "cluster",
        id: "klaster",
        aliases: &[],
        required: true,
        example: "II",
        doc: "Klaster I, II, III, IV (atau SOCIAL_ASSISTANCE, COMMUNITY_EMPOWERMENT, MICRO_SMALL_ENTERPRISE, PRO_PEOPLE).",
    },
    Column {
        en: "start_year",
        id: "tahun_mulai",
        aliases: &["mulai"],
        required: true,
        example: "2026",
        doc: "Tahun mulai, 2000–2100.",
    },
    Column {
        en: "end_year",
        id: "tahun_selesai",
        aliases: &["selesai"],
        required: true,
        example: "2028",
        doc: "Tahun selesai, tidak sebelum tahun mulai.",
    },
    Column {
        en: "description",
        id: "keterangan",
        aliases: &["deskripsi"],
        required: false,
        example: "",
        doc: "Keterangan, paling banyak 4000 karakter.",
    },
    Column {
        en: "targets",
        id: "target_tahunan",
        aliases: &["target"],
        required: false,
        example: "2026:kawasan:192; 2027:kawasan:190",
        doc: "Target per tahun, `tahun:satuan:target[:realisasi]` dipisah `;`, tahun di dalam tahun program. / Yearly targets.",
    },
    Column {
        en: "villages",
        id: "desa_sasaran",
        aliases: &["desa", "target_villages"],
        required: false,
        example: "33.26.02.2008; 3326022014",
        doc: "Desa sasaran: kode (atau nama, dengan --regency) dipisah `;`. / Target villages, separated by `;`.",
    },
];

const CLUSTER_LABELS: &[(&str, &str)] = &[
    ("i", "SOCIAL_ASSISTANCE"),
    ("1", "SOCIAL_ASSISTANCE"),
    ("ii", "COMMUNITY_EMPOWERMENT"),
    ("2", "COMMUNITY_EMPOWERMENT"),
    ("iii", "MICRO_SMALL_ENTERPRISE"),
    ("3", "MICRO_SMALL_ENTERPRISE"),
    ("iv", "PRO_PEOPLE"),
    ("4", "PRO_PEOPLE"),
];

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
pub async fn programs(
    db: &DatabaseConnection,
    gate: &WriteGate,
    importer: Importer<'_>,
    bytes: &[u8],
    format: Format,
    options: &Options,
) -> AppResult<Report> {
    let Started {
        mut report,
        sheet,
        default_regency,
    } = match start(bytes, format, options, &PROGRAM_COLUMNS, &[])? {
        Ok(started) => started,
        Err(report) => return Ok(report),
    };
    let w = writes::begin(db, gate).await?;
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
    if !report.problems.is_empty() || options.dry_run {
        return Ok(report);
    }
    for row in plan {
        if !write_row(txn, &l, row, &mut report).await? {
            return Ok(report);
        }
    }
    w.commit().await?;
    report.stored = true;
    Ok(report)
}

/// The parts of a cell separated by `;`, trimmed, blanks dropped.
fn split(cell: &str) -> Vec<String> {
    cell.split(';')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The first pass: every row's cells; a code once in the file.
fn check_rows(l: &Lookups, report: &mut Report) -> Vec<Row> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut checked: Vec<Row> = Vec::new();
    for (row, r) in &l.sheet.rows {
        let mut c = Cells::new(l.sheet, *row, r);
        let result = check_row(l, &mut c, &mut seen);
        checked.extend(c.finish(report, result));
    }
    checked
}

fn check_row(l: &Lookups, c: &mut Cells, seen: &mut HashMap<String, usize>) -> Option<Row> {
    let code_cell = c.get(CODE);
    let code = writes::text("", &code_cell, rules::PROGRAM_CODE_MAX)
        .map_err(|e| c.problem(CODE, &code_cell, text_reason(e)))
        .ok();
    if let Some(k) = &code
        && let Some(first) = seen.insert(k.to_lowercase(), c.row)
    {
        let why = format!("code repeated: already on row {first}");
        c.problem(CODE, &code_cell, why);
    }
    let before = code
        .as_ref()
        .and_then(|k| l.by_code.get(&k.to_lowercase()))
        .map(|p| (*p).clone());
    let name_cell = c.get(PNAME);
    let name = writes::text("", &name_cell, rules::PROGRAM_NAME_MAX)
        .map_err(|e| c.problem(PNAME, &name_cell, text_reason(e)))
        .ok();
    let desc_cell = c.get(PDESC);
    let description = writes::opt_text("", Some(&desc_cell), rules::PROGRAM_DESCRIPTION_MAX)
        .map_err(|e| c.problem(PDESC, &desc_cell, text_reason(e)))
        .ok()
        .flatten();
    let owner = owner(l, c, before.as_ref());
    let cluster_cell = c.get(CLUSTER);
    let cluster = parse_enum(&cluster_cell, crate::labels::Kind::Cluster, CLUSTER_LABELS);
    if cluster.is_none() {
        c.problem(CLUSTER, &cluster_cell, "cluster I, II, III or IV");
    }
    let (start, end) = years(c);
    let targets = targets(c, start.zip(end));
    let villages = villages(l, c);
    let (code, name, owner, cluster, start, end) = (code?, name?, owner?, cluster?, start?, end?);
    let state = ProgramState {
        code: Some(code),
        name,
        description,
        owner_id: owner.id.clone(),
        cluster,
        start_year: start,
        end_year: end,
        targets,
        villages,
    };
    Some((c.row, before, state))
}

/// The owner, and whether the importer may manage its programs (and the stored owner's).
fn owner<'a>(
    l: &Lookups<'a>,
    c: &mut Cells,
    before: Option<&program::Model>,
) -> Option<&'a entity::organization::Model> {
    let cell = c.get(OWNER);
    let Ok(o) = l.orgs.find(&cell) else {
        c.problem(OWNER, &cell, "unknown organization");
        return None;
    };
    let what = "manage this organization's programs";
    let mut denied = l
        .importer
        .require_coordinator_of(&o.region_code, what)
        .err();
    if let Some(b) = before
        && denied.is_none()
        && let Some(old) = l.orgs.id(&b.owner_id)
    {
        denied = l
            .importer
            .require_coordinator_of(&old.region_code, what)
            .err();
    }
    if let Some(e) = denied {
        c.forbid(OWNER, &cell, e);
    }
    Some(o)
}

/// Start and end years, each in 2000–2100, in order.
fn years(c: &mut Cells) -> (Option<i32>, Option<i32>) {
    let mut year = |col: usize| -> Option<i32> {
        let cell = c.get(col);
        match cell.parse::<i32>() {
            Ok(y) if crate::services::FISCAL_YEARS.contains(&y) => Some(y),
            _ => {
                c.problem(col, &cell, rules::FISCAL_YEAR_MESSAGE);
                None
            }
        }
    };
    let start = year(START);
    let end = year(END);
    if let (Some(s), Some(e)) = (start, end)
        && s > e
    {
        c.problem(END, &e.to_string(), rules::PROGRAM_YEARS_MESSAGE);
    }
    (start, end)
}

/// The yearly targets, `year:unit:target[:realised]`, sorted by year and unit.
fn targets(c: &mut Cells, years: Option<(i32, i32)>) -> Vec<Target> {
    let mut targets: Vec<Target> = Vec::new();
    let mut keys: HashSet<(i32, String)> = HashSet::new();
    for part in split(&c.get(TARGETS)) {
        let bits: Vec<&str> = part.split(':').map(str::trim).collect();
        let num = |s: &str| {
            s.replace(',', ".")
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
        };
        let parsed = match bits.as_slice() {
            [y, u, t] => Some((y.parse::<i32>().ok(), *u, num(t), None)),
            [y, u, t, re] => Some((y.parse::<i32>().ok(), *u, num(t), Some(num(re)))),
            _ => None,
        };
        let Some((Some(y), u, Some(t), re)) = parsed else {
            let why = "year:unit:target[:realised], e.g. 2026:kawasan:192";
            c.problem(TARGETS, &part, why);
            continue;
        };
        if u.is_empty() || u.chars().count() > 64 {
            let why = "year:unit:target[:realised], e.g. 2026:kawasan:192";
            c.problem(TARGETS, &part, why);
            continue;
        }
        let realised = match re {
            None => None,
            Some(Some(v)) => Some(v),
            Some(None) => {
                c.problem(TARGETS, &part, "the realisation is not a number");
                continue;
            }
        };
        if t < 0.0 || realised.is_some_and(|v| v < 0.0) {
            c.problem(TARGETS, &part, "never negative");
        } else if let Some((s, e)) = years
            && !(s..=e).contains(&y)
        {
            c.problem(TARGETS, &part, "outside the program's years");
        } else if !keys.insert((y, u.to_string())) {
            c.problem(TARGETS, &part, "the same year and unit twice");
        } else {
            targets.push((y, u.to_string(), t, realised));
        }
    }
    targets.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    targets
}

/// The target villages, by code or by name below the file's regency, each inside the importer's
/// region; sorted, once each.
fn villages(l: &Lookups, c: &mut Cells) -> Vec<String> {
    let mut villages: Vec<String> = Vec::new();
    for v in split(&c.get(VILLAGES)) {
        let found: Option<&entity::region::Model> = match region_cell(&v) {
            RegionCell::Code(code) => l.regions.by_code.get(code.as_str()),
            RegionCell::Name(n) => {
                match l
                    .default_regency
                    .map_or(&[][..], |reg| l.regions.named(reg, &n))
                {
                    [one] => Some(one),
                    several if several.len() > 1 => {
                        let why = format!("ambiguous: {}; give the code", candidates(several));
                        c.problem(VILLAGES, &v, why);
                        continue;
                    }
                    _ => None,
                }
            }
            RegionCell::Bad(why) => {
                c.problem(VILLAGES, &v, why);
                continue;
            }
        };
        match found {
            Some(m) if m.level == RegionLevel::Village => {
                if !l.importer.is_admin() && !l.importer.coordinates(&m.code) {
                    let why = format!("village {} is outside your region", m.code);
                    c.forbid(VILLAGES, &v, AppError::Forbidden(why));
                    continue;
                }
                villages.push(m.code.clone());
            }
            _ => c.problem(VILLAGES, &v, "not a village in the hub"),
        }
    }
    villages.sort();
    villages.dedup();
    villages
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
            "program",
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
