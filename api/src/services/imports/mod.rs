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
pub use axum::body::Bytes;
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

mod cells;
mod contributions;
#[cfg(test)]
mod fuzz;
mod indicators;
mod organizations;
mod programs;
pub mod read;
mod report;
mod sheet;
mod steps;
mod templates;

use cells::*;
pub use report::{CHANGED_SINCE_READ, Problem, Problems, Report};
pub use sheet::read_table;
use sheet::*;
pub use templates::{template_csv, template_xlsx};

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
    /// What the file may hold.
    pub limits: read::Limits,
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

    /// Imports the job's file as this kind (see the per-kind functions); `progress` hears from the
    /// kinds that report it (contributions, indicators).
    pub async fn run(
        self,
        job: &Job<'_>,
        progress: &mut (dyn FnMut(&str, usize, usize) + Send),
    ) -> AppResult<Report> {
        match self {
            Self::Contributions => contributions(job, progress).await,
            Self::Programs => programs(job).await,
            Self::Organizations => organizations(job).await,
            Self::Indicators => indicators(job, progress).await,
        }
    }
}

/// One import to run: where it writes, who asks, the file, how to read it and the caller's options.
/// The mutation-free doors (an upload, the console, the command line) each build one.
pub struct Job<'a> {
    /// The hub's database.
    pub db: &'a DatabaseConnection,
    /// The writer gate every write passes.
    pub gate: &'a WriteGate,
    /// Who imports: the rules of the matching mutations apply to them.
    pub importer: Importer<'a>,
    /// The file as uploaded.
    pub bytes: &'a Bytes,
    /// CSV or XLSX.
    pub format: Format,
    /// Dry run, regency, limits.
    pub options: &'a Options,
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
