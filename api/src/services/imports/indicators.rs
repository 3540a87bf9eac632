//! Village indicators from a spreadsheet: matched on (village, year).

use super::*;

/// The columns of a village-indicators file, in template order. Rows are matched on their natural
/// key, (village, fiscal year): a re-import of the same figures changes nothing.
pub const INDICATOR_COLUMNS: [Column; 17] = [
    Column {
        en: "village_code",
        id: "kode_desa",
        aliases: &["kode_wilayah", "region_code", "desa", "village"],
        required: true,
        example: "33.26.02.2008",
        doc: "Kode Kemendagri desa/kelurahan (bertitik atau tidak), atau namanya bila tepat satu di bawah kabupaten berkas. / Village code, or a name unique below the regency.",
    },
    Column {
        en: "regency",
        id: "kabupaten",
        aliases: &["kode_kabupaten", "regency_code"],
        required: false,
        example: "33.26",
        doc: "Kode kabupaten/kota untuk mencari nama desa. / Regency code names are looked up under.",
    },
    Column {
        en: "fiscal_year",
        id: "tahun",
        aliases: &["tahun_anggaran", "year"],
        required: true,
        example: "2026",
        doc: "Tahun, 2000–2100. / Year.",
    },
    Column {
        en: "source",
        id: "sumber",
        aliases: &["sumber_data"],
        required: true,
        example: "DTKS/P3KE",
        doc: "Sumber data (DTKS/P3KE, BPS, e-PPGBM, IDM), paling banyak 100 karakter. / Data source.",
    },
    Column {
        en: "as_of",
        id: "per_tanggal",
        aliases: &["tanggal", "date"],
        required: true,
        example: "2026-01-31",
        doc: "Tanggal data, TTTT-BB-HH atau HH/BB/TTTT (sebagai teks). / Date of the figures.",
    },
    Column {
        en: "households",
        id: "jumlah_kk",
        aliases: &["rumah_tangga"],
        required: false,
        example: "1200",
        doc: "Jumlah rumah tangga/KK. / Households.",
    },
    Column {
        en: "population",
        id: "jumlah_penduduk",
        aliases: &["penduduk"],
        required: false,
        example: "4300",
        doc: "Jumlah penduduk. / Population.",
    },
    Column {
        en: "poor_households",
        id: "rtm",
        aliases: &["rumah_tangga_miskin"],
        required: false,
        example: "310",
        doc: "Rumah tangga miskin, tidak melebihi jumlah KK. / Poor households, at most the households.",
    },
    Column {
        en: "decile1",
        id: "desil1",
        aliases: &["desil_1", "decile_1"],
        required: false,
        example: "120",
        doc: "Rumah tangga desil 1 (desil 1–4 diisi semua atau tidak sama sekali). / Deciles 1–4: all four or none.",
    },
    Column {
        en: "decile2",
        id: "desil2",
        aliases: &["desil_2", "decile_2"],
        required: false,
        example: "90",
        doc: "Rumah tangga desil 2.",
    },
    Column {
        en: "decile3",
        id: "desil3",
        aliases: &["desil_3", "decile_3"],
        required: false,
        example: "60",
        doc: "Rumah tangga desil 3.",
    },
    Column {
        en: "decile4",
        id: "desil4",
        aliases: &["desil_4", "decile_4"],
        required: false,
        example: "40",
        doc: "Rumah tangga desil 4.",
    },
    Column {
        en: "stunting_risk_families",
        id: "keluarga_risiko_stunting",
        aliases: &["krs"],
        required: false,
        example: "85",
        doc: "Keluarga risiko stunting. / Families at risk of stunting.",
    },
    Column {
        en: "stunting_cases",
        id: "kasus_stunting",
        aliases: &[],
        required: false,
        example: "14",
        doc: "Kasus stunting. / Stunting cases.",
    },
    Column {
        en: "stunting_prevalence",
        id: "prevalensi_stunting",
        aliases: &[],
        required: false,
        example: "12,5",
        doc: "Prevalensi stunting, persen 0–100 (koma atau titik desimal). / Percent.",
    },
    Column {
        en: "idm_status",
        id: "status_idm",
        aliases: &["idm"],
        required: false,
        example: "Berkembang",
        doc: "Sangat Tertinggal, Tertinggal, Berkembang, Maju, Mandiri (atau VERY_UNDERDEVELOPED ...).",
    },
    Column {
        en: "priority",
        id: "prioritas",
        aliases: &["desa_merah", "lokus"],
        required: false,
        example: "ya",
        doc: "Desa prioritas (desa merah/lokus) tahun ini: ya/tidak. / Priority village: yes/no.",
    },
];

