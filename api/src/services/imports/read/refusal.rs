//! Why a file is refused before its rows are checked, with a stable code, the setting whose limit
//! it broke, and the sentence in English (the API's `reason`) and in Bahasa Indonesia (`alasan`,
//! what the console shows): one catalog, keyed by code, never by matching text.

/// The stable code of a refusal, as `code` in the import report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    /// The upload's body is larger than `SINERGI_MAX_IMPORT_BYTES`.
    TooLarge,
    /// More rows than `SINERGI_IMPORT_MAX_ROWS`.
    TooManyRows,
    /// A cell right of `SINERGI_IMPORT_MAX_COLUMNS`.
    TooManyColumns,
    /// A cell longer than `SINERGI_IMPORT_MAX_CELL_CHARS`.
    CellTooLong,
    /// A CSV line longer than `SINERGI_IMPORT_MAX_LINE_BYTES`.
    LineTooLong,
    /// The XLSX members inflate past `SINERGI_IMPORT_MAX_INFLATED_BYTES`.
    InflatesTooMuch,
    /// A member read whole inflates past `SINERGI_IMPORT_MAX_SHARED_BYTES`.
    MemberTooLarge,
    /// A member compressed more than `SINERGI_IMPORT_MAX_RATIO` times.
    CompressionRatio,
    /// More members than `SINERGI_IMPORT_MAX_ZIP_ENTRIES`.
    TooManyEntries,
    /// A symlink, an encrypted member, or a name leaving the archive.
    OddMember,
    /// Not a workbook the reader understands.
    Unreadable,
    /// Not CSV text in UTF-8.
    NotCsv,
    /// Every import worker is busy (`SINERGI_IMPORT_WORKERS`): try again shortly.
    Busy,
    /// The body did not arrive within `SINERGI_IMPORT_READ_TIMEOUT_SECS`.
    ReadTimeout,
}

impl Code {
    /// The code as the report writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TooLarge => "IMPORT_TOO_LARGE",
            Self::TooManyRows => "IMPORT_TOO_MANY_ROWS",
            Self::TooManyColumns => "IMPORT_TOO_MANY_COLUMNS",
            Self::CellTooLong => "IMPORT_CELL_TOO_LONG",
            Self::LineTooLong => "IMPORT_LINE_TOO_LONG",
            Self::InflatesTooMuch => "IMPORT_INFLATES_TOO_MUCH",
            Self::MemberTooLarge => "IMPORT_MEMBER_TOO_LARGE",
            Self::CompressionRatio => "IMPORT_COMPRESSION_RATIO",
            Self::TooManyEntries => "IMPORT_TOO_MANY_ZIP_ENTRIES",
            Self::OddMember => "IMPORT_ODD_ZIP_MEMBER",
            Self::Unreadable => "IMPORT_UNREADABLE",
            Self::NotCsv => "IMPORT_NOT_CSV",
            Self::Busy => "IMPORT_BUSY",
            Self::ReadTimeout => "IMPORT_READ_TIMEOUT",
        }
    }

    /// The setting that holds this limit, when it is one.
    pub fn setting(self) -> Option<&'static str> {
        Some(match self {
            Self::TooLarge => "SINERGI_MAX_IMPORT_BYTES",
            Self::TooManyRows => "SINERGI_IMPORT_MAX_ROWS",
            Self::TooManyColumns => "SINERGI_IMPORT_MAX_COLUMNS",
            Self::CellTooLong => "SINERGI_IMPORT_MAX_CELL_CHARS",
            Self::LineTooLong => "SINERGI_IMPORT_MAX_LINE_BYTES",
            Self::InflatesTooMuch => "SINERGI_IMPORT_MAX_INFLATED_BYTES",
            Self::MemberTooLarge => "SINERGI_IMPORT_MAX_SHARED_BYTES",
            Self::CompressionRatio => "SINERGI_IMPORT_MAX_RATIO",
            Self::TooManyEntries => "SINERGI_IMPORT_MAX_ZIP_ENTRIES",
            Self::Busy => "SINERGI_IMPORT_WORKERS",
            Self::ReadTimeout => "SINERGI_IMPORT_READ_TIMEOUT_SECS",
            Self::OddMember | Self::Unreadable | Self::NotCsv => return None,
        })
    }

    /// The sentence in English and in Bahasa Indonesia, with the limit's value (`{n}`) and, for
    /// byte limits, its size in MB.
    fn sentences(self, n: &str) -> (String, String) {
        match self {
            Self::TooLarge => (
                format!("the file is larger than the upload limit of {n}"),
                format!("berkas lebih besar dari batas unggah {n}"),
            ),
            Self::TooManyRows => (
                format!("the file has more than {n} rows, the import limit"),
                format!("berkas berisi lebih dari {n} baris, batas impor"),
            ),
            Self::TooManyColumns => (
                format!("a cell lies beyond column {n}, the import limit"),
                format!("ada sel di luar kolom ke-{n}, batas impor"),
            ),
            Self::CellTooLong => (
                format!("a cell holds more than {n} characters, the import limit"),
                format!("ada sel berisi lebih dari {n} karakter, batas impor"),
            ),
            Self::LineTooLong => (
                format!("a line is longer than {n}, the import limit"),
                format!("ada baris yang lebih panjang dari {n}, batas impor"),
            ),
            Self::InflatesTooMuch => (
                format!("the workbook unpacks to more than {n}, the import limit"),
                format!("isi buku kerja setelah dibuka lebih dari {n}, batas impor"),
            ),
            Self::MemberTooLarge => (
                format!("a part of the workbook unpacks to more than {n}, the import limit"),
                format!("salah satu bagian buku kerja setelah dibuka lebih dari {n}, batas impor"),
            ),
            Self::CompressionRatio => (
                format!("a part of the workbook is compressed more than {n} times (a zip bomb?)"),
                format!("salah satu bagian buku kerja dimampatkan lebih dari {n} kali (bom zip?)"),
            ),
            Self::TooManyEntries => (
                format!("the workbook has more than {n} parts, the import limit"),
                format!("buku kerja berisi lebih dari {n} bagian, batas impor"),
            ),
            Self::OddMember => (
                "the workbook holds a link, an encrypted part or a part named outside it".into(),
                "buku kerja berisi tautan, bagian terenkripsi, atau bagian bernama di luar berkas"
                    .into(),
            ),
            Self::Unreadable => (
                super::super::XLSX_UNREADABLE.into(),
                "bukan berkas XLSX yang dapat dibaca".into(),
            ),
            Self::NotCsv => (
                "not a readable CSV file (UTF-8 expected)".into(),
                "bukan berkas CSV yang dapat dibaca (harus UTF-8)".into(),
            ),
            Self::Busy => (
                format!("all {n} import workers are busy: try again in a moment"),
                format!("semua {n} pekerja impor sedang sibuk: coba lagi sebentar lagi"),
            ),
            Self::ReadTimeout => (
                format!("the file did not arrive within {n} seconds"),
                format!("berkas tidak selesai terkirim dalam {n} detik"),
            ),
        }
    }

    /// Whether the limit counts bytes (shown as a size).
    fn in_bytes(self) -> bool {
        matches!(
            self,
            Self::TooLarge | Self::LineTooLong | Self::InflatesTooMuch | Self::MemberTooLarge
        )
    }
}

