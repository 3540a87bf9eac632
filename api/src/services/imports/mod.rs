//! Spreadsheet import (issue 6) of contributions, programs (with yearly targets and target
//! villages), organizations and village indicators: CSV or XLSX, from `sinergi import KIND FILE` or
//! `POST /imports/KIND`, with a template per kind (`GET /imports/KIND/template.csv|xlsx`). The
//! columns of each kind, with their Indonesian and English headers and what goes in them, are the
//! `*_COLUMNS` constants of the per-kind modules; the XLSX template's "Petunjuk" sheet prints them.
//!
//! Stable keys: contributions (contributor, `kunci`) stored in `contributions.external_key`;
//! programs their unique `code`; organizations their name (the key contributions files use to name
//! them); village indicators (village, year). The decisions below are written for contributions;
//! the other kinds follow them (all or nothing, dry run, problems with row/column/value/reason,
//! `forbidden:` problems answered 403, unchanged rows untouched), with their own mutation's rules.
//!
//! Decisions:
//!
//! - **All or nothing.** Every row is read and checked first, collecting every problem (row, column,
//!   value, reason); only a file without problems is written, in one transaction. A dry run does the
//!   same checks and counts, then rolls back. Reference data (organizations, programs, regions,
//!   earlier imported rows) is read inside that transaction too.
//! - **Row numbers** are the spreadsheet's: the header is row 1, the first data row is row 2. Problems
//!   about the whole file (unreadable, missing column) use row 0 or 1.
//! - **Stable key.** `kunci`/`key` is the contributing organization's own row id, stored in
//!   `contributions.external_key` (unique per contributor). A row whose (contributor, key) exists and
//!   whose values are equal is *unchanged* (no version bump, no audit row); with other values it is
//!   *updated* (version + 1, an `update` audit row); otherwise it is *inserted* (a `create` audit
//!   row). A key twice in one file is a problem. A contribution made in the hub has no key: its id
//!   stands for it (the CSV export writes it as `kunci`), so an exported file imports back.
//! - **Same rules as the mutations** (`services::rules`, `writes::text`): amounts never negative,
//!   committed never below disbursed, fiscal year 2000–2100 and inside the program's years, APBDes only
//!   to a desa, a village government's money only to a village, text lengths. New rows are PLANNED
//!   (the default) or COMMITTED, as in `createContribution`. On an existing row an empty status cell
//!   or the stored status keeps it; PLANNED/COMMITTED moves a PLANNED or COMMITTED row; a row that has
//!   moved on (IN_PROGRESS, COMPLETED) keeps its status, since its life cycle continues in the hub;
//!   moving a row on is refused. A CANCELLED row cannot be changed by an import, as by
//!   `updateContribution`.
//! - **Permissions are per row**, as in `createContribution`: an admin imports for anyone, a member
//!   or coordinator only for its own organization. A row that changes nothing needs no permission. A row for another organization is a problem whose
//!   reason starts with `forbidden:`; the HTTP upload then answers 403 instead of 400 (the body is the
//!   same report), so a client sees at once that retrying with fixes to the data will not help.
//!   The command line without `--as` acts as the system: admin rights, audit rows without a user.
//! - **Regions**: a Kemendagri code, dotted or not; or a name matching exactly one region (district
//!   or village) below the row's regency (`kabupaten`/`regency` column) or the file's (`--regency`,
//!   `?regency=`). No match, or several, is a problem naming the candidates.
//! - **Organizations** by id or by exact name (case, accents and spacing ignored); **programs** by
//!   code (case-insensitive) or id.

use crate::error::{AppError, AppResult};
use crate::region_code::RegionCode;
use crate::services::writes::{self, WriteGate};
use crate::services::{audit, new_id, rules};
use crate::text::fold;
use chrono::Utc;
use entity::enums::{
    ContributionKind, ContributionStatus as Status, FundingSource, RegionLevel, TargetGroup,
};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter,
};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use steps::*;

mod contributions;
#[cfg(test)]
mod fuzz;
mod indicators;
mod organizations;
mod programs;
mod steps;

