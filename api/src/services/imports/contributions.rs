//! Contributions from a spreadsheet: matched on (contributor, `kunci`), checked with the mutations'
//! rules (`services::rules`), written in one transaction.

use super::*;
use crate::labels::Kind;
use sea_orm::DatabaseTransaction;

const KEY: usize = 0;
const CONTRIBUTOR: usize = 1;
const SOURCE: usize = 2;
const KIND: usize = 3;
const REGION: usize = 4;
const REGENCY: usize = 5;
const PROGRAM: usize = 6;
const YEAR: usize = 7;
const TITLE: usize = 8;
const DESCRIPTION: usize = 9;
const TARGET_GROUP: usize = 10;
const BENEFICIARIES: usize = 11;
const PLANNED: usize = 12;
const COMMITTED: usize = 13;
const STATUS: usize = 14;

/// The columns of a contributions file, in template order. Headers are matched ignoring case,
/// accents, spaces and hyphens (`Kode Wilayah` = `kode_wilayah`).
pub const CONTRIBUTION_COLUMNS: [Column; 15] = [
    Column {
        en: "key",
        id: "kunci",
        aliases: &["external_key", "id_baris"],
        required: true,
        example: "DINSOS-2026-001",
        doc: "Kode baris milik organisasi Anda, unik per organisasi; impor ulang mencocokkan baris dengan kunci ini. / Your own row id, unique per organization; re-imports match rows on it.",
    },
    Column {
        en: "contributor",
        id: "kontributor",
        aliases: &["organisasi", "organization", "contributor_id"],
        required: false,
        example: "Dinas Sosial Kabupaten Pekalongan",
        doc: "Nama persis atau id organisasi; kosong = organisasi Anda. / Exact name or id of the organization; empty = your own.",
    },
    Column {
        en: "source",
        id: "sumber_dana",
        aliases: &["sumber"],
        required: true,
        example: "APBD Kabupaten",
        doc: "APBN, APBD Provinsi, APBD Kabupaten, APBDes, CSR, Perguruan Tinggi, Swadaya, Lainnya (atau nama GraphQL: APBD_REGENCY ...).",
    },
    Column {
        en: "kind",
        id: "jenis",
        aliases: &["bentuk"],
        required: true,
        example: "Tunai",
        doc: "Tunai, Barang, Keahlian, Tenaga Sukarela (CASH, IN_KIND, EXPERTISE, VOLUNTEER_LABOUR).",
    },
    Column {
        en: "region_code",
        id: "kode_wilayah",
        aliases: &["wilayah", "region", "desa", "village"],
        required: true,
        example: "33.26.02.2008",
        doc: "Kode Kemendagri (bertitik atau tidak), atau nama desa/kecamatan yang tepat satu di bawah kabupaten berkas. / Kemendagri code, dotted or not, or a name matching exactly one region below the regency.",
    },
    Column {
        en: "regency",
        id: "kabupaten",
        aliases: &["kode_kabupaten", "regency_code"],
        required: false,
        example: "33.26",
        doc: "Kode kabupaten/kota untuk mencari nama wilayah (menggantikan --regency untuk baris ini). / Regency code names are looked up under.",
    },
    Column {
        en: "program",
        id: "program",
        aliases: &["kode_program", "program_code", "program_id"],
        required: false,
        example: "",
        doc: "Kode atau id program; tahun anggaran harus di dalam tahun program. / Program code or id; the fiscal year must fall inside its years.",
    },
    Column {
        en: "fiscal_year",
        id: "tahun_anggaran",
        aliases: &["tahun", "year"],
        required: true,
        example: "2026",
        doc: "Tahun anggaran, 2000–2100. / Fiscal year.",
    },
    Column {
        en: "title",
        id: "judul",
        aliases: &["kegiatan", "nama_kegiatan"],
        required: true,
        example: "Bantuan bibit sayur",
        doc: "Judul, paling banyak 200 karakter. / Title, at most 200 characters.",
    },
    Column {
        en: "description",
        id: "keterangan",
        aliases: &["deskripsi"],
        required: false,
        example: "",
        doc: "Keterangan, paling banyak 4000 karakter. / Description, at most 4000 characters.",
    },
    Column {
        en: "target_group",
        id: "kelompok_sasaran",
        aliases: &["sasaran"],
        required: false,
        example: "Rumah Tangga Miskin",
        doc: "Rumah Tangga Miskin, Keluarga Risiko Stunting, Balita, Umum ... (atau POOR_HOUSEHOLDS ...).",
    },
    Column {
        en: "beneficiaries",
        id: "penerima_manfaat",
        aliases: &["jumlah_penerima"],
        required: false,
        example: "25",
        doc: "Jumlah penerima manfaat, bilangan bulat 0–300.000.000. / Number of beneficiaries, 0 to 300,000,000.",
    },
    Column {
        en: "amount_planned",
        id: "rencana",
        aliases: &["nilai_rencana", "planned"],
        required: true,
        example: "150000000",
        doc: "Nilai rencana, Rupiah utuh ≥ 0 (1.500.000 atau 1500000). / Planned amount, whole Rupiah.",
    },
    Column {
        en: "amount_committed",
        id: "komitmen",
        aliases: &["nilai_komitmen", "committed"],
        required: false,
        example: "0",
        doc: "Nilai komitmen, Rupiah utuh ≥ 0; kosong = 0. / Committed amount; empty = 0.",
    },
    Column {
        en: "status",
        id: "status",
        aliases: &[],
        required: false,
        example: "Rencana",
        doc: "Rencana (PLANNED, bawaan) atau Komitmen (COMMITTED). / PLANNED (default) or COMMITTED.",
    },
];

