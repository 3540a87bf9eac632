//! Village indicators recorded in the console: a coordinator records Botosari's figures for a new
//! year (a bad prevalence is shown beside its field and nothing is stored) and the village page
//! shows them; a member cannot open the form.

use super::*;
use crate::console::{demo_app, sign_in};
use crate::helpers::count_rows;

#[tokio::test]
async fn a_coordinator_records_a_villages_indicators_and_the_village_page_shows_them() {
    let app = demo_app().await;
    let rows = count_rows(&app.db, "village_indicators").await;
    let Some(b) = Browser::start(1280, 900).await else {
        return;
    };
    sign_in(&b, &app, COORDINATOR, &format!("/wilayah/{BOTOSARI}")).await;
    b.click("#catat-indikator").await;
    b.wait_for_text("Per tanggal").await;
    b.fill("#tahun", "2027").await;
    b.click("form.filters button[type=submit]").await;
    b.wait_for_text("Belum ada indikator untuk tahun ini").await;
    fits(&b, "/wilayah/…/indikator").await;
    b.fill("#sumber", "BPS").await;
    pick_date(&b, "#per_tanggal", "2027-03-31").await;
    b.fill("#rumah_tangga", "1.210").await;
    b.fill("#rtm", "97").await;
    b.fill("#keluarga_risiko_stunting", "41").await;
    b.fill("#kasus_stunting", "6").await;
    b.fill("#prevalensi", "120").await;
    choose(&b, "#status_idm", "DEVELOPING").await;
    submit(&b, "#form-indikator").await;
    b.wait_for_text("Belum tersimpan").await;
    assert!(text_of(&b, "#prevalensi-galat").await.contains("0 dan 100"));
    assert_eq!(value_of(&b, "#rtm").await, "97");
    assert_eq!(count_rows(&app.db, "village_indicators").await, rows);

    b.fill("#prevalensi", "7,5").await;
    submit(&b, "#form-indikator").await;
    b.wait_for_path(&format!("/wilayah/{BOTOSARI}")).await;
    b.wait_for_text("Indikator per tahun").await;
    let row = b
        .js("return [...document.querySelectorAll('tbody tr')].map(r => r.innerText).find(t => t.startsWith('2027')) ?? ''")
        .await;
    let row = row.as_str().unwrap();
    assert!(row.contains("97"), "RTM: {row}");
    assert!(row.contains("1.210"), "households: {row}");
    assert!(row.contains("7,5%"), "prevalence: {row}");
    assert!(
        row.contains("BPS, 31 Maret 2027"),
        "source and as-of date: {row}"
    );
    assert_eq!(count_rows(&app.db, "village_indicators").await, rows + 1);
    b.close().await;
    app.stop().await;
}

#[tokio::test]
async fn a_member_cannot_record_indicators_and_nothing_changes() {
    let app = demo_app().await;
    let csr = app.token_for(CSR).await;
    let rows = count_rows(&app.db, "village_indicators").await;
    let res = post_form(
        &app,
        &csr,
        &format!("/wilayah/{BOTOSARI}/indikator?tahun=2027"),
        &[("sumber", "BPS"), ("per_tanggal", "2027-03-31")],
    )
    .await;
    assert_eq!(res.status(), 403);
    assert_eq!(count_rows(&app.db, "village_indicators").await, rows);
    app.stop().await;
}
