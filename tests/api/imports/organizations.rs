//! Organization files: parents from the hub or from the same file, refusals, a re-import that
//! changes nothing, and a contributions file naming a just-imported organization.

use super::*;

/// A coordinator's organizations: a parent from the hub, a region by name, and a parent that is a
/// new row of the same file (listed after its child).
const ORGANIZATIONS: &str = "\
nama,heliks,jenis,kode_wilayah,induk
Bidang Perikanan Tangkap,Pemerintah,SKPD,33.26,Dinas Perikanan Kabupaten Pekalongan
Kelompok Tani Makmur,Masyarakat,Kelompok Masyarakat,Botosari,
Dinas Perikanan Kabupaten Pekalongan,Pemerintah,SKPD,33.26,Pemerintah Kabupaten Pekalongan
";

async fn upload_organizations(app: &TestApp, email: &str, query: &str, body: &str) -> (u16, Value) {
    upload_csv(app, "organizations", email, query, body).await
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
