//! The console's writing side, walked in a real browser on the demo data: a CSR member records a
//! commitment, a coordinator runs a rakor's follow-up, an SKPD reports on its action item; and the
//! forms behave: a bad amount is shown beside its field and nothing is stored, a double submit
//! stores one record, a stale version shows the stored values, another organization's record and a
//! forged post change nothing.

use crate::browser::Browser;
use crate::console::{PAGE_CHECKS, demo_app, sign_in, urlencode};
use crate::helpers::{TestApp, count_rows};
use fantoccini::Locator;
use serde_json::{Value, json};
use sinergi::services::demo::demo_id;
use std::time::Duration;

const COORDINATOR: &str = "koordinator@pekalongan.demo";
const LAMPUNG: &str = "koordinator@lampung.demo";
const CSR: &str = "csr@pekalongan.demo";
const BOTOSARI: &str = "33.26.02.2008";
/// A CSRF token that HTTP-level tests put in both the cookie and the form, as the console's own
/// pages do.
pub(crate) const CSRF: &str = "testtokentesttokentesttokentest1";

/// Posts a console form as the holder of `token` (session cookie), with the CSRF cookie and field,
/// without following the redirect.
pub(crate) async fn post_form(
    app: &TestApp,
    token: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut body = format!("csrf={CSRF}");
    for (k, v) in fields {
        body.push_str(&format!("&{}={}", urlencode(k), urlencode(v)));
    }
    send_form(
        app,
        &format!("sinergi_sesi={token}; sinergi_csrf={CSRF}"),
        path,
        body,
    )
    .await
}

/// Posts a urlencoded body with the given cookies, without following the redirect.
pub(crate) async fn send_form(
    app: &TestApp,
    cookies: &str,
    path: &str,
    body: String,
) -> reqwest::Response {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(app.url(path))
        .header("Cookie", cookies)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap()
}

/// Where a stored write sent the browser (`Location` of the 303).
pub(crate) fn location(res: &reqwest::Response) -> String {
    assert_eq!(res.status(), 303, "a stored write redirects");
    res.headers()["location"].to_str().unwrap().to_string()
}

async fn choose(b: &Browser, css: &str, value: &str) {
    b.client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"))
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("no option {value} in {css}: {e}"));
}

/// Sets a date field as a date picker would (typing into one depends on the browser's locale).
async fn pick_date(b: &Browser, css: &str, iso: &str) {
    b.js(&format!(
        "document.querySelector({css:?}).value = {iso:?}; return null"
    ))
    .await;
}

async fn value_of(b: &Browser, css: &str) -> String {
    b.js(&format!("return document.querySelector({css:?}).value"))
        .await
        .as_str()
        .unwrap_or_else(|| panic!("no {css}"))
        .to_string()
}

async fn text_of(b: &Browser, css: &str) -> String {
    b.js(&format!(
        "return document.querySelector({css:?})?.innerText ?? null"
    ))
    .await
    .as_str()
    .unwrap_or_else(|| panic!("no {css}"))
    .to_string()
}

