//! Spreadsheet import (issue 6) of contributions, programs (with yearly targets and target
//! villages), organizations and village indicators: CSV or XLSX, from `sinergi import KIND FILE` or
//! `POST /imports/KIND`, with a template per kind (`GET /imports/KIND/template.csv|xlsx`). The
//! columns of each kind, with their Indonesian and English headers and what goes in them, are the
//! `*_COLUMNS` constants below; the XLSX template's "Petunjuk" sheet prints them.
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
//!   row). A key twice in one file is a problem.
//! - **Same rules as the mutations** (`services::rules`, `writes::text`): amounts never negative,
//!   committed never below disbursed, fiscal year 2000–2100 and inside the program's years, APBDes only
//!   to a desa, a village government's money only to a village, text lengths. New rows are PLANNED
//!   (the default) or COMMITTED, as in `createContribution`. On an existing row an empty status cell
//!   keeps the stored status; PLANNED/COMMITTED moves a PLANNED or COMMITTED row; a row that has moved
//!   on (IN_PROGRESS, COMPLETED) keeps its status, since its life cycle continues in the hub. A
//!   CANCELLED row cannot be changed by an import, as by `updateContribution`.
//! - **Permissions are per row**, as in `createContribution`: an admin imports for anyone, a member
//!   or coordinator only for its own organization. A row for another organization is a problem whose
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
use crate::services::authz::Actor;
use crate::services::writes::{self, WriteGate};
use crate::services::{new_id, rules};
use crate::text::fold;
use chrono::Utc;
use entity::enums::{
    ContributionKind, ContributionStatus as Status, FundingSource, RegionLevel, TargetGroup,
};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter,
};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

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
}

/// Who imports.
#[derive(Clone, Copy)]
pub enum Importer<'a> {
    /// A signed-in user (HTTP) or the user named by `--as` (command line): its rights apply.
    User(&'a entity::user::Model),
    /// The command line without `--as`: a system administrator; audit rows name no user.
    System,
}

impl Importer<'_> {
    fn user_id(&self) -> Option<&str> {
        match self {
            Self::User(u) => Some(&u.id),
            Self::System => None,
        }
    }

    fn organization_id(&self) -> Option<&str> {
        match self {
            Self::User(u) => u.organization_id.as_deref(),
            Self::System => None,
        }
    }

    fn may_act_for(&self, organization_id: &str) -> AppResult<()> {
        match self {
            Self::User(u) => Actor(u).require_acting_for(
                organization_id,
                "import contributions for this organization",
            ),
            Self::System => Ok(()),
        }
    }
}

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
        doc: "Jumlah penerima manfaat, bilangan bulat ≥ 0. / Number of beneficiaries.",
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

