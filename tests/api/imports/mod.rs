//! Spreadsheet import of contributions (issue 6), over HTTP (`POST /imports/contributions`) and the
//! command line (`sinergi import contributions`): clean CSV and XLSX files, one bad row of each kind
//! (every failing case leaves every table exactly as it was), a re-import that changes nothing, an
//! edit that updates one row, a dry run, permissions, and the templates.

use crate::helpers::{TestApp, count_rows, spawn_app};
use clap::Parser;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use std::io::Write;

const CSV: &str = "text/csv";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const ADMIN: &str = "admin@sinergi.demo";
const MEMBER: &str = "skpd@pekalongan.demo";

/// Every table an import could touch (and a few it must not).
const TABLES: [&str; 8] = [
    "contributions",
    "contribution_transactions",
    "audit_log",
    "organizations",
    "programs",
    "regions",
    "users",
    "client_keys",
];

/// A member's clean file: its own organization (empty contributor), Indonesian headers and labels,
/// a dotted code, an undotted code, and a village name under the regency given in the query.
const MEMBER_FILE: &str = "\
kunci,sumber_dana,jenis,kode_wilayah,tahun_anggaran,judul,rencana,komitmen,status,kelompok_sasaran
DS-1,APBD Kabupaten,Tunai,33.26.02.2008,2026,Bantuan bibit,150.000.000,0,Rencana,Rumah Tangga Miskin
DS-2,APBD_REGENCY,CASH,3326022014,2026,Jambanisasi,75000000,75000000,COMMITTED,
DS-3,APBD Kabupaten,Barang,Sawangan,2026,Paket sembako,10000000,,,Umum
";

/// Two good rows for an admin, English headers, naming the contributor; `{bad}` is replaced by a
/// third row.
const ADMIN_FILE: &str = "\
key,contributor,source,kind,region_code,fiscal_year,title,amount_planned,amount_committed
A-1,Dinas Sosial Kabupaten Pekalongan,APBD_REGENCY,CASH,33.26.02.2008,2026,Pelatihan,5000000,0
A-2,PT Batik Pesisir Lestari (contoh),CSR,IN_KIND,33.26.02.2014,2026,Mesin jahit,20000000,20000000
";

/// Row counts of [`TABLES`].
async fn counts(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for t in TABLES {
        out.push(count_rows(&app.db, t).await);
    }
    out
}

/// Every contribution's id, version, amounts, title and key.
async fn snapshot(app: &TestApp) -> Vec<String> {
    let rows = app
        .db
        .query_all_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT id, version, amount_planned, amount_committed, title, region_code, external_key FROM contributions ORDER BY id",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|r| {
            format!(
                "{}|{}|{}|{}|{}|{}|{:?}",
                r.try_get::<String>("", "id").unwrap(),
                r.try_get::<i32>("", "version").unwrap(),
                r.try_get::<i64>("", "amount_planned").unwrap(),
                r.try_get::<i64>("", "amount_committed").unwrap(),
                r.try_get::<String>("", "title").unwrap(),
                r.try_get::<String>("", "region_code").unwrap(),
                r.try_get::<Option<String>>("", "external_key").unwrap(),
            )
        })
        .collect()
}

/// POSTs a file to `/imports/contributions{query}` and returns the status and JSON report.
async fn upload(
    app: &TestApp,
    email: &str,
    query: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let token = app.token_for(email).await;
    let res = app
        .client
        .post(app.url(&format!("/imports/contributions{query}")))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("upload sent");
    let status = res.status().as_u16();
    (status, res.json().await.expect("a JSON report"))
}

/// Runs `sinergi import contributions FILE ARGS...` in-process, exactly as the binary does.
async fn cli(app: &TestApp, contents: &[u8], ext: &str, args: &[&str]) -> anyhow::Result<()> {
    let mut file = tempfile::Builder::new().suffix(ext).tempfile().unwrap();
    file.write_all(contents).unwrap();
    let path = file.path().to_str().unwrap().to_string();
    let mut argv = vec![
        "sinergi",
        "--database-url",
        &app.database_url,
        "import",
        "contributions",
        &path,
    ];
    argv.extend_from_slice(args);
    sinergi::commands::run(sinergi::config::Cli::parse_from(argv)).await
}

