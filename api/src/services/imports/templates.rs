//! The template files offered beside every import.

use super::*;

/// The template as CSV: the Indonesian headers and one example row.
pub fn template_csv(cols: &[Column]) -> Vec<u8> {
    let mut w = crate::cell_escape::CsvWriter::default();
    let _ = w.row(cols.iter().map(|c| c.id));
    let _ = w.row(cols.iter().map(|c| c.example));
    w.finish().unwrap_or_default()
}

/// The template as XLSX: sheet `sheet` (e.g. "Kontribusi") with the headers and an example row
/// (cells as text), and sheet "Petunjuk" documenting every column (Indonesian and English header,
/// required, what goes in it).
pub fn template_xlsx(cols: &[Column], sheet: &str) -> AppResult<Vec<u8>> {
    use rust_xlsxwriter::{Format as Fmt, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| AppError::Internal(e.into());
    let mut wb = Workbook::new();
    let bold = Fmt::new().set_bold();
    let text = Fmt::new().set_num_format("@");
    {
        let ws = wb.add_worksheet().set_name(sheet).map_err(err)?;
        for (i, c) in cols.iter().enumerate() {
            let col = i as u16;
            ws.write_string_with_format(0, col, c.id, &bold)
                .map_err(err)?;
            ws.write_string_with_format(1, col, c.example, &text)
                .map_err(err)?;
            ws.set_column_width(col, 20).map_err(err)?;
        }
    }
    {
        let ws = wb.add_worksheet().set_name("Petunjuk").map_err(err)?;
        for (i, h) in ["kolom", "column", "wajib / required", "isi / contents"]
            .iter()
            .enumerate()
        {
            ws.write_string_with_format(0, i as u16, *h, &bold)
                .map_err(err)?;
        }
        for (i, c) in cols.iter().enumerate() {
            let row = i as u32 + 1;
            ws.write_string(row, 0, c.id).map_err(err)?;
            ws.write_string(row, 1, c.en).map_err(err)?;
            ws.write_string(row, 2, if c.required { "ya / yes" } else { "tidak / no" })
                .map_err(err)?;
            ws.write_string(row, 3, c.doc).map_err(err)?;
        }
        ws.set_column_width(3, 100).map_err(err)?;
    }
    wb.save_to_buffer().map_err(err)
}
