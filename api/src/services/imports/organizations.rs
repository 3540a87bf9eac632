//! Organizations from a spreadsheet: matched on their exact name; parents may be rows of the same file.

use super::*;
use crate::services::audit::AuditEntity;

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

const NAME: usize = 0;
const HELIX: usize = 1;
const OKIND: usize = 2;
const OREGION: usize = 3;
const PARENT: usize = 4;

use entity::organization::{Entity, Model};

/// What a row is checked with: the sheet, the importer, the hub's organizations and the regions the
/// file names.
struct Lookups<'a> {
    sheet: &'a Sheet,
    importer: Importer<'a>,
    default_regency: Option<&'a str>,
    orgs: Orgs<'a>,
    regions: &'a Regions,
    now: chrono::DateTime<Utc>,
}

/// A row whose cells are good; every row gets its id (stored or new) so that others may name it
/// as their parent.
struct Checked {
    row: usize,
    model: Model,
    parent_cell: String,
    before: Option<Model>,
}

/// Imports organizations, with the checks of `createOrganization`/`updateOrganization`: a name of at
/// most 200 characters, a region in the hub, a known parent, and an admin or a coordinator of the
/// region (of the old region too when an organization moves). A parent may be another row of the
/// same file. A name matching several stored organizations is a problem (give them distinct names
/// first).
pub async fn organizations(job: &Job<'_>) -> AppResult<Report> {
    let Started {
        mut report,
        sheet,
        default_regency,
        w,
    } = match job.start(&ORGANIZATION_COLUMNS, &[]).await? {
        Ok(started) => started,
        Err(report) => return Ok(report),
    };
    let importer = job.importer;
    let txn = &w.txn;
    let orgs = Entity::find().all(txn).await?;
    let mut wants = RegionWants::default();
    for (_, r) in &sheet.rows {
        wants.add(&sheet.cell(r, OREGION), "", default_regency.as_deref());
    }
    let regions = wants.read(txn, None).await?;
    let l = Lookups {
        sheet: &sheet,
        importer,
        default_regency: default_regency.as_deref(),
        orgs: Orgs::new(&orgs),
        regions: &regions,
        now: Utc::now(),
    };
    let (checked, in_file) = check_rows(&l, &mut report);
    let plan = plan(&l, checked, &in_file, &mut report);
    if job.stops(&report) {
        return Ok(report);
    }
    let known: HashSet<String> = orgs.iter().map(|o| o.id.clone()).collect();
    let wrote = write(txn, &l, plan, known, &mut report).await?;
    settle(w, report, wrote).await
}

/// The first pass: cells, regions, permissions. Also returns the file's organizations by folded
/// name, with their row and id, for duplicates and parents.
fn check_rows(
    l: &Lookups,
    report: &mut Report,
) -> (Vec<Checked>, HashMap<String, (usize, String)>) {
    let mut checked: Vec<Checked> = Vec::new();
    let mut in_file: HashMap<String, (usize, String)> = HashMap::new();
    for (row, r) in &l.sheet.rows {
        let mut c = Cells::new(l.sheet, *row, r);
        let result = check_row(l, &mut c, &in_file);
        if let Some(ok) = c.finish(report, result) {
            in_file.insert(ok.model.search_name.clone(), (ok.row, ok.model.id.clone()));
            checked.push(ok);
        }
    }
    (checked, in_file)
}

fn check_row(
    l: &Lookups,
    c: &mut Cells,
    in_file: &HashMap<String, (usize, String)>,
) -> Option<Checked> {
    let name_cell = c.get(NAME);
    let name = writes::text("", &name_cell, rules::ORGANIZATION_NAME_MAX)
        .map_err(|e| c.problem(NAME, &name_cell, text_reason(e)))
        .ok();
    let folded = fold(&name_cell);
    let before = match l.orgs.named(&folded) {
        [one] => Some(*one),
        several if several.len() > 1 => {
            let why = format!(
                "{} organizations in the hub have this name: rename them first",
                several.len()
            );
            c.problem(NAME, &name_cell, why);
            None
        }
        _ => None,
    };
    if name.is_some()
        && let Some((first, _)) = in_file.get(&folded)
    {
        let why = format!("name repeated: already on row {first}");
        c.problem(NAME, &name_cell, why);
    }
    let helix_cell = c.get(HELIX);
    let helix = parse_enum(&helix_cell, crate::labels::Kind::Helix, HELIX_LABELS);
    if helix.is_none() {
        c.problem(HELIX, &helix_cell, "unknown helix (see the template)");
    }
    let kind_cell = c.get(OKIND);
    let kind = parse_enum(
        &kind_cell,
        crate::labels::Kind::OrganizationKind,
        ORG_KIND_LABELS,
    );
    if kind.is_none() {
        let why = "unknown organization kind (see the template)";
        c.problem(OKIND, &kind_cell, why);
    }
    let region = region(l, c);
    if let Some(region) = region {
        let mut denied = l
            .importer
            .require_coordinator_of(&region.code, "register organizations here")
            .err();
        if let Some(b) = before
            && denied.is_none()
        {
            denied = l
                .importer
                .require_coordinator_of(&b.region_code, "change this organization")
                .err();
        }
        if let Some(e) = denied {
            c.forbid(OREGION, &c.get(OREGION), e);
        }
    }
    let parent_cell = c.get(PARENT);
    let (name, helix, kind, region) = (name?, helix?, kind?, region?);
    Some(Checked {
        row: c.row,
        model: Model {
            id: before.map(|b| b.id.clone()).unwrap_or_else(new_id),
            search_name: folded,
            name,
            helix,
            kind,
            region_code: region.code.clone(),
            parent_id: before.and_then(|b| b.parent_id.clone()),
            version: before.map(|b| b.version).unwrap_or(1),
            created_at: before.map(|b| b.created_at).unwrap_or(l.now),
            updated_at: before.map(|b| b.updated_at).unwrap_or(l.now),
        },
        parent_cell,
        before: before.cloned(),
    })
}

