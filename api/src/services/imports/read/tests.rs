//! The reader's limits, and the property that no allocation is sized from what a file claims:
//! sheets with cells at any reference (past XFD, past row 1,048,576), any declared dimension and
//! any shared-string count are read with the live heap of the reading thread measured.

use super::*;
use proptest::prelude::*;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::io::Write;

/// Counts the live heap bytes of threads that asked to be measured, and their peak.
struct Measured;

thread_local! {
    static MEASURING: Cell<bool> = const { Cell::new(false) };
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn note(delta: isize) {
    let _ = MEASURING.try_with(|m| {
        if m.get() {
            let _ = LIVE.try_with(|l| {
                l.set(l.get() + delta);
                let _ = PEAK.try_with(|p| p.set(p.get().max(l.get())));
            });
        }
    });
}

// SAFETY: every call is passed to the system allocator unchanged; the bookkeeping touches only
// const-initialised thread-locals, which never allocate.
unsafe impl GlobalAlloc for Measured {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size() as isize);
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size() as isize);
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        note(-(layout.size() as isize));
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size as isize - layout.size() as isize);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Measured = Measured;

/// Runs `f` and answers its result with the peak of live heap bytes it added on this thread.
fn peak_of<T>(f: impl FnOnce() -> T) -> (T, isize) {
    LIVE.with(|l| l.set(0));
    PEAK.with(|p| p.set(0));
    MEASURING.with(|m| m.set(true));
    let out = f();
    MEASURING.with(|m| m.set(false));
    (out, PEAK.with(|p| p.get()))
}

