//! Programs and synergies written in the console: a coordinator creates a program with a phase, a
//! yearly target and a target village and sees them on its page, proposes a synergy with the
//! regency's house-repair program and agrees it naming the rakor; a member reaching the program
//! form by URL is refused and nothing is stored.

use super::*;
use crate::console::{demo_app, sign_in};
use crate::helpers::count_rows;
use sinergi::services::demo::demo_id;

const SKPD: &str = "skpd@pekalongan.demo";

#[tokio::test]
async fn a_coordinator_creates_a_program_and_agrees_a_synergy_at_the_rakor() {
    let app = demo_app().await;
    let programs = count_rows(&app.db, "programs").await;
    let Some(b) = Browser::start(1280, 900).await else {
        return;
    };
    sign_in(&b, &app, COORDINATOR, "/program").await;
    b.click("#buat-program").await;
    b.wait_for_path("/program/baru").await;
    fits(&b, "/program/baru").await;
    b.fill("#nama", "Dapur Sehat Atasi Stunting (DASHAT) Botosari")
        .await;
    b.fill("#kode", "DASHAT-BTS").await;
    choose(&b, "#klaster", "SOCIAL_ASSISTANCE").await;
    b.fill("#tahun_mulai", "2025").await;
    b.fill("#tahun_akhir", "2027").await;
    b.click("#kelompok_sasaran input[value='STUNTING_RISK_FAMILIES']")
        .await;
    b.fill("#tahap_0_nama", "Pengembangan").await;
    b.fill("#tahap_0_tahun", "2025").await;
    b.fill("#target_0_tahun", "2025").await;
    b.fill("#target_0_satuan", "keluarga").await;
    // A year outside the program's years: refused beside the field, nothing stored.
    b.fill("#target_0_jumlah", "120").await;
    b.fill("#target_1_tahun", "2031").await;
    b.fill("#target_1_satuan", "keluarga").await;
    b.fill("#target_1_jumlah", "50").await;
    b.fill("#desa", "Botosari").await;
    submit(&b, "#form-program").await;
    b.wait_for_text("Belum tersimpan").await;
    let beside = text_of(&b, "#target_1_tahun-galat").await;
    assert!(!beside.is_empty(), "the reason is beside the year");
    assert_eq!(value_of(&b, "#target_0_jumlah").await, "120");
    assert_eq!(count_rows(&app.db, "programs").await, programs);

    b.fill("#target_1_tahun", "").await;
    b.fill("#target_1_satuan", "").await;
    b.fill("#target_1_jumlah", "").await;
    submit(&b, "#form-program").await;
    let page = b
        .wait_for_text("Dapur Sehat Atasi Stunting (DASHAT) Botosari")
        .await;
    b.wait_for_text("Target dan realisasi per tahun").await;
    assert!(b.path().await.starts_with("/program/"), "{page}");
    let page = b.body_text().await;
    assert!(page.contains("Pengembangan"), "the phase: {page}");
    assert!(page.contains("keluarga"), "the yearly target: {page}");
    assert!(page.contains("Desa sasaran (1)"), "{page}");
    assert!(page.contains("Botosari"), "the target village: {page}");
    assert_eq!(count_rows(&app.db, "programs").await, programs + 1);

    b.click("#usulkan-sinergi").await;
    b.wait_for_text("Usulkan sinergi program").await;
    choose(&b, "#program_lain", &demo_id("rtlh")).await;
    choose(&b, "#hubungan", "COMPLEMENTS").await;
    b.fill("#catatan", "Dapur sehat di rumah yang dibedah")
        .await;
    submit(&b, "#form-sinergi").await;
    b.wait_for_text("Diusulkan").await;
    b.click("a.sepakati").await;
    b.wait_for_text("Disepakati di rapat").await;
    choose(&b, "#rapat", &demo_id("rakor-pekalongan-2025")).await;
    submit(&b, "#form-sepakati").await;
    b.wait_for_text("Disepakati").await;
    let row = text_of(&b, "#sinergi + .table-wrap tbody tr").await;
    assert!(
        row.contains("Bedah Rumah")
            && row.contains("Disepakati")
            && row.contains("Rapat Koordinasi TKPK Kabupaten Pekalongan"),
        "{row}"
    );
    b.close().await;
    app.stop().await;
}

#[tokio::test]
async fn a_member_opening_the_program_form_by_url_is_refused_and_nothing_changes() {
    let app = demo_app().await;
    let member = app.token_for(SKPD).await;
    let programs = count_rows(&app.db, "programs").await;
    let audit = count_rows(&app.db, "audit_log").await;
    let res = reqwest::Client::new()
        .get(app.url("/program/baru"))
        .header("Cookie", format!("sinergi_sesi={member}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = post_form(
        &app,
        &member,
        "/program/baru",
        &[
            ("nama", "Program tanpa izin"),
            ("pemilik", &demo_id("dinsos-pekalongan")),
            ("klaster", "SOCIAL_ASSISTANCE"),
            ("tahun_mulai", "2025"),
            ("tahun_akhir", "2026"),
        ],
    )
    .await;
    assert_eq!(res.status(), 403);
    let rtlh = demo_id("rtlh");
    let res = post_form(
        &app,
        &member,
        &format!("/program/{rtlh}/ubah"),
        &[("nama", "Diganti"), ("versi", "1")],
    )
    .await;
    assert_eq!(res.status(), 403);
    assert_eq!(count_rows(&app.db, "programs").await, programs);
    assert_eq!(count_rows(&app.db, "audit_log").await, audit);
    app.stop().await;
}