/// The home region, by code, or by name below the file's regency.
fn region<'a>(l: &Lookups<'a>, c: &mut Cells) -> Option<&'a entity::region::Model> {
    let raw = c.get(OREGION);
    let name = match region_cell(&raw) {
        RegionCell::Code(code) => {
            let found = l.regions.by_code.get(code.as_str());
            if found.is_none() {
                c.problem(OREGION, &raw, format!("no region {code} in the hub"));
            }
            return found;
        }
        RegionCell::Bad(why) => {
            c.problem(OREGION, &raw, why);
            return None;
        }
        RegionCell::Name(name) => name,
    };
    let Some(reg) = l.default_regency else {
        c.problem(
            OREGION,
            &raw,
            "a region name needs the file's regency (--regency or ?regency=); or give the code",
        );
        return None;
    };
    l.regions
        .pick(c, (OREGION, &raw), (reg, &name), ("region", "regions"))
}

/// The second pass: parents, from the hub or from this file; then unchanged, updated or inserted.
fn plan(
    l: &Lookups,
    checked: Vec<Checked>,
    in_file: &HashMap<String, (usize, String)>,
    report: &mut Report,
) -> Plan<Model> {
    let mut plan = Plan::new();
    for mut c in checked {
        if !c.parent_cell.is_empty() {
            let folded = fold(&c.parent_cell);
            let parent = if let Some(o) = l.orgs.id(&c.parent_cell) {
                Some(o.id.clone())
            } else if let Some((_, id)) = in_file.get(&folded) {
                Some(id.clone())
            } else {
                match l.orgs.named(&folded) {
                    [one] => Some(one.id.clone()),
                    _ => None,
                }
            };
            let why = match parent {
                Some(p) if p == c.model.id => "an organization is not its own parent",
                Some(p) => {
                    c.model.parent_id = Some(p);
                    ""
                }
                None => "unknown organization",
            };
            if !why.is_empty() {
                let p = l.sheet.problem(c.row, PARENT, &c.parent_cell, why);
                report.problems.push(p);
                continue;
            }
        }
        plan.add(report, c.row, c.before, c.model);
    }
    plan
}

/// Writes the plan: new organizations parents first, then the changed ones at the version read,
/// then the audit rows of the new ones. `false` when the plan cannot be stored (a circle of
/// parents, or a record changed meanwhile): the problems are in `report`, the caller drops the
/// transaction.
async fn write(
    txn: &impl ConnectionTrait,
    l: &Lookups<'_>,
    plan: Plan<Model>,
    mut known: HashSet<String>,
    report: &mut Report,
) -> AppResult<bool> {
    let mut audit_rows: Vec<entity::audit_log::ActiveModel> = Vec::new();
    // Parents first: a new organization may name another new one as parent (no foreign key is
    // deferred, so insert in an order where every parent exists already).
    let mut pending = plan.inserts;
    while !pending.is_empty() {
        let (ready, rest): (Vec<Model>, Vec<Model>) = pending
            .into_iter()
            .partition(|m| m.parent_id.as_ref().is_none_or(|p| known.contains(p)));
        if ready.is_empty() {
            // New rows naming each other as parents in a circle: refused, nothing stored (the
            // transaction is dropped, so the rows inserted so far roll back).
            for m in &rest {
                report.problems.push(l.sheet.problem(
                    0,
                    PARENT,
                    &m.name,
                    "parents form a circle among the new organizations",
                ));
            }
            return Ok(false);
        }
        known.extend(ready.iter().map(|m| m.id.clone()));
        let entity = (AuditEntity::Organization, id_of as fn(&Model) -> &str);
        insert_new::<Entity>(txn, &l.importer, entity, &ready, &mut audit_rows).await?;
        pending = rest;
    }
    for (row, b, m) in plan.updates {
        let at = (row, l.sheet.names[NAME].as_str(), m.name.as_str());
        let mut am = b.clone().into_active_model();
        am.name = Set(m.name.clone());
        am.search_name = Set(m.search_name);
        am.helix = Set(m.helix);
        am.kind = Set(m.kind);
        am.region_code = Set(m.region_code);
        am.parent_id = Set(m.parent_id);
        if update_as_read(txn, &l.importer, report, (&b, am), at)
            .await?
            .is_none()
        {
            return Ok(false);
        }
    }
    audit::record_many(txn, audit_rows).await?;
    Ok(true)
}

fn id_of(m: &Model) -> &str {
    &m.id
}
