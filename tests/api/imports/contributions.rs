//! Contribution files that import: clean CSV and XLSX, a re-import that changes nothing and an
//! edit that updates one row, a dry run, who may upload, the templates, and the command line.

use super::*;

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
