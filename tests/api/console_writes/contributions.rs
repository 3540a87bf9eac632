//! Contributions written in the console: a commitment recorded on a phone and seen by the
//! coordinator, a double submit, a stale edit, another organization's record, a forged post.

use super::*;
use crate::console::{demo_app, sign_in};
use crate::helpers::count_rows;
use serde_json::Value;
use sinergi::services::demo::demo_id;

#[tokio::test]
async fn a_csr_member_records_a_commitment_in_botosari_on_a_phone_and_the_coordinator_sees_it() {
    let app = demo_app().await;
    let coordinator = app.token_for(COORDINATOR).await;
    let before = committed_2025(&app, &coordinator).await;
    let rows = count_rows(&app.db, "contributions").await;
    let Some(b) = Browser::phone().await else {
        return;
    };
    sign_in(&b, &app, CSR, &format!("/wilayah/{BOTOSARI}")).await;
    b.click("#catat-di-desa").await;
    b.wait_for_path("/kontribusi/baru?wilayah=33.26.02.2008")
        .await;
    b.wait_for_text("Dicatat atas nama PT Batik Pesisir Lestari")
        .await;
    fits(&b, "/kontribusi/baru at 390px").await;

    // The region field suggests villages by name as the user types (htmx fills the datalist).
    b.fill("#wilayah", "botos").await;
    wait_until(
        &b,
        &format!("return [...document.querySelectorAll('#wilayah-saran option')].some(o => o.value === '{BOTOSARI}')"),
    )
    .await;
    b.fill("#wilayah", "Botosari").await;
    b.fill("#judul", "Bedah rumah bersama Forum CSR").await;
    choose(&b, "#program", &demo_id("rtlh")).await;
    choose(&b, "#sumber", "CSR").await;
    choose(&b, "#jenis", "CASH").await;
    choose(&b, "#kelompok_sasaran", "POOR_HOUSEHOLDS").await;
    b.fill("#penerima_manfaat", "12").await;
    b.fill("#tahun", "2025").await;
    b.fill("#komitmen", "1.250.000.000").await;
    choose(&b, "#status", "COMMITTED").await;
    // A typo: the letter O for a zero.
    b.fill("#rencana", "1.25O.000.000").await;
    submit(&b, "#form-kontribusi").await;

    b.wait_for_text("Belum tersimpan").await;
    let beside = text_of(&b, "#rencana-galat").await;
    assert!(
        beside.contains("1.250.000.000"),
        "the reason beside the amount shows how to write one: {beside}"
    );
    assert_eq!(
        b.js("return document.querySelector('#rencana').getAttribute('aria-invalid')")
            .await,
        "true"
    );
    assert_eq!(value_of(&b, "#rencana").await, "1.25O.000.000");
    assert_eq!(
        value_of(&b, "#judul").await,
        "Bedah rumah bersama Forum CSR"
    );
    assert_eq!(value_of(&b, "#program").await, demo_id("rtlh"));
    assert_eq!(value_of(&b, "#wilayah").await, "Botosari");
    assert_eq!(
        count_rows(&app.db, "contributions").await,
        rows,
        "nothing is stored"
    );
    fits(&b, "the refused form at 390px").await;

    b.fill("#rencana", "Rp 1.250.000.000").await;
    submit(&b, "#form-kontribusi").await;
    let text = b.wait_for_text("Perbarui kontribusi").await;
    let path = b.path().await;
    assert!(
        path.starts_with("/kontribusi/") && !path.contains("baru"),
        "{path}"
    );
    assert!(text.contains("Bedah rumah bersama Forum CSR"), "{text}");
    assert!(text.contains("Rp 1.250.000.000"), "{text}");
    assert!(text.contains("Botosari"), "{text}");
    assert_eq!(count_rows(&app.db, "contributions").await, rows + 1);
    fits(&b, "the contribution's page with its forms at 390px").await;

    // The coordinator's overview of Kabupaten Pekalongan for 2025 counts it ...
    sign_out(&b).await;
    sign_in(&b, &app, COORDINATOR, "/?wilayah=33.26&tahun=2025").await;
    b.wait_for_text("tahun anggaran 2025").await;
    assert_eq!(
        text_of(&b, "#total-komitmen").await,
        rp(before + 1_250_000_000)
    );
    // ... and the overlaps page shows PT Batik funding Bedah Rumah in Botosari beside Dinas Sosial.
    b.open(&app.url("/tumpang-tindih?wilayah=33.26&tahun=2025"))
        .await;
    b.wait_for_text("tumpang tindih").await;
    let rows = b
        .js("return [...document.querySelectorAll('table tbody tr')].map(r => r.innerText)")
        .await;
    let found = rows.as_array().unwrap().iter().any(|r| {
        let r = r.as_str().unwrap();
        r.contains("Botosari")
            && r.contains("Bedah Rumah (RTLH)")
            && r.contains("PT Batik Pesisir Lestari")
            && r.contains("Dinas Sosial Kabupaten Pekalongan")
    });
    assert!(found, "{rows:#}");
    // The coordinator reads PT Batik's contribution but is offered nothing to change in it.
    b.open(&app.url(&path)).await;
    let text = b.wait_for_text("Bedah rumah bersama Forum CSR").await;
    assert!(!text.contains("Perbarui kontribusi"), "{text}");
    b.close().await;
}

