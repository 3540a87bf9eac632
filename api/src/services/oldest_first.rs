//! Work lists read oldest first, a page at a time: the verification queue (by when a record was
//! submitted) and the complaint inbox (by when a complaint was filed). A page starts after the
//! (time, id) of the last row of the one before, not at an offset, so rows leaving the list as
//! they are handled, or new ones arriving, never make a reader skip or repeat one.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, Condition};

/// Where the previous page ended: the time and id of its last row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct After {
    /// The row's time (submitted, filed).
    pub at: DateTime<Utc>,
    /// The row's id: ties at one instant are ordered by it.
    pub id: String,
}

/// The rows after `place` in (`time`, `id`) order.
pub fn after<C: ColumnTrait>(time: C, id: C, place: &After) -> Condition {
    Condition::any().add(time.gt(place.at)).add(
        Condition::all()
            .add(time.eq(place.at))
            .add(id.gt(place.id.clone())),
    )
}

/// One page of a work list.
#[derive(Debug)]
pub struct Page<T> {
    /// At most the page size, oldest first.
    pub rows: Vec<T>,
    /// How many rows the whole list holds (every page).
    pub total: i64,
    /// Whether rows follow this page.
    pub more: bool,
}

impl<T> Page<T> {
    /// A page from up to `limit + 1` rows read in order: the extra one only says that more follow.
    pub fn from_rows(mut rows: Vec<T>, limit: u64, total: i64) -> Self {
        let more = rows.len() as u64 > limit;
        rows.truncate(limit as usize);
        Self { rows, total, more }
    }
}