/// A demo hub.
async fn demo() -> TestApp {
    let app = spawn_app().await;
    app.load_demo().await;
    app
}

fn problems(report: &Value) -> &Vec<Value> {
    report["problems"].as_array().expect("a problem list")
}

#[tokio::test]
async fn a_clean_csv_is_stored_and_a_reimport_changes_nothing() {
    let app = demo().await;
    let before = counts(&app).await;
    let (status, report) = upload(
        &app,
        MEMBER,
        "?regency=33.26",
        CSV,
        MEMBER_FILE.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(status, 200, "{report:#}");
    assert_eq!(report["stored"], true);
    assert_eq!(report["dryRun"], false);
    assert_eq!(report["rows"], 3);
    assert_eq!(report["inserted"], 3);
    assert!(problems(&report).is_empty());
    let after = counts(&app).await;
    assert_eq!(after[0], before[0] + 3, "three contributions");
    assert_eq!(after[2], before[2] + 3, "one audit row each");

    // The name resolved to the one village of that name in the regency; labels became enums.
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT region_code, contributor_id, source, kind, status, target_group, amount_planned FROM contributions WHERE external_key = 'DS-3'",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        row.try_get::<String>("", "region_code").unwrap(),
        "33.26.02.2009"
    );
    assert_eq!(
        row.try_get::<String>("", "contributor_id").unwrap(),
        sinergi::services::demo::demo_id("dinsos-pekalongan")
    );
    assert_eq!(row.try_get::<String>("", "kind").unwrap(), "IN_KIND");
    assert_eq!(row.try_get::<String>("", "status").unwrap(), "PLANNED");
    assert_eq!(
        row.try_get::<String>("", "target_group").unwrap(),
        "GENERAL"
    );

    // The same file again: nothing moves (no version bump, no audit row).
    let snap = snapshot(&app).await;
    let (status, report) = upload(
        &app,
        MEMBER,
        "?regency=33.26",
        CSV,
        MEMBER_FILE.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(status, 200, "{report:#}");
    assert_eq!(report["inserted"], 0);
    assert_eq!(report["updated"], 0);
    assert_eq!(report["unchanged"], 3);
    assert_eq!(counts(&app).await, after);
    assert_eq!(snapshot(&app).await, snap);

    // One changed amount: that row is updated, its version bumped, one audit row added.
    let edited = MEMBER_FILE.replace("Bantuan bibit,150.000.000", "Bantuan bibit,160.000.000");
    let (status, report) = upload(&app, MEMBER, "?regency=33.26", CSV, edited.into_bytes()).await;
    assert_eq!(status, 200, "{report:#}");
    assert_eq!(report["updated"], 1);
    assert_eq!(report["unchanged"], 2);
    let now = counts(&app).await;
    assert_eq!(now[0], after[0]);
    assert_eq!(now[2], after[2] + 1);
    let v = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT version, amount_planned FROM contributions WHERE external_key = 'DS-1'",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(v.try_get::<i32>("", "version").unwrap(), 2);
    assert_eq!(v.try_get::<i64>("", "amount_planned").unwrap(), 160_000_000);
    app.stop().await;
}

#[tokio::test]
async fn a_clean_xlsx_is_stored() {
    use rust_xlsxwriter::Workbook;
    let app = demo().await;
    let before = counts(&app).await;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let header = [
        "Key",
        "Contributor",
        "Source",
        "Kind",
        "Region Code",
        "Fiscal Year",
        "Title",
        "Amount Planned",
        "Amount Committed",
    ];
    for (i, h) in header.iter().enumerate() {
        ws.write_string(0, i as u16, *h).unwrap();
    }
    // Numbers as Excel numbers, the code undotted as a number too.
    ws.write_string(1, 0, "X-1").unwrap();
    ws.write_string(1, 1, "Universitas Pekalongan").unwrap();
    ws.write_string(1, 2, "Perguruan Tinggi").unwrap();
    ws.write_string(1, 3, "Keahlian").unwrap();
    ws.write_number(1, 4, 3326022008.0).unwrap();
    ws.write_number(1, 5, 2026.0).unwrap();
    ws.write_string(1, 6, "KKN tematik stunting").unwrap();
    ws.write_number(1, 7, 25_000_000.0).unwrap();
    ws.write_number(1, 8, 25_000_000.0).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let (status, report) = upload(&app, ADMIN, "", XLSX, bytes).await;
    assert_eq!(status, 200, "{report:#}");
    assert_eq!(report["inserted"], 1);
    let after = counts(&app).await;
    assert_eq!(after[0], before[0] + 1);
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT region_code, amount_committed, source FROM contributions WHERE external_key = 'X-1'",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        row.try_get::<String>("", "region_code").unwrap(),
        "33.26.02.2008"
    );
    assert_eq!(
        row.try_get::<i64>("", "amount_committed").unwrap(),
        25_000_000
    );
    assert_eq!(row.try_get::<String>("", "source").unwrap(), "UNIVERSITY");
    app.stop().await;
}