/// Waits (up to ten seconds) until a script returns true.
async fn wait_until(b: &Browser, script: &str) {
    for _ in 0..100 {
        if b.js(script).await == json!(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("never true: {script}");
}

/// Nothing scrolls sideways, every field is labelled, headings are in order.
async fn fits(b: &Browser, page: &str) {
    let problems = b.js(PAGE_CHECKS).await;
    assert_eq!(problems, json!([]), "{page}");
}

fn rp(n: u128) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    format!("Rp {out}")
}

async fn committed_2025(app: &TestApp, token: &str) -> u128 {
    let res = app
        .gql_as(
            Some(token),
            r#"{ contributionTotals(filter: {region: "33.26", fiscalYear: 2025}) { committed } }"#,
            json!({}),
        )
        .await;
    res["data"]["contributionTotals"]["committed"]
        .as_str()
        .unwrap_or_else(|| panic!("{res}"))
        .parse()
        .unwrap()
}

async fn sign_out(b: &Browser) {
    b.click("form[action='/keluar'] button").await;
    b.wait_for_path("/masuk").await;
}

async fn submit(b: &Browser, form: &str) {
    b.click(&format!("{form} button[type=submit]")).await;
}

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
async fn a_double_click_stores_one_contribution_a_stale_edit_shows_what_is_stored_and_foreign_or_forged_writes_change_nothing()
 {
    let app = demo_app().await;
    let csr = app.token_for(CSR).await;
    let rows = count_rows(&app.db, "contributions").await;
    let Some(b) = Browser::start(1366, 768).await else {
        return;
    };
    sign_in(&b, &app, CSR, "/kontribusi").await;
    b.click("#catat-kontribusi").await;
    b.wait_for_path("/kontribusi/baru").await;
    b.fill("#judul", "Beasiswa anak keluarga miskin").await;
    b.fill("#wilayah", BOTOSARI).await;
    choose(&b, "#sumber", "CSR").await;
    choose(&b, "#jenis", "CASH").await;
    b.fill("#tahun", "2025").await;
    b.fill("#rencana", "75.000.000").await;

    // The very form the user filled, submitted twice at once (a double click on a slow line).
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
    let cancel = send_form(
        &app,
        &format!("sinergi_sesi={session}"),
        &format!("/kontribusi/{id}/batal"),
        "versi=3&yakin=ya".into(),
    )
    .await;
    assert_eq!(cancel.status(), 403);
    assert_eq!(count_rows(&app.db, "contributions").await, rows);
    assert_eq!(contribution(&app, &csr, &id).await["status"], "PLANNED");
    b.close().await;
}

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
    sign_in(&b, &app, LAMPUNG, "/rapat").await;
    b.click("#catat-rapat").await;
    b.wait_for_path("/rapat/baru").await;
    fits(&b, "/rapat/baru at 390px").await;
    assert_eq!(
        value_of(&b, "#wilayah").await,
        "18",
        "the coordinator's region is the default"
    );
    b.fill(
        "#judul",
        "Rapat Tindak Lanjut Rakor TKPK Provinsi Lampung 1 November 2016",
    )
    .await;
    choose(&b, "#tingkat", "PROVINCE").await;
    pick_date(&b, "#tanggal", "2017-02-15").await;
    choose(&b, "#penyelenggara", &demo_id("bappeda-lampung")).await;
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
    choose(&b, "#peserta_0_organisasi", &demo_id("bappeda-lampung")).await;
    b.fill("#peserta_0_wakil", "Kepala Bappeda").await;
    b.fill("#peserta_0_peran", "pimpinan rapat").await;
    choose(&b, "#peserta_1_organisasi", &dinsos).await;
    b.fill("#peserta_1_wakil", "Sekretaris Dinas").await;
    submit(&b, "#form-rapat").await;
    let text = b.wait_for_text("Keputusan dan rencana aksi").await;
    let meeting = b.path().await;
    assert!(text.contains("15 Februari 2017"), "{text}");
    assert!(text.contains("Penetapan desa prioritas"), "{text}");
    assert!(
        text.contains("Dinas Sosial Provinsi Lampung · Sekretaris Dinas"),
        "{text}"
    );

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
    choose(&b, "#aksi_pelaksana", &dinsos).await;
    pick_date(&b, "#aksi_tenggat", "2017-03-31").await;
    b.fill("#aksi_wilayah", "18.01").await;
    submit(&b, "#form-keputusan").await;
    let text = b
        .wait_for_text("Menetapkan SK desa prioritas Provinsi Lampung")
        .await;
    assert_eq!(b.path().await, meeting);
    assert!(text.contains("Kabupaten Lampung Selatan"), "{text}");
    assert!(text.contains("Terlambat"), "due in March 2017: {text}");

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