pub use contributions::{CONTRIBUTION_COLUMNS, CONTRIBUTION_DERIVED, contributions};
pub use indicators::{INDICATOR_COLUMNS, indicators};
pub use organizations::{ORGANIZATION_COLUMNS, organizations};
pub use programs::{PROGRAM_COLUMNS, programs};

/// Reason given for an XLSX body or file that cannot be opened.
pub const XLSX_UNREADABLE: &str = "not a readable XLSX file";

/// Rows per INSERT: 21 columns × 400 stays far below SQLite's 32,766 bound parameters.
const CHUNK: usize = 400;

/// Progress is reported every this many rows.
pub const PROGRESS_EVERY: usize = 10_000;

/// The file's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Comma- or semicolon-separated text, UTF-8 (a byte-order mark is fine).
    Csv,
    /// An Excel workbook: the first sheet is read.
    Xlsx,
}

impl Format {
    /// The format of an upload from its Content-Type.
    pub fn from_content_type(ct: &str) -> Option<Self> {
        let t = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match t.as_str() {
            "text/csv" | "application/csv" | "text/plain" => Some(Self::Csv),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => Some(Self::Xlsx),
            _ => None,
        }
    }

    /// The format of a file from its name: `.xlsx` is XLSX, anything else CSV.
    pub fn from_path(path: &std::path::Path) -> Self {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("xlsx") => Self::Xlsx,
            _ => Self::Csv,
        }
    }
}

/// One thing wrong with a file.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Spreadsheet row (header = 1); 0 for the file as a whole.
    pub row: usize,
    /// The column's header as written in the file (or its template name when missing).
    pub column: String,
    /// The cell's value.
    pub value: String,
    /// What is wrong.
    pub reason: String,
}

impl Problem {
    fn new(row: usize, column: &str, value: &str, reason: impl Into<String>) -> Self {
        Self {
            row,
            column: column.to_string(),
            value: value.to_string(),
            reason: reason.into(),
        }
    }
}

/// What an import did (or, in a dry run or with problems, would have done).
#[derive(Serialize, Debug, Default, Clone)]
#[serde(rename_all = "camelCase")]
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
    /// Everything wrong; empty when the file is good.
    pub problems: Vec<Problem>,
    /// Some problem is a permission the importer lacks (HTTP 403 rather than 400).
    #[serde(skip)]
    pub forbidden: bool,
    /// A record changed between the import's read and its write (HTTP 409 rather than 400).
    #[serde(skip)]
    pub conflict: bool,
}

/// The reason given for a row whose record changed while the import ran.
pub const CHANGED_SINCE_READ: &str = "the record changed while the import ran (someone saved it meanwhile): nothing was stored; import the file again";

impl Report {
    /// Takes the stored row a write is about to change at the version the import read, as a
    /// mutation does (`writes::lock_version`): on PostgreSQL a change committed since the read makes
    /// this fail, and a mutation that comes later waits for the import, then gets CONFLICT. On
    /// failure the row's problem is recorded and `false` comes back: the caller returns the report,
    /// dropping the transaction, so nothing is stored.
    async fn lock_as_read<E: EntityTrait>(
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

/// Who imports: a signed-in user (HTTP) or the user named by `--as` (command line), whose rights
/// apply; or the system (the command line without `--as`), whose audit rows name no user.
pub use crate::services::authz::Actor as Importer;

/// Options of one import.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Check and count only.
    pub dry_run: bool,
    /// The regency region names are looked up in, unless a row names its own.
    pub regency: Option<String>,
}

/// A documented column of the contributions file.
pub struct Column {
    /// English header.
    pub en: &'static str,
    /// Indonesian header (the template's).
    pub id: &'static str,
    /// Other accepted headers.
    pub aliases: &'static [&'static str],
    /// Whether a value is required.
    pub required: bool,
    /// The template's example value.
    pub example: &'static str,
    /// What goes in it (Indonesian, then English).
    pub doc: &'static str,
}

