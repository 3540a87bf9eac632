//! The first sheet of an XLSX workbook, cell by cell: each cell's position is checked against the
//! row and column limits before it is stored, and a row holds at most `max_columns` cells, so
//! nothing is ever sized from a cell reference or the sheet's declared dimension.

use super::{Code, Limits, Refusal, RowCount, Sink, check_cell, column_name, zip_guard};
use calamine::{Data, DataRef, Reader, Xlsx};

pub(super) fn read(bytes: &[u8], limits: &Limits, sink: &mut dyn Sink) -> Result<(), Refusal> {
    zip_guard::check(bytes, limits)?;
    let unreadable = |_| Refusal::plain(Code::Unreadable);
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(unreadable)?;
    let Some(first) = wb.sheet_names().into_iter().next() else {
        return Err(Refusal::plain(Code::Unreadable));
    };
    let mut cells = wb.worksheet_cells_reader(&first).map_err(unreadable)?;
    let mut count = RowCount::new(limits);
    // The row being gathered: its 0-based index and its cells so far.
    let mut current: Option<(u32, Vec<String>)> = None;
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (r, c) = cell.get_position();
        let text = text(cell.get_value());
        if text.is_empty() {
            continue;
        }
        let row = r as usize + 1;
        let col = c as usize;
        if col >= limits.max_columns {
            return Err(Refusal::limit(
                Code::TooManyColumns,
                row,
                &column_name(col),
                &text,
                limits.max_columns as u64,
            ));
        }
        check_cell(&text, row, col, limits)?;
        match current.as_mut() {
            Some((at, row_cells)) if *at == r => put(row_cells, col, text),
            // Excel writes rows in order; a sheet that goes back is not one it wrote.
            Some((at, _)) if r < *at => return Err(Refusal::plain(Code::Unreadable)),
            _ => {
                if let Some((at, row_cells)) = current.take()
                    && !sink.row(at as usize + 1, row_cells)
                {
                    return Ok(());
                }
                count.reached(row, true)?;
                let mut row_cells = Vec::new();
                put(&mut row_cells, col, text);
                current = Some((r, row_cells));
            }
        }
    }
    if let Some((at, row_cells)) = current {
        sink.row(at as usize + 1, row_cells);
    }
    Ok(())
}

/// Sets a cell of a row; `col` is below the column limit, so the row stays small.
fn put(row: &mut Vec<String>, col: usize, text: String) {
    if row.len() <= col {
        row.resize(col + 1, String::new());
    }
    row[col] = text;
}

/// A cell as the import's columns read it: text trimmed, whole numbers without a decimal point,
/// dates as YYYY-MM-DD.
fn text(d: &DataRef<'_>) -> String {
    match d {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.trim().to_string(),
        DataRef::SharedString(s) => s.trim().to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => format!("{}", *f as i64),
        DataRef::Int(i) => i.to_string(),
        // A date-formatted cell holds Excel's serial day number (days since 1899-12-30); turn it
        // into the YYYY-MM-DD text the columns expect.
        DataRef::DateTime(dt) => chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
            .and_then(|epoch| {
                let days = dt.as_f64().floor();
                (days.abs() < 1.0e7)
                    .then(|| epoch.checked_add_signed(chrono::Duration::days(days as i64)))
                    .flatten()
            })
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        DataRef::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        other => Data::from(other.clone()).to_string().trim().to_string(),
    }
}
