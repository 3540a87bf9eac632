//! Contributions from a spreadsheet: matched on (contributor, `kunci`), checked with the mutations'
//! rules (`services::rules`), written in one transaction.

use super::*;
use crate::labels::Kind;
mod check;
mod write;

mod columns;
use columns::*;
pub use columns::{CONTRIBUTION_COLUMNS, CONTRIBUTION_DERIVED};

/// The reference data the rows are checked against, read once for the whole file inside the
/// import's transaction.
struct Reference {
    orgs: Vec<entity::organization::Model>,
    programs: Vec<entity::program::Model>,
    regions: Regions,
}

impl Reference {
    async fn read(
        txn: &impl ConnectionTrait,
        sheet: &Sheet,
        default_regency: Option<&str>,
    ) -> AppResult<Self> {
        let orgs = entity::organization::Entity::find().all(txn).await?;
        let programs = entity::program::Entity::find().all(txn).await?;
        let mut wants = RegionWants::default();
        for (_, r) in &sheet.rows {
            wants.add(
                &sheet.cell(r, REGION),
                &sheet.cell(r, REGENCY),
                default_regency,
            );
        }
        let regions = wants.read(txn, None).await?;
        Ok(Self {
            orgs,
            programs,
            regions,
        })
    }

    fn lookups<'a>(
        &'a self,
        sheet: &'a Sheet,
        importer: Importer<'a>,
        default_regency: Option<&'a str>,
    ) -> Lookups<'a> {
        let programs = self
            .programs
            .iter()
            .flat_map(|p| {
                let mut keys = vec![(p.id.to_lowercase(), p)];
                if let Some(c) = &p.code {
                    keys.push((c.to_lowercase(), p));
                }
                keys
            })
            .collect();
        Lookups {
            sheet,
            importer,
            default_regency,
            orgs: Orgs::new(&self.orgs),
            programs,
            regions: &self.regions,
            now: Utc::now(),
        }
    }
}

/// What a row is checked with: the sheet, the importer, and the reference data by key.
struct Lookups<'a> {
    sheet: &'a Sheet,
    importer: Importer<'a>,
    default_regency: Option<&'a str>,
    orgs: Orgs<'a>,
    /// Programs by lowercased id and code.
    programs: HashMap<String, &'a entity::program::Model>,
    regions: &'a Regions,
    now: chrono::DateTime<Utc>,
}

/// A row whose cells are good, before it meets the stored row with its key.
struct Checked<'a> {
    row: usize,
    cells: &'a [String],
    key: String,
    contributor_cell: String,
    status_cell: String,
    status_given: Option<Status>,
    model: entity::contribution::Model,
    related: rules::Related<'a>,
}

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
    job: &Job<'_>,
    progress: &mut (dyn FnMut(&str, usize, usize) + Send),
) -> AppResult<Report> {
    let columns = (&CONTRIBUTION_COLUMNS[..], &CONTRIBUTION_DERIVED[..]);
    let Started {
        mut report,
        sheet,
        default_regency,
        w,
    } = match job.start(columns.0, columns.1).await? {
        Ok(started) => started,
        Err(report) => return Ok(report),
    };
    let importer = job.importer;
    let txn = &w.txn;
    let reference = Reference::read(txn, &sheet, default_regency.as_deref()).await?;
    let lookups = reference.lookups(&sheet, importer, default_regency.as_deref());
    let checked = check::check_rows(&lookups, &mut report, progress);
    let pairs: Vec<(String, String)> = checked
        .iter()
        .map(|c| (c.model.contributor_id.clone(), c.key.clone()))
        .collect();
    let stored = stored_by_key(txn, &pairs).await?;
    let plan = plan(&lookups, checked, &stored, &mut report);
    if job.stops(&report) {
        return Ok(report);
    }
    let key = &sheet.names[KEY];
    let wrote = write::write(txn, importer, plan, key, &mut report, progress).await?;
    settle(w, report, wrote).await
}