fn header_key(h: &str) -> String {
    fold(h.trim().trim_end_matches('*')).replace([' ', '-'], "_")
}

/// Reads the raw table: the first row is the header. A file that cannot be read is one problem.
/// Also returns how many empty rows precede the header (a sheet may start below row 1), so problems
/// name the row the user sees.
pub fn read_table(bytes: &[u8], format: Format) -> Result<(usize, Vec<Vec<String>>), Problem> {
    match format {
        Format::Csv => read_csv(bytes).map(|rows| (0, rows)),
        Format::Xlsx => read_xlsx(bytes),
    }
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, Problem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // Excel in an Indonesian locale saves "CSV" with semicolons: take them when the header has no comma.
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or(&[]);
    let delimiter = if !first_line.contains(&b',') && first_line.contains(&b';') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut rows = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| {
            Problem::new(
                i + 1,
                "",
                "",
                format!("not a readable CSV file (UTF-8 expected): {e}"),
            )
        })?;
        rows.push(rec.iter().map(|c| c.trim().to_string()).collect());
    }
    Ok(rows)
}

fn read_xlsx(bytes: &[u8]) -> Result<(usize, Vec<Vec<String>>), Problem> {
    use calamine::{Data, Reader, Xlsx};
    let unreadable = || Problem::new(0, "", "", XLSX_UNREADABLE);
    let mut wb: Xlsx<_> =
        Xlsx::new(std::io::Cursor::new(bytes.to_vec())).map_err(|_| unreadable())?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or_else(unreadable)?
        .map_err(|_| unreadable())?;
    let cell = |d: &Data| -> String {
        match d {
            Data::Empty => String::new(),
            Data::String(s) => s.trim().to_string(),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => format!("{}", *f as i64),
            Data::Int(i) => i.to_string(),
            // A date-formatted cell holds Excel's serial day number (days since 1899-12-30); turn it
            // into the YYYY-MM-DD text the columns expect.
            Data::DateTime(dt) => chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
                .and_then(|epoch| {
                    epoch.checked_add_signed(chrono::Duration::days(dt.as_f64().floor() as i64))
                })
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
            other => other.to_string().trim().to_string(),
        }
    };
    let skipped = range.start().map(|(row, _)| row as usize).unwrap_or(0);
    Ok((
        skipped,
        range.rows().map(|r| r.iter().map(cell).collect()).collect(),
    ))
}

/// Parses an enum cell: the Indonesian label of `labels.rs` (what the exports write, so an exported
/// file imports back), the GraphQL name (`APBD_REGENCY`), or one of the friendly `aliases` (folded).
fn parse_enum<T: serde::de::DeserializeOwned>(
    raw: &str,
    kind: crate::labels::Kind,
    aliases: &[(&str, &str)],
) -> Option<T> {
    let folded = fold(raw);
    let wire = crate::labels::wire(kind, raw)
        .or_else(|| aliases.iter().find(|(l, _)| *l == folded).map(|(_, w)| *w))
        .map(str::to_string)
        .unwrap_or_else(|| folded.replace([' ', '-'], "_").to_uppercase());
    serde_json::from_value(serde_json::Value::String(wire)).ok()
}

