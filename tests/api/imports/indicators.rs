//! Village indicator files: a clean import and its re-import, bad rows and another region's
//! coordinator refused, the template, the command line, and a date-formatted XLSX cell.

use super::*;

/// A coordinator's clean indicators file: a dotted and an undotted code, a village name, Indonesian
/// decimals and labels, both date forms.
const INDICATORS: &str = "\
kode_desa,tahun,sumber,per_tanggal,jumlah_kk,rtm,desil1,desil2,desil3,desil4,prevalensi_stunting,status_idm,prioritas
33.26.02.2008,2027,DTKS/P3KE,2027-01-31,1200,310,120,90,60,40,\"12,5\",Berkembang,ya
3326022014,2027,BPS,31/01/2027,800,200,,,,,,Maju,tidak
Winduaji,2027,BPS,2027-01-31,500,100,,,,,,,
";

async fn upload_indicators(app: &TestApp, email: &str, query: &str, body: &str) -> (u16, Value) {
    upload_csv(app, "indicators", email, query, body).await
}

async fn indicator_counts(app: &TestApp) -> (i64, i64) {
    (
        count_rows(&app.db, "village_indicators").await,
        count_rows(&app.db, "audit_log").await,
    )
}

#[tokio::test]
async fn village_indicators_import_and_reimport_changes_nothing() {
    let app = demo().await;
    let before = indicator_counts(&app).await;
    let (status, report) =
        upload_indicators(&app, COORDINATOR, "?dryRun=true&regency=33.26", INDICATORS).await;
    assert_eq!(status, 200, "{report:#}");
    assert_eq!(report["inserted"], 3);
    assert_eq!(
        indicator_counts(&app).await,
        before,
        "a dry run stores nothing"
    );
    let (status, report) = upload_indicators(&app, COORDINATOR, "?regency=33.26", INDICATORS).await;
    assert_eq!(status, 200, "{report:#}");
    assert_eq!(report["inserted"], 3);
    let after = indicator_counts(&app).await;
    assert_eq!(after, (before.0 + 3, before.1 + 3));
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT stunting_prevalence, idm_status, priority FROM village_indicators WHERE village_code = '33.26.02.2008' AND fiscal_year = 2027",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get::<f64>("", "stunting_prevalence").unwrap(), 12.5);
    assert_eq!(
        row.try_get::<String>("", "idm_status").unwrap(),
        "DEVELOPING"
    );
    assert!(row.try_get::<bool>("", "priority").unwrap());
    let (status, report) = upload_indicators(&app, COORDINATOR, "?regency=33.26", INDICATORS).await;
    assert_eq!(status, 200, "{report:#}");
    assert_eq!(report["unchanged"], 3);
    assert_eq!(indicator_counts(&app).await, after);
    // Through the command line, as the system: one changed figure is one update.
    let edited = INDICATORS.replace("800,200", "800,190");
    cli_indicators(&app, edited.as_bytes(), &["--regency", "33.26"])
        .await
        .unwrap();
    assert_eq!(indicator_counts(&app).await, (after.0, after.1 + 1));
    app.stop().await;
}

async fn cli_indicators(app: &TestApp, contents: &[u8], args: &[&str]) -> anyhow::Result<()> {
    let mut file = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
    file.write_all(contents).unwrap();
    let path = file.path().to_str().unwrap().to_string();
    let mut argv = vec![
        "sinergi",
        "--database-url",
        &app.database_url,
        "import",
        "indicators",
        &path,
    ];
    argv.extend_from_slice(args);
    sinergi::commands::run(sinergi::config::Cli::parse_from(argv)).await
}

#[tokio::test]
async fn bad_indicator_rows_store_nothing() {
    let app = demo().await;
    let before = indicator_counts(&app).await;
    // More poor households than households; a district instead of a village.
    let bad = format!(
        "{INDICATORS}33.26.02.2009,2027,BPS,2027-01-31,100,300,,,,,,,\n33.26.02,2027,BPS,2027-01-31,,,,,,,,,\n"
    );
    let (status, report) = upload_indicators(&app, COORDINATOR, "?regency=33.26", &bad).await;
    assert_eq!(status, 400, "{report:#}");
    let list = problems(&report);
    assert_eq!(list.len(), 2, "{report:#}");
    assert_eq!(list[0]["row"], 5);
    assert_eq!(list[0]["column"], "rtm");
    assert_eq!(list[1]["row"], 6);
    assert!(
        list[1]["reason"]
            .as_str()
            .unwrap()
            .contains("not a village")
    );
    assert_eq!(indicator_counts(&app).await, before);
    // Lampung's coordinator does not coordinate Kabupaten Pekalongan.
    let (status, report) = upload_indicators(
        &app,
        "koordinator@lampung.demo",
        "?regency=33.26",
        INDICATORS,
    )
    .await;
    assert_eq!(status, 403, "{report:#}");
    assert_eq!(problems(&report).len(), 3);
    assert_eq!(indicator_counts(&app).await, before);
    // The indicators template's example row is valid.
    let csv = app
        .client
        .get(app.url("/imports/indicators/template.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let (status, report) = upload_indicators(&app, COORDINATOR, "", &csv).await;
    assert_eq!(status, 200, "{report:#}");
    assert_eq!(report["rows"], 1);
    app.stop().await;
}

#[tokio::test]
async fn a_date_formatted_xlsx_cell_is_read_as_a_date() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let app = demo().await;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (i, h) in [
        "kode_desa",
        "tahun",
        "sumber",
        "per_tanggal",
        "jumlah_kk",
        "rtm",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, i as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "33.26.02.2008").unwrap();
    ws.write_number(1, 1, 2028.0).unwrap();
    ws.write_string(1, 2, "DTKS").unwrap();
    let date = ExcelDateTime::from_ymd(2028, 1, 31).unwrap();
    ws.write_datetime_with_format(1, 3, &date, &Format::new().set_num_format("dd/mm/yyyy"))
        .unwrap();
    ws.write_number(1, 4, 1000.0).unwrap();
    ws.write_number(1, 5, 250.0).unwrap();
    let token = app.token_for(COORDINATOR).await;
    let res = app
        .client
        .post(app.url("/imports/indicators"))
        .bearer_auth(token)
        .header("content-type", XLSX)
        .body(wb.save_to_buffer().unwrap())
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let report: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{report:#}");
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT poor_households FROM village_indicators WHERE village_code = '33.26.02.2008' AND fiscal_year = 2028",
        ))
        .await
        .unwrap()
        .expect("stored");
    assert_eq!(
        row.try_get::<Option<i32>>("", "poor_households").unwrap(),
        Some(250)
    );
    app.sign_in_new_viewer().await;
    let d = app
        .data(
            r#"{ region(code: "33.26.02.2008") { indicators(fiscalYear: 2028) { asOf } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(d["region"]["indicators"]["asOf"], "2028-01-31");
}
