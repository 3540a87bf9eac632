//! Domain rules and database work, free of GraphQL and generic over the connection (pool or
//! transaction) where that matters.

/// Funding summaries, coverage gaps, overlaps and follow-up.
pub mod analytics;
/// The audit log.
pub mod audit;
/// Who may read an audit trail.
pub mod audit_access;
/// Who may write what.
pub mod authz;
/// Online backups of a SQLite hub.
pub mod backup;
/// The commit counter the write gate moves (caches and the change feed read it).
pub mod commits;
/// Data complaints (pengaduan): filing, tracking codes, triage.
pub mod complaints;
/// Contributions: filters, counts and pages.
pub mod contributions;
/// The demo dataset.
pub mod demo;
/// Spreadsheet import (CSV and XLSX) of contributions, programs, organizations and indicators.
pub mod imports;
/// Village indicators: their one write path.
pub mod indicators;
/// Meetings and action items: shared filters, overdue rule.
pub mod meetings;
/// Work lists read oldest first, a page at a time (verification queue, complaint inbox).
pub mod oldest_first;
/// Organizations: their one write path.
pub mod organizations;
/// Passwords (argon2id), hashed off the async runtime.
pub mod passwords;
/// Programs: lookups across the program–village link.
pub mod programs;
/// Regions: lookups, children pages, and the import of the official list.
pub mod regions;
/// The TKPK workbook and CSV exports.
pub mod reports;
/// Rules shared by the contribution mutations and the spreadsheet import.
pub mod rules;
/// Name search over regions, organizations and programs.
pub mod search;
/// Sessions that end: signing out, and ending an account's sessions on a password change.
pub mod sessions;
/// Users: their one write path, for the API and the command line.
pub mod users;
/// Verification of members' records by the region's coordinators.
pub mod verification;
/// Transactions, version checks, client keys and text bounds shared by every mutation.
pub mod writes;

/// A new record id: UUIDv7, so ids sort by creation time (keyset pages stay stable as rows arrive).
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Fiscal years the hub accepts anywhere (the database holds the same bounds as CHECK constraints).
pub const FISCAL_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;