const SOURCE_LABELS: &[(&str, &str)] = &[
    ("apbd provinsi", "APBD_PROVINCE"),
    ("apbd prov", "APBD_PROVINCE"),
    ("apbd kabupaten", "APBD_REGENCY"),
    ("apbd kota", "APBD_REGENCY"),
    ("apbd kabupaten/kota", "APBD_REGENCY"),
    ("apbd kab", "APBD_REGENCY"),
    ("apbdesa", "APBDES"),
    ("apb desa", "APBDES"),
    ("dana desa", "APBDES"),
    ("perguruan tinggi", "UNIVERSITY"),
    ("universitas", "UNIVERSITY"),
    ("swadaya", "COMMUNITY"),
    ("swadaya masyarakat", "COMMUNITY"),
    ("lainnya", "OTHER"),
];
const KIND_LABELS: &[(&str, &str)] = &[
    ("tunai", "CASH"),
    ("uang", "CASH"),
    ("barang", "IN_KIND"),
    ("natura", "IN_KIND"),
    ("keahlian", "EXPERTISE"),
    ("tenaga ahli", "EXPERTISE"),
    ("tenaga sukarela", "VOLUNTEER_LABOUR"),
    ("relawan", "VOLUNTEER_LABOUR"),
];
const STATUS_LABELS: &[(&str, &str)] = &[
    ("rencana", "PLANNED"),
    ("direncanakan", "PLANNED"),
    ("komitmen", "COMMITTED"),
    ("berkomitmen", "COMMITTED"),
];
const TARGET_LABELS: &[(&str, &str)] = &[
    ("rumah tangga miskin", "POOR_HOUSEHOLDS"),
    ("rtm", "POOR_HOUSEHOLDS"),
    ("keluarga risiko stunting", "STUNTING_RISK_FAMILIES"),
    ("ibu dan bayi", "MOTHERS_AND_INFANTS"),
    ("balita", "TODDLERS"),
    ("petani dan nelayan", "FARMERS_AND_FISHERS"),
    ("perempuan", "WOMEN"),
    ("usaha mikro", "MICRO_ENTERPRISES"),
    ("umkm", "MICRO_ENTERPRISES"),
    ("pelajar", "STUDENTS"),
    ("lansia dan disabilitas", "ELDERLY_AND_DISABLED"),
    ("umum", "GENERAL"),
];

/// Parses whole Rupiah: `1500000`, `1.500.000`, `1,500,000`, `Rp 1.500.000`; a minus sign is kept
/// (the rule then refuses it, naming the reason).
fn parse_amount(raw: &str) -> Result<i64, String> {
    let bad = || "not a whole number of Rupiah".to_string();
    let trimmed = raw.trim();
    let trimmed = trimmed
        .strip_prefix("Rp")
        .or_else(|| trimmed.strip_prefix("rp"))
        .or_else(|| trimmed.strip_prefix("RP"))
        .unwrap_or(trimmed);
    let s: String = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.as_str()),
    };
    let plain = if digits.contains(['.', ',']) {
        let groups: Vec<&str> = digits.split(['.', ',']).collect();
        let ok = (1..=3).contains(&groups[0].len())
            && groups[1..].iter().all(|g| g.len() == 3)
            && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
        if !ok {
            return Err(bad());
        }
        groups.concat()
    } else {
        digits.to_string()
    };
    if plain.is_empty() || !plain.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let n: i64 = plain.parse().map_err(|_| bad())?;
    Ok(if negative { -n } else { n })
}

/// Regions the file names, by code and by (regency, folded name).
#[derive(Default)]
struct Regions {
    by_code: HashMap<String, entity::region::Model>,
    below: HashMap<String, HashMap<String, Vec<entity::region::Model>>>,
}

/// What a region cell asks for.
enum RegionCell {
    Code(RegionCode),
    Name(String),
    Bad(String),
}

fn region_cell(raw: &str) -> RegionCell {
    match RegionCode::parse(raw) {
        Ok(c) => RegionCell::Code(c),
        Err(_) if raw.chars().any(char::is_alphabetic) => RegionCell::Name(fold(raw)),
        Err(why) => RegionCell::Bad(why),
    }
}

/// What can be imported: one spreadsheet kind, named by its URL segment (`/imports/{kind}`) and its
/// command (`sinergi import {kind}`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportKind {
    /// Contributions, matched on (contributor, `kunci`).
    Contributions,
    /// Programs with yearly targets and target villages, matched on their code.
    Programs,
    /// Organizations, matched on their name.
    Organizations,
    /// Village indicators, matched on (village, year).
    Indicators,
}

impl ImportKind {
    /// Every kind, in the order the documentation lists them.
    pub const ALL: [ImportKind; 4] = [
        Self::Contributions,
        Self::Programs,
        Self::Organizations,
        Self::Indicators,
    ];

