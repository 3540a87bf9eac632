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
    use entity::{program, program_target, program_village};
    const CODE: usize = 0;
    const PNAME: usize = 1;
    const OWNER: usize = 2;
    const CLUSTER: usize = 3;
    const START: usize = 4;
    const END: usize = 5;
    const PDESC: usize = 6;
    const TARGETS: usize = 7;
    const VILLAGES: usize = 8;
    let mut report = Report {
        dry_run: options.dry_run,
        ..Default::default()
    };
    let default_regency = stated_regency(options)?;
    let Some(sheet) = open_sheet(bytes, format, &PROGRAM_COLUMNS, &[], &mut report) else {
        return Ok(report);
    };
    let rows: Vec<(usize, &Vec<String>)> = sheet.rows.iter().map(|(n, r)| (*n, r)).collect();
    report.rows = rows.len();
    let at = &sheet.at;
    let names = &sheet.names;
    let get = |r: &Vec<String>, i: usize| -> String {
        at[i]
            .and_then(|p| r.get(p))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    let split = |cell: &str| -> Vec<String> {
        cell.split(';')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    };
    let w = writes::begin(db, gate).await?;
    let txn = &w.txn;
    let orgs = entity::organization::Entity::find().all(txn).await?;
    let org_by_id: HashMap<&str, &entity::organization::Model> =
        orgs.iter().map(|o| (o.id.as_str(), o)).collect();
    let mut org_by_name: HashMap<String, Vec<&entity::organization::Model>> = HashMap::new();
    for o in &orgs {
        org_by_name
            .entry(o.search_name.clone())
            .or_default()
            .push(o);
    }
    let stored: Vec<program::Model> = program::Entity::find().all(txn).await?;
    let by_code: HashMap<String, &program::Model> = stored
        .iter()
        .filter_map(|p| p.code.as_ref().map(|c| (c.to_lowercase(), p)))
        .collect();
    // Villages named by code, and the regency's villages for names.
    let mut villages_by_code: HashMap<String, entity::region::Model> = HashMap::new();
    let codes: Vec<String> = rows
        .iter()
        .flat_map(|&(_, r)| split(&get(r, VILLAGES)))
        .filter_map(|v| RegionCode::parse(&v).ok())
        .map(|c| c.to_string())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    for chunk in codes.chunks(CHUNK) {
        for m in entity::region::Entity::find()
            .filter(entity::region::Column::Code.is_in(chunk.iter().cloned()))
            .all(txn)
            .await?
        {
            villages_by_code.insert(m.code.clone(), m);
        }
    }
    let mut villages_by_name: HashMap<String, Vec<entity::region::Model>> = HashMap::new();
    if let Some(reg) = &default_regency {
        for m in entity::region::Entity::find()
            .filter(entity::region::Column::Code.starts_with(format!("{reg}.")))
            .filter(entity::region::Column::Level.eq(RegionLevel::Village))
            .all(txn)
            .await?
        {
            villages_by_name
                .entry(m.search_name.clone())
                .or_default()
                .push(m);
        }
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    // (row, stored program if any, the file's state)
    let mut plan: Vec<(usize, Option<program::Model>, ProgramState)> = Vec::new();
    for &(row, r) in &rows {
        let mut probs: Vec<Problem> = Vec::new();
        let mut problem = |col: usize, value: &str, reason: String| {
            probs.push(Problem::new(row, &names[col], value, reason));
        };
        let bad = |e: AppError| match e {
            AppError::BadInput { message, .. } => message,
            other => other.to_string(),
        };
        let code_cell = get(r, CODE);
        let code = writes::text("", &code_cell, rules::PROGRAM_CODE_MAX)
            .map_err(|e| problem(CODE, &code_cell, bad(e)))
            .ok();
        if let Some(c) = &code
            && let Some(first) = seen.insert(c.to_lowercase(), row)
        {
            problem(
                CODE,
                &code_cell,
                format!("code repeated: already on row {first}"),
            );
        }
        let before = code
            .as_ref()
            .and_then(|c| by_code.get(&c.to_lowercase()))
            .map(|p| (*p).clone());
        let name_cell = get(r, PNAME);
        let name = writes::text("", &name_cell, rules::PROGRAM_NAME_MAX)
            .map_err(|e| problem(PNAME, &name_cell, bad(e)))
            .ok();
        let desc_cell = get(r, PDESC);
        let description = writes::opt_text("", Some(&desc_cell), rules::PROGRAM_DESCRIPTION_MAX)
            .map_err(|e| problem(PDESC, &desc_cell, bad(e)))
            .ok()
            .flatten();
        let owner_cell = get(r, OWNER);
        let owner = match org_by_id.get(owner_cell.as_str()) {
            Some(o) => Some(*o),
            None => match org_by_name.get(&fold(&owner_cell)).map(Vec::as_slice) {
                Some([o]) => Some(*o),
                _ => {
                    problem(OWNER, &owner_cell, "unknown organization".into());
                    None
                }
            },
        };
        let mut forbidden = false;
        if let (Importer::User(u), Some(o)) = (importer, owner) {
            let actor = Actor::User(u);
            let mut denied = actor
                .require_coordinator_of(&o.region_code, "manage this organization's programs")
                .err();
            if let Some(b) = &before
                && denied.is_none()
                && let Some(old) = org_by_id.get(b.owner_id.as_str())
            {
                denied = actor
                    .require_coordinator_of(&old.region_code, "manage this organization's programs")
                    .err();
            }
            if let Some(e) = denied {
                forbidden = true;
                problem(OWNER, &owner_cell, format!("forbidden: {e}"));
            }
        }
        let cluster_cell = get(r, CLUSTER);
        let cluster: Option<entity::enums::Cluster> =
            parse_enum(&cluster_cell, crate::labels::Kind::Cluster, CLUSTER_LABELS);
        if cluster.is_none() {
            problem(CLUSTER, &cluster_cell, "cluster I, II, III or IV".into());
        }
        let mut year = |col: usize| -> Option<i32> {
            let cell = get(r, col);
            match cell.parse::<i32>() {
                Ok(y) if crate::services::FISCAL_YEARS.contains(&y) => Some(y),
                _ => {
                    problem(col, &cell, rules::FISCAL_YEAR_MESSAGE.into());
                    None
                }
            }
        };
        let start = year(START);
        let end = year(END);
        if let (Some(s), Some(e)) = (start, end)
            && s > e
        {
            problem(END, &e.to_string(), rules::PROGRAM_YEARS_MESSAGE.into());
        }
        // Targets: year:unit:target[:realised].
        let targets_cell = get(r, TARGETS);
        let mut targets: Vec<Target> = Vec::new();
        let mut target_keys: HashSet<(i32, String)> = HashSet::new();
        for part in split(&targets_cell) {
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
            match parsed {
                Some((Some(y), u, Some(t), re)) if !u.is_empty() && u.chars().count() <= 64 => {
                    let realised = match re {
                        None => None,
                        Some(Some(v)) => Some(v),
                        Some(None) => {
                            problem(TARGETS, &part, "the realisation is not a number".into());
                            continue;
                        }
                    };
                    if t < 0.0 || realised.is_some_and(|v| v < 0.0) {
                        problem(TARGETS, &part, "never negative".into());
                    } else if let (Some(s), Some(e)) = (start, end)
                        && !(s..=e).contains(&y)
                    {
                        problem(TARGETS, &part, "outside the program's years".into());
                    } else if !target_keys.insert((y, u.to_string())) {
                        problem(TARGETS, &part, "the same year and unit twice".into());
                    } else {
                        targets.push((y, u.to_string(), t, realised));
                    }
                }
                _ => problem(
                    TARGETS,
                    &part,
                    "year:unit:target[:realised], e.g. 2026:kawasan:192".into(),
                ),
            }
        }
        targets.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        // Villages.
        let mut villages: Vec<String> = Vec::new();
        for v in split(&get(r, VILLAGES)) {
            let found: Option<&entity::region::Model> = match region_cell(&v) {
                RegionCell::Code(c) => villages_by_code.get(c.as_str()),
                RegionCell::Name(n) => match villages_by_name.get(&n).map(Vec::as_slice) {
                    Some([one]) => Some(one),
                    Some(several) if several.len() > 1 => {
                        let list: Vec<String> = several
                            .iter()
                            .map(|m| format!("{} ({})", m.name, m.code))
                            .collect();
                        problem(
                            VILLAGES,
                            &v,
                            format!("ambiguous: {}; give the code", list.join(", ")),
                        );
                        continue;
                    }
                    _ => None,
                },
                RegionCell::Bad(why) => {
                    problem(VILLAGES, &v, why);
                    continue;
                }
            };
            match found {
                Some(m) if m.level == RegionLevel::Village => {
                    if let Importer::User(u) = importer {
                        let actor = Actor::User(u);
                        if !actor.is_admin() && !actor.coordinates(&m.code) {
                            forbidden = true;
                            problem(
                                VILLAGES,
                                &v,
                                format!("forbidden: village {} is outside your region", m.code),
                            );
                            continue;
                        }
                    }
                    villages.push(m.code.clone());
                }
                _ => problem(VILLAGES, &v, "not a village in the hub".into()),
            }
        }
        villages.sort();
        villages.dedup();
        report.forbidden |= forbidden;
        if !probs.is_empty() {
            report.problems.extend(probs);
            continue;
        }
        let (Some(code), Some(name), Some(owner), Some(cluster), Some(start), Some(end)) =
            (code, name, owner, cluster, start, end)
        else {
            continue;
        };
        plan.push((
            row,
            before,
            ProgramState {
                code: Some(code),
                name,
                description,
                owner_id: owner.id.clone(),
                cluster,
                start_year: start,
                end_year: end,
                targets,
                villages,
            },
        ));
    }
    // Stored targets and villages of the programs the file names.
    let ids: Vec<String> = plan
        .iter()
        .filter_map(|(_, b, _)| b.as_ref().map(|b| b.id.clone()))
        .collect();
    let mut old_targets: HashMap<String, Vec<Target>> = HashMap::new();
    let mut old_villages: HashMap<String, Vec<String>> = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        for t in program_target::Entity::find()
            .filter(program_target::Column::ProgramId.is_in(chunk.iter().cloned()))
            .all(txn)
            .await?
        {
            old_targets.entry(t.program_id.clone()).or_default().push((
                t.fiscal_year,
                t.unit,
                t.target,
                t.realised,
            ));
        }
        for v in program_village::Entity::find()
            .filter(program_village::Column::ProgramId.is_in(chunk.iter().cloned()))
            .all(txn)
            .await?
        {
            old_villages
                .entry(v.program_id.clone())
                .or_default()
                .push(v.village_code);
        }
    }
    let state_of = |b: &program::Model| -> ProgramState {
        let mut targets = old_targets.get(&b.id).cloned().unwrap_or_default();
        targets.sort_by(|a, c| (a.0, &a.1).cmp(&(c.0, &c.1)));
        let mut villages = old_villages.get(&b.id).cloned().unwrap_or_default();
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
    };
    let mut writes_planned: Vec<(usize, Option<program::Model>, ProgramState)> = Vec::new();
    for (row, before, state) in plan {
        match &before {
            Some(b) if state_of(b) == state => report.unchanged += 1,
            Some(_) => {
                report.updated += 1;
                writes_planned.push((row, before, state));
            }
            None => {
                report.inserted += 1;
                writes_planned.push((row, before, state));
            }
        }
    }
    if !report.problems.is_empty() || options.dry_run {
        return Ok(report);
    }
    let now = Utc::now();
    for (row, before, s) in writes_planned {
        let after = match &before {
            Some(b) => {
                let code = s.code.as_deref().unwrap_or_default();
                if !report
                    .lock_as_read::<program::Entity>(
                        txn,
                        (&b.id, b.version),
                        (row, &names[CODE], code),
                    )
                    .await?
                {
                    return Ok(report);
                }
                let mut am = b.clone().into_active_model();
                am.name = Set(s.name.clone());
                am.search_name = Set(fold(&s.name));
                am.description = Set(s.description.clone());
                am.owner_id = Set(s.owner_id.clone());
                am.cluster = Set(s.cluster);
                am.start_year = Set(s.start_year);
                am.end_year = Set(s.end_year);
                let change = writes::Change {
                    id: &b.id,
                    version: b.version,
                    action: "update",
                };
                writes::save_update(txn, &importer, change, b, am).await?
            }
            None => {
                program::ActiveModel {
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
                }
                .insert(txn)
                .await?
            }
        };
        program_target::Entity::delete_many()
            .filter(program_target::Column::ProgramId.eq(after.id.clone()))
            .exec(txn)
            .await?;
        program_village::Entity::delete_many()
            .filter(program_village::Column::ProgramId.eq(after.id.clone()))
            .exec(txn)
            .await?;
        if !s.targets.is_empty() {
            program_target::Entity::insert_many(s.targets.iter().map(|(y, u, t, re)| {
                program_target::ActiveModel {
                    id: Set(new_id()),
                    program_id: Set(after.id.clone()),
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
            program_village::Entity::insert_many(chunk.iter().map(|v| {
                program_village::ActiveModel {
                    program_id: Set(after.id.clone()),
                    village_code: Set(v.clone()),
                }
            }))
            .exec_without_returning(txn)
            .await?;
        }
        if before.is_none() {
            audit::record(
                txn,
                &importer,
                "program",
                &after.id,
                "create",
                None::<&()>,
                Some(&after),
            )
            .await?;
        }
    }
    w.commit().await?;
    report.stored = true;
    Ok(report)
}
