//! Contribution files that are refused: each kind of bad row is reported with its row, column
//! and reason, and every table is left exactly as it was.

use super::*;

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
