//! Reading a spreadsheet: CSV or the first XLSX sheet, headers matched to the import's columns.

use super::*;

pub(super) fn header_key(h: &str) -> String {
    fold(h.trim().trim_end_matches('*')).replace([' ', '-'], "_")
}

/// Reads the raw table: the first row is the header. A file that cannot be read is one problem.
/// Also returns how many empty rows precede the header (a sheet may start below row 1), so problems
/// name the row the user sees.
pub fn read_table(bytes: &[u8], format: Format) -> Result<(usize, Vec<Vec<String>>), Problem> {
    match format {
        Format::Csv => read_csv(bytes).map(|rows| (0, rows)),
        Format::Xlsx => read_xlsx(bytes),
    }
}

pub(super) fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, Problem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // Excel in an Indonesian locale saves "CSV" with semicolons: take them when the header has no comma.
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or(&[]);
    let delimiter = if !first_line.contains(&b',') && first_line.contains(&b';') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut rows = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| {
            Problem::new(
                i + 1,
                "",
                "",
                format!("not a readable CSV file (UTF-8 expected): {e}"),
            )
        })?;
        // Undo the exports' formula escaping (`cell_escape`), so a downloaded CSV imports back.
        rows.push(
            rec.iter()
                .map(|c| crate::cell_escape::unescape(c.trim()).into_owned())
                .collect(),
        );
    }
    Ok(rows)
}

pub(super) fn read_xlsx(bytes: &[u8]) -> Result<(usize, Vec<Vec<String>>), Problem> {
    use calamine::{Data, Reader, Xlsx};
    let unreadable = || Problem::new(0, "", "", XLSX_UNREADABLE);
    let mut wb: Xlsx<_> =
        Xlsx::new(std::io::Cursor::new(bytes.to_vec())).map_err(|_| unreadable())?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or_else(unreadable)?
        .map_err(|_| unreadable())?;
    let cell = |d: &Data| -> String {
        match d {
            Data::Empty => String::new(),
            Data::String(s) => s.trim().to_string(),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => format!("{}", *f as i64),
            Data::Int(i) => i.to_string(),
            // A date-formatted cell holds Excel's serial day number (days since 1899-12-30); turn it
            // into the YYYY-MM-DD text the columns expect.
            Data::DateTime(dt) => chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
                .and_then(|epoch| {
                    epoch.checked_add_signed(chrono::Duration::days(dt.as_f64().floor() as i64))
                })
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
            other => other.to_string().trim().to_string(),
        }
    };
    let skipped = range.start().map(|(row, _)| row as usize).unwrap_or(0);
    Ok((
        skipped,
        range.rows().map(|r| r.iter().map(cell).collect()).collect(),
    ))
}

/// A file read, its header matched to a kind's columns, and its non-blank data rows with their
/// spreadsheet row numbers (the header is row 1).
pub(super) struct Sheet {
    /// Position in the file of each of the kind's columns.
    pub(super) at: Vec<Option<usize>>,
    /// The header each column was given under, for problem reports.
    pub(super) names: Vec<String>,
    /// (row number, cells) of every non-blank data row.
    pub(super) rows: Vec<(usize, Vec<String>)>,
}

/// Reads a file and matches its header; on an unreadable file or a bad header the problems go to
/// `report` and `None` comes back. Columns headed by one of `ignored` (what an export adds for
/// readers: names, derived amounts) are skipped, not refused.
pub(super) fn open_sheet(
    bytes: &[u8],
    format: Format,
    cols: &[Column],
    ignored: &[&str],
    report: &mut Report,
) -> Option<Sheet> {
    let (skipped, table) = match read_table(bytes, format) {
        Ok(t) => t,
        Err(p) => {
            report.problems.push(p);
            return None;
        }
    };
    let Some((header, body)) = table.split_first() else {
        report.problems.push(Problem::new(
            0,
            "",
            "",
            "the file is empty: a header row is expected",
        ));
        return None;
    };
    let (at, names) = map_headers(header, cols, ignored, skipped + 1, &mut report.problems);
    if !report.problems.is_empty() {
        return None;
    }
    let rows = body
        .iter()
        .enumerate()
        .map(|(i, r)| (skipped + i + 2, r.clone()))
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
        .collect();
    Some(Sheet { at, names, rows })
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
