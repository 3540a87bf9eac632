//! Program files with yearly targets and target villages: refusals, a re-import that changes
//! nothing, a changed target that updates the program, and the template's example row.

use super::*;

/// A coordinator's program with yearly targets and target villages (a code, an undotted code, a
/// name).
const PROGRAMS: &str = "\
kode,nama,pemilik,klaster,tahun_mulai,tahun_selesai,target_tahunan,desa_sasaran
KMP-2027,Kawasan Mandiri Pangan 2027,Dinas Pertanian dan Pangan Kabupaten Pekalongan,II,2027,2029,2027:kawasan:192; 2028:kawasan:190,33.26.02.2008; 3326022014; Winduaji
";

async fn upload_programs(app: &TestApp, email: &str, query: &str, body: &str) -> (u16, Value) {
    upload_csv(app, "programs", email, query, body).await
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
