//! Reading a spreadsheet: CSV or the first XLSX sheet, headers matched to the import's columns.

use super::read;
use super::*;

pub(super) fn header_key(h: &str) -> String {
    fold(h.trim().trim_end_matches('*')).replace([' ', '-'], "_")
}

/// Reads the raw table (every row as read, the header first) within the default limits: for the
/// fuzz tests.
pub fn read_table(
    bytes: &[u8],
    format: Format,
) -> Result<Vec<(usize, Vec<String>)>, read::Refusal> {
    let mut all = read::Collect::default();
    read::read(bytes, format, &read::Limits::DEFAULT, &mut all)?;
    Ok(all.rows)
}

/// A file read, its header matched to a kind's columns, and its non-blank data rows with their
/// spreadsheet row numbers. Rows hold only the kind's columns, in the kind's order, so a wide
/// file costs no more than a narrow one.
pub(super) struct Sheet {
    /// Position in a stored row of each of the kind's columns (`None`: the file lacks it).
    pub(super) at: Vec<Option<usize>>,
    /// The header each column was given under, for problem reports.
    pub(super) names: Vec<String>,
    /// (row number, cells) of every non-blank data row.
    pub(super) rows: Vec<(usize, Vec<String>)>,
}

/// Gathers a sheet as the reader streams it: the header is matched on arrival, and each data row
/// is cut down to the columns the header mapped.
struct Gather<'a> {
    cols: &'a [Column],
    ignored: &'a [&'a str],
    /// File position of each kind column, once the header is read.
    file_at: Option<Vec<Option<usize>>>,
    names: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
    problems: Vec<Problem>,
}

impl read::Sink for Gather<'_> {
    fn row(&mut self, row: usize, cells: Vec<String>) -> bool {
        match &self.file_at {
            None => {
                let (at, names) =
                    map_headers(&cells, self.cols, self.ignored, row, &mut self.problems);
                self.file_at = Some(at);
                self.names = names;
                self.problems.is_empty()
            }
            Some(at) => {
                if cells.iter().any(|c| !c.trim().is_empty()) {
                    let mut cells = cells;
                    let kept = at
                        .iter()
                        .map(|p| p.and_then(|p| cells.get_mut(p)).map(std::mem::take))
                        .map(Option::unwrap_or_default)
                        .collect();
                    self.rows.push((row, kept));
                }
                true
            }
        }
    }
}

/// Reads a file within `limits` and matches its header; on a refused or unreadable file or a bad
/// header the problems go to `report` and `None` comes back. Columns headed by one of `ignored`
/// (what an export adds for readers: names, derived amounts) are skipped, not refused.
pub(super) fn open_sheet(
    bytes: &[u8],
    format: Format,
    limits: &read::Limits,
    cols: &[Column],
    ignored: &[&str],
    report: &mut Report,
) -> Option<Sheet> {
    let mut g = Gather {
        cols,
        ignored,
        file_at: None,
        names: Vec::new(),
        rows: Vec::new(),
        problems: Vec::new(),
    };
    if let Err(refusal) = read::read(bytes, format, limits, &mut g) {
        report.too_large = refusal.limit.is_some();
        report.problems.push(Problem::refused(refusal));
        return None;
    }
    if !g.problems.is_empty() {
        report.problems.extend(g.problems);
        return None;
    }
    let Some(file_at) = g.file_at else {
        report.problems.push(Problem::new(
            0,
            "",
            "",
            "the file is empty: a header row is expected",
        ));
        return None;
    };
    // Stored rows hold the mapped columns in the kind's order: column i is at i when mapped.
    let at = file_at
        .iter()
        .enumerate()
        .map(|(i, p)| p.map(|_| i))
        .collect();
    Some(Sheet {
        at,
        names: g.names,
        rows: g.rows,
    })
}

/// Matches a header row against `cols`: the file position of each column and the header as written
/// (the template name when absent). Unknown, repeated and missing required columns are problems.
pub(super) fn map_headers(
    header: &[String],
    cols: &[Column],
    ignored: &[&str],
    header_row: usize,
    problems: &mut Vec<Problem>,
) -> (Vec<Option<usize>>, Vec<String>) {
    let mut at: Vec<Option<usize>> = vec![None; cols.len()];
    let mut names: Vec<String> = cols.iter().map(|c| c.id.to_string()).collect();
    for (pos, h) in header.iter().enumerate() {
        if h.trim().is_empty() {
            continue;
        }
        let k = header_key(h);
        match cols
            .iter()
            .position(|c| c.en == k || c.id == k || c.aliases.contains(&k.as_str()))
        {
            Some(i) if at[i].is_some() => problems.push(Problem::new(
                header_row,
                h,
                h,
                format!("column given twice (also as `{}`)", names[i]),
            )),
            Some(i) => {
                at[i] = Some(pos);
                names[i] = h.clone();
            }
            None if ignored.contains(&k.as_str()) => {}
            None => problems.push(Problem::new(
                header_row,
                h,
                h,
                "unknown column (see the template for the accepted headers)",
            )),
        }
    }
    for (i, c) in cols.iter().enumerate() {
        if c.required && at[i].is_none() {
            problems.push(Problem::new(
                header_row,
                c.id,
                "",
                format!("required column missing (`{}` or `{}`)", c.id, c.en),
            ));
        }
    }
    (at, names)
}