/// Headers the CSV export adds for readers (`services::reports::contributions_csv`): names and
/// amounts that follow from other records. An import skips them, so an exported file imports back.
pub const CONTRIBUTION_DERIVED: [&str; 7] = [
    "id",
    "nama_wilayah",
    "heliks",
    "nama_program",
    "klaster",
    "pencairan",
    "realisasi",
];

/// One checked row, ready to write.
struct Planned {
    row: usize,
    model: entity::contribution::Model,
    key: String,
    before: Option<entity::contribution::Model>,
}

/// Imports contributions from `bytes`. Returns the report; problems are in it (never an error). An
/// `Err` is an internal failure (database), or a bad `--regency`/`regency=` option.
pub async fn contributions(
    db: &DatabaseConnection,
    gate: &WriteGate,
    importer: Importer<'_>,
    bytes: &[u8],
    format: Format,
    options: &Options,
    progress: &mut (dyn FnMut(&str, usize, usize) + Send),
) -> AppResult<Report> {
    let mut report = Report {
        dry_run: options.dry_run,
        ..Default::default()
    };
    let default_regency = stated_regency(options)?;
    let Some(sheet) = open_sheet(
        bytes,
        format,
        &CONTRIBUTION_COLUMNS,
        &CONTRIBUTION_DERIVED,
        &mut report,
    ) else {
        return Ok(report);
    };
    let rows: Vec<(usize, &Vec<String>)> = sheet.rows.iter().map(|(n, r)| (*n, r)).collect();
    report.rows = rows.len();
    let at = &sheet.at;
    let names = &sheet.names;
    let get = |r: &Vec<String>, i: usize| cell(at, r, i);

    let w = writes::begin(db, gate).await?;
    let txn = &w.txn;

    // Reference data, read once for the whole file.
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
    let programs = entity::program::Entity::find().all(txn).await?;
    let program_by_key: HashMap<String, &entity::program::Model> = programs
        .iter()
        .flat_map(|p| {
            let mut keys = vec![(p.id.to_lowercase(), p)];
            if let Some(c) = &p.code {
                keys.push((c.to_lowercase(), p));
            }
            keys
        })
        .collect();
    let regions = read_regions(txn, &rows, at, default_regency.as_deref()).await?;

    // First pass: everything that needs no earlier import (cells, references, permissions).
    struct Checked<'a> {
        row: usize,
        key: String,
        contributor_cell: String,
        status_cell: String,
        status_given: Option<Status>,
        model: entity::contribution::Model,
        contributor: &'a entity::organization::Model,
        region: &'a entity::region::Model,
        program: Option<&'a entity::program::Model>,
    }
    let mut checked: Vec<Checked> = Vec::with_capacity(rows.len());
    let now = Utc::now();
    for (n, &(row, r)) in rows.iter().enumerate() {
        if n > 0 && n.is_multiple_of(PROGRESS_EVERY) {
            progress("checked", n, rows.len());
        }
        let mut probs: Vec<Problem> = Vec::new();
        let result: Option<Checked> = 'row: {
            let mut problem = |col: usize, value: &str, reason: String| {
                probs.push(Problem::new(row, &names[col], value, reason));
            };
            let bad = |e: AppError| match e {
                AppError::BadInput { message, .. } => message,
                other => other.to_string(),
            };
            let key = get(r, KEY);
            if key.is_empty() {
                problem(KEY, "", "required: the organization's own row id".into());
            } else if key.chars().count() > 128 {
                problem(KEY, &key, "at most 128 characters".into());
            }
            // Contributor.
            let contributor_cell = get(r, CONTRIBUTOR);
            let contributor: Option<&entity::organization::Model> = if contributor_cell.is_empty() {
                match importer.organization_id().and_then(|id| org_by_id.get(id)) {
                    Some(o) => Some(*o),
                    None => {
                        problem(CONTRIBUTOR, "", "name the contributing organization".into());
                        None
                    }
                }
            } else if let Some(o) = org_by_id.get(contributor_cell.as_str()) {
                Some(*o)
            } else {
                match org_by_name.get(&fold(&contributor_cell)).map(Vec::as_slice) {
                    Some([o]) => Some(*o),
                    Some(several) if several.len() > 1 => {
                        problem(
                            CONTRIBUTOR,
                            &contributor_cell,
                            format!(
                                "{} organizations have this name: give the id",
                                several.len()
                            ),
                        );
                        None
                    }
                    _ => {
                        problem(
                            CONTRIBUTOR,
                            &contributor_cell,
                            "unknown organization".into(),
                        );
                        None
                    }
                }
            };
            // Enums.
            let source_cell = get(r, SOURCE);
            let source: Option<FundingSource> =
                parse_enum(&source_cell, Kind::Source, SOURCE_LABELS);
            if source.is_none() {
                problem(
                    SOURCE,
                    &source_cell,
                    "unknown funding source (see the template)".into(),
                );
            }
            let kind_cell = get(r, KIND);
            let kind: Option<ContributionKind> =
                parse_enum(&kind_cell, Kind::ContributionKind, KIND_LABELS);
            if kind.is_none() {
                problem(
                    KIND,
                    &kind_cell,
                    "unknown contribution kind (see the template)".into(),
                );
            }
            let status_cell = get(r, STATUS);
            let status_given: Option<Status> = if status_cell.is_empty() {
                None
            } else {
                match parse_enum::<Status>(&status_cell, Kind::ContributionStatus, STATUS_LABELS) {
                    Some(s) => Some(s),
                    None => {
                        problem(
                            STATUS,
                            &status_cell,
                            "an imported contribution is PLANNED (Rencana) or COMMITTED (Komitmen)"
                                .into(),
                        );
                        None
                    }
                }
            };
            let group_cell = get(r, TARGET_GROUP);
            let target_group: Option<TargetGroup> = if group_cell.is_empty() {
                None
            } else {
                let g = parse_enum(&group_cell, Kind::TargetGroup, TARGET_LABELS);
                if g.is_none() {
                    problem(
                        TARGET_GROUP,
                        &group_cell,
                        "unknown target group (see the template)".into(),
                    );
                }
                g
            };
            // Numbers.
            let year_cell = get(r, YEAR);
            let year: Option<i32> = match year_cell.parse::<i32>() {
                Ok(y) => Some(y),
                Err(_) => {
                    problem(YEAR, &year_cell, rules::FISCAL_YEAR_MESSAGE.into());
                    None
                }
            };
            let ben_cell = get(r, BENEFICIARIES);
            let beneficiaries: Option<i32> = if ben_cell.is_empty() {
                None
            } else {
                match ben_cell.parse::<i32>() {
                    Ok(b) => Some(b),
                    Err(_) => {
                        problem(BENEFICIARIES, &ben_cell, "a whole number".into());
                        None
                    }
                }
            };
            let mut amount = |col: usize, required: bool| -> Option<i64> {
                let cell = get(r, col);
                if cell.is_empty() {
                    if required {
                        problem(col, "", "required".into());
                        return None;
                    }
                    return Some(0);
                }
                match parse_amount(&cell) {
                    Ok(a) => Some(a),
                    Err(why) => {
                        problem(col, &cell, why);
                        None
                    }
                }
            };
            let planned = amount(PLANNED, true);
            let committed = amount(COMMITTED, false);
            let values = rules::Values {
                fiscal_year: year,
                beneficiaries,
                amount_planned: planned,
                amount_committed: committed,
            };
            for (field, message) in rules::contribution_values(values) {
                let col = column_of(field);
                problem(col, &get(r, col), message);
            }
            // Texts.
            let title_cell = get(r, TITLE);
            let title = writes::text("", &title_cell, rules::TITLE_MAX)
                .map_err(|e| problem(TITLE, &title_cell, bad(e)))
                .ok();
            let desc_cell = get(r, DESCRIPTION);
            let description = writes::opt_text("", Some(&desc_cell), rules::DESCRIPTION_MAX)
                .map_err(|e| problem(DESCRIPTION, &desc_cell, bad(e)))
                .ok()
                .flatten();
            // Region.
            let region_raw = get(r, REGION);
            let region: Option<&entity::region::Model> = match region_cell(&region_raw) {
                RegionCell::Code(c) => match regions.by_code.get(c.as_str()) {
                    Some(m) => Some(m),
                    None => {
                        problem(REGION, &region_raw, format!("no region {c} in the hub"));
                        None
                    }
                },
                RegionCell::Bad(why) => {
                    problem(REGION, &region_raw, why);
                    None
                }
                RegionCell::Name(name) => {
                    let own = get(r, REGENCY);
                    let regency = if own.is_empty() {
                        default_regency.clone()
                    } else {
                        match RegionCode::parse(&own) {
                            Ok(c) if c.level() == RegionLevel::Regency => Some(c.to_string()),
                            _ => {
                                problem(REGENCY, &own, "not a regency code (e.g. 33.26)".into());
                                None
                            }
                        }
                    };
                    match regency {
                        None if own.is_empty() => {
                            problem(
                            REGION,
                            &region_raw,
                            "a region name needs the file's regency (--regency, ?regency= or a kabupaten column); or give the code".into(),
                        );
                            None
                        }
                        None => None,
                        Some(reg) => {
                            let found = regions.below.get(&reg).and_then(|m| m.get(&name));
                            match found.map(Vec::as_slice) {
                                Some([one]) => Some(one),
                                Some(several) if several.len() > 1 => {
                                    let names: Vec<String> = several
                                        .iter()
                                        .map(|m| format!("{} ({})", m.name, m.code))
                                        .collect();
                                    problem(
                                        REGION,
                                        &region_raw,
                                        format!(
                                            "ambiguous: several regions below {reg} have this name: {}; give the code",
                                            names.join(", ")
                                        ),
                                    );
                                    None
                                }
                                _ => {
                                    problem(
                                        REGION,
                                        &region_raw,
                                        format!("no region named `{region_raw}` below {reg}"),
                                    );
                                    None
                                }
                            }
                        }
                    }
                }
            };
            // Program.
            let program_cell = get(r, PROGRAM);
            let program: Option<&entity::program::Model> = if program_cell.is_empty() {
                None
            } else {
                match program_by_key.get(&program_cell.to_lowercase()) {
                    Some(p) => Some(*p),
                    None => {
                        problem(
                            PROGRAM,
                            &program_cell,
                            "no such program (give its code or id)".into(),
                        );
                        None
                    }
                }
            };
            if !probs.is_empty() {
                break 'row None;
            }
            let (
                Some(contributor),
                Some(source),
                Some(kind),
                Some(year),
                Some(planned),
                Some(committed),
                Some(title),
                Some(region),
            ) = (
                contributor,
                source,
                kind,
                year,
                planned,
                committed,
                title,
                region,
            )
            else {
                break 'row None;
            };
            let model = entity::contribution::Model {
                id: new_id(),
                contributor_id: contributor.id.clone(),
                source,
                kind,
                region_code: region.code.clone(),
                program_id: program.map(|p| p.id.clone()),
                fiscal_year: year,
                title,
                description,
                target_group,
                beneficiaries,
                amount_planned: planned,
                amount_committed: committed,
                amount_disbursed: 0,
                amount_realised: 0,
                status: status_given.unwrap_or(Status::Planned),
                version: 1,
                created_by: importer.user_id().map(str::to_string),
                created_at: now,
                updated_at: now,
                external_key: Some(key.clone()),
            };
            // The contribution rules the mutations obey; the amount rules wait for the stored row
            // (pass two), whose disbursed amount and status they judge.
            let related = rules::Related {
                contributor,
                region: Some(region),
                program,
                program_found: true,
            };
            if let Err((field, message)) = rules::contribution(&model, related)
                && field != rules::Field::AmountCommitted
            {
                let col = column_of(field);
                probs.push(Problem::new(row, &names[col], &get(r, col), message));
            }
            if !probs.is_empty() {
                break 'row None;
            }
            Some(Checked {
                row,
                key,
                contributor_cell,
                status_cell,
                status_given,
                model,
                contributor,
                region,
                program,
            })
        };
        report.problems.extend(probs);
        checked.extend(result);
    }

    let pairs: Vec<(String, String)> = checked
        .iter()
        .map(|c| (c.model.contributor_id.clone(), c.key.clone()))
        .collect();
    let stored = stored_by_key(txn, &pairs).await?;

    // Second pass: duplicates in the file, the stored row's rules, and permissions (a row that
    // changes nothing needs none: an exported file imports back whoever exported it).
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    let mut plan: Vec<Planned> = Vec::with_capacity(checked.len());
    for c in checked {
        let pair = (c.model.contributor_id.clone(), c.key.clone());
        if let Some(first) = seen.get(&pair) {
            report.problems.push(Problem::new(
                c.row,
                &names[KEY],
                &c.key,
                format!("key repeated: already on row {first} for this organization"),
            ));
            continue;
        }
        seen.insert(pair.clone(), c.row);
        let before = stored.get(&pair).cloned();
        let mut model = c.model;
        let status = match &before {
            Some(b) => status_of_stored(b.status, c.status_given),
            None => status_of_new(c.status_given),
        };
        match status {
            Ok(s) => model.status = s,
            Err(why) => {
                report
                    .problems
                    .push(Problem::new(c.row, &names[STATUS], &c.status_cell, why));
                continue;
            }
        }
        if let Some(b) = &before {
            model.id = b.id.clone();
            model.amount_disbursed = b.amount_disbursed;
            model.amount_realised = b.amount_realised;
            model.version = b.version;
            model.created_by = b.created_by.clone();
            model.created_at = b.created_at;
            model.updated_at = b.updated_at;
            model.external_key = b.external_key.clone();
            if &model == b {
                report.unchanged += 1;
                continue;
            }
            if b.status == Status::Cancelled {
                report.problems.push(Problem::new(
                    c.row,
                    &names[KEY],
                    &c.key,
                    "a cancelled contribution cannot be changed",
                ));
                continue;
            }
        }
        if let Err(e) = importer.require_acting_for(
            &model.contributor_id,
            "import contributions for this organization",
        ) {
            report.forbidden = true;
            report.problems.push(Problem::new(
                c.row,
                &names[CONTRIBUTOR],
                &c.contributor_cell,
                format!("forbidden: {e}"),
            ));
            continue;
        }
        let related = rules::Related {
            contributor: c.contributor,
            region: Some(c.region),
            program: c.program,
            program_found: true,
        };
        if let Err((field, message)) = rules::contribution(&model, related) {
            let col = column_of(field);
            let cell = at[col]
                .and_then(|p| {
                    rows.iter()
                        .find(|(n, _)| *n == c.row)
                        .and_then(|(_, r)| r.get(p))
                })
                .cloned()
                .unwrap_or_default();
            report
                .problems
                .push(Problem::new(c.row, &names[col], &cell, message));
            continue;
        }
        if before.is_some() {
            report.updated += 1;
        } else {
            report.inserted += 1;
        }
        plan.push(Planned {
            row: c.row,
            model,
            key: c.key,
            before,
        });
    }
    if !report.problems.is_empty() || options.dry_run {
        // Dropping the transaction rolls it back: nothing is stored.
        return Ok(report);
    }

    if !write(txn, importer, plan, &names[KEY], &mut report, progress).await? {
        return Ok(report);
    }
    w.commit().await?;
    report.stored = true;
    Ok(report)
}

