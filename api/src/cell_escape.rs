//! Spreadsheet cells that cannot run code (OWASP ASVS 5.0 V1.2.10, "CSV injection").
//!
//! Excel, LibreOffice and Google Sheets evaluate a CSV cell that begins with `=`, `+`, `-` or `@`
//! as a formula, and some of them strip a leading tab, CR or LF first. Every cell the hub writes to
//! a CSV goes through [`escape`] (the hub's CSVs are written with [`CsvWriter`]): such a cell gets a
//! leading `'`, which spreadsheets show as plain text. A plain number (`-1500000`, `+62`, `-0.5`) is
//! left alone: spreadsheets read it as a number, never run it, so a negative amount stays a number.
//! XLSX files need none of this: the hub writes text there as string cells, never as formulas.
//!
//! The imports undo exactly that escaping with [`unescape`], so an exported file imports back
//! unchanged. To keep the pair a bijection, a value that already begins with apostrophes before a
//! dangerous character (`'=x`) gets one more (`''=x`), and [`unescape`] removes one apostrophe only
//! from values of that shape. A value such as `'abc` is left alone both ways.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula (or strip themselves first).
pub const DANGEROUS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\n'];

/// Whether `s` is some apostrophes (possibly none) followed by a dangerous character.
fn after_apostrophes_is_dangerous(s: &str) -> bool {
    s.trim_start_matches('\'').starts_with(DANGEROUS)
}

/// Whether `s` is a plain decimal number, which a spreadsheet reads as a number and never runs.
fn is_plain_number(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// A cell as written to a CSV: prefixed with `'` when a spreadsheet would run it.
pub fn escape(value: &str) -> Cow<'_, str> {
    if after_apostrophes_is_dangerous(value) && !is_plain_number(value) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

/// A CSV cell as read by an import: [`escape`]'s apostrophe removed, every other value unchanged.
pub fn unescape(value: &str) -> Cow<'_, str> {
    match value.strip_prefix('\'') {
        Some(rest) if after_apostrophes_is_dangerous(rest) => Cow::Borrowed(rest),
        _ => Cow::Borrowed(value),
    }
}

/// Whether a spreadsheet would read this CSV cell as a formula (what [`escape`] prevents).
pub fn is_live_formula(cell: &str) -> bool {
    cell.starts_with(DANGEROUS) && !is_plain_number(cell)
}

/// A CSV writer whose every cell goes through [`escape`]: the only way the hub writes CSV.
pub struct CsvWriter {
    inner: csv::Writer<Vec<u8>>,
}

impl Default for CsvWriter {
    fn default() -> Self {
        Self {
            inner: csv::Writer::from_writer(Vec::new()),
        }
    }
}

impl CsvWriter {
    /// Writes one record, each cell escaped.
    pub fn row<I, S>(&mut self, cells: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.inner
            .write_record(cells.into_iter().map(|c| escape(c.as_ref()).into_owned()))
    }

    /// The file's bytes.
    pub fn finish(self) -> csv::Result<Vec<u8>> {
        self.inner
            .into_inner()
            .map_err(|e| csv::Error::from(e.into_error()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn dangerous_cells_get_one_apostrophe() {
        assert_eq!(escape("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(escape("+62 812"), "'+62 812");
        assert_eq!(escape("-"), "'-");
        assert_eq!(escape("-1+1"), "'-1+1");
        assert_eq!(escape("-1500000"), "-1500000");
        assert_eq!(escape("+62"), "+62");
        assert_eq!(escape("-0.5"), "-0.5");
        assert_eq!(escape("-.5"), "'-.5");
        assert_eq!(escape("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(escape("\t=1+1"), "'\t=1+1");
        assert_eq!(escape("'=1"), "''=1");
        assert_eq!(escape("Desa Botosari"), "Desa Botosari");
        assert_eq!(escape("'abc"), "'abc");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn imports_undo_only_the_escape() {
        assert_eq!(unescape("'=1+1"), "=1+1");
        assert_eq!(unescape("''=1"), "'=1");
        assert_eq!(unescape("'abc"), "'abc");
        assert_eq!(unescape("'"), "'");
        assert_eq!(unescape("=1"), "=1");
    }

    proptest! {
        #[test]
        fn escaped_cells_round_trip_and_never_run(
            lead in proptest::sample::select(vec!["", "'", "''", "=", "+", "-", "@", "\t", "\r", "\n", "'="]),
            rest in ".{0,12}",
        ) {
            let value = format!("{lead}{rest}");
            let written = escape(&value);
            prop_assert!(!is_live_formula(&written), "{written:?} would run");
            prop_assert_eq!(unescape(&written), value.as_str());
        }
    }
}