async fn contribution(app: &TestApp, token: &str, id: &str) -> Value {
    let res = app
        .gql_as(
            Some(token),
            "query($id: ID!) { contribution(id: $id) { title version status amountCommitted } }",
            json!({ "id": id }),
        )
        .await;
    res["data"]["contribution"].clone()
}

async fn audit_rows(app: &TestApp, id: &str) -> usize {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::EntityId.eq(id))
        .all(&app.db)
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn a_double_click_stores_one_contribution_and_a_stale_edit_shows_what_is_stored() {
    let app = demo_app().await;
    let csr = app.token_for(CSR).await;
    let rows = count_rows(&app.db, "contributions").await;
    let Some(b) = Browser::start(1366, 768).await else {
        return;
    };
    sign_in(&b, &app, CSR, "/kontribusi").await;
    b.click("#catat-kontribusi").await;
    b.wait_for_path("/kontribusi/baru").await;
    // The very form the user filled, submitted twice at once (a double click on a slow line).
    let (body, cookies) = filled_form(&b).await;
    let (first, second) = tokio::join!(
        send_form(&app, &cookies, "/kontribusi/baru", body.clone()),
        send_form(&app, &cookies, "/kontribusi/baru", body.clone()),
    );
    let to = location(&first);
    assert_eq!(location(&second), to, "both clicks lead to the same record");
    assert_eq!(count_rows(&app.db, "contributions").await, rows + 1);
    let id = to.trim_start_matches("/kontribusi/").to_string();

    // Someone else (the same organization's dashboard) saves while the edit form is open.
    b.open(&app.url(&format!("/kontribusi/{id}/ubah"))).await;
    b.wait_for_text("Ubah kontribusi").await;
    b.fill("#judul", "Beasiswa dari konsol").await;
    let other = app
        .gql_as(
            Some(&csr),
            "mutation($id: ID!) { updateContribution(id: $id, version: 1, input: {title: \"Beasiswa dari dasbor\"}) { version } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(other["data"]["updateContribution"]["version"], 2, "{other}");
    submit(&b, "#form-kontribusi").await;
    let text = b.wait_for_text("diubah orang lain").await;
    assert_eq!(value_of(&b, "#judul").await, "Beasiswa dari dasbor");
    assert!(
        text.contains("Isian Anda tadi: Beasiswa dari konsol"),
        "{text}"
    );
    assert_eq!(
        contribution(&app, &csr, &id).await["title"],
        "Beasiswa dari dasbor",
        "the stale form stored nothing"
    );
    // Saved again on purpose, the user's title wins.
    b.fill("#judul", "Beasiswa dari konsol").await;
    submit(&b, "#form-kontribusi").await;
    b.wait_for_text("Perbarui kontribusi").await;
    assert_eq!(
        contribution(&app, &csr, &id).await["title"],
        "Beasiswa dari konsol"
    );
    b.close().await;
}

/// Fills the new-contribution form the browser shows; returns the form as the browser would post
/// it, and the browser's cookies.
async fn filled_form(b: &Browser) -> (String, String) {
    b.fill("#judul", "Beasiswa anak keluarga miskin").await;
    b.fill("#wilayah", BOTOSARI).await;
    choose(b, "#sumber", "CSR").await;
    choose(b, "#jenis", "CASH").await;
    b.fill("#tahun", "2025").await;
    b.fill("#rencana", "75.000.000").await;
    let body = b
        .js("return new URLSearchParams(new FormData(document.querySelector('#form-kontribusi'))).toString()")
        .await
        .as_str()
        .unwrap()
        .to_string();
    let cookies = format!(
        "sinergi_sesi={}; sinergi_csrf={}",
        b.cookie("sinergi_sesi").await.unwrap(),
        b.cookie("sinergi_csrf").await.unwrap()
    );
    (body, cookies)
}

#[tokio::test]
async fn another_organizations_contribution_and_forged_posts_change_nothing() {
    let app = demo_app().await;
    let csr = app.token_for(CSR).await;
    let Some(b) = Browser::start(1366, 768).await else {
        return;
    };
    sign_in(&b, &app, CSR, "/kontribusi/baru").await;
    let (body, cookies) = filled_form(&b).await;

    // Another organization's contribution: no forms on its page, its edit page refused, and a
    // post with a valid token refused by the API; nothing changes.
    let dinsos = demo_id("dinsos-rtlh-botosari-2025");
    b.open(&app.url(&format!("/kontribusi/{dinsos}"))).await;
    let text = b.wait_for_text("Dinas Sosial Kabupaten Pekalongan").await;
    assert!(
        !text.contains("Perbarui kontribusi"),
        "no forms for another organization's record"
    );
    b.open(&app.url(&format!("/kontribusi/{dinsos}/ubah")))
        .await;
    let text = b.wait_for_text("Tidak diizinkan").await;
    assert!(
        text.contains("hanya organisasi itu"),
        "the refusal says why: {text}"
    );
    let before = contribution(&app, &csr, &dinsos).await;
    let trail = audit_rows(&app, &dinsos).await;
    let refused = post_form(
        &app,
        &csr,
        &format!("/kontribusi/{dinsos}/ubah"),
        &[
            ("versi", "1"),
            ("judul", "Diambil alih"),
            ("wilayah", BOTOSARI),
            ("sumber", "CSR"),
            ("jenis", "CASH"),
            ("tahun", "2025"),
            ("rencana", "1"),
        ],
    )
    .await;
    assert_eq!(refused.status(), 403);
    let page = refused.text().await.unwrap();
    assert!(page.contains("hanya organisasi pemiliknya"), "{page}");
    for (path, fields) in [
        (
            format!("/kontribusi/{dinsos}/batal"),
            vec![("versi", "1"), ("yakin", "ya")],
        ),
        (
            format!("/kontribusi/{dinsos}/status"),
            vec![("versi", "1"), ("status", "COMPLETED")],
        ),
    ] {
        let res = post_form(&app, &csr, &path, &fields).await;
        assert_eq!(res.status(), 403, "{path}");
    }
    assert_eq!(contribution(&app, &csr, &dinsos).await, before);
    assert_eq!(audit_rows(&app, &dinsos).await, trail);

    // A form posted from another site carries the session cookie at best, never the token.
    let rows = count_rows(&app.db, "contributions").await;
    let session = b.cookie("sinergi_sesi").await.unwrap();
    let forged_body = body.replace("csrf=", "csrf_dropped=");
    for (cookies, body) in [
        (format!("sinergi_sesi={session}"), forged_body.clone()),
        (cookies.clone(), forged_body.clone()),
        (
            cookies.clone(),
            format!("{forged_body}&csrf=tokenfromanothersite0000000000000"),
        ),
    ] {
        let res = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .post(app.url("/kontribusi/baru"))
            .header("Cookie", cookies)
            .header("Origin", "https://evil.example")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body.replace("clientKey=", "clientKey=x"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
        assert!(
            res.text()
                .await
                .unwrap()
                .contains("tidak berasal dari Sinergi")
        );
    }
    let own = demo_id("csr-batik-botosari-2025");
    let cancel = send_form(
        &app,
        &format!("sinergi_sesi={session}"),
        &format!("/kontribusi/{own}/batal"),
        "versi=1&yakin=ya".into(),
    )
    .await;
    assert_eq!(cancel.status(), 403);
    assert_eq!(count_rows(&app.db, "contributions").await, rows);
    assert_eq!(
        contribution(&app, &csr, &own).await["status"],
        "IN_PROGRESS"
    );
    // The same form with the visitor's own token is stored: only the token made the difference.
    let genuine = send_form(&app, &cookies, "/kontribusi/baru", body).await;
    location(&genuine);
    assert_eq!(count_rows(&app.db, "contributions").await, rows + 1);
    b.close().await;
}

#[tokio::test]
async fn a_region_name_that_fits_several_regions_is_offered_as_a_choice_without_javascript() {
    let app = demo_app().await;
    let csr = app.token_for(CSR).await;
    let rows = count_rows(&app.db, "contributions").await;
    let mut fields = vec![
        ("clientKey", "pilih-wilayah"),
        ("judul", "Pelatihan membatik di Paninggaran"),
        ("wilayah", "paninggaran"),
        ("sumber", "CSR"),
        ("jenis", "EXPERTISE"),
        ("tahun", "2025"),
        ("rencana", "15.000.000"),
        ("status", "PLANNED"),
    ];
    // Paninggaran is a kecamatan and a desa in it: the form asks which one, as radio buttons.
    let asked = post_form(&app, &csr, "/kontribusi/baru", &fields).await;
    assert_eq!(asked.status(), 422);
    let page = asked.text().await.unwrap();
    assert!(page.contains("cocok dengan beberapa wilayah"), "{page}");
    for code in ["33.26.02", "33.26.02.2010"] {
        assert!(
            page.contains(&format!("name=\"wilayah_pilih\" value=\"{code}\"")),
            "{code} is offered:\n{page}"
        );
    }
    assert!(
        page.contains("value=\"paninggaran\""),
        "what was typed stays"
    );
    assert_eq!(count_rows(&app.db, "contributions").await, rows);

    fields.push(("wilayah_pilih", "33.26.02.2010"));
    let stored = post_form(&app, &csr, "/kontribusi/baru", &fields).await;
    let id = location(&stored);
    let c = app
        .gql_as(
            Some(&csr),
            "query($id: ID!) { contribution(id: $id) { region { code level } } }",
            json!({ "id": id.trim_start_matches("/kontribusi/") }),
        )
        .await;
    assert_eq!(
        c["data"]["contribution"]["region"],
        json!({ "code": "33.26.02.2010", "level": "VILLAGE" })
    );
}
