//! The steps every importer shares, so that each kind only says what is its own: starting (options,
//! sheet, header), one row's cells and the problems found in them, the reference data read once
//! (organizations, regions), and the write of a plan (new rows batched with their audit rows,
//! changed rows saved at the version the import read).

use super::*;
use crate::services::audit::AuditEntity;
use crate::services::writes::Versioned;

/// An import that read its file and holds its write: the report so far, the sheet, the regency
/// region names are looked up under, and the transaction.
pub(super) struct Started {
    pub report: Report,
    pub sheet: Sheet,
    pub default_regency: Option<String>,
    pub w: writes::Write,
}

impl Job<'_> {
    /// Checks the options and opens the sheet, reading it off the async workers (a file of 8 MB
    /// takes a core for a second or more), then begins the write: the file is read before the
    /// writer gate is taken. `Ok(Err(report))` is a file that cannot be read, breaks a limit, or
    /// whose header is wrong: the report holds its problems and nothing more is done.
    pub(super) async fn start(
        &self,
        cols: &'static [Column],
        ignored: &'static [&'static str],
    ) -> AppResult<Result<Started, Report>> {
        let mut report = Report::for_options(self.options);
        let default_regency = stated_regency(self.options)?;
        let (bytes, limits, format) = (self.bytes.clone(), self.options.limits, self.format);
        let (report, sheet) = tokio::task::spawn_blocking(move || {
            let sheet = open_sheet(&bytes, format, &limits, cols, ignored, &mut report);
            (report, sheet)
        })
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("reading an import: {e}")))?;
        let Some(sheet) = sheet else {
            return Ok(Err(report));
        };
        let mut report = report;
        report.rows = sheet.rows.len();
        let w = writes::begin(self.db, self.gate).await?;
        Ok(Ok(Started {
            report,
            sheet,
            default_regency,
            w,
        }))
    }

    /// Whether the checks end the import here: problems were found (nothing is stored), or the
    /// caller asked for a dry run. Dropping the transaction rolls it back.
    pub(super) fn stops(&self, report: &Report) -> bool {
        !report.problems.is_empty() || self.options.dry_run
    }
}

/// The end of an import that wrote: commits when every write went through (`wrote`), and says so
/// in the report; otherwise the transaction is dropped, which rolls it back.
pub(super) async fn settle(w: writes::Write, mut report: Report, wrote: bool) -> AppResult<Report> {
    if wrote {
        w.commit().await?;
        report.stored = true;
    }
    Ok(report)
}

impl Sheet {
    /// A row's cell in one of the kind's columns, trimmed; empty when the file lacks the column.
    pub(super) fn cell(&self, r: &[String], col: usize) -> String {
        self.at[col]
            .and_then(|p| r.get(p))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    }

    /// A row's cell as read (untrimmed), for problems that quote it.
    pub(super) fn raw(&self, r: &[String], col: usize) -> String {
        self.at[col]
            .and_then(|p| r.get(p))
            .cloned()
            .unwrap_or_default()
    }

    /// A problem with `col` of spreadsheet row `row`.
    pub(super) fn problem(
        &self,
        row: usize,
        col: usize,
        value: &str,
        reason: impl Into<String>,
    ) -> Problem {
        Problem::new(row, &self.names[col], value, reason)
    }
}

/// One row being checked: its cells, and the problems found so far, in the order found.
pub(super) struct Cells<'s> {
    pub row: usize,
    pub cells: &'s [String],
    sheet: &'s Sheet,
    pub problems: Vec<Problem>,
    /// Some problem is a permission the importer lacks.
    pub forbidden: bool,
}

impl<'s> Cells<'s> {
    pub(super) fn new(sheet: &'s Sheet, row: usize, cells: &'s [String]) -> Self {
        Self {
            row,
            cells,
            sheet,
            problems: Vec::new(),
            forbidden: false,
        }
    }

    /// The trimmed cell of `col`.
    pub(super) fn get(&self, col: usize) -> String {
        self.sheet.cell(self.cells, col)
    }

    /// Notes a problem with `col`.
    pub(super) fn problem(&mut self, col: usize, value: &str, reason: impl Into<String>) {
        let p = self.sheet.problem(self.row, col, value, reason);
        self.problems.push(p);
    }