/// Writes a checked plan: new rows in chunks, changed rows one by one (each at the version the
/// import read), audit rows in chunks. `false` when a record changed meanwhile: the problem is in
/// `report` and the caller drops the transaction.
async fn write(
    txn: &DatabaseTransaction,
    importer: Importer<'_>,
    plan: Vec<Planned>,
    key_column: &str,
    report: &mut Report,
    progress: &mut (dyn FnMut(&str, usize, usize) + Send),
) -> AppResult<bool> {
    let total = plan.len();
    let mut audit_rows: Vec<entity::audit_log::ActiveModel> = Vec::with_capacity(total);
    let mut done = 0usize;
    let (updates, inserts): (Vec<Planned>, Vec<Planned>) =
        plan.into_iter().partition(|p| p.before.is_some());
    for chunk in inserts.chunks(CHUNK) {
        let mut stmt = Query::insert();
        stmt.into_table(Alias::new("contributions")).columns(
            [
                "id",
                "contributor_id",
                "source",
                "kind",
                "region_code",
                "program_id",
                "fiscal_year",
                "title",
                "description",
                "target_group",
                "beneficiaries",
                "amount_planned",
                "amount_committed",
                "amount_disbursed",
                "amount_realised",
                "status",
                "version",
                "created_by",
                "created_at",
                "updated_at",
                "external_key",
            ]
            .map(Alias::new),
        );
        for p in chunk {
            let m = &p.model;
            stmt.values_panic([
                Expr::val(m.id.clone()),
                Expr::val(m.contributor_id.clone()),
                Expr::val(m.source.to_value()),
                Expr::val(m.kind.to_value()),
                Expr::val(m.region_code.clone()),
                Expr::val(m.program_id.clone()),
                Expr::val(m.fiscal_year),
                Expr::val(m.title.clone()),
                Expr::val(m.description.clone()),
                Expr::val(m.target_group.map(|g| g.to_value())),
                Expr::val(m.beneficiaries),
                Expr::val(m.amount_planned),
                Expr::val(m.amount_committed),
                Expr::val(m.amount_disbursed),
                Expr::val(m.amount_realised),
                Expr::val(m.status.to_value()),
                Expr::val(m.version),
                Expr::val(m.created_by.clone()),
                Expr::val(m.created_at),
                Expr::val(m.updated_at),
                Expr::val(p.key.clone()),
            ]);
            audit_rows.push(audit::row(
                &importer,
                "contribution",
                &m.id,
                "create",
                None::<&()>,
                Some(m),
            ));
        }
        txn.execute(&stmt).await?;
        let before_done = done;
        done += chunk.len();
        if done / PROGRESS_EVERY > before_done / PROGRESS_EVERY {
            progress("written", done, total);
        }
    }
    for p in &updates {
        let Some(b) = &p.before else { continue };
        if !report
            .lock_as_read::<entity::contribution::Entity>(
                txn,
                (&b.id, b.version),
                (p.row, key_column, &p.key),
            )
            .await?
        {
            return Ok(false);
        }
        let m = &p.model;
        let mut am = b.clone().into_active_model();
        am.source = Set(m.source);
        am.kind = Set(m.kind);
        am.region_code = Set(m.region_code.clone());
        am.program_id = Set(m.program_id.clone());
        am.fiscal_year = Set(m.fiscal_year);
        am.title = Set(m.title.clone());
        am.description = Set(m.description.clone());
        am.target_group = Set(m.target_group);
        am.beneficiaries = Set(m.beneficiaries);
        am.amount_planned = Set(m.amount_planned);
        am.amount_committed = Set(m.amount_committed);
        am.status = Set(m.status);
        let change = writes::Change {
            id: &b.id,
            version: b.version,
            action: "update",
        };
        writes::save_update(txn, &importer, change, b, am).await?;
        done += 1;
        if done.is_multiple_of(PROGRESS_EVERY) {
            progress("written", done, total);
        }
    }
    audit::record_many(txn, audit_rows).await?;
    Ok(true)
}

