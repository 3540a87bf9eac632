//! Domain rules and database work, free of GraphQL and generic over the connection (pool or
//! transaction) where that matters.

/// Contributions: filters, counts and pages.
pub mod contributions;
/// The demo dataset.
pub mod demo;
/// Meetings and action items: shared filters, overdue rule.
pub mod meetings;
/// Passwords (argon2id), hashed off the async runtime.
pub mod passwords;
/// Programs: lookups across the program–village link.
pub mod programs;
/// Regions: lookups, children pages, and the import of the official list.
pub mod regions;
/// Name search over regions, organizations and programs.
pub mod search;

/// A new record id: UUIDv7, so ids sort by creation time (keyset pages stay stable as rows arrive).
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Fiscal years the hub accepts anywhere (the database holds the same bounds as CHECK constraints).
pub const FISCAL_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;
