//! Reading an uploaded spreadsheet within limits fixed before the file is opened (issue 25): a file
//! is client input, and what it claims about itself (a sheet's dimension, a cell reference, a zip
//! member's size, a shared-string count) is never used to size an allocation. XLSX files go
//! through [`zip_guard`] first, which inflates every member once, counting the bytes actually
//! produced, so the workbook reader that follows meets only members already known to be small;
//! rows are then streamed cell by cell, each cell's position checked against the row and column
//! limits before anything is stored for it. CSV lines are measured before they are parsed.
//!
//! The reader hands rows to a [`Sink`] as it reads them; the import's sheet keeps only the
//! columns its kind has, so even a refused file leaves behind no more than the rows read up to the
//! limit it broke. Reading is synchronous and CPU-bound: callers run it off the async workers
//! (`read_off_workers`).

mod csv;
mod refusal;
#[cfg(test)]
mod tests;
mod xlsx;
mod zip_guard;

pub use refusal::{Code, Refusal};

use super::Format;

/// What one file may hold. The defaults are the settings' defaults (`config::ImportLimits`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Most rows after the header, blank ones included.
    pub max_rows: usize,
    /// Most columns: a cell at or right of this (0-based) column refuses the file.
    pub max_columns: usize,
    /// Longest cell text, in characters.
    pub max_cell_chars: usize,
    /// Longest CSV line, in bytes.
    pub max_line_bytes: usize,
    /// Most bytes all XLSX members may inflate to together.
    pub max_inflated_bytes: u64,
    /// Most bytes one member held whole by the reader (not a worksheet) may inflate to.
    pub max_shared_bytes: u64,
    /// Highest inflated-to-compressed ratio of a member past [`RATIO_FLOOR`] bytes.
    pub max_ratio: u64,
    /// Most members of an XLSX file.
    pub max_zip_entries: usize,
    /// Most problems a report lists.
    pub max_problems: usize,
}

/// A member's ratio is judged only once it has inflated past this: tiny members compress
/// absurdly well without being bombs.
pub const RATIO_FLOOR: u64 = 1024 * 1024;

impl Limits {
    /// The settings' defaults.
    pub const DEFAULT: Limits = Limits {
        max_rows: 100_000,
        max_columns: 64,
        max_cell_chars: 32_767,
        max_line_bytes: 1024 * 1024,
        max_inflated_bytes: 128 * 1024 * 1024,
        max_shared_bytes: 16 * 1024 * 1024,
        max_ratio: 100,
        max_zip_entries: 256,
        max_problems: 500,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Where the rows go, as they are read.
pub trait Sink {
    /// One row: its spreadsheet row number (1 = the sheet's first row) and its cells by 0-based
    /// column, at most `max_columns` of them. The first row with any text is the header. Returns
    /// `false` to stop reading (the header was refused).
    fn row(&mut self, row: usize, cells: Vec<String>) -> bool;
}

/// Reads `bytes` and feeds its rows to `sink`; `Err` is why the file is refused.
pub fn read(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
    sink: &mut dyn Sink,
) -> Result<(), Refusal> {
    // The workbook reader is a dependency's code: where it panics on a file (a reversed
    // dimension overflows in a debug build), the file is unreadable, not the hub broken.
    let read = std::panic::AssertUnwindSafe(|| match format {
        Format::Csv => csv::read(bytes, limits, sink),
        Format::Xlsx => xlsx::read(bytes, limits, sink),
    });
    std::panic::catch_unwind(read).unwrap_or_else(|_| {
        tracing::warn!("the spreadsheet reader panicked on an upload: refused as unreadable");
        Err(Refusal::plain(Code::Unreadable))
    })
}

/// Counts rows against the row limit: the header is the first row with text, and every row after
/// it counts, blank or not, since each was read.
pub(super) struct RowCount {
    header: Option<usize>,
    max_rows: usize,
}

impl RowCount {
    pub(super) fn new(limits: &Limits) -> Self {
        Self {
            header: None,
            max_rows: limits.max_rows,
        }
    }

    /// Row `row` (spreadsheet number) was reached; `non_blank` whether it has text.
    pub(super) fn reached(&mut self, row: usize, non_blank: bool) -> Result<(), Refusal> {
        match self.header {
            None if non_blank => self.header = Some(row),
            Some(h) if row.saturating_sub(h) > self.max_rows => {
                return Err(Refusal::limit(
                    Code::TooManyRows,
                    row,
                    "",
                    "",
                    self.max_rows as u64,
                ));
            }
            _ => {}
        }
        Ok(())
    }
}

/// Checks one cell's length in characters, counting no further than the limit.
pub(super) fn check_cell(
    text: &str,
    row: usize,
    col: usize,
    limits: &Limits,
) -> Result<(), Refusal> {
    // Bytes bound characters from above: most cells are decided without counting.
    if text.len() > limits.max_cell_chars && text.chars().nth(limits.max_cell_chars).is_some() {
        return Err(Refusal::limit(
            Code::CellTooLong,
            row,
            &column_name(col),
            text,
            limits.max_cell_chars as u64,
        ));
    }
    Ok(())
}

/// A 0-based column's spreadsheet letters (0 = A, 16383 = XFD).
pub fn column_name(col: usize) -> String {
    let mut n = col + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// Collects every row: for the command line's `read_table`, the fuzz tests, and tests.
#[derive(Default)]
pub struct Collect {
    /// (row number, cells) of every row read.
    pub rows: Vec<(usize, Vec<String>)>,
}

impl Sink for Collect {
    fn row(&mut self, row: usize, cells: Vec<String>) -> bool {
        self.rows.push((row, cells));
        true
    }
}
