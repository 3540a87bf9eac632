//! What an import tells its caller: the counts, and the problems found, bounded. A file of a
//! million bad rows has a million problems; the report lists the first few hundred (values cut to
//! a short prefix) and counts the rest, so its answer stays small whatever the file.

use super::read::Refusal;
use super::*;
use serde::ser::{SerializeSeq, SerializeStruct, Serializer};

/// Longest value or column a problem quotes, in characters.
const QUOTE_CHARS: usize = 120;

/// One thing wrong with a file.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Spreadsheet row (header = 1); 0 for the file as a whole.
    pub row: usize,
    /// The column's header as written in the file (or its template name when missing).
    pub column: String,
    /// The cell's value (its first 120 characters).
    pub value: String,
    /// What is wrong.
    pub reason: String,
    /// A stable code, for the refusals that come before any row is checked (a broken limit, an
    /// unreadable file): `IMPORT_TOO_MANY_ROWS`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<&'static str>,
    /// The reason in Bahasa Indonesia, with `code`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alasan: Option<String>,
    /// The setting whose limit the file broke, with `code` when it is a limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub setting: Option<&'static str>,
    /// That setting's value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
}

fn quote(s: &str) -> String {
    match s.char_indices().nth(QUOTE_CHARS) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_string(),
    }
}

impl Problem {
    pub(super) fn new(row: usize, column: &str, value: &str, reason: impl Into<String>) -> Self {
        Self {
            row,
            column: quote(column),
            value: quote(value),
            reason: reason.into(),
            code: None,
            alasan: None,
            setting: None,
            limit: None,
        }
    }

    /// A file refused by the reader.
    pub fn refused(r: Refusal) -> Self {
        Self {
            code: Some(r.code.as_str()),
            alasan: Some(r.alasan()),
            setting: r.limit.and(r.code.setting()),
            limit: r.limit,
            ..Self::new(r.row, &r.column, &r.value, r.reason())
        }
    }

    /// The refusal of an upload before it is read (too large, busy, too slow).
    pub fn upload(code: super::read::Code, limit: u64) -> Self {
        Self::refused(Refusal::limit(code, 0, "", "", limit))
    }
}

/// The problems of one import: the first `cap` of them, and how many there were.
#[derive(Debug, Clone)]
pub struct Problems {
    kept: Vec<Problem>,
    total: usize,
    cap: usize,
}

impl Default for Problems {
    fn default() -> Self {
        Self::with_cap(read::Limits::DEFAULT.max_problems)
    }
}

impl Problems {
    /// No problems yet; at most `cap` will be kept.
    pub fn with_cap(cap: usize) -> Self {
        Self {
            kept: Vec::new(),
            total: 0,
            cap,
        }
    }

    /// Records a problem (kept while there is room; counted always).
    pub fn push(&mut self, p: Problem) {
        self.total += 1;
        if self.kept.len() < self.cap {
            self.kept.push(p);
        }
    }

    /// Records problems.
    pub fn extend(&mut self, ps: impl IntoIterator<Item = Problem>) {
        for p in ps {
            self.push(p);
        }
    }

    /// No problem found.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// How many problems were found (kept or not).
    pub fn len(&self) -> usize {
        self.total
    }

    /// The problems kept, in the order found.
    pub fn iter(&self) -> std::slice::Iter<'_, Problem> {
        self.kept.iter()
    }
}

impl<'a> IntoIterator for &'a Problems {
    type Item = &'a Problem;
    type IntoIter = std::slice::Iter<'a, Problem>;
    fn into_iter(self) -> Self::IntoIter {
        self.kept.iter()
    }
}

impl Serialize for Problems {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.kept.len()))?;
        for p in &self.kept {
            seq.serialize_element(p)?;
        }
        seq.end()
    }
}

/// What an import did (or, in a dry run or with problems, would have done).
#[derive(Debug, Default, Clone)]
pub struct Report {
    /// Whether anything was written.
    pub stored: bool,
    /// A dry run: checked and counted, nothing written.
    pub dry_run: bool,
    /// Data rows read (blank rows skipped).
    pub rows: usize,
    /// Rows new to the hub.
    pub inserted: usize,
    /// Rows whose key exists with other values.
    pub updated: usize,
    /// Rows already in the hub exactly as in the file.
    pub unchanged: usize,
    /// Everything wrong (the first `max_problems`); empty when the file is good.
    pub problems: Problems,
    /// Some problem is a permission the importer lacks (HTTP 403 rather than 400).
    pub forbidden: bool,
    /// A record changed between the import's read and its write (HTTP 409 rather than 400).
    pub conflict: bool,
    /// The file broke a limit before its rows were checked (HTTP 413 rather than 400).
    pub too_large: bool,
}

impl Serialize for Report {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut r = s.serialize_struct("Report", 9)?;
        r.serialize_field("stored", &self.stored)?;
        r.serialize_field("dryRun", &self.dry_run)?;
        r.serialize_field("rows", &self.rows)?;
        r.serialize_field("inserted", &self.inserted)?;
        r.serialize_field("updated", &self.updated)?;
        r.serialize_field("unchanged", &self.unchanged)?;
        r.serialize_field("problems", &self.problems)?;
        // How many problems there were: more than `problems` lists when the file has many.
        r.serialize_field("problemCount", &self.problems.len())?;
        r.serialize_field("problemsListed", &self.problems.kept.len())?;
        r.end()
    }
}

impl Report {
    /// A report for an import run with `options`.
    pub(super) fn for_options(options: &Options) -> Self {
        Self {
            dry_run: options.dry_run,
            problems: Problems::with_cap(options.limits.max_problems),
            ..Default::default()
        }
    }

    /// The report of an upload refused before it was read.
    pub fn refused(problem: Problem) -> Self {
        let mut report = Self {
            too_large: problem.limit.is_some(),
            ..Default::default()
        };
        report.problems.push(problem);
        report
    }
}

/// The reason given for a row whose record changed while the import ran.
pub const CHANGED_SINCE_READ: &str = "the record changed while the import ran (someone saved it meanwhile): nothing was stored; import the file again";

impl Report {
    /// Takes the stored row a write is about to change at the version the import read, as a
    /// mutation does (`writes::lock_version`): on PostgreSQL a change committed since the read makes
    /// this fail, and a mutation that comes later waits for the import, then gets CONFLICT. On
    /// failure the row's problem is recorded and `false` comes back: the caller returns the report,
    /// dropping the transaction, so nothing is stored.
    pub(super) async fn lock_as_read<E: EntityTrait>(
        &mut self,
        txn: &impl ConnectionTrait,
        (id, version): (&str, i32),
        (row, column, value): (usize, &str, &str),
    ) -> AppResult<bool> {
        match writes::lock_version::<E>(txn, id, version).await {
            Ok(()) => Ok(true),
            Err(AppError::Conflict(_)) => {
                self.conflict = true;
                self.problems
                    .push(Problem::new(row, column, value, CHANGED_SINCE_READ));
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }
}
