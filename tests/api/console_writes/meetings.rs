//! A rakor and its follow-up written in the console: the coordinator records the meeting, a
//! decision and an action item; the owner reports on it until it leaves the overdue list.

use super::*;
use crate::console::{demo_app, sign_in};
use crate::helpers::TestApp;
use sinergi::services::demo::demo_id;

/// The rows of the overdue table on the follow-up page.
async fn overdue_rows(b: &Browser) -> Vec<String> {
    let rows = b
        .js("const h = document.querySelector('#terlambat'); let t = h.nextElementSibling; return t.querySelector ? [...t.querySelectorAll('tbody tr')].map(r => r.innerText) : []")
        .await;
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_string())
        .collect()
}

/// The Lampung coordinator records the follow-up meeting of the rakor of 1 November 2016 from the
/// meeting list; returns the meeting's path.
async fn record_the_follow_up_meeting(b: &Browser, app: &TestApp, dinsos: &str) -> String {
    sign_in(b, app, LAMPUNG, "/rapat").await;
    b.click("#catat-rapat").await;
    b.wait_for_path("/rapat/baru").await;
    fits(b, "/rapat/baru at 390px").await;
    assert_eq!(
        value_of(b, "#wilayah").await,
        "18",
        "the coordinator's region is the default"
    );
    b.fill(
        "#judul",
        "Rapat Tindak Lanjut Rakor TKPK Provinsi Lampung 1 November 2016",
    )
    .await;
    choose(b, "#tingkat", "PROVINCE").await;
    pick_date(b, "#tanggal", "2017-02-15").await;
    choose(b, "#penyelenggara", &demo_id("bappeda-lampung")).await;
    b.fill("#tempat", "Bandar Lampung").await;
    b.fill(
        "#agenda",
        "Evaluasi keputusan rakor 1 November 2016\nPenetapan desa prioritas",
    )
    .await;
    b.fill(
        "#notulen",
        "Dinas Sosial diminta mempercepat penetapan desa prioritas menurut desil.",
    )
    .await;
    choose(b, "#peserta_0_organisasi", &demo_id("bappeda-lampung")).await;
    b.fill("#peserta_0_wakil", "Kepala Bappeda").await;
    b.fill("#peserta_0_peran", "pimpinan rapat").await;
    choose(b, "#peserta_1_organisasi", dinsos).await;
    b.fill("#peserta_1_wakil", "Sekretaris Dinas").await;
    submit(b, "#form-rapat").await;
    let text = b.wait_for_text("Keputusan dan rencana aksi").await;
    let meeting = b.path().await;
    assert!(text.contains("15 Februari 2017"), "{text}");
    assert!(text.contains("Penetapan desa prioritas"), "{text}");
    assert!(
        text.contains("Dinas Sosial Provinsi Lampung · Sekretaris Dinas"),
        "{text}"
    );
    meeting
}

/// The coordinator records the meeting's decision with an action item owned by Dinas Sosial, due
/// in March 2017 (so overdue now).
async fn record_the_decision(b: &Browser, meeting: &str, dinsos: &str) {
    b.click("#catat-keputusan").await;
    b.wait_for_path(&format!("{meeting}/keputusan")).await;
    b.fill(
        "#teks_keputusan",
        "Mempercepat penetapan desa prioritas menurut desil",
    )
    .await;
    b.fill(
        "#aksi_teks",
        "Menetapkan SK desa prioritas Provinsi Lampung",
    )
    .await;
    choose(b, "#aksi_pelaksana", dinsos).await;
    pick_date(b, "#aksi_tenggat", "2017-03-31").await;
    b.fill("#aksi_wilayah", "18.01").await;
    submit(b, "#form-keputusan").await;
    let text = b
        .wait_for_text("Menetapkan SK desa prioritas Provinsi Lampung")
        .await;
    assert_eq!(b.path().await, meeting);
    assert!(text.contains("Kabupaten Lampung Selatan"), "{text}");
    assert!(text.contains("Terlambat"), "due in March 2017: {text}");
}