/// The column of the file a contribution rule speaks about.
fn column_of(field: rules::Field) -> usize {
    use rules::Field as F;
    match field {
        F::FiscalYear => YEAR,
        F::Beneficiaries => BENEFICIARIES,
        F::AmountPlanned => PLANNED,
        F::AmountCommitted => COMMITTED,
        F::Title => TITLE,
        F::Description => DESCRIPTION,
        F::Region => REGION,
        F::Source => SOURCE,
        F::Program => PROGRAM,
    }
}

/// The status a row gives a new contribution: PLANNED (the default) or COMMITTED, as in
/// `createContribution`.
fn status_of_new(given: Option<Status>) -> Result<Status, String> {
    match given {
        None => Ok(Status::Planned),
        Some(s @ (Status::Planned | Status::Committed)) => Ok(s),
        Some(_) => {
            Err("an imported contribution is PLANNED (Rencana) or COMMITTED (Komitmen)".to_string())
        }
    }
}

/// The status a row gives a stored contribution: empty or the stored status keeps it; PLANNED and
/// COMMITTED move between each other; a row that has moved on (IN_PROGRESS, COMPLETED, CANCELLED)
/// keeps its status, since its life cycle continues in the hub. Moving a row on is the hub's job.
fn status_of_stored(stored: Status, given: Option<Status>) -> Result<Status, String> {
    match given {
        None => Ok(stored),
        Some(g) if g == stored => Ok(stored),
        Some(g @ (Status::Planned | Status::Committed))
            if matches!(stored, Status::Planned | Status::Committed) =>
        {
            Ok(g)
        }
        Some(Status::Planned | Status::Committed) => Ok(stored),
        Some(_) => Err(format!(
            "an import moves a contribution between PLANNED (Rencana) and COMMITTED (Komitmen) only; it is {}",
            crate::labels::of(Kind::ContributionStatus, &stored)
        )),
    }
}

