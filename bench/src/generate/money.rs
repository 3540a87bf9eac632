//! Amounts and statuses of contributions: whole Rupiah, drawn log-uniformly (a few large budgets,
//! many small ones), consistent with the status (a draft has nothing committed, a completed
//! contribution is fully disbursed) and with the order committed >= disbursed >= realised that the
//! hub expects (the database enforces the first step).

use super::time::LAST_YEAR;
use super::weighted;
use entity::enums::ContributionStatus as Status;
use rand::Rng;
use rand::rngs::SmallRng;

/// The four amounts of one contribution.
pub struct Amounts {
    /// Planned (always set, also for drafts).
    pub planned: i64,
    /// Committed (zero for drafts).
    pub committed: i64,
    /// Disbursed so far, at most committed.
    pub disbursed: i64,
    /// Realised so far, at most disbursed.
    pub realised: i64,
}

/// Amounts for a contribution of `status` whose size lies between `lo` and `hi` Rupiah.
pub fn amounts(rng: &mut SmallRng, status: Status, lo: f64, hi: f64) -> Amounts {
    let amount = rupiah(lo * (hi / lo).powf(rng.random::<f64>()));
    let planned = rupiah(amount as f64 * rng.random_range(0.85..1.15)).max(1_000);
    let (committed, disbursed, realised) = match status {
        Status::Planned => (0, 0, 0),
        Status::Committed => {
            let d = fraction(rng, amount, 0.0, 0.3);
            (amount, d, fraction(rng, d, 0.0, 0.5))
        }
        Status::InProgress => {
            let d = fraction(rng, amount, 0.3, 0.9);
            (amount, d, fraction(rng, d, 0.5, 1.0))
        }
        Status::Completed => (amount, amount, fraction(rng, amount, 0.9, 1.0)),
        Status::Cancelled => {
            let d = fraction(rng, amount, 0.0, 0.2);
            (amount, d, fraction(rng, d, 0.0, 1.0))
        }
    };
    Amounts {
        planned,
        committed,
        disbursed,
        realised,
    }
}

/// Whole Rupiah, rounded to the thousand as budgets are written.
fn rupiah(x: f64) -> i64 {
    ((x / 1_000.0).round() as i64) * 1_000
}

/// A share between `lo` and `hi` of `amount`, never above it.
fn fraction(rng: &mut SmallRng, amount: i64, lo: f64, hi: f64) -> i64 {
    let f = if hi > lo {
        rng.random_range(lo..hi)
    } else {
        lo
    };
    ((amount as f64 * f) as i64).clamp(0, amount)
}

/// Statuses of a fiscal year as seen from late 2026: old years are done, the current one is busy.
pub fn status_for(rng: &mut SmallRng, year: i32) -> Status {
    let weights: [u32; 5] = match LAST_YEAR - year {
        0 => [17, 30, 40, 10, 3],
        1 => [4, 12, 35, 45, 4],
        2 => [2, 5, 18, 70, 5],
        _ => [0, 3, 7, 85, 5],
    };
    weighted(
        rng,
        &[
            (Status::Planned, weights[0]),
            (Status::Committed, weights[1]),
            (Status::InProgress, weights[2]),
            (Status::Completed, weights[3]),
            (Status::Cancelled, weights[4]),
        ],
    )
}
