//! Downloads: the TKPK workbook opened with a spreadsheet reader, and the CSV export.

use crate::helpers::{TestApp, spawn_app};
use calamine::{Data, Reader, Xlsx};
use serde_json::json;
use std::io::Cursor;

async fn get(app: &TestApp, path: &str, token: Option<&str>) -> reqwest::Response {
    let mut req = app.client.get(app.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap()
}

fn number(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        _ => 0.0,
    }
}

#[tokio::test]
async fn the_workbook_has_every_sheet_and_its_totals_match_the_api() {
    let app = spawn_app().await;
    app.load_demo().await;
    let coordinator = app.token_for("koordinator@pekalongan.demo").await;
    let res = get(
        &app,
        "/exports/lp2kd.xlsx?region=33.26&year=2025",
        Some(&coordinator),
    )
    .await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );
    let bytes = res.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("a readable workbook");
    assert_eq!(
        book.sheet_names(),
        [
            "Sumber x Klaster",
            "Per Organisasi",
            "Desa Terjangkau",
            "Tingkat Realisasi",
            "Target Program",
            "Tindak Lanjut"
        ]
    );
    // The grand total of the source × cluster table equals the committed total the API reports.
    let totals = app
        .gql_as(Some(&coordinator), r#"{ contributionTotals(filter: {region: "33.26", fiscalYear: 2025}) { committed count } }"#, json!({}))
        .await;
    let committed: f64 = totals["data"]["contributionTotals"]["committed"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let sheet = book.worksheet_range("Sumber x Klaster").unwrap();
    let last = sheet.rows().next_back().unwrap();
    assert_eq!(last[0], Data::String("Jumlah".into()));
    assert_eq!(number(&last[6]), committed);
    let rows_total: f64 = sheet.rows().skip(3).take(8).map(|r| number(&r[6])).sum();
    assert_eq!(rows_total, committed, "the rows add up to the total");
    // Organizations and villages add up too; headings are in Indonesian.
    let orgs = book.worksheet_range("Per Organisasi").unwrap();
    assert_eq!(
        orgs.rows().nth(2).unwrap()[4],
        Data::String("Komitmen (Rp)".into())
    );
    let org_sum: f64 = orgs.rows().skip(3).map(|r| number(&r[4])).sum();
    assert_eq!(org_sum, committed);
    let villages = book.worksheet_range("Desa Terjangkau").unwrap();
    let count: f64 = villages.rows().skip(3).map(|r| number(&r[2])).sum();
    assert_eq!(
        count as i64,
        totals["data"]["contributionTotals"]["count"]
            .as_i64()
            .unwrap()
    );
    let follow = book.worksheet_range("Tindak Lanjut").unwrap();
    assert!(
        follow
            .rows()
            .skip(3)
            .any(|r| r[0] == Data::String("Dinas Sosial Kabupaten Pekalongan".into()))
    );

    // A semester report realises only what was spent in that half year: the demo's 2025 spending is
    // dated 30 September, so semester I has none.
    let s1 = get(
        &app,
        "/exports/lp2kd.xlsx?region=33.26&year=2025&semester=1",
        Some(&coordinator),
    )
    .await
    .bytes()
    .await
    .unwrap()
    .to_vec();
    let mut s1: Xlsx<_> = Xlsx::new(Cursor::new(s1)).unwrap();
    let rates = s1.worksheet_range("Tingkat Realisasi").unwrap();
    assert_eq!(
        rates.rows().skip(3).map(|r| number(&r[2])).sum::<f64>(),
        0.0
    );
    let s2 = get(
        &app,
        "/exports/lp2kd.xlsx?region=33.26&year=2025&semester=2",
        Some(&coordinator),
    )
    .await
    .bytes()
    .await
    .unwrap()
    .to_vec();
    let mut s2: Xlsx<_> = Xlsx::new(Cursor::new(s2)).unwrap();
    let rates = s2.worksheet_range("Tingkat Realisasi").unwrap();
    assert!(rates.rows().skip(3).map(|r| number(&r[2])).sum::<f64>() > 0.0);
}

#[tokio::test]
async fn downloads_are_for_the_region_coordinators() {
    let app = spawn_app().await;
    app.load_demo().await;
    let path = "/exports/lp2kd.xlsx?region=33.26&year=2025";
    assert_eq!(get(&app, path, None).await.status(), 401);
    assert_eq!(
        get(
            &app,
            path,
            Some(&app.token_for("skpd@pekalongan.demo").await)
        )
        .await
        .status(),
        403
    );
    assert_eq!(
        get(
            &app,
            path,
            Some(&app.token_for("koordinator@lampung.demo").await)
        )
        .await
        .status(),
        403
    );
    let bad = get(
        &app,
        "/exports/lp2kd.xlsx?region=33.26&year=2025&semester=3",
        Some(&app.token_for("admin@sinergi.demo").await),
    )
    .await;
    assert_eq!(bad.status(), 400);
    let body: serde_json::Value = bad.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["field"], "semester");
}

#[tokio::test]
async fn the_csv_export_follows_the_filter() {
    let app = spawn_app().await;
    app.load_demo().await;
    let coordinator = app.token_for("koordinator@pekalongan.demo").await;
    let filter = r#"{"region":"33.26","fiscalYear":2026,"sources":["CSR","APBDES"]}"#;
    let res = app
        .client
        .get(app.url("/exports/contributions.csv"))
        .query(&[("filter", filter)])
        .bearer_auth(&coordinator)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    let mut csv = csv::Reader::from_reader(text.as_bytes());
    let headers = csv.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (year, region, source, status) = (
        col("tahun_anggaran"),
        col("kode_wilayah"),
        col("sumber_dana"),
        col("status"),
    );
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    let listed = app
        .gql_as(Some(&coordinator), r#"{ contributions(filter: {region: "33.26", fiscalYear: 2026, sources: [CSR, APBDES]}) { totalCount } }"#, json!({}))
        .await;
    assert_eq!(
        rows.len() as i64,
        listed["data"]["contributions"]["totalCount"]
            .as_i64()
            .unwrap()
    );
    assert!(rows.iter().all(|r| &r[year] == "2026"
        && r[region].starts_with("33.26.")
        && (&r[source] == "CSR" || &r[source] == "APBDes")));
    assert!(
        rows.iter().any(|r| &r[status] == "Rencana"),
        "the coordinator's region drafts are included for the coordinator"
    );
    let bad = app
        .client
        .get(app.url("/exports/contributions.csv"))
        .query(&[("filter", r#"{"region":"Pekalongan"}"#)])
        .bearer_auth(&coordinator)
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
}
