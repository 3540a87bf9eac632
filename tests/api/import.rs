//! `sinergi import regions FILE`: the real list, idempotence, and every malformed input refused with
//! its line and reason while the table stays exactly as it was.

use crate::helpers::{TestApp, count_rows, spawn_app};
use clap::Parser;
use sea_orm::{ConnectionTrait, Statement};
use sinergi::services::regions;
use std::io::Write;

/// Every region row, in code order: what "the table is unchanged" compares.
async fn snapshot(app: &TestApp) -> Vec<(String, String, String, Option<String>, Option<String>)> {
    let rows = app
        .db
        .query_all_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT code, name, level, parent_code, village_kind FROM regions ORDER BY code",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|r| {
            (
                r.try_get("", "code").unwrap(),
                r.try_get("", "name").unwrap(),
                r.try_get("", "level").unwrap(),
                r.try_get("", "parent_code").unwrap(),
                r.try_get("", "village_kind").unwrap(),
            )
        })
        .collect()
}

/// Runs `sinergi import regions FILE` in-process, exactly as the binary does.
async fn run_import(app: &TestApp, contents: &str) -> anyhow::Result<()> {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(contents.as_bytes()).unwrap();
    let path = file.path().to_str().unwrap().to_string();
    let cli = sinergi::config::Cli::parse_from([
        "sinergi",
        "--database-url",
        &app.database_url,
        "import",
        "regions",
        &path,
    ]);
    sinergi::commands::run(cli).await
}

/// Seeds the demo regions, runs a bad import, and checks the error and that nothing moved.
async fn refused(contents: &str, expected: &str) {
    let app = spawn_app().await;
    regions::import(&app.db, sinergi::services::demo::DEMO_REGIONS.as_bytes())
        .await
        .unwrap();
    let before = snapshot(&app).await;
    let err = run_import(&app, contents)
        .await
        .expect_err("the import must be refused");
    let message = format!("{err:#}");
    assert!(
        message.contains(expected),
        "expected `{expected}` in `{message}`"
    );
    assert_eq!(
        snapshot(&app).await,
        before,
        "a refused import must leave the table as it was"
    );
}

// Each bad file starts with good rows (a new province, a renamed regency) so that a partial write
// would show in the snapshot.
const GOOD_START: &str = "code,name\n61,Kalimantan Barat\n33.26,Kabupaten Pekalongan (baru)\n";

#[tokio::test]
async fn a_bad_code_is_refused_with_its_line() {
    refused(&format!("{GOOD_START}33.2x,Salah\n"), "line 4: bad code").await;
}

#[tokio::test]
async fn an_unknown_parent_is_refused_with_its_line() {
    refused(
        &format!("{GOOD_START}33.99.01,Tanpa Induk\n"),
        "line 4: the parent 33.99",
    )
    .await;
}

#[tokio::test]
async fn a_missing_name_is_refused_with_its_line() {
    refused(
        &format!("{GOOD_START}33.26.03,\n"),
        "line 4: region 33.26.03 has no name",
    )
    .await;
}

#[tokio::test]
async fn a_wrong_header_is_refused() {
    refused(
        "kode,nama\n33,Jawa Tengah\n",
        "line 1: the header must be `code,name`",
    )
    .await;
}

#[tokio::test]
async fn an_empty_file_is_refused() {
    refused("", "line 1: the file is empty").await;
}

#[tokio::test]
async fn a_header_without_rows_is_refused() {
    refused("code,name\n", "no regions").await;
}

#[tokio::test]
async fn a_repeated_code_is_refused() {
    refused(
        &format!("{GOOD_START}61,Kalbar\n"),
        "line 4: code 61 already appears on line 2",
    )
    .await;
}

#[tokio::test]
async fn a_row_with_extra_fields_is_refused() {
    refused(
        &format!("{GOOD_START}33.26.03,Lebakbarang,extra\n"),
        "line 4: expected 2 fields",
    )
    .await;
}

#[tokio::test]
async fn undotted_codes_import_and_derive_level_parent_and_kind() {
    let app = spawn_app().await;
    run_import(&app, "code,name\n33,Jawa Tengah\n3326,Kabupaten Pekalongan\n332602,Paninggaran\n3326022008,Botosari\n332608,Kajen\n3326081016,Kajen\n")
        .await
        .unwrap();
    let rows = snapshot(&app).await;
    let find = |c: &str| rows.iter().find(|r| r.0 == c).cloned().unwrap();
    assert_eq!(
        find("33.26.02.2008"),
        (
            "33.26.02.2008".into(),
            "Botosari".into(),
            "VILLAGE".into(),
            Some("33.26.02".into()),
            Some("DESA".into())
        )
    );
    assert_eq!(find("33.26.08.1016").4.as_deref(), Some("KELURAHAN"));
    assert_eq!(find("33").2, "PROVINCE");
    assert_eq!(find("33").3, None);
    assert_eq!(find("33.26").2, "REGENCY");
}

#[tokio::test]
async fn a_rename_updates_the_name_and_reports_it() {
    let app = spawn_app().await;
    regions::import(
        &app.db,
        "code,name\n33,Jawa Tengah\n33.26,Kab Pekalongan\n".as_bytes(),
    )
    .await
    .unwrap();
    let report = regions::import(
        &app.db,
        "code,name\n33,Jawa Tengah\n33.26,Kabupaten Pekalongan\n".as_bytes(),
    )
    .await
    .unwrap();
    assert_eq!(
        (report.inserted, report.updated, report.unchanged),
        (0, 1, 1)
    );
    let data = app
        .data(
            r#"{ region(code: "33.26") { name } }"#,
            serde_json::json!({}),
        )
        .await;
    assert_eq!(data["region"]["name"], "Kabupaten Pekalongan");
}

#[tokio::test]
async fn the_real_list_imports_completely_and_a_second_run_changes_nothing() {
    let real_list = crate::helpers::checkout_path("../shared/regions/wilayah_2025.csv");
    let Ok(contents) = std::fs::read_to_string(&real_list) else {
        eprintln!(
            "skipped: {} is absent (the shared region list is not beside this checkout)",
            real_list.display()
        );
        return;
    };
    let app = spawn_app().await;
    run_import(&app, &contents).await.unwrap();
    assert_eq!(count_rows(&app.db, "regions").await, 91_599);
    let villages = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM regions WHERE level = 'VILLAGE'",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    assert_eq!(villages, 83_762);
    let before = snapshot(&app).await;
    let report = regions::import(&app.db, contents.as_bytes()).await.unwrap();
    assert_eq!(
        (
            report.rows,
            report.inserted,
            report.updated,
            report.unchanged
        ),
        (91_599, 0, 0, 91_599)
    );
    assert_eq!(snapshot(&app).await, before);
    let data = app
        .data(
            r#"{ region(code: "33.26.02.2008") { name parent { name } } }"#,
            serde_json::json!({}),
        )
        .await;
    assert_eq!(data["region"]["parent"]["name"], "Paninggaran");
}