/// Parses an enum cell: the GraphQL name (`APBD_REGENCY`) or one of the friendly `labels` (folded).
fn parse_enum<T: serde::de::DeserializeOwned>(raw: &str, labels: &[(&str, &str)]) -> Option<T> {
    let folded = fold(raw);
    let wire = labels
        .iter()
        .find(|(l, _)| *l == folded)
        .map(|(_, w)| w.to_string())
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

/// One checked row, ready to write.
struct Planned {
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
    let Some(sheet) = open_sheet(bytes, format, &CONTRIBUTION_COLUMNS, &mut report) else {
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
    let mut regions = Regions::default();
    {
        let mut codes: HashSet<String> = HashSet::new();
        let mut regencies: HashSet<String> = HashSet::new();
        for &(_, r) in &rows {
            match region_cell(&get(r, REGION)) {
                RegionCell::Code(c) => {
                    codes.insert(c.to_string());
                }
                RegionCell::Name(_) => {
                    let own = get(r, REGENCY);
                    if own.is_empty() {
                        if let Some(d) = &default_regency {
                            regencies.insert(d.clone());
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
    }

    // First pass: everything that needs no earlier import (cells, references, permissions).
    struct Checked {
        row: usize,
        key: String,
        status_given: Option<Status>,
        model: entity::contribution::Model,
    }
    let mut checked: Vec<Checked> = Vec::with_capacity(rows.len());
    let now = Utc::now();
    for (n, &(row, r)) in rows.iter().enumerate() {
        if n > 0 && n.is_multiple_of(PROGRESS_EVERY) {
            progress("checked", n, rows.len());
        }
        let mut probs: Vec<Problem> = Vec::new();
        let mut forbidden = false;
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
            if let Some(o) = contributor
                && let Err(e) = importer.may_act_for(&o.id)
            {
                forbidden = true;
                problem(CONTRIBUTOR, &contributor_cell, format!("forbidden: {e}"));
            }
            // Enums.
            let source_cell = get(r, SOURCE);
            let source: Option<FundingSource> = parse_enum(&source_cell, SOURCE_LABELS);
            if source.is_none() {
                problem(
                    SOURCE,
                    &source_cell,
                    "unknown funding source (see the template)".into(),
                );
            }
            let kind_cell = get(r, KIND);
            let kind: Option<ContributionKind> = parse_enum(&kind_cell, KIND_LABELS);
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
                match parse_enum::<Status>(&status_cell, STATUS_LABELS) {
                    Some(s @ (Status::Planned | Status::Committed)) => Some(s),
                    _ => {
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
                let g = parse_enum(&group_cell, TARGET_LABELS);
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
                Ok(y) => match rules::fiscal_year("", y) {
                    Ok(()) => Some(y),
                    Err(e) => {
                        problem(YEAR, &year_cell, bad(e));
                        None
                    }
                },
                Err(_) => {
                    problem(
                        YEAR,
                        &year_cell,
                        "a fiscal year between 2000 and 2100".into(),
                    );
                    None
                }
            };
            let ben_cell = get(r, BENEFICIARIES);
            let beneficiaries: Option<i32> = if ben_cell.is_empty() {
                None
            } else {
                match ben_cell.parse::<i32>().map(Some) {
                    Ok(b) => match rules::beneficiaries("", b) {
                        Ok(b) => b,
                        Err(e) => {
                            problem(BENEFICIARIES, &ben_cell, bad(e));
                            None
                        }
                    },
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
                match parse_amount(&cell).and_then(|a| rules::money("", a).map_err(bad)) {
                    Ok(a) => Some(a),
                    Err(why) => {
                        problem(col, &cell, why);
                        None
                    }
                }
            };
            let planned = amount(PLANNED, true);
            let committed = amount(COMMITTED, false);
            // Texts.
            let title_cell = get(r, TITLE);
            let title = writes::text("", &title_cell, 200)
                .map_err(|e| problem(TITLE, &title_cell, bad(e)))
                .ok();
            let desc_cell = get(r, DESCRIPTION);
            let description = writes::opt_text("", Some(&desc_cell), 4000)
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
            };
            // The region and program rules, on their own (the amount rules wait for the stored row).
            let mut rule = |res: AppResult<()>, col: usize, value: &str| {
                if let Err(e) = res {
                    probs.push(Problem::new(row, &names[col], value, bad(e)));
                }
            };
            let region_field = "region";
            let source_field = "source";
            match rules::contribution_region(
                &model,
                contributor,
                region,
                region_field,
                source_field,
            ) {
                Err(AppError::BadInput { field, message }) if field == source_field => {
                    rule(Err(AppError::bad_input("", message)), SOURCE, &source_cell)
                }
                res => rule(res, REGION, &region_raw),
            }
            if let Some(p) = program {
                rule(rules::contribution_program(&model, p, ""), YEAR, &year_cell);
            }
            if !probs.is_empty() {
                break 'row None;
            }
            Some(Checked {
                row,
                key,
                status_given,
                model,
            })
        };
        report.problems.extend(probs);
        report.forbidden |= forbidden;
        checked.extend(result);
    }

    // Earlier imports of the same keys.
    let contributors: Vec<String> = checked
        .iter()
        .map(|c| c.model.contributor_id.clone())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut existing_ids: HashMap<(String, String), String> = HashMap::new();
    for chunk in contributors.chunks(CHUNK) {
        let stmt = Query::select()
            .columns([
                Alias::new("id"),
                Alias::new("contributor_id"),
                Alias::new("external_key"),
            ])
            .from(Alias::new("contributions"))
            .and_where(Expr::col(Alias::new("contributor_id")).is_in(chunk.iter().cloned()))
            .and_where(Expr::col(Alias::new("external_key")).is_not_null())
            .to_owned();
        for r in txn.query_all(&stmt).await? {
            let id: String = r.try_get("", "id")?;
            let org: String = r.try_get("", "contributor_id")?;
            let key: String = r.try_get("", "external_key")?;
            existing_ids.insert((org, key), id);
        }
    }
    let wanted: Vec<String> = checked
        .iter()
        .filter_map(|c| {
            existing_ids
                .get(&(c.model.contributor_id.clone(), c.key.clone()))
                .cloned()
        })
        .collect();
    let mut stored: HashMap<String, entity::contribution::Model> = HashMap::new();
    for chunk in wanted.chunks(CHUNK) {
        for m in entity::contribution::Entity::find()
            .filter(entity::contribution::Column::Id.is_in(chunk.iter().cloned()))
            .all(txn)
            .await?
        {
            stored.insert(m.id.clone(), m);
        }
    }

    // Second pass: duplicates in the file, and the stored row's rules.
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
        let before = existing_ids
            .get(&pair)
            .and_then(|id| stored.get(id))
            .cloned();
        let mut model = c.model;
        if let Some(b) = &before {
            model.id = b.id.clone();
            model.amount_disbursed = b.amount_disbursed;
            model.amount_realised = b.amount_realised;
            model.version = b.version;
            model.created_by = b.created_by.clone();
            model.created_at = b.created_at;
            model.updated_at = b.updated_at;
            model.status = match (b.status, c.status_given) {
                (Status::Planned | Status::Committed, Some(s)) => s,
                (s, _) => s,
            };
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
        if let Err(e) = rules::contribution_amounts(&model, "") {
            let message = match e {
                AppError::BadInput { message, .. } => message,
                other => other.to_string(),
            };
            let cell = at[COMMITTED]
                .and_then(|p| {
                    rows.iter()
                        .find(|(n, _)| *n == c.row)
                        .and_then(|(_, r)| r.get(p))
                })
                .cloned()
                .unwrap_or_default();
            report
                .problems
                .push(Problem::new(c.row, &names[COMMITTED], &cell, message));
            continue;
        }
        if before.is_some() {
            report.updated += 1;
        } else {
            report.inserted += 1;
        }
        plan.push(Planned {
            model,
            key: c.key,
            before,
        });
    }
    if !report.problems.is_empty() || options.dry_run {
        // Dropping the transaction rolls it back: nothing is stored.
        return Ok(report);
    }

    // Writes: new rows in chunks, changed rows one by one, audit rows in chunks.
    let total = plan.len();
    let mut audit_rows: Vec<entity::audit_log::ActiveModel> = Vec::with_capacity(total);
    let audit_json = |m: &entity::contribution::Model, key: &str| -> Option<String> {
        let mut v = serde_json::to_value(m).ok()?;
        v["external_key"] = serde_json::Value::String(key.to_string());
        serde_json::to_string(&v).ok()
    };
    let audit_row = |id: &str, action: &str, before: Option<String>, after: Option<String>| {
        entity::audit_log::ActiveModel {
            id: Set(new_id()),
            at: Set(Utc::now()),
            actor_user_id: Set(importer.user_id().map(str::to_string)),
            actor_organization_id: Set(importer.organization_id().map(str::to_string)),
            entity: Set("contribution".into()),
            entity_id: Set(id.to_string()),
            action: Set(action.to_string()),
            before: Set(before),
            after: Set(after),
        }
    };
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
            audit_rows.push(audit_row(&m.id, "create", None, audit_json(m, &p.key)));
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
        am.version = Set(b.version + 1);
        am.updated_at = Set(Utc::now());
        let after = am.update(txn).await?;
        audit_rows.push(audit_row(
            &after.id,
            "update",
            audit_json(b, &p.key),
            audit_json(&after, &p.key),
        ));
        done += 1;
        if done.is_multiple_of(PROGRESS_EVERY) {
            progress("written", done, total);
        }
    }
    for chunk in audit_rows.chunks(CHUNK) {
        entity::audit_log::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    w.commit().await?;
    report.stored = true;
    Ok(report)
}

/// What can be imported, by its URL segment (`/imports/{kind}`): its columns and its sheet's name.
pub fn kind(segment: &str) -> Option<(&'static [Column], &'static str)> {
    match segment {
        "contributions" => Some((&CONTRIBUTION_COLUMNS, "Kontribusi")),
        "indicators" => Some((&INDICATOR_COLUMNS, "Indikator Desa")),
        "organizations" => Some((&ORGANIZATION_COLUMNS, "Organisasi")),
        "programs" => Some((&PROGRAM_COLUMNS, "Program")),
        _ => None,
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
/// `report` and `None` comes back.
fn open_sheet(bytes: &[u8], format: Format, cols: &[Column], report: &mut Report) -> Option<Sheet> {
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
    let (at, names) = map_headers(header, cols, skipped + 1, &mut report.problems);
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
    let Some(sheet) = open_sheet(bytes, format, &INDICATOR_COLUMNS, &mut report) else {
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
                Actor(u).require_coordinator_of(&v.code, "record this village's indicators")
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
        let source = writes::text("", &src_cell, 100)
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
            let s = parse_enum(&idm_cell, IDM_LABELS);
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
    let mut updates: Vec<(Model, Model)> = Vec::new();
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
                    updates.push((b.clone(), m));
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
    let audit_row = |id: &str, action: &str, before: Option<String>, after: Option<String>| {
        entity::audit_log::ActiveModel {
            id: Set(new_id()),
            at: Set(Utc::now()),
            actor_user_id: Set(importer.user_id().map(str::to_string)),
            actor_organization_id: Set(importer.organization_id().map(str::to_string)),
            entity: Set("village_indicator".into()),
            entity_id: Set(id.to_string()),
            action: Set(action.to_string()),
            before: Set(before),
            after: Set(after),
        }
    };
    for chunk in inserts.chunks(CHUNK) {
        for m in chunk {
            audit_rows.push(audit_row(
                &m.id,
                "create",
                None,
                serde_json::to_string(m).ok(),
            ));
        }
        Entity::insert_many(chunk.iter().cloned().map(ActiveModel::from))
            .exec_without_returning(txn)
            .await?;
    }
    for (b, m) in updates {
        let mut am = b.clone().into_active_model();
        am.source = Set(m.source);
        am.as_of = Set(m.as_of);
        am.households = Set(m.households);
        am.population = Set(m.population);
        am.poor_households = Set(m.poor_households);
        am.households_decile1 = Set(m.households_decile1);
        am.households_decile2 = Set(m.households_decile2);
        am.households_decile3 = Set(m.households_decile3);
        am.households_decile4 = Set(m.households_decile4);
        am.stunting_risk_families = Set(m.stunting_risk_families);
        am.stunting_cases = Set(m.stunting_cases);
        am.stunting_prevalence = Set(m.stunting_prevalence);
        am.idm_status = Set(m.idm_status);
        am.priority = Set(m.priority);
        am.version = Set(b.version + 1);
        am.updated_at = Set(Utc::now());
        let after = am.update(txn).await?;
        audit_rows.push(audit_row(
            &after.id,
            "update",
            serde_json::to_string(&b).ok(),
            serde_json::to_string(&after).ok(),
        ));
    }
    for chunk in audit_rows.chunks(CHUNK) {
        entity::audit_log::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    w.commit().await?;
    report.stored = true;
    Ok(report)
}

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
    let Some(sheet) = open_sheet(bytes, format, &ORGANIZATION_COLUMNS, &mut report) else {
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
        let name = writes::text("", &name_cell, 200)
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
        let helix: Option<entity::enums::Helix> = parse_enum(&helix_cell, HELIX_LABELS);
        if helix.is_none() {
            problem(
                HELIX,
                &helix_cell,
                "unknown helix (see the template)".into(),
            );
        }
        let kind_cell = get(r, OKIND);
        let kind: Option<entity::enums::OrganizationKind> = parse_enum(&kind_cell, ORG_KIND_LABELS);
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
            let actor = Actor(u);
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
    let mut updates: Vec<(Model, Model)> = Vec::new();
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
                updates.push((b, c.model));
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
    let audit_row = |id: &str, action: &str, before: Option<String>, after: Option<String>| {
        entity::audit_log::ActiveModel {
            id: Set(new_id()),
            at: Set(Utc::now()),
            actor_user_id: Set(importer.user_id().map(str::to_string)),
            actor_organization_id: Set(importer.organization_id().map(str::to_string)),
            entity: Set("organization".into()),
            entity_id: Set(id.to_string()),
            action: Set(action.to_string()),
            before: Set(before),
            after: Set(after),
        }
    };
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
                audit_rows.push(audit_row(
                    &m.id,
                    "create",
                    None,
                    serde_json::to_string(m).ok(),
                ));
                known.insert(m.id.clone());
            }
            Entity::insert_many(chunk.iter().cloned().map(ActiveModel::from))
                .exec_without_returning(txn)
                .await?;
        }
        pending = rest;
    }
    for (b, m) in updates {
        let mut am = b.clone().into_active_model();
        am.name = Set(m.name);
        am.search_name = Set(m.search_name);
        am.helix = Set(m.helix);
        am.kind = Set(m.kind);
        am.region_code = Set(m.region_code);
        am.parent_id = Set(m.parent_id);
        am.version = Set(b.version + 1);
        am.updated_at = Set(Utc::now());
        let after = am.update(txn).await?;
        audit_rows.push(audit_row(
            &after.id,
            "update",
            serde_json::to_string(&b).ok(),
            serde_json::to_string(&after).ok(),
        ));
    }
    for chunk in audit_rows.chunks(CHUNK) {
        entity::audit_log::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    w.commit().await?;
    report.stored = true;
    Ok(report)
}

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
    let Some(sheet) = open_sheet(bytes, format, &PROGRAM_COLUMNS, &mut report) else {
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
    let mut plan: Vec<(Option<program::Model>, ProgramState)> = Vec::new();
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
        let code = writes::text("", &code_cell, 64)
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
        let name = writes::text("", &name_cell, 200)
            .map_err(|e| problem(PNAME, &name_cell, bad(e)))
            .ok();
        let desc_cell = get(r, PDESC);
        let description = writes::opt_text("", Some(&desc_cell), 4000)
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
            let actor = Actor(u);
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
        let cluster: Option<entity::enums::Cluster> = parse_enum(&cluster_cell, CLUSTER_LABELS);
        if cluster.is_none() {
            problem(CLUSTER, &cluster_cell, "cluster I, II, III or IV".into());
        }
        let mut year = |col: usize| -> Option<i32> {
            let cell = get(r, col);
            match cell.parse::<i32>() {
                Ok(y) if crate::services::FISCAL_YEARS.contains(&y) => Some(y),
                _ => {
                    problem(col, &cell, "a fiscal year between 2000 and 2100".into());
                    None
                }
            }
        };
        let start = year(START);
        let end = year(END);
        if let (Some(s), Some(e)) = (start, end)
            && s > e
        {
            problem(
                END,
                &e.to_string(),
                "must not be before the start year".into(),
            );
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
                        let actor = Actor(u);
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
        .filter_map(|(b, _)| b.as_ref().map(|b| b.id.clone()))
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
    let mut writes_planned: Vec<(Option<program::Model>, ProgramState)> = Vec::new();
    for (before, state) in plan {
        match &before {
            Some(b) if state_of(b) == state => report.unchanged += 1,
            Some(_) => {
                report.updated += 1;
                writes_planned.push((before, state));
            }
            None => {
                report.inserted += 1;
                writes_planned.push((before, state));
            }
        }
    }
    if !report.problems.is_empty() || options.dry_run {
        return Ok(report);
    }
    let now = Utc::now();
    for (before, s) in writes_planned {
        let after = match &before {
            Some(b) => {
                let mut am = b.clone().into_active_model();
                am.name = Set(s.name.clone());
                am.search_name = Set(fold(&s.name));
                am.description = Set(s.description.clone());
                am.owner_id = Set(s.owner_id.clone());
                am.cluster = Set(s.cluster);
                am.start_year = Set(s.start_year);
                am.end_year = Set(s.end_year);
                am.version = Set(b.version + 1);
                am.updated_at = Set(now);
                am.update(txn).await?
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
        let action = if before.is_some() { "update" } else { "create" };
        entity::audit_log::Entity::insert(entity::audit_log::ActiveModel {
            id: Set(new_id()),
            at: Set(Utc::now()),
            actor_user_id: Set(importer.user_id().map(str::to_string)),
            actor_organization_id: Set(importer.organization_id().map(str::to_string)),
            entity: Set("program".into()),
            entity_id: Set(after.id.clone()),
            action: Set(action.into()),
            before: Set(before.as_ref().and_then(|b| serde_json::to_string(b).ok())),
            after: Set(serde_json::to_string(&after).ok()),
        })
        .exec_without_returning(txn)
        .await?;
    }
    w.commit().await?;
    report.stored = true;
    Ok(report)
}
