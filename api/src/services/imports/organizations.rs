//! Organizations from a spreadsheet: matched on their exact name; parents may be rows of the same file.

use super::*;

/// The columns of an organizations file. Rows are matched on the organization's name (case, accents
/// and spacing ignored), the key contributions files refer to organizations by: a re-import of the
/// same rows changes nothing, other values update the organization.
pub const ORGANIZATION_COLUMNS: [Column; 5] = [
    Column {
        en: "name",
        id: "nama",
        aliases: &["nama_organisasi", "organization"],
        required: true,
        example: "Dinas Sosial Kabupaten Pekalongan",
        doc: "Nama organisasi, paling banyak 200 karakter; juga kunci impor ulang. / Name, at most 200 characters; also the re-import key.",
    },
    Column {
        en: "helix",
        id: "heliks",
        aliases: &["unsur"],
        required: true,
        example: "Pemerintah",
        doc: "Pemerintah, Desa, Dunia Usaha, Akademisi, Masyarakat, Media (GOVERNMENT ... MEDIA).",
    },
    Column {
        en: "kind",
        id: "jenis",
        aliases: &["jenis_organisasi"],
        required: true,
        example: "SKPD",
        doc: "Pemerintah Provinsi, Pemerintah Kabupaten, Bappeda, SKPD/OPD, Pemerintah Desa, Perusahaan, BUMN, Perguruan Tinggi, Kelompok Masyarakat, LSM, Media, Lainnya (atau REGENCY_GOVERNMENT ...).",
    },
    Column {
        en: "region_code",
        id: "kode_wilayah",
        aliases: &["wilayah", "region"],
        required: true,
        example: "33.26",
        doc: "Wilayah asal: kode Kemendagri, atau nama yang tepat satu di bawah kabupaten berkas. / Home region.",
    },
    Column {
        en: "parent",
        id: "induk",
        aliases: &["organisasi_induk", "parent_id"],
        required: false,
        example: "Pemerintah Kabupaten Pekalongan",
        doc: "Organisasi induk (nama persis atau id; boleh baris lain di berkas ini). / Parent, by name or id (may be another row of this file).",
    },
];

const HELIX_LABELS: &[(&str, &str)] = &[
    ("pemerintah", "GOVERNMENT"),
    ("desa", "VILLAGE"),
    ("pemerintah desa", "VILLAGE"),
    ("dunia usaha", "BUSINESS"),
    ("swasta", "BUSINESS"),
    ("bisnis", "BUSINESS"),
    ("akademisi", "ACADEMIA"),
    ("perguruan tinggi", "ACADEMIA"),
    ("masyarakat", "COMMUNITY"),
    ("komunitas", "COMMUNITY"),
];
const ORG_KIND_LABELS: &[(&str, &str)] = &[
    ("pemerintah provinsi", "PROVINCIAL_GOVERNMENT"),
    ("pemprov", "PROVINCIAL_GOVERNMENT"),
    ("pemerintah kabupaten", "REGENCY_GOVERNMENT"),
    ("pemerintah kota", "REGENCY_GOVERNMENT"),
    ("pemkab", "REGENCY_GOVERNMENT"),
    ("pemkot", "REGENCY_GOVERNMENT"),
    ("opd", "SKPD"),
    ("skpd/opd", "SKPD"),
    ("dinas", "SKPD"),
    ("pemerintah desa", "VILLAGE_GOVERNMENT"),
    ("pemdes", "VILLAGE_GOVERNMENT"),
    ("perusahaan", "COMPANY"),
    ("bumn", "STATE_OWNED_ENTERPRISE"),
    ("bumd", "STATE_OWNED_ENTERPRISE"),
    ("perguruan tinggi", "UNIVERSITY"),
    ("universitas", "UNIVERSITY"),
    ("kelompok masyarakat", "COMMUNITY_GROUP"),
    ("lsm", "NGO"),
    ("lainnya", "OTHER"),
];