    /// The kind a URL segment names.
    pub fn from_segment(segment: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.segment() == segment)
    }

    /// Its URL segment and command name.
    pub fn segment(self) -> &'static str {
        match self {
            Self::Contributions => "contributions",
            Self::Programs => "programs",
            Self::Organizations => "organizations",
            Self::Indicators => "indicators",
        }
    }

    /// Its columns, in template order.
    pub fn columns(self) -> &'static [Column] {
        match self {
            Self::Contributions => &CONTRIBUTION_COLUMNS,
            Self::Programs => &PROGRAM_COLUMNS,
            Self::Organizations => &ORGANIZATION_COLUMNS,
            Self::Indicators => &INDICATOR_COLUMNS,
        }
    }

    /// The name of the XLSX template's data sheet.
    pub fn sheet(self) -> &'static str {
        match self {
            Self::Contributions => "Kontribusi",
            Self::Programs => "Program",
            Self::Organizations => "Organisasi",
            Self::Indicators => "Indikator Desa",
        }
    }

    /// Imports `bytes` as this kind (see the per-kind functions); `progress` hears from the kinds
    /// that report it (contributions, indicators).
    #[allow(clippy::too_many_arguments)]
    pub async fn run(
        self,
        db: &DatabaseConnection,
        gate: &WriteGate,
        importer: Importer<'_>,
        bytes: &[u8],
        format: Format,
        options: &Options,
        progress: &mut (dyn FnMut(&str, usize, usize) + Send),
    ) -> AppResult<Report> {
        match self {
            Self::Contributions => {
                contributions(db, gate, importer, bytes, format, options, progress).await
            }
            Self::Programs => programs(db, gate, importer, bytes, format, options).await,
            Self::Organizations => organizations(db, gate, importer, bytes, format, options).await,
            Self::Indicators => {
                indicators(db, gate, importer, bytes, format, options, progress).await
            }
        }
    }
}

/// The template as CSV: the Indonesian headers and one example row.
pub fn template_csv(cols: &[Column]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(cols.iter().map(|c| c.id));
    let _ = w.write_record(cols.iter().map(|c| c.example));
    w.into_inner().unwrap_or_default()
}

/// The template as XLSX: sheet `sheet` (e.g. "Kontribusi") with the headers and an example row
/// (cells as text), and sheet "Petunjuk" documenting every column (Indonesian and English header,
/// required, what goes in it).
pub fn template_xlsx(cols: &[Column], sheet: &str) -> AppResult<Vec<u8>> {
    use rust_xlsxwriter::{Format as Fmt, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| AppError::Internal(e.into());
    let mut wb = Workbook::new();
    let bold = Fmt::new().set_bold();
    let text = Fmt::new().set_num_format("@");
    {
        let ws = wb.add_worksheet().set_name(sheet).map_err(err)?;
        for (i, c) in cols.iter().enumerate() {
            let col = i as u16;
            ws.write_string_with_format(0, col, c.id, &bold)
                .map_err(err)?;
            ws.write_string_with_format(1, col, c.example, &text)
                .map_err(err)?;
            ws.set_column_width(col, 20).map_err(err)?;
        }
    }
    {
        let ws = wb.add_worksheet().set_name("Petunjuk").map_err(err)?;
        for (i, h) in ["kolom", "column", "wajib / required", "isi / contents"]
            .iter()
            .enumerate()
        {
            ws.write_string_with_format(0, i as u16, *h, &bold)
                .map_err(err)?;
        }
        for (i, c) in cols.iter().enumerate() {
            let row = i as u32 + 1;
            ws.write_string(row, 0, c.id).map_err(err)?;
            ws.write_string(row, 1, c.en).map_err(err)?;
            ws.write_string(row, 2, if c.required { "ya / yes" } else { "tidak / no" })
                .map_err(err)?;
            ws.write_string(row, 3, c.doc).map_err(err)?;
        }
        ws.set_column_width(3, 100).map_err(err)?;
    }
    wb.save_to_buffer().map_err(err)
}

/// The regency a file's region names are looked up under (`--regency` / `regency=`), checked.
fn stated_regency(options: &Options) -> AppResult<Option<String>> {
    match options.regency.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(r) => {
            let code = RegionCode::parse(r).map_err(|m| AppError::bad_input("regency", m))?;
            if code.level() != RegionLevel::Regency {
                return Err(AppError::bad_input(
                    "regency",
                    format!("{code} is not a regency code (two parts, e.g. 33.26)"),
                ));
            }
            Ok(Some(code.to_string()))
        }
    }
}