/// The stored contributions the file's (contributor, key) pairs name: by `external_key`, or, for a
/// record made in the hub without one, by its id (the key the CSV export writes for it).
async fn stored_by_key(
    txn: &impl ConnectionTrait,
    pairs: &[(String, String)],
) -> AppResult<HashMap<(String, String), entity::contribution::Model>> {
    use entity::contribution::{Column as C, Entity};
    let mut out = HashMap::new();
    let wanted: HashSet<&(String, String)> = pairs.iter().collect();
    for chunk in pairs.chunks(CHUNK) {
        let orgs: HashSet<&str> = chunk.iter().map(|(o, _)| o.as_str()).collect();
        let keys: HashSet<&str> = chunk.iter().map(|(_, k)| k.as_str()).collect();
        let by_key = Entity::find()
            .filter(C::ContributorId.is_in(orgs.iter().copied()))
            .filter(C::ExternalKey.is_in(keys.iter().copied()))
            .all(txn)
            .await?;
        let by_id = Entity::find()
            .filter(C::Id.is_in(keys.iter().copied()))
            .filter(C::ExternalKey.is_null())
            .all(txn)
            .await?;
        for m in by_key.into_iter().chain(by_id) {
            let key = m.external_key.clone().unwrap_or_else(|| m.id.clone());
            let pair = (m.contributor_id.clone(), key);
            if wanted.contains(&pair) {
                out.insert(pair, m);
            }
        }
    }
    Ok(out)
}