/// The second pass: duplicates in the file, then each row against its stored row (see
/// [`plan_row`]), counted as unchanged, updated or inserted.
fn plan(
    l: &Lookups,
    checked: Vec<Checked>,
    stored: &HashMap<(String, String), entity::contribution::Model>,
    report: &mut Report,
) -> Vec<Planned> {
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    let mut plan: Vec<Planned> = Vec::with_capacity(checked.len());
    for c in checked {
        let pair = (c.model.contributor_id.clone(), c.key.clone());
        if let Some(first) = seen.get(&pair) {
            report.problems.push(l.sheet.problem(
                c.row,
                KEY,
                &c.key,
                format!("key repeated: already on row {first} for this organization"),
            ));
            continue;
        }
        seen.insert(pair.clone(), c.row);
        match plan_row(l, c, stored.get(&pair).cloned()) {
            Outcome::Write(p) => {
                if p.before.is_some() {
                    report.updated += 1;
                } else {
                    report.inserted += 1;
                }
                plan.push(*p);
            }
            Outcome::Unchanged => report.unchanged += 1,
            Outcome::Forbidden(p) => {
                report.forbidden = true;
                report.problems.push(p);
            }
            Outcome::Refused(p) => report.problems.push(p),
        }
    }
    plan
}

/// What the second pass makes of a row.
enum Outcome {
    Write(Box<Planned>),
    Unchanged,
    Refused(Problem),
    Forbidden(Problem),
}

/// A row against the stored row with its key: the status it may give, the stored values an import
/// keeps, then permissions (a row that changes nothing needs none: an exported file imports back
/// whoever exported it) and every rule of the mutations, now that the stored amounts are known.
fn plan_row(l: &Lookups, c: Checked, before: Option<entity::contribution::Model>) -> Outcome {
    let mut model = c.model;
    let status = match &before {
        Some(b) => status_of_stored(b.status, c.status_given),
        None => status_of_new(c.status_given),
    };
    match status {
        Ok(s) => model.status = s,
        Err(why) => return Outcome::Refused(l.sheet.problem(c.row, STATUS, &c.status_cell, why)),
    }
    if let Some(b) = &before {
        keep_stored(&mut model, b);
        if &model == b {
            return Outcome::Unchanged;
        }
        if b.status == Status::Cancelled {
            let why = "a cancelled contribution cannot be changed";
            return Outcome::Refused(l.sheet.problem(c.row, KEY, &c.key, why));
        }
    }
    model.verification =
        crate::services::verification::after_write(&l.importer, &model.region_code);
    model.verification_note = None;
    if let Err(e) = l.importer.require_acting_for(
        &model.contributor_id,
        "import contributions for this organization",
    ) {
        let why = format!("forbidden: {e}");
        return Outcome::Forbidden(
            l.sheet
                .problem(c.row, CONTRIBUTOR, &c.contributor_cell, why),
        );
    }
    if let Err((field, message)) = rules::contribution(&model, c.related) {
        let col = column_of(field);
        let cell = l.sheet.raw(c.cells, col);
        return Outcome::Refused(l.sheet.problem(c.row, col, &cell, message));
    }
    Outcome::Write(Box::new(Planned {
        row: c.row,
        model,
        key: c.key,
        before,
    }))
}

/// What an import leaves as stored: the record's identity, its money flows (the hub's), its
/// version and stamps.
fn keep_stored(model: &mut entity::contribution::Model, b: &entity::contribution::Model) {
    model.id = b.id.clone();
    model.amount_disbursed = b.amount_disbursed;
    model.amount_realised = b.amount_realised;
    model.version = b.version;
    model.verification = b.verification;
    model.verification_note = b.verification_note.clone();
    model.created_by = b.created_by.clone();
    model.created_at = b.created_at;
    model.updated_at = b.updated_at;
    model.external_key = b.external_key.clone();
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