const IDM_LABELS: &[(&str, &str)] = &[
    ("sangat tertinggal", "VERY_UNDERDEVELOPED"),
    ("tertinggal", "UNDERDEVELOPED"),
    ("berkembang", "DEVELOPING"),
    ("maju", "ADVANCED"),
    ("mandiri", "INDEPENDENT"),
];

/// Imports village indicators (one row per village and year), with the checks of
/// `setVillageIndicators`: a coordinator of the village's region (or an admin), a village, a year in
/// 2000–2100, counts never negative, poor households at most the households, deciles all four or
/// none, prevalence 0–100. Matched on (village, year): equal figures are unchanged, others update
/// the row (version + 1, audit row). Unlike the mutation no version is asked for: the file is the
/// newer statement of the figures.
pub async fn indicators(
    db: &DatabaseConnection,
    gate: &WriteGate,
    importer: Importer<'_>,
    bytes: &[u8],
    format: Format,
    options: &Options,
    progress: &mut (dyn FnMut(&str, usize, usize) + Send),
) -> AppResult<Report> {
    use entity::village_indicator::{ActiveModel, Column as IC, Entity, Model};
    const VILLAGE: usize = 0;
    const REG: usize = 1;
    const Y: usize = 2;
    const SRC: usize = 3;
    const AS_OF: usize = 4;
    const COUNTS: std::ops::Range<usize> = 5..14;
    const PREVALENCE: usize = 14;
    const IDM: usize = 15;
    const PRIORITY: usize = 16;
    let mut report = Report {
        dry_run: options.dry_run,
        ..Default::default()
    };
    let default_regency = stated_regency(options)?;
    let Some(sheet) = open_sheet(bytes, format, &INDICATOR_COLUMNS, &[], &mut report) else {
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
    let w = writes::begin(db, gate).await?;
    let txn = &w.txn;

    // Regions named by the file.
    let mut regions = Regions::default();
    {
        let mut codes: HashSet<String> = HashSet::new();
        let mut regencies: HashSet<String> = HashSet::new();
        for &(_, r) in &rows {
            match region_cell(&get(r, VILLAGE)) {
                RegionCell::Code(c) => {
                    codes.insert(c.to_string());
                }
                RegionCell::Name(_) => {
                    let own = get(r, REG);
                    if own.is_empty() {
                        regencies.extend(default_regency.clone());
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
                .filter(entity::region::Column::Level.eq(RegionLevel::Village))
                .all(txn)
                .await?
            {
                by_name.entry(m.search_name.clone()).or_default().push(m);
            }
            regions.below.insert(reg, by_name);
        }
    }

    let now = Utc::now();
    let mut checked: Vec<(usize, Model)> = Vec::with_capacity(rows.len());
    for (n, &(row, r)) in rows.iter().enumerate() {
        if n > 0 && n.is_multiple_of(PROGRESS_EVERY) {
            progress("checked", n, rows.len());
        }
        let mut probs: Vec<Problem> = Vec::new();
        let mut problem = |col: usize, value: &str, reason: String| {
            probs.push(Problem::new(row, &names[col], value, reason));
        };
        // Village.
        let raw = get(r, VILLAGE);
        let village: Option<&entity::region::Model> = match region_cell(&raw) {
            RegionCell::Code(c) => match regions.by_code.get(c.as_str()) {
                Some(m) if m.level == RegionLevel::Village => Some(m),
                _ => {
                    problem(VILLAGE, &raw, format!("{c} is not a village in the hub"));
                    None
                }
            },
            RegionCell::Bad(why) => {
                problem(VILLAGE, &raw, why);
                None
            }
            RegionCell::Name(name) => {
                let own = get(r, REG);
                let regency = if own.is_empty() {
                    default_regency.clone()
                } else {
                    RegionCode::parse(&own)
                        .ok()
                        .filter(|c| c.level() == RegionLevel::Regency)
                        .map(|c| c.to_string())
                };
                match regency {
                    None => {
                        problem(
                            VILLAGE,
                            &raw,
                            "a village name needs the file's regency (--regency, ?regency= or a valid kabupaten column); or give the code".into(),
                        );
                        None
                    }
                    Some(reg) => match regions
                        .below
                        .get(&reg)
                        .and_then(|m| m.get(&name))
                        .map(Vec::as_slice)
                    {
                        Some([one]) => Some(one),
                        Some(several) if several.len() > 1 => {
                            let list: Vec<String> = several
                                .iter()
                                .map(|m| format!("{} ({})", m.name, m.code))
                                .collect();
                            problem(
                                VILLAGE,
                                &raw,
                                format!(
                                    "ambiguous: several villages below {reg} have this name: {}; give the code",
                                    list.join(", ")
                                ),
                            );
                            None
                        }
                        _ => {
                            problem(
                                VILLAGE,
                                &raw,
                                format!("no village named `{raw}` below {reg}"),
                            );
                            None
                        }
                    },
                }
            }
        };
        let mut forbidden = false;
        if let Some(v) = village
            && let Importer::User(u) = importer
            && let Err(e) =
                Actor::User(u).require_coordinator_of(&v.code, "record this village's indicators")
        {
            forbidden = true;
            problem(VILLAGE, &raw, format!("forbidden: {e}"));
        }
        let year_cell = get(r, Y);
        let year = year_cell
            .parse::<i32>()
            .ok()
            .filter(|y| crate::services::FISCAL_YEARS.contains(y));
        if year.is_none() {
            problem(Y, &year_cell, "a fiscal year between 2000 and 2100".into());
        }
        let src_cell = get(r, SRC);
        let source = writes::text("", &src_cell, rules::INDICATOR_SOURCE_MAX)
            .map_err(|e| {
                problem(
                    SRC,
                    &src_cell,
                    e.to_string().trim_start_matches(": ").into(),
                )
            })
            .ok();
        let date_cell = get(r, AS_OF);
        let as_of = parse_date(&date_cell);
        if as_of.is_none() {
            problem(AS_OF, &date_cell, "a date, 2026-01-31 or 31/01/2026".into());
        }
        let mut counts: Vec<Option<i32>> = Vec::new();
        let mut counts_ok = true;
        for col in COUNTS {
            let cell = get(r, col);
            if cell.is_empty() {
                counts.push(None);
                continue;
            }
            match cell.parse::<i32>() {
                Ok(n) if n >= 0 => counts.push(Some(n)),
                Ok(_) => {
                    counts_ok = false;
                    problem(col, &cell, "never negative".into());
                }
                Err(_) => {
                    counts_ok = false;
                    problem(col, &cell, "a whole number".into());
                }
            }
        }
        if counts_ok {
            if let (Some(p), Some(h)) = (counts[2], counts[0])
                && p > h
            {
                problem(
                    COUNTS.start + 2,
                    &p.to_string(),
                    "cannot exceed households".into(),
                );
            }
            let deciles = &counts[3..7];
            if deciles.iter().any(Option::is_some) && !deciles.iter().all(Option::is_some) {
                problem(
                    COUNTS.start + 3,
                    "",
                    "deciles 1 to 4: all four or none".into(),
                );
            }
        }
        let prev_cell = get(r, PREVALENCE);
        let prevalence = if prev_cell.is_empty() {
            None
        } else {
            match prev_cell.replace(',', ".").parse::<f64>() {
                Ok(p) if (0.0..=100.0).contains(&p) => Some(p),
                _ => {
                    problem(
                        PREVALENCE,
                        &prev_cell,
                        "a percentage between 0 and 100".into(),
                    );
                    None
                }
            }
        };
        let idm_cell = get(r, IDM);
        let idm = if idm_cell.is_empty() {
            None
        } else {
            let s = parse_enum(&idm_cell, crate::labels::Kind::IdmStatus, IDM_LABELS);
            if s.is_none() {
                problem(
                    IDM,
                    &idm_cell,
                    "unknown IDM status (see the template)".into(),
                );
            }
            s
        };
        let pr_cell = get(r, PRIORITY);
        let priority = match fold(&pr_cell).as_str() {
            "" | "tidak" | "no" | "false" | "0" | "n" => false,
            "ya" | "yes" | "true" | "1" | "y" => true,
            _ => {
                problem(PRIORITY, &pr_cell, "ya or tidak (yes or no)".into());
                false
            }
        };
        report.forbidden |= forbidden;
        if !probs.is_empty() {
            report.problems.extend(probs);
            continue;
        }
        let (Some(v), Some(year), Some(source), Some(as_of)) = (village, year, source, as_of)
        else {
            continue;
        };
        checked.push((
            row,
            Model {
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
                created_at: now,
                updated_at: now,
            },
        ));
    }

    // Stored rows of the same villages.
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
    let mut seen: HashMap<(String, i32), usize> = HashMap::new();
    let mut inserts: Vec<Model> = Vec::new();
    let mut updates: Vec<(usize, Model, Model)> = Vec::new();
    for (row, mut m) in checked {
        let k = (m.village_code.clone(), m.fiscal_year);
        if let Some(first) = seen.get(&k) {
            report.problems.push(Problem::new(
                row,
                &names[VILLAGE],
                &m.village_code,
                format!(
                    "village and year repeated: already on row {first} for {}",
                    m.fiscal_year
                ),
            ));
            continue;
        }
        seen.insert(k.clone(), row);
        match stored.get(&k) {
            Some(b) => {
                m.id = b.id.clone();
                m.version = b.version;
                m.created_at = b.created_at;
                m.updated_at = b.updated_at;
                if &m == b {
                    report.unchanged += 1;
                } else {
                    report.updated += 1;
                    updates.push((row, b.clone(), m));
                }
            }
            None => {
                report.inserted += 1;
                inserts.push(m);
            }
        }
    }
    if !report.problems.is_empty() || options.dry_run {
        return Ok(report);
    }
    let mut audit_rows: Vec<entity::audit_log::ActiveModel> = Vec::new();
    for chunk in inserts.chunks(CHUNK) {
        for m in chunk {
            audit_rows.push(audit::row(
                &importer,
                "village_indicator",
                &m.id,
                "create",
                None::<&()>,
                Some(m),
            ));
        }
        Entity::insert_many(chunk.iter().cloned().map(ActiveModel::from))
            .exec_without_returning(txn)
            .await?;
    }
    for (row, b, m) in updates {
        if !report
            .lock_as_read::<Entity>(
                txn,
                (&b.id, b.version),
                (row, &names[VILLAGE], &m.village_code),
            )
            .await?
        {
            return Ok(report);
        }
        crate::services::indicators::replace(txn, &importer, &b, m).await?;
    }
    audit::record_many(txn, audit_rows).await?;
    w.commit().await?;
    report.stored = true;
    Ok(report)
}