#[tokio::test]
async fn the_lampung_coordinator_records_the_rakor_follow_up_and_the_skpd_reports_until_it_is_done()
{
    let app = demo_app().await;
    let dinsos = demo_id("dinsos-lampung");
    // An SKPD member of Dinas Sosial Provinsi Lampung, made through the API by its coordinator.
    let lampung = app.token_for(LAMPUNG).await;
    let made = app
        .gql_as(
            Some(&lampung),
            "mutation($o: ID!) { createUser(input: {email: \"dinsos@lampung.test\", name: \"Staf Dinas Sosial Lampung\", password: \"sinergi-demo\", role: MEMBER, organizationId: $o}) { id } }",
            json!({ "o": dinsos }),
        )
        .await;
    assert!(made.get("errors").is_none(), "{made}");
    let Some(b) = Browser::phone().await else {
        return;
    };
    let meeting = record_the_follow_up_meeting(&b, &app, &dinsos).await;
    record_the_decision(&b, &meeting, &dinsos).await;

    // The SKPD member finds it overdue on the follow-up page and reports from there.
    sign_out(&b).await;
    sign_in(&b, &app, "dinsos@lampung.test", "/tindak-lanjut").await;
    let item = "Menetapkan SK desa prioritas Provinsi Lampung";
    assert!(
        overdue_rows(&b).await.iter().any(|r| r.contains(item)),
        "{:?}",
        overdue_rows(&b).await
    );
    fits(&b, "/tindak-lanjut at 390px").await;
    let link = b
        .js(&format!("return [...document.querySelectorAll('#rencana-aksi-saya + .table-wrap tbody tr')].find(r => r.innerText.includes({item:?})).querySelector('a.report').getAttribute('href')"))
        .await;
    b.open(&app.url(link.as_str().unwrap())).await;
    b.wait_for_text("Laporkan perkembangan").await;
    fits(&b, "the progress form at 390px").await;
    choose(&b, "#status", "IN_PROGRESS").await;
    b.fill("#catatan", "Draf SK desa prioritas sudah disusun")
        .await;
    submit(&b, "#form-kemajuan").await;
    b.wait_for_path("/tindak-lanjut").await;
    let still = overdue_rows(&b).await;
    let row = still
        .iter()
        .find(|r| r.contains(item))
        .unwrap_or_else(|| panic!("in progress past its due date, still overdue: {still:?}"));
    assert!(row.contains("Berjalan"), "{row}");
    b.open(&app.url(&meeting)).await;
    b.wait_for_text("Draf SK desa prioritas sudah disusun")
        .await;

    b.open(&app.url(link.as_str().unwrap())).await;
    b.wait_for_text("Laporkan perkembangan").await;
    choose(&b, "#status", "DONE").await;
    b.fill("#catatan", "SK Gubernur tentang desa prioritas ditetapkan")
        .await;
    submit(&b, "#form-kemajuan").await;
    b.wait_for_path("/tindak-lanjut").await;
    b.wait_for_text("Terlambat").await;
    let after = overdue_rows(&b).await;
    assert!(
        !after.iter().any(|r| r.contains(item)),
        "done, it leaves the overdue list: {after:?}"
    );
    assert!(!after.is_empty(), "the demo's other overdue items remain");
    b.close().await;
}

/// A console page as the holder of `token`: status and HTML.
async fn page(app: &TestApp, token: &str, path: &str) -> (u16, String) {
    let res = app
        .client
        .get(app.url(path))
        .header("Cookie", format!("sinergi_sesi={token}"))
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn each_user_is_offered_only_the_forms_it_may_use() {
    let app = demo_app().await;
    let meeting = demo_id("rakor-pekalongan-2025");
    let csr = app.token_for(CSR).await;
    let viewer = app.token_for(crate::helpers::VIEWER).await;
    let coordinator = app.token_for(COORDINATOR).await;

    // The CSR member reports on the action item its company owns, and on nothing else there.
    let (status, html) = page(&app, &csr, &format!("/rapat/{meeting}")).await;
    assert_eq!(status, 200);
    let own = demo_id("rakor-pekalongan-2025-action-umkm-2025");
    assert!(
        html.contains(&format!("/rapat/{meeting}/rencana-aksi/{own}\"")),
        "{html}"
    );
    assert_eq!(html.matches("Laporkan perkembangan").count(), 1, "{html}");
    assert!(!html.contains("id=\"ubah-rapat\""));
    assert!(!html.contains("/keputusan"));
    let other = demo_id("rakor-pekalongan-2025-action-rtlh-2025");
    let (status, _) = page(
        &app,
        &csr,
        &format!("/rapat/{meeting}/rencana-aksi/{other}"),
    )
    .await;
    assert_eq!(status, 403, "another owner's action item");
    for path in [
        "/rapat/baru".to_string(),
        format!("/rapat/{meeting}/ubah"),
        format!("/rapat/{meeting}/keputusan"),
    ] {
        let (status, html) = page(&app, &csr, &path).await;
        assert_eq!(status, 403, "{path}");
        assert!(html.contains("Tidak diizinkan"), "{path}");
    }

    // The coordinator of the region manages the meeting and every item in it.
    let (_, html) = page(&app, &coordinator, &format!("/rapat/{meeting}")).await;
    assert!(html.contains("id=\"ubah-rapat\"") && html.contains("id=\"catat-keputusan\""));
    assert_eq!(html.matches("Laporkan perkembangan").count(), 3, "{html}");

    // A viewer reads: no form anywhere, and none by URL.
    let (_, list) = page(&app, &viewer, "/kontribusi").await;
    assert!(!list.contains("catat-kontribusi"));
    let (_, village) = page(&app, &viewer, "/wilayah/33.26.02.2008").await;
    assert!(!village.contains("catat-di-desa"));
    let (_, meetings) = page(&app, &viewer, "/rapat").await;
    assert!(!meetings.contains("catat-rapat"));
    for path in ["/kontribusi/baru", "/rapat/baru"] {
        assert_eq!(page(&app, &viewer, path).await.0, 403, "{path}");
    }
}
