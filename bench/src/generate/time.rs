//! Dates of the synthetic world. The dataset is fixed in time ("today" is 20 November 2026) so that
//! overdue action items and the status of each fiscal year's contributions do not drift with the
//! date the generator happens to run.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};

/// First fiscal year with data.
pub const FIRST_YEAR: i32 = 2022;
/// Last fiscal year with data.
pub const LAST_YEAR: i32 = 2026;
/// Number of fiscal years.
pub const YEARS: usize = (LAST_YEAR - FIRST_YEAR + 1) as usize;

/// A calendar date; the callers pass constants or dates derived from valid ones.
pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Midnight UTC of a date.
pub fn at_midnight(d: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&d.and_time(chrono::NaiveTime::MIN))
}

/// The dataset's "today".
pub fn today() -> NaiveDate {
    date(2026, 11, 20)
}

/// When the `index`-th organization was registered: before any contribution, a minute apart.
pub fn org_created(index: usize) -> DateTime<Utc> {
    at_midnight(date(2021, 6, 1)) + Duration::minutes(index as i64)
}

/// When the contribution at `fraction` (0..1) of the generation order was recorded: from October
/// before the first fiscal year (budgets are planned ahead) to October of the last, in order, so
/// that creation time grows with the UUIDv7 id just as in a live hub.
pub fn contribution_created(fraction: f64) -> DateTime<Utc> {
    let start = at_midnight(date(FIRST_YEAR - 1, 10, 1));
    let span = at_midnight(date(LAST_YEAR, 10, 1)) - start;
    start + Duration::seconds((span.num_seconds() as f64 * fraction) as i64)
}