/// Uploads the two good admin rows plus `bad`; expects `status`, one problem in `column` whose reason
/// contains `reason`, and every table unchanged.
async fn refused(bad: &str, query: &str, email: &str, status: u16, column: &str, reason: &str) {
    let app = demo().await;
    let before = (counts(&app).await, snapshot(&app).await);
    let file = format!("{ADMIN_FILE}{bad}\n");
    let (got, report) = upload(&app, email, query, CSV, file.into_bytes()).await;
    assert_eq!(got, status, "{report:#}");
    assert_eq!(report["stored"], false);
    let list = problems(&report);
    assert_eq!(list.len(), 1, "{report:#}");
    assert_eq!(list[0]["row"], 4, "{report:#}");
    assert_eq!(list[0]["column"], column, "{report:#}");
    assert!(
        list[0]["reason"].as_str().unwrap().contains(reason),
        "expected `{reason}` in {report:#}"
    );
    assert_eq!(
        (counts(&app).await, snapshot(&app).await),
        before,
        "a refused file stores nothing"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_bad_region_code_is_reported_and_nothing_stored() {
    refused(
        "A-3,Dinas Sosial Kabupaten Pekalongan,APBD_REGENCY,CASH,3326029999,2026,Bedah rumah,1000,0",
        "",
        ADMIN,
        400,
        "region_code",
        "no region 33.26.02.9999",
    )
    .await;
    refused(
        "A-3,Dinas Sosial Kabupaten Pekalongan,APBD_REGENCY,CASH,33.26.2,2026,Bedah rumah,1000,0",
        "",
        ADMIN,
        400,
        "region_code",
        "not a Kemendagri code",
    )
    .await;
}

#[tokio::test]
async fn an_ambiguous_village_name_is_reported_with_its_candidates() {
    // Paninggaran is both a district (33.26.02) and a village (33.26.02.2010) of Kabupaten Pekalongan.
    refused(
        "A-3,Dinas Sosial Kabupaten Pekalongan,APBD_REGENCY,CASH,Paninggaran,2026,Bedah rumah,1000,0",
        "?regency=33.26",
        ADMIN,
        400,
        "region_code",
        "33.26.02.2010",
    )
    .await;
}

#[tokio::test]
async fn a_negative_amount_is_reported() {
    refused(
        "A-3,Dinas Sosial Kabupaten Pekalongan,APBD_REGENCY,CASH,33.26.02.2008,2026,Bedah rumah,-5000,0",
        "",
        ADMIN,
        400,
        "amount_planned",
        "never negative",
    )
    .await;
}

#[tokio::test]
async fn an_unknown_organization_is_reported() {
    refused(
        "A-3,Dinas Yang Tidak Ada,APBD_REGENCY,CASH,33.26.02.2008,2026,Bedah rumah,1000,0",
        "",
        ADMIN,
        400,
        "contributor",
        "unknown organization",
    )
    .await;
}

#[tokio::test]
async fn mutation_rules_apply_to_rows() {
    // APBDes only to a village (33.26.02 is a district).
    refused(
        "A-3,Pemerintah Desa Botosari,APBDES,CASH,33.26.02,2026,Jalan desa,1000,0",
        "",
        ADMIN,
        400,
        "region_code",
        "must point at a village",
    )
    .await;
    // Fiscal year bounds.
    refused(
        "A-3,Dinas Sosial Kabupaten Pekalongan,APBD_REGENCY,CASH,33.26.02.2008,1999,Bedah rumah,1000,0",
        "",
        ADMIN,
        400,
        "fiscal_year",
        "between 2000 and 2100",
    )
    .await;
}

#[tokio::test]
async fn a_member_cannot_import_another_organizations_contributions() {
    // Both admin-file rows name organizations; the member's own (Dinas Sosial) is fine, PT Batik's
    // row is not: 403, the problem says why, nothing stored.
    let app = demo().await;
    let before = (counts(&app).await, snapshot(&app).await);
    let (status, report) = upload(&app, MEMBER, "", CSV, ADMIN_FILE.as_bytes().to_vec()).await;
    assert_eq!(status, 403, "{report:#}");
    let list = problems(&report);
    assert_eq!(list.len(), 1, "{report:#}");
    assert_eq!(list[0]["row"], 3);
    assert_eq!(list[0]["column"], "contributor");
    assert!(
        list[0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("forbidden:")
    );
    assert_eq!((counts(&app).await, snapshot(&app).await), before);
    app.stop().await;
}

#[tokio::test]
async fn a_malformed_xlsx_is_one_problem_and_nothing_stored() {
    let app = demo().await;
    let before = (counts(&app).await, snapshot(&app).await);
    let junk: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
    let (status, report) = upload(&app, ADMIN, "", XLSX, junk).await;
    assert_eq!(status, 400, "{report:#}");
    let list = problems(&report);
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["row"], 0);
    assert_eq!(list[0]["reason"], "not a readable XLSX file");
    assert_eq!((counts(&app).await, snapshot(&app).await), before);
    app.stop().await;
}

#[tokio::test]
async fn every_problem_of_a_file_is_reported_at_once() {
    let app = demo().await;
    let before = counts(&app).await;
    let file = format!(
        "{ADMIN_FILE}A-3,Nobody,APBD_REGENCY,CASH,33.26.02.2008,2026,X,-1,0\nA-4,Dinas Sosial Kabupaten Pekalongan,NOPE,CASH,33.26.02.2008,2026,X,1,0\nA-1,Dinas Sosial Kabupaten Pekalongan,APBD_REGENCY,CASH,33.26.02.2008,2026,X,1,0\n"
    );
    let (status, report) = upload(&app, ADMIN, "", CSV, file.into_bytes()).await;
    assert_eq!(status, 400);
    let list = problems(&report);
    let rows: Vec<i64> = list.iter().map(|p| p["row"].as_i64().unwrap()).collect();
    assert_eq!(rows, vec![4, 4, 5, 6], "{report:#}");
    assert!(list[3]["reason"].as_str().unwrap().contains("key repeated"));
    assert_eq!(counts(&app).await, before);
    app.stop().await;
}

#[tokio::test]
async fn a_dry_run_reports_without_storing() {
    let app = demo().await;
    let before = (counts(&app).await, snapshot(&app).await);
    let (status, report) = upload(
        &app,
        MEMBER,
        "?dryRun=true&regency=33.26",
        CSV,
        MEMBER_FILE.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(status, 200, "{report:#}");
    assert_eq!(report["dryRun"], true);
    assert_eq!(report["stored"], false);
    assert_eq!(report["inserted"], 3);
    assert_eq!((counts(&app).await, snapshot(&app).await), before);
    app.stop().await;
}

#[tokio::test]
async fn uploads_need_a_signed_in_caller_and_a_known_format() {
    let app = demo().await;
    let res = app
        .client
        .post(app.url("/imports/contributions"))
        .header("content-type", CSV)
        .body(MEMBER_FILE)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 401);
    let token = app.token_for(ADMIN).await;
    let res = app
        .client
        .post(app.url("/imports/contributions"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 415);
    let res = app
        .client
        .post(app.url("/imports/meetings"))
        .bearer_auth(&token)
        .header("content-type", CSV)
        .body(MEMBER_FILE)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 404);
    app.stop().await;
}

#[tokio::test]
async fn the_templates_download_and_their_example_imports() {
    use calamine::{Reader, Xlsx};
    let app = demo().await;
    let csv = app
        .client
        .get(app.url("/imports/contributions/template.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status().as_u16(), 200);
    let csv = csv.bytes().await.unwrap().to_vec();
    assert!(String::from_utf8_lossy(&csv).starts_with("kunci,kontributor,sumber_dana"));
    let xlsx = app
        .client
        .get(app.url("/imports/contributions/template.xlsx"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx.clone())).unwrap();
    assert_eq!(wb.sheet_names(), vec!["Kontribusi", "Petunjuk"]);
    // The documented example row is itself a valid row, in both formats.
    let (status, report) = upload(&app, ADMIN, "", CSV, csv).await;
    assert_eq!(status, 200, "{report:#}");
    assert_eq!(report["inserted"], 1);
    let (status, report) = upload(&app, ADMIN, "", XLSX, xlsx).await;
    assert_eq!(status, 200, "{report:#}");
    assert_eq!(report["unchanged"], 1);
    app.stop().await;
}

#[tokio::test]
async fn the_command_line_imports_as_a_user_or_as_the_system() {
    let app = demo().await;
    let before = counts(&app).await;
    // As the member: its permissions apply.
    cli(
        &app,
        MEMBER_FILE.as_bytes(),
        ".csv",
        &["--regency", "33.26", "--as", MEMBER],
    )
    .await
    .expect("the member's file imports");
    let after = counts(&app).await;
    assert_eq!(after[0], before[0] + 3);
    let err = cli(&app, ADMIN_FILE.as_bytes(), ".csv", &["--as", MEMBER])
        .await
        .expect_err("another organization's row is refused");
    assert!(format!("{err:#}").contains("nothing stored"), "{err:#}");
    assert_eq!(counts(&app).await, after);

    // A dry run stores nothing.
    cli(&app, ADMIN_FILE.as_bytes(), ".csv", &["--dry-run"])
        .await
        .unwrap();
    assert_eq!(counts(&app).await, after);

    // Without --as: a system administrator; the audit rows name no user.
    let system_rows = || async {
        app.db
            .query_one_raw(Statement::from_string(
                app.db.get_database_backend(),
                "SELECT COUNT(*) AS n FROM audit_log WHERE actor_user_id IS NULL AND entity = 'contribution'",
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get::<i64>("", "n")
            .unwrap()
    };
    let unnamed = system_rows().await;
    cli(&app, ADMIN_FILE.as_bytes(), ".csv", &[]).await.unwrap();
    let now = counts(&app).await;
    assert_eq!(now[0], after[0] + 2);
    assert_eq!(system_rows().await, unnamed + 2);

    // A malformed workbook through the command line.
    let err = cli(&app, b"PK\x03\x04 not really a zip", ".xlsx", &[])
        .await
        .expect_err("refused");
    assert!(format!("{err:#}").contains("nothing stored"));
    assert_eq!(counts(&app).await, now);
    app.stop().await;
}

/// A coordinator's clean indicators file: a dotted and an undotted code, a village name, Indonesian
/// decimals and labels, both date forms.
const INDICATORS: &str = "\
kode_desa,tahun,sumber,per_tanggal,jumlah_kk,rtm,desil1,desil2,desil3,desil4,prevalensi_stunting,status_idm,prioritas
33.26.02.2008,2027,DTKS/P3KE,2027-01-31,1200,310,120,90,60,40,\"12,5\",Berkembang,ya
3326022014,2027,BPS,31/01/2027,800,200,,,,,,Maju,tidak
Winduaji,2027,BPS,2027-01-31,500,100,,,,,,,
";
const COORDINATOR: &str = "koordinator@pekalongan.demo";

/// POSTs an indicators file.
async fn upload_indicators(app: &TestApp, email: &str, query: &str, body: &str) -> (u16, Value) {
    let token = app.token_for(email).await;
    let res = app
        .client
        .post(app.url(&format!("/imports/indicators{query}")))
        .bearer_auth(token)
        .header("content-type", CSV)
        .body(body.to_string())
        .send()
        .await
        .expect("upload sent");
    let status = res.status().as_u16();
    (status, res.json().await.expect("a JSON report"))
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

/// A coordinator's organizations: a parent from the hub, a region by name, and a parent that is a
/// new row of the same file (listed after its child).
const ORGANIZATIONS: &str = "\
nama,heliks,jenis,kode_wilayah,induk
Bidang Perikanan Tangkap,Pemerintah,SKPD,33.26,Dinas Perikanan Kabupaten Pekalongan
Kelompok Tani Makmur,Masyarakat,Kelompok Masyarakat,Botosari,
Dinas Perikanan Kabupaten Pekalongan,Pemerintah,SKPD,33.26,Pemerintah Kabupaten Pekalongan
";

async fn upload_organizations(app: &TestApp, email: &str, query: &str, body: &str) -> (u16, Value) {
    let token = app.token_for(email).await;
    let res = app
        .client
        .post(app.url(&format!("/imports/organizations{query}")))
        .bearer_auth(token)
        .header("content-type", CSV)
        .body(body.to_string())
        .send()
        .await
        .expect("upload sent");
    let status = res.status().as_u16();
    (status, res.json().await.expect("a JSON report"))
}

#[tokio::test]
async fn organizations_import_with_parents_and_reimport_changes_nothing() {
    let app = demo().await;
    let before = counts(&app).await;
    // Refused first: an unknown parent, then a coordinator of another province; nothing stored.
    let bad = ORGANIZATIONS.replace(
        "SKPD,33.26,Pemerintah Kabupaten",
        "SKPD,33.26,Pemerintah Entah",
    );
    let (status, report) = upload_organizations(&app, COORDINATOR, "?regency=33.26", &bad).await;
    assert_eq!(status, 400, "{report:#}");
    assert_eq!(problems(&report)[0]["reason"], "unknown organization");
    assert_eq!(problems(&report)[0]["row"], 4);
    let (status, _) = upload_organizations(
        &app,
        "koordinator@lampung.demo",
        "?regency=33.26",
        ORGANIZATIONS,
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(counts(&app).await, before);

    let (status, report) =
        upload_organizations(&app, COORDINATOR, "?regency=33.26", ORGANIZATIONS).await;
    assert_eq!(status, 200, "{report:#}");
    assert_eq!(report["inserted"], 3);
    let after = counts(&app).await;
    assert_eq!(after[3], before[3] + 3);
    assert_eq!(after[2], before[2] + 3);
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT c.region_code AS region, p.name AS parent FROM organizations c JOIN organizations p ON p.id = c.parent_id WHERE c.name = 'Bidang Perikanan Tangkap'",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get::<String>("", "region").unwrap(), "33.26");
    assert_eq!(
        row.try_get::<String>("", "parent").unwrap(),
        "Dinas Perikanan Kabupaten Pekalongan"
    );
    let (status, report) =
        upload_organizations(&app, COORDINATOR, "?regency=33.26", ORGANIZATIONS).await;
    assert_eq!(status, 200, "{report:#}");
    assert_eq!(report["unchanged"], 3);
    assert_eq!(counts(&app).await, after);

    // A contributions file can name the new organization at once (an admin, via the command line).
    cli(
        &app,
        b"kunci,kontributor,sumber_dana,jenis,kode_wilayah,tahun_anggaran,judul,rencana\nKT-1,Kelompok Tani Makmur,Swadaya,Tenaga Sukarela,33.26.02.2008,2026,Kerja bakti,0\n",
        ".csv",
        &[],
    )
    .await
    .unwrap();
    assert_eq!(count_rows(&app.db, "contributions").await, after[0] + 1);
    app.stop().await;
}

/// A coordinator's program with yearly targets and target villages (a code, an undotted code, a
/// name).
const PROGRAMS: &str = "\
kode,nama,pemilik,klaster,tahun_mulai,tahun_selesai,target_tahunan,desa_sasaran
KMP-2027,Kawasan Mandiri Pangan 2027,Dinas Pertanian dan Pangan Kabupaten Pekalongan,II,2027,2029,2027:kawasan:192; 2028:kawasan:190,33.26.02.2008; 3326022014; Winduaji
";

async fn upload_programs(app: &TestApp, email: &str, query: &str, body: &str) -> (u16, Value) {
    let token = app.token_for(email).await;
    let res = app
        .client
        .post(app.url(&format!("/imports/programs{query}")))
        .bearer_auth(token)
        .header("content-type", CSV)
        .body(body.to_string())
        .send()
        .await
        .expect("upload sent");
    let status = res.status().as_u16();
    (status, res.json().await.expect("a JSON report"))
}

async fn program_counts(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for t in [
        "programs",
        "program_targets",
        "program_villages",
        "audit_log",
    ] {
        out.push(count_rows(&app.db, t).await);
    }
    out
}

#[tokio::test]
async fn programs_import_with_targets_and_villages() {
    let app = demo().await;
    let before = program_counts(&app).await;
    // Refused: a target outside the program's years; a coordinator of another province.
    let bad = PROGRAMS.replace("2028:kawasan:190", "2031:kawasan:190");
    let (status, report) = upload_programs(&app, COORDINATOR, "?regency=33.26", &bad).await;
    assert_eq!(status, 400, "{report:#}");
    assert_eq!(problems(&report)[0]["column"], "target_tahunan");
    assert_eq!(program_counts(&app).await, before);
    let (status, _) =
        upload_programs(&app, "koordinator@lampung.demo", "?regency=33.26", PROGRAMS).await;
    assert_eq!(status, 403);
    assert_eq!(program_counts(&app).await, before);

    let (status, report) = upload_programs(&app, COORDINATOR, "?regency=33.26", PROGRAMS).await;
    assert_eq!(status, 200, "{report:#}");
    assert_eq!(report["inserted"], 1);
    let after = program_counts(&app).await;
    assert_eq!(
        after,
        vec![before[0] + 1, before[1] + 2, before[2] + 3, before[3] + 1]
    );
    let (status, report) = upload_programs(&app, COORDINATOR, "?regency=33.26", PROGRAMS).await;
    assert_eq!(status, 200, "{report:#}");
    assert_eq!(report["unchanged"], 1);
    assert_eq!(program_counts(&app).await, after);
    // A changed target replaces the targets: one update, same counts, version 2.
    let edited = PROGRAMS.replace("2028:kawasan:190", "2028:kawasan:195");
    let (status, report) = upload_programs(&app, COORDINATOR, "?regency=33.26", &edited).await;
    assert_eq!(status, 200, "{report:#}");
    assert_eq!(report["updated"], 1);
    assert_eq!(
        program_counts(&app).await,
        vec![after[0], after[1], after[2], after[3] + 1]
    );
    let v = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT version FROM programs WHERE code = 'KMP-2027'",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i32>("", "version")
        .unwrap();
    assert_eq!(v, 2);
    // The template's example row imports too.
    let csv = app
        .client
        .get(app.url("/imports/programs/template.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let (status, report) = upload_programs(&app, ADMIN, "", &csv).await;
    assert_eq!(status, 200, "{report:#}");
    assert_eq!(report["inserted"], 1);
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