    /// Notes a permission the importer lacks, on `col`.
    pub(super) fn forbid(&mut self, col: usize, value: &str, e: AppError) {
        self.forbidden = true;
        self.problem(col, value, format!("forbidden: {e}"));
    }

    /// Hands the row's problems to the report; the checked value only when there are none.
    pub(super) fn finish<T>(self, report: &mut Report, value: Option<T>) -> Option<T> {
        report.forbidden |= self.forbidden;
        if self.problems.is_empty() {
            value
        } else {
            report.problems.extend(self.problems);
            None
        }
    }
}

/// The reason of a text rule's refusal (`writes::text`), without the field it would name.
pub(super) fn text_reason(e: AppError) -> String {
    match e {
        AppError::BadInput { message, .. } => message,
        other => other.to_string(),
    }
}

/// The hub's organizations, by id and by folded name.
pub(super) struct Orgs<'a> {
    by_id: HashMap<&'a str, &'a entity::organization::Model>,
    by_name: HashMap<String, Vec<&'a entity::organization::Model>>,
}

impl<'a> Orgs<'a> {
    pub(super) fn new(all: &'a [entity::organization::Model]) -> Self {
        let mut by_name: HashMap<String, Vec<&entity::organization::Model>> = HashMap::new();
        for o in all {
            by_name.entry(o.search_name.clone()).or_default().push(o);
        }
        Self {
            by_id: all.iter().map(|o| (o.id.as_str(), o)).collect(),
            by_name,
        }
    }

    /// The organization with this id.
    pub(super) fn id(&self, id: &str) -> Option<&'a entity::organization::Model> {
        self.by_id.get(id).copied()
    }

    /// The organizations with this folded name.
    pub(super) fn named(&self, folded: &str) -> &[&'a entity::organization::Model] {
        self.by_name.get(folded).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The organization a cell names, by id or else by its one exact name; otherwise how many
    /// organizations have that name (none, or several).
    pub(super) fn find(&self, cell: &str) -> Result<&'a entity::organization::Model, usize> {
        if let Some(o) = self.id(cell) {
            return Ok(o);
        }
        match self.named(&fold(cell)) {
            [one] => Ok(*one),
            several => Err(several.len()),
        }
    }
}

/// The regions a file's cells name, gathered before they are read in a few queries.
#[derive(Default)]
pub(super) struct RegionWants {
    codes: HashSet<String>,
    regencies: HashSet<String>,
}

impl RegionWants {
    /// Notes a region cell: a code is read by code; a name makes the regency it is looked up under
    /// (the row's own, else the file's) read whole.
    pub(super) fn add(&mut self, raw: &str, own_regency: &str, default: Option<&str>) {
        match region_cell(raw) {
            RegionCell::Code(c) => {
                self.codes.insert(c.to_string());
            }
            RegionCell::Name(_) => {
                if own_regency.is_empty() {
                    self.regencies.extend(default.map(str::to_string));
                } else if let Ok(c) = RegionCode::parse(own_regency) {
                    self.regencies.insert(c.to_string());
                }
            }
            RegionCell::Bad(_) => {}
        }
    }

    /// Reads the regions noted; names only of `level` when given (villages for the kinds that
    /// take only villages).
    pub(super) async fn read(
        self,
        txn: &impl ConnectionTrait,
        level: Option<RegionLevel>,
    ) -> AppResult<Regions> {
        use entity::region::{Column as RC, Entity as Region};
        let mut regions = Regions::default();
        let codes: Vec<String> = self.codes.into_iter().collect();
        for chunk in codes.chunks(CHUNK) {
            for m in Region::find()
                .filter(RC::Code.is_in(chunk.iter().cloned()))
                .all(txn)
                .await?
            {
                regions.by_code.insert(m.code.clone(), m);
            }
        }
        for reg in self.regencies {
            let mut find = Region::find().filter(RC::Code.starts_with(format!("{reg}.")));
            if let Some(level) = level {
                find = find.filter(RC::Level.eq(level));
            }
            let mut by_name: HashMap<String, Vec<entity::region::Model>> = HashMap::new();
            for m in find.all(txn).await? {
                by_name.entry(m.search_name.clone()).or_default().push(m);
            }
            regions.below.insert(reg, by_name);
        }
        Ok(regions)
    }
}

