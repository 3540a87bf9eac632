//! The spreadsheet imports' limits (enforced in `crate::services::imports::read`): what one file may
//! hold before anything is allocated for it, and how many files are read at once. Every refusal
//! names its setting, so an operator who trusts a bigger file knows which one to raise.

use crate::services::imports::read::Limits;
use clap::Args;

/// Limits on what an uploaded (or command-line) spreadsheet may hold.
#[derive(Args, Debug, Clone)]
pub struct ImportLimits {
    /// Most data rows one file may hold (blank rows count: they are read too).
    #[arg(
        long,
        env = "SINERGI_IMPORT_MAX_ROWS",
        default_value_t = Limits::DEFAULT.max_rows,
        global = true
    )]
    pub import_max_rows: usize,

    /// Most columns one file may use: a cell further right refuses the file (a contributions
    /// sheet needs a few dozen; Excel allows 16,384).
    #[arg(
        long,
        env = "SINERGI_IMPORT_MAX_COLUMNS",
        default_value_t = Limits::DEFAULT.max_columns,
        global = true
    )]
    pub import_max_columns: usize,

    /// Longest cell text, in characters (Excel's own limit is 32,767).
    #[arg(
        long,
        env = "SINERGI_IMPORT_MAX_CELL_CHARS",
        default_value_t = Limits::DEFAULT.max_cell_chars,
        global = true
    )]
    pub import_max_cell_chars: usize,

    /// Longest line of a CSV file, in bytes.
    #[arg(
        long,
        env = "SINERGI_IMPORT_MAX_LINE_BYTES",
        default_value_t = Limits::DEFAULT.max_line_bytes,
        global = true
    )]
    pub import_max_line_bytes: usize,

    /// Most bytes the members of one XLSX file may inflate to, all together (counted while
    /// inflating, whatever the file's headers claim).
    #[arg(
        long,
        env = "SINERGI_IMPORT_MAX_INFLATED_BYTES",
        default_value_t = Limits::DEFAULT.max_inflated_bytes,
        global = true
    )]
    pub import_max_inflated_bytes: u64,

    /// Most bytes one XLSX member that the reader holds whole (the shared strings, the styles,
    /// the workbook; not the sheets, which are streamed) may inflate to.
    #[arg(
        long,
        env = "SINERGI_IMPORT_MAX_SHARED_BYTES",
        default_value_t = Limits::DEFAULT.max_shared_bytes,
        global = true
    )]
    pub import_max_shared_bytes: u64,

    /// Highest compression ratio of an XLSX member (inflated bytes per compressed byte): a member
    /// is refused as soon as it has produced this many times its compressed size (and more than
    /// 1 MiB). Spreadsheet XML compresses 5 to 30 times; a zip bomb a thousand times.
    #[arg(
        long,
        env = "SINERGI_IMPORT_MAX_RATIO",
        default_value_t = Limits::DEFAULT.max_ratio,
        global = true
    )]
    pub import_max_ratio: u64,

    /// Most members one XLSX file may have (Excel writes about a dozen).
    #[arg(
        long,
        env = "SINERGI_IMPORT_MAX_ZIP_ENTRIES",
        default_value_t = Limits::DEFAULT.max_zip_entries,
        global = true
    )]
    pub import_max_zip_entries: usize,

    /// Most problems an import report lists (the total is always counted).
    #[arg(
        long,
        env = "SINERGI_IMPORT_MAX_PROBLEMS",
        default_value_t = Limits::DEFAULT.max_problems,
        global = true
    )]
    pub import_max_problems: usize,

    /// Uploads read and checked at once (each off the async workers); one more is answered
    /// "busy, try again" (503 with Retry-After).
    #[arg(
        long,
        env = "SINERGI_IMPORT_WORKERS",
        default_value_t = 2,
        global = true
    )]
    pub import_workers: usize,

    /// Seconds an upload's body may take to arrive once its turn has come.
    #[arg(
        long,
        env = "SINERGI_IMPORT_READ_TIMEOUT_SECS",
        default_value_t = 60,
        global = true
    )]
    pub import_read_timeout_secs: u64,
}

impl ImportLimits {
    /// The limits the reader checks.
    pub fn reader(&self) -> Limits {
        Limits {
            max_rows: self.import_max_rows,
            max_columns: self.import_max_columns,
            max_cell_chars: self.import_max_cell_chars,
            max_line_bytes: self.import_max_line_bytes,
            max_inflated_bytes: self.import_max_inflated_bytes,
            max_shared_bytes: self.import_max_shared_bytes,
            max_ratio: self.import_max_ratio,
            max_zip_entries: self.import_max_zip_entries,
            max_problems: self.import_max_problems,
        }
    }
}