/// A file refused before its rows are checked: where (row 0 = the file as a whole), what, and
/// the limit it broke.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// Spreadsheet row, or 0.
    pub row: usize,
    /// The column (its letters), or empty.
    pub column: String,
    /// The start of the offending value, or empty.
    pub value: String,
    /// Why.
    pub code: Code,
    /// The limit's value, when it is a limit.
    pub limit: Option<u64>,
}

impl Refusal {
    /// A broken limit.
    pub fn limit(code: Code, row: usize, column: &str, value: &str, limit: u64) -> Self {
        Self {
            row,
            column: column.into(),
            value: value.into(),
            code,
            limit: Some(limit),
        }
    }

    /// A refusal that is no limit (unreadable, odd member).
    pub fn plain(code: Code) -> Self {
        Self {
            row: 0,
            column: String::new(),
            value: String::new(),
            code,
            limit: None,
        }
    }

    /// The limit as people read it: a size in MB or KB for byte limits, a number otherwise.
    fn shown_limit(&self, indonesian: bool) -> String {
        let Some(n) = self.limit else {
            return String::new();
        };
        if self.code.in_bytes() {
            return size(n, indonesian);
        }
        let digits = n.to_string();
        let sep = if indonesian { '.' } else { ',' };
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(sep);
            }
            out.push(c);
        }
        out
    }

    /// The English sentence, naming the setting.
    pub fn reason(&self) -> String {
        let (en, _) = self.code.sentences(&self.shown_limit(false));
        match self.code.setting() {
            Some(s) => format!("{en} (setting {s})"),
            None => en,
        }
    }

    /// The Indonesian sentence, naming the setting.
    pub fn alasan(&self) -> String {
        let (_, id) = self.code.sentences(&self.shown_limit(true));
        match self.code.setting() {
            Some(s) => format!("{id} (pengaturan {s})"),
            None => id,
        }
    }
}

fn size(bytes: u64, indonesian: bool) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    let text = if mb >= 1.0 {
        format!("{} MB", (mb * 10.0).round() / 10.0)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    };
    if indonesian {
        text.replace('.', ",")
    } else {
        text
    }
}