/// A workbook of one sheet whose `<sheetData>` is `rows` (and `shared`, the shared-string table,
/// when given), written by hand so that it may say anything.
pub(super) fn workbook(dimension: Option<&str>, rows: &str, shared: Option<&str>) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut put = |name: &str, text: &str| {
        zip.start_file(name, opts).expect("a member");
        zip.write_all(text.as_bytes()).expect("written");
    };
    put(
        "[Content_Types].xml",
        r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
    );
    put(
        "_rels/.rels",
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    put(
        "xl/workbook.xml",
        r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Kontribusi" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    );
    put(
        "xl/_rels/workbook.xml.rels",
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
    );
    let dim = dimension
        .map(|d| format!(r#"<dimension ref="{d}"/>"#))
        .unwrap_or_default();
    put(
        "xl/worksheets/sheet1.xml",
        &format!(
            r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dim}<sheetData>{rows}</sheetData></worksheet>"#
        ),
    );
    if let Some(sst) = shared {
        put("xl/sharedStrings.xml", sst);
    }
    zip.finish().expect("the archive").into_inner()
}

/// Spreadsheet letters for a 0-based column.
fn cell_ref(row: u32, col: u32) -> String {
    format!("{}{}", column_name(col as usize), row + 1)
}

fn read_all(bytes: &[u8], limits: &Limits) -> Result<Vec<(usize, Vec<String>)>, Refusal> {
    let mut all = Collect::default();
    read(bytes, Format::Xlsx, limits, &mut all).map(|()| all.rows)
}

#[test]
fn the_two_cell_sheet_is_refused_at_its_far_cell() {
    let rows = format!(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>kunci</t></is></c></row><row r="1048576"><c r="{}"><v>1</v></c></row>"#,
        cell_ref(1_048_575, 16_383)
    );
    let file = workbook(Some("A1:XFD1048576"), &rows, None);
    let (out, peak) = peak_of(|| read_all(&file, &Limits::DEFAULT));
    let refusal = out.expect_err("refused");
    assert_eq!(refusal.code, Code::TooManyColumns);
    assert_eq!(refusal.column, "XFD");
    assert_eq!(refusal.row, 1_048_576);
    assert!(peak < 2 << 20, "read with {peak} bytes live at most");
}

#[test]
fn far_rows_are_refused_and_near_ones_read() {
    let rows = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>kunci</t></is></c></row><row r="3"><c r="B3"><v>7</v></c></row>"#;
    let read = read_all(&workbook(None, rows, None), &Limits::DEFAULT).expect("read");
    assert_eq!(
        read,
        vec![
            (1, vec!["kunci".to_string()]),
            (3, vec![String::new(), "7".into()])
        ]
    );
    let limits = Limits {
        max_rows: 1,
        ..Limits::DEFAULT
    };
    let refusal = read_all(&workbook(None, rows, None), &limits).expect_err("refused");
    assert_eq!((refusal.code, refusal.row), (Code::TooManyRows, 3));
}

#[test]
fn a_shared_string_count_the_table_cannot_hold_is_refused() {
    let sst = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="99999999999999"><si><t>kunci</t></si></sst>"#;
    let rows = r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#;
    let file = workbook(None, rows, Some(sst));
    let (out, peak) = peak_of(|| read_all(&file, &Limits::DEFAULT));
    assert_eq!(out.expect_err("refused").code, Code::Unreadable);
    assert!(peak < 2 << 20, "{peak}");
    let honest = sst.replace("99999999999999", "1");
    let read = read_all(&workbook(None, rows, Some(&honest)), &Limits::DEFAULT).expect("read");
    assert_eq!(read, vec![(1, vec!["kunci".to_string()])]);
}

#[test]
fn a_member_inflating_past_its_limits_is_refused_while_inflating() {
    // Three megabytes of one repeated row compress hundreds of times: a bomb by its ratio.
    let rows = r#"<row><c><v>7</v></c></row>"#.repeat(120_000);
    let file = workbook(None, &rows, None);
    assert!(file.len() < 64 * 1024, "{} bytes compressed", file.len());
    let refusal = read_all(&file, &Limits::DEFAULT).expect_err("refused");
    assert_eq!(refusal.code, Code::CompressionRatio);
    let lenient = Limits {
        max_ratio: 1_000_000,
        max_rows: 1_000_000,
        ..Limits::DEFAULT
    };
    assert_eq!(read_all(&file, &lenient).expect("read").len(), 120_000);
    let small = Limits {
        max_inflated_bytes: 1 << 20,
        ..lenient
    };
    assert_eq!(
        read_all(&file, &small).expect_err("refused").code,
        Code::InflatesTooMuch
    );
}

#[test]
fn a_text_node_longer_than_a_cell_may_be_is_refused_before_it_is_buffered() {
    let long = "7".repeat(200_000);
    let rows = format!(r#"<row r="1"><c r="A1"><v>{long}</v></c></row>"#);
    let file = workbook(None, &rows, None);
    let (out, peak) = peak_of(|| read_all(&file, &Limits::DEFAULT));
    assert_eq!(out.expect_err("refused").code, Code::CellTooLong);
    // The file itself was built outside; reading it never held the 200,000-byte text.
    assert!(peak < 200_000, "{peak}");
}

#[test]
fn csv_lines_columns_and_cells_are_limited() {
    let limits = Limits {
        max_line_bytes: 100,
        max_columns: 3,
        max_cell_chars: 5,
        max_rows: 2,
        ..Limits::DEFAULT
    };
    let csv = |text: &str| {
        let mut all = Collect::default();
        read(text.as_bytes(), Format::Csv, &limits, &mut all).map(|()| all.rows)
    };
    assert_eq!(
        csv(&format!("a,b\n{}\n", "x".repeat(101)))
            .expect_err("long line")
            .code,
        Code::LineTooLong
    );
    assert_eq!(
        csv("a,b,c,d\n").expect_err("wide").code,
        Code::TooManyColumns
    );
    // Empty cells past the limit are what spreadsheets save; they are not refused.
    assert_eq!(csv("a,b,c,,,\n").expect("read").len(), 1);
    assert_eq!(
        csv("a,b\nabcdef,1\n").expect_err("long cell").code,
        Code::CellTooLong
    );
    assert_eq!(
        csv("a\n1\n2\n3\n").expect_err("rows").code,
        Code::TooManyRows
    );
    assert_eq!(csv("a\n1\n2\n").expect("read").len(), 3);
}

#[test]
fn odd_members_are_refused() {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.add_symlink(
        "xl/worksheets/sheet1.xml",
        "/etc/passwd",
        zip::write::SimpleFileOptions::default(),
    )
    .expect("a link");
    let file = zip.finish().expect("archive").into_inner();
    assert_eq!(
        read_all(&file, &Limits::DEFAULT).expect_err("refused").code,
        Code::OddMember
    );
    // An .xls or a password-protected workbook is no zip at all.
    assert_eq!(
        read_all(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", &Limits::DEFAULT)
            .expect_err("refused")
            .code,
        Code::Unreadable
    );
}

#[test]
fn refusals_name_their_limit_in_both_languages() {
    let r = Refusal::limit(Code::TooManyRows, 100_002, "", "", 100_000);
    assert_eq!(
        r.reason(),
        "the file has more than 100,000 rows, the import limit (setting SINERGI_IMPORT_MAX_ROWS)"
    );
    assert_eq!(
        r.alasan(),
        "berkas berisi lebih dari 100.000 baris, batas impor (pengaturan SINERGI_IMPORT_MAX_ROWS)"
    );
    let r = Refusal::limit(Code::TooLarge, 0, "", "", 8 << 20);
    assert!(r.alasan().contains("8 MB"), "{}", r.alasan());
}

#[test]
fn a_reversed_dimension_is_unreadable_not_a_crash() {
    let rows = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>kunci</t></is></c></row>"#;
    // Read in a release build, the reversed dimension is ignored; in a debug build the reader's
    // subtraction overflows, and the panic is caught as an unreadable file.
    match read_all(&workbook(Some("BD1:A1"), rows, None), &Limits::DEFAULT) {
        Ok(read) => assert_eq!(read, vec![(1, vec!["kunci".to_string()])]),
        Err(refusal) => assert_eq!(refusal.code, Code::Unreadable),
    }
}

/// A cell anywhere: inside the limits, just past them, or far past Excel's own.
fn any_position() -> impl Strategy<Value = (u32, u32)> {
    let row = prop_oneof![
        0u32..200,
        99_990u32..100_010,
        1_048_570u32..1_048_576,
        1_048_576u32..4_000_000
    ];
    let col = prop_oneof![0u32..70, 16_380u32..16_384, 16_384u32..100_000];
    (row, col)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// However far a sheet's cells or its declared dimension reach, reading it keeps a small live
    /// heap, stores no row wider than the column limit, and refuses every cell past it.
    #[test]
    fn no_allocation_from_cell_references(
        cells in proptest::collection::vec((any_position(), "[a-z0-9]{1,8}"), 1..12),
        dimension in prop_oneof![Just(None), Just(Some("A1:XFD1048576".to_string())), (any_position(), any_position()).prop_map(|(a, b)| {
            // In order: a reversed dimension is the next test's (the reader panics on it in a
            // debug build, and a panic's report allocates).
            let (start, end) = ((a.0.min(b.0), a.1.min(b.1)), (a.0.max(b.0), a.1.max(b.1)));
            Some(format!("{}:{}", cell_ref(start.0, start.1), cell_ref(end.0, end.1)))
        })],
        unique_count in prop_oneof![Just(1u64), Just(u32::MAX as u64), Just(u64::MAX / 2)],
    ) {
        let mut sorted = cells.clone();
        sorted.sort_by_key(|((r, c), _)| (*r, *c));
        sorted.dedup_by_key(|((r, c), _)| (*r, *c));
        let mut rows = String::new();
        let mut open: Option<u32> = None;
        for ((r, c), v) in &sorted {
            if open != Some(*r) {
                if open.is_some() { rows.push_str("</row>"); }
                rows.push_str(&format!(r#"<row r="{}">"#, r + 1));
                open = Some(*r);
            }
            rows.push_str(&format!(r#"<c r="{}" t="s"><v>0</v></c><c r="{}" t="inlineStr"><is><t>{v}</t></is></c>"#, cell_ref(*r, *c), cell_ref(*r, c + 1)));
        }
        rows.push_str("</row>");
        let sst = format!(r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="{unique_count}"><si><t>kunci</t></si></sst>"#);
        let file = workbook(dimension.as_deref(), &rows, Some(&sst));
        let limits = Limits::DEFAULT;
        let (out, peak) = peak_of(|| read_all(&file, &limits));
        prop_assert!(peak < 2 << 20, "{peak} bytes live reading {} bytes", file.len());
        let beyond = sorted.iter().any(|((_, c), _)| *c as usize + 1 >= limits.max_columns);
        let first = sorted[0].0.0 as usize;
        let far = sorted.iter().any(|((r, _), _)| *r as usize - first > limits.max_rows);
        match out {
            Ok(read) => {
                prop_assert!(!beyond && !far && unique_count == 1);
                prop_assert!(read.iter().all(|(_, cells)| cells.len() <= limits.max_columns));
            }
            Err(refusal) => prop_assert!(beyond || far || unique_count > 1, "{refusal:?}"),
        }
    }
}