impl Regions {
    /// The regions below `regency` with this folded name.
    pub(super) fn named(&self, regency: &str, folded: &str) -> &[entity::region::Model] {
        self.below
            .get(regency)
            .and_then(|m| m.get(folded))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The one region below `reg` with the folded `name` that `raw` gives; otherwise a problem on
    /// `col` listing the candidates, or saying none matches. `noun` is what the kind looks for, one
    /// and several (`region`, `regions`).
    pub(super) fn pick(
        &self,
        c: &mut Cells,
        (col, raw): (usize, &str),
        (reg, name): (&str, &str),
        (one, several): (&str, &str),
    ) -> Option<&entity::region::Model> {
        match self.named(reg, name) {
            [found] => Some(found),
            many if many.len() > 1 => {
                let list = candidates(many);
                let why = format!(
                    "ambiguous: several {several} below {reg} have this name: {list}; give the code"
                );
                c.problem(col, raw, why);
                None
            }
            _ => {
                c.problem(col, raw, format!("no {one} named `{raw}` below {reg}"));
                None
            }
        }
    }
}

/// Several regions a name matches, listed for the problem: `Name (code), ...`.
pub(super) fn candidates(several: &[entity::region::Model]) -> String {
    several
        .iter()
        .map(|m| format!("{} ({})", m.name, m.code))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Inserts new rows in multi-row inserts, adding each one's `create` audit row to `audit_rows`
/// (recorded at the end, in multi-row inserts too).
pub(super) async fn insert_new<E>(
    txn: &impl ConnectionTrait,
    importer: &Importer<'_>,
    (entity, id): (AuditEntity, fn(&E::Model) -> &str),
    models: &[E::Model],
    audit_rows: &mut Vec<entity::audit_log::ActiveModel>,
) -> AppResult<()>
where
    E: EntityTrait,
    E::Model: Serialize + Clone + IntoActiveModel<E::ActiveModel>,
{
    for chunk in models.chunks(CHUNK) {
        for m in chunk {
            audit_rows.push(audit::row(
                importer,
                entity,
                id(m),
                "create",
                None::<&()>,
                Some(m),
            ));
        }
        E::insert_many(
            chunk
                .iter()
                .cloned()
                .map(IntoActiveModel::into_active_model),
        )
        .exec_without_returning(txn)
        .await?;
    }
    Ok(())
}

/// Saves a changed row through the update path (next version, audit row), at the version the import
/// read: `None` when it changed meanwhile (the problem, at `at`, is in `report`; the caller drops
/// the transaction).
pub(super) async fn update_as_read<A>(
    txn: &impl ConnectionTrait,
    importer: &Importer<'_>,
    report: &mut Report,
    (before, am): (&<A::Entity as EntityTrait>::Model, A),
    at: (usize, &str, &str),
) -> AppResult<Option<<A::Entity as EntityTrait>::Model>>
where
    A: Versioned,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A> + Serialize,
{
    let (id, version) = A::id_version(before);
    if !report
        .lock_as_read::<A::Entity>(txn, (id, version), at)
        .await?
    {
        return Ok(None);
    }
    let change = writes::Change {
        id,
        version,
        action: "update",
    };
    writes::save_update(txn, importer, change, before, am)
        .await
        .map(Some)
}

/// The rows an import writes: new ones, and changed ones with their row and stored record.
pub(super) struct Plan<M> {
    pub inserts: Vec<M>,
    pub updates: Vec<(usize, M, M)>,
}

impl<M: PartialEq> Plan<M> {
    pub(super) fn new() -> Self {
        Self {
            inserts: Vec::new(),
            updates: Vec::new(),
        }
    }

    /// Plans a row and counts it: equal to its stored record it is unchanged, otherwise updated;
    /// without one it is inserted.
    pub(super) fn add(&mut self, report: &mut Report, row: usize, before: Option<M>, model: M) {
        match before {
            Some(b) if b == model => report.unchanged += 1,
            Some(b) => {
                report.updated += 1;
                self.updates.push((row, b, model));
            }
            None => {
                report.inserted += 1;
                self.inserts.push(model);
            }
        }
    }
}