/// A file read, its header matched to a kind's columns, and its non-blank data rows with their
/// spreadsheet row numbers (the header is row 1).
struct Sheet {
    /// Position in the file of each of the kind's columns.
    at: Vec<Option<usize>>,
    /// The header each column was given under, for problem reports.
    names: Vec<String>,
    /// (row number, cells) of every non-blank data row.
    rows: Vec<(usize, Vec<String>)>,
}

/// Reads a file and matches its header; on an unreadable file or a bad header the problems go to
/// `report` and `None` comes back. Columns headed by one of `ignored` (what an export adds for
/// readers: names, derived amounts) are skipped, not refused.
fn open_sheet(
    bytes: &[u8],
    format: Format,
    cols: &[Column],
    ignored: &[&str],
    report: &mut Report,
) -> Option<Sheet> {
    let (skipped, table) = match read_table(bytes, format) {
        Ok(t) => t,
        Err(p) => {
            report.problems.push(p);
            return None;
        }
    };
    let Some((header, body)) = table.split_first() else {
        report.problems.push(Problem::new(
            0,
            "",
            "",
            "the file is empty: a header row is expected",
        ));
        return None;
    };
    let (at, names) = map_headers(header, cols, ignored, skipped + 1, &mut report.problems);
    if !report.problems.is_empty() {
        return None;
    }
    let rows = body
        .iter()
        .enumerate()
        .map(|(i, r)| (skipped + i + 2, r.clone()))
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
        .collect();
    Some(Sheet { at, names, rows })
}

/// Matches a header row against `cols`: the file position of each column and the header as written
/// (the template name when absent). Unknown, repeated and missing required columns are problems.
fn map_headers(
    header: &[String],
    cols: &[Column],
    ignored: &[&str],
    header_row: usize,
    problems: &mut Vec<Problem>,
) -> (Vec<Option<usize>>, Vec<String>) {
    let mut at: Vec<Option<usize>> = vec![None; cols.len()];
    let mut names: Vec<String> = cols.iter().map(|c| c.id.to_string()).collect();
    for (pos, h) in header.iter().enumerate() {
        if h.trim().is_empty() {
            continue;
        }
        let k = header_key(h);
        match cols
            .iter()
            .position(|c| c.en == k || c.id == k || c.aliases.contains(&k.as_str()))
        {
            Some(i) if at[i].is_some() => problems.push(Problem::new(
                header_row,
                h,
                h,
                format!("column given twice (also as `{}`)", names[i]),
            )),
            Some(i) => {
                at[i] = Some(pos);
                names[i] = h.clone();
            }
            None if ignored.contains(&k.as_str()) => {}
            None => problems.push(Problem::new(
                header_row,
                h,
                h,
                "unknown column (see the template for the accepted headers)",
            )),
        }
    }
    for (i, c) in cols.iter().enumerate() {
        if c.required && at[i].is_none() {
            problems.push(Problem::new(
                header_row,
                c.id,
                "",
                format!("required column missing (`{}` or `{}`)", c.id, c.en),
            ));
        }
    }
    (at, names)
}

/// Parses a date cell: `2026-01-31` or `31/01/2026` (or `31-01-2026`).
fn parse_date(raw: &str) -> Option<chrono::NaiveDate> {
    use chrono::NaiveDate;
    let s = raw.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .or_else(|_| NaiveDate::parse_from_str(s, "%d-%m-%Y"))
        .ok()
}