/// Imports organizations, with the checks of `createOrganization`/`updateOrganization`: a name of at
/// most 200 characters, a region in the hub, a known parent, and an admin or a coordinator of the
/// region (of the old region too when an organization moves). A parent may be another row of the
/// same file. A name matching several stored organizations is a problem (give them distinct names
/// first).
pub async fn organizations(
    db: &DatabaseConnection,
    gate: &WriteGate,
    importer: Importer<'_>,
    bytes: &[u8],
    format: Format,
    options: &Options,
) -> AppResult<Report> {
    use entity::organization::{ActiveModel, Entity, Model};
    const NAME: usize = 0;
    const HELIX: usize = 1;
    const OKIND: usize = 2;
    const OREGION: usize = 3;
    const PARENT: usize = 4;
    let mut report = Report {
        dry_run: options.dry_run,
        ..Default::default()
    };
    let default_regency = stated_regency(options)?;
    let Some(sheet) = open_sheet(bytes, format, &ORGANIZATION_COLUMNS, &[], &mut report) else {
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
    let orgs = Entity::find().all(txn).await?;
    let mut by_name: HashMap<String, Vec<&Model>> = HashMap::new();
    for o in &orgs {
        by_name.entry(o.search_name.clone()).or_default().push(o);
    }
    let by_id: HashMap<&str, &Model> = orgs.iter().map(|o| (o.id.as_str(), o)).collect();
    // Regions: every code, and everything below the regency for names.
    let mut by_code: HashMap<String, entity::region::Model> = HashMap::new();
    let codes: Vec<String> = rows
        .iter()
        .filter_map(|&(_, r)| RegionCode::parse(&get(r, OREGION)).ok())
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
            by_code.insert(m.code.clone(), m);
        }
    }
    let mut below: HashMap<String, Vec<entity::region::Model>> = HashMap::new();
    if let Some(reg) = &default_regency {
        for m in entity::region::Entity::find()
            .filter(entity::region::Column::Code.starts_with(format!("{reg}.")))
            .all(txn)
            .await?
        {
            below.entry(m.search_name.clone()).or_default().push(m);
        }
    }

    // First pass: cells, regions, permissions; every row gets its id (stored or new).
    struct Row {
        row: usize,
        model: Model,
        parent_cell: String,
        before: Option<Model>,
    }
    let now = Utc::now();
    let mut checked: Vec<Row> = Vec::new();
    let mut in_file: HashMap<String, (usize, String)> = HashMap::new();
    for &(row, r) in &rows {
        let mut probs: Vec<Problem> = Vec::new();
        let mut problem = |col: usize, value: &str, reason: String| {
            probs.push(Problem::new(row, &names[col], value, reason));
        };
        let name_cell = get(r, NAME);
        let name = writes::text("", &name_cell, rules::ORGANIZATION_NAME_MAX)
            .map_err(|e| {
                problem(
                    NAME,
                    &name_cell,
                    e.to_string().trim_start_matches(": ").into(),
                )
            })
            .ok();
        let folded = fold(&name_cell);
        let before: Option<&Model> = match by_name.get(&folded).map(Vec::as_slice) {
            Some([one]) => Some(*one),
            Some(several) if several.len() > 1 => {
                problem(
                    NAME,
                    &name_cell,
                    format!(
                        "{} organizations in the hub have this name: rename them first",
                        several.len()
                    ),
                );
                None
            }
            _ => None,
        };
        if name.is_some()
            && let Some((first, _)) = in_file.get(&folded)
        {
            problem(
                NAME,
                &name_cell,
                format!("name repeated: already on row {first}"),
            );
        }
        let helix_cell = get(r, HELIX);
        let helix: Option<entity::enums::Helix> =
            parse_enum(&helix_cell, crate::labels::Kind::Helix, HELIX_LABELS);
        if helix.is_none() {
            problem(
                HELIX,
                &helix_cell,
                "unknown helix (see the template)".into(),
            );
        }
        let kind_cell = get(r, OKIND);
        let kind: Option<entity::enums::OrganizationKind> = parse_enum(
            &kind_cell,
            crate::labels::Kind::OrganizationKind,
            ORG_KIND_LABELS,
        );
        if kind.is_none() {
            problem(
                OKIND,
                &kind_cell,
                "unknown organization kind (see the template)".into(),
            );
        }
        let region_raw = get(r, OREGION);
        let region: Option<&entity::region::Model> = match region_cell(&region_raw) {
            RegionCell::Code(c) => match by_code.get(c.as_str()) {
                Some(m) => Some(m),
                None => {
                    problem(OREGION, &region_raw, format!("no region {c} in the hub"));
                    None
                }
            },
            RegionCell::Bad(why) => {
                problem(OREGION, &region_raw, why);
                None
            }
            RegionCell::Name(n) => match (&default_regency, below.get(&n).map(Vec::as_slice)) {
                (None, _) => {
                    problem(
                        OREGION,
                        &region_raw,
                        "a region name needs the file's regency (--regency or ?regency=); or give the code".into(),
                    );
                    None
                }
                (Some(_), Some([one])) => Some(one),
                (Some(reg), Some(several)) if several.len() > 1 => {
                    let list: Vec<String> = several
                        .iter()
                        .map(|m| format!("{} ({})", m.name, m.code))
                        .collect();
                    problem(
                        OREGION,
                        &region_raw,
                        format!(
                            "ambiguous: several regions below {reg} have this name: {}; give the code",
                            list.join(", ")
                        ),
                    );
                    None
                }
                (Some(reg), _) => {
                    problem(
                        OREGION,
                        &region_raw,
                        format!("no region named `{region_raw}` below {reg}"),
                    );
                    None
                }
            },
        };
        if let (Importer::User(u), Some(region)) = (importer, region) {
            let actor = Actor::User(u);
            let mut denied = actor
                .require_coordinator_of(&region.code, "register organizations here")
                .err();
            if let Some(b) = before
                && denied.is_none()
            {
                denied = actor
                    .require_coordinator_of(&b.region_code, "change this organization")
                    .err();
            }
            if let Some(e) = denied {
                report.forbidden = true;
                problem(OREGION, &region_raw, format!("forbidden: {e}"));
            }
        }
        let parent_cell = get(r, PARENT);
        if !probs.is_empty() {
            report.problems.extend(probs);
            continue;
        }
        let (Some(name), Some(helix), Some(kind), Some(region)) = (name, helix, kind, region)
        else {
            continue;
        };
        let id = before.map(|b| b.id.clone()).unwrap_or_else(new_id);
        in_file.insert(folded.clone(), (row, id.clone()));
        checked.push(Row {
            row,
            model: Model {
                id,
                search_name: folded,
                name,
                helix,
                kind,
                region_code: region.code.clone(),
                parent_id: before.and_then(|b| b.parent_id.clone()),
                version: before.map(|b| b.version).unwrap_or(1),
                created_at: before.map(|b| b.created_at).unwrap_or(now),
                updated_at: before.map(|b| b.updated_at).unwrap_or(now),
            },
            parent_cell,
            before: before.cloned(),
        });
    }
    // Second pass: parents, from the hub or from this file.
    let mut inserts: Vec<Model> = Vec::new();
    let mut updates: Vec<(usize, Model, Model)> = Vec::new();
    for mut c in checked {
        if !c.parent_cell.is_empty() {
            let folded = fold(&c.parent_cell);
            let parent = if let Some(o) = by_id.get(c.parent_cell.as_str()) {
                Some(o.id.clone())
            } else if let Some((_, id)) = in_file.get(&folded) {
                Some(id.clone())
            } else {
                match by_name.get(&folded).map(Vec::as_slice) {
                    Some([one]) => Some(one.id.clone()),
                    _ => None,
                }
            };
            match parent {
                Some(p) if p == c.model.id => {
                    report.problems.push(Problem::new(
                        c.row,
                        &names[PARENT],
                        &c.parent_cell,
                        "an organization is not its own parent",
                    ));
                    continue;
                }
                Some(p) => c.model.parent_id = Some(p),
                None => {
                    report.problems.push(Problem::new(
                        c.row,
                        &names[PARENT],
                        &c.parent_cell,
                        "unknown organization",
                    ));
                    continue;
                }
            }
        }
        match c.before {
            Some(b) if b == c.model => report.unchanged += 1,
            Some(b) => {
                report.updated += 1;
                updates.push((c.row, b, c.model));
            }
            None => {
                report.inserted += 1;
                inserts.push(c.model);
            }
        }
    }
    if !report.problems.is_empty() || options.dry_run {
        return Ok(report);
    }
    let mut audit_rows: Vec<entity::audit_log::ActiveModel> = Vec::new();
    // Parents first: a new organization may name another new one as parent (no foreign key is
    // deferred, so insert in an order where every parent exists already).
    let mut pending = inserts;
    let mut known: HashSet<String> = orgs.iter().map(|o| o.id.clone()).collect();
    while !pending.is_empty() {
        let (ready, rest): (Vec<Model>, Vec<Model>) = pending
            .into_iter()
            .partition(|m| m.parent_id.as_ref().is_none_or(|p| known.contains(p)));
        if ready.is_empty() {
            // New rows naming each other as parents in a circle: refused, nothing stored (the
            // transaction is dropped, so the rows inserted so far roll back).
            for m in &rest {
                report.problems.push(Problem::new(
                    0,
                    &names[PARENT],
                    &m.name,
                    "parents form a circle among the new organizations",
                ));
            }
            return Ok(report);
        }
        for chunk in ready.chunks(CHUNK) {
            for m in chunk {
                audit_rows.push(audit::row(
                    &importer,
                    "organization",
                    &m.id,
                    "create",
                    None::<&()>,
                    Some(m),
                ));
                known.insert(m.id.clone());
            }
            Entity::insert_many(chunk.iter().cloned().map(ActiveModel::from))
                .exec_without_returning(txn)
                .await?;
        }
        pending = rest;
    }
    for (row, b, m) in updates {
        if !report
            .lock_as_read::<Entity>(txn, (&b.id, b.version), (row, &names[NAME], &m.name))
            .await?
        {
            return Ok(report);
        }
        let mut am = b.clone().into_active_model();
        am.name = Set(m.name);
        am.search_name = Set(m.search_name);
        am.helix = Set(m.helix);
        am.kind = Set(m.kind);
        am.region_code = Set(m.region_code);
        am.parent_id = Set(m.parent_id);
        let change = writes::Change {
            id: &b.id,
            version: b.version,
            action: "update",
        };
        writes::save_update(txn, &importer, change, &b, am).await?;
    }
    audit::record_many(txn, audit_rows).await?;
    w.commit().await?;
    report.stored = true;
    Ok(report)
}