/// A row's cell in one of the kind's columns, trimmed; empty when the file lacks the column.
fn cell(at: &[Option<usize>], r: &[String], i: usize) -> String {
    at[i]
        .and_then(|p| r.get(p))
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

/// The regions the file's region cells name: by code, and (for names) every region below each
/// regency the rows or the file state.
async fn read_regions(
    txn: &impl ConnectionTrait,
    rows: &[(usize, &Vec<String>)],
    at: &[Option<usize>],
    default_regency: Option<&str>,
) -> AppResult<Regions> {
    let get = |r: &Vec<String>, i: usize| cell(at, r, i);
    let mut regions = Regions::default();
    let mut codes: HashSet<String> = HashSet::new();
    let mut regencies: HashSet<String> = HashSet::new();
    for &(_, r) in rows {
        match region_cell(&get(r, REGION)) {
            RegionCell::Code(c) => {
                codes.insert(c.to_string());
            }
            RegionCell::Name(_) => {
                let own = get(r, REGENCY);
                if own.is_empty() {
                    if let Some(d) = default_regency {
                        regencies.insert(d.to_string());
                    }
                } else if let Ok(c) = RegionCode::parse(&own) {
                    regencies.insert(c.to_string());
                }
            }
            RegionCell::Bad(_) => {}
        }
    }
    let codes: Vec<String> = codes.into_iter().collect();
    for chunk in codes.chunks(CHUNK) {
        for m in entity::region::Entity::find()
            .filter(entity::region::Column::Code.is_in(chunk.iter().cloned()))
            .all(txn)
            .await?
        {
            regions.by_code.insert(m.code.clone(), m);
        }
    }
    for reg in regencies {
        let mut by_name: HashMap<String, Vec<entity::region::Model>> = HashMap::new();
        for m in entity::region::Entity::find()
            .filter(entity::region::Column::Code.starts_with(format!("{reg}.")))
            .all(txn)
            .await?
        {
            by_name.entry(m.search_name.clone()).or_default().push(m);
        }
        regions.below.insert(reg, by_name);
    }
    Ok(regions)
}
