//! CSV within limits: every physical line is measured before the parser sees the file (so no
//! record buffer grows past the line limit), then records are read one at a time and counted.

use super::{Code, Limits, Refusal, RowCount, Sink, check_cell, column_name};

pub(super) fn read(bytes: &[u8], limits: &Limits, sink: &mut dyn Sink) -> Result<(), Refusal> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if line.len() > limits.max_line_bytes {
            let start = String::from_utf8_lossy(&line[..line.len().min(64)]).into_owned();
            return Err(Refusal::limit(
                Code::LineTooLong,
                i + 1,
                "",
                &start,
                limits.max_line_bytes as u64,
            ));
        }
    }
    // Excel in an Indonesian locale saves "CSV" with semicolons: take them when the header has no comma.
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or(&[]);
    let delimiter = if !first_line.contains(&b',') && first_line.contains(&b';') {
        b';'
    } else {
        b','
    };
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut count = RowCount::new(limits);
    let mut record = ::csv::StringRecord::new();
    let mut row = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => {
                return Err(Refusal {
                    row: row + 1,
                    value: e.to_string().chars().take(120).collect(),
                    ..Refusal::plain(Code::NotCsv)
                });
            }
        }
        row += 1;
        // A record spans lines when a quoted field holds line breaks: its whole length is bounded
        // by the lines it spans, so the parser never held more than the file's longest stretch.
        if record.as_slice().len() > limits.max_line_bytes {
            return Err(Refusal::limit(
                Code::LineTooLong,
                row,
                "",
                "",
                limits.max_line_bytes as u64,
            ));
        }
        if record.len() > limits.max_columns
            && record
                .iter()
                .skip(limits.max_columns)
                .any(|c| !c.trim().is_empty())
        {
            return Err(Refusal::limit(
                Code::TooManyColumns,
                row,
                &column_name(limits.max_columns),
                "",
                limits.max_columns as u64,
            ));
        }
        let mut cells = Vec::with_capacity(record.len().min(limits.max_columns));
        for (col, c) in record.iter().take(limits.max_columns).enumerate() {
            check_cell(c, row, col, limits)?;
            // Undo the exports' formula escaping (`cell_escape`), so a downloaded CSV imports back.
            cells.push(crate::cell_escape::unescape(c.trim()).into_owned());
        }
        count.reached(row, cells.iter().any(|c| !c.is_empty()))?;
        if !sink.row(row, cells) {
            return Ok(());
        }
    }
}
