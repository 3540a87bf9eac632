//! The web console, walked in a real browser (Debian chromium through chromedriver) against the real
//! server, as planners, CSR forum members and anonymous visitors use it.

mod layout;

use crate::browser::Browser;
use crate::helpers::{PASSWORD, TestApp, spawn_app};
use serde_json::{Value, json};
use sinergi::services::demo::demo_id;

pub(crate) use layout::PAGE_CHECKS;

pub(super) const COORDINATOR: &str = "koordinator@pekalongan.demo";
const CSR: &str = "csr@pekalongan.demo";
const SKPD: &str = "skpd@pekalongan.demo";
pub(super) const BOTOSARI: &str = "33.26.02.2008";

pub(crate) async fn demo_app() -> TestApp {
    let app = spawn_app().await;
    app.load_demo().await;
    app
}

/// Signs in through the `/masuk` form and waits for the page it leads back to.
pub(crate) async fn sign_in(b: &Browser, app: &TestApp, email: &str, back: &str) {
    b.open(&app.url(&format!("/masuk?kembali={}", urlencode(back))))
        .await;
    b.fill("#email", email).await;
    b.fill("#password", PASSWORD).await;
    b.click("form[action='/masuk'] button[type=submit]").await;
    b.wait_for_path(back).await;
}

pub(crate) fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `Rp 1.250.000` the way the console writes a decimal string of Rupiah.
fn rupiah(v: &Value) -> String {
    let digits = v.as_str().expect("a Rupiah string");
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    format!("Rp {out}")
}

async fn text_of(b: &Browser, css: &str) -> String {
    b.js(&format!(
        "return document.querySelector({css:?})?.innerText ?? null"
    ))
    .await
    .as_str()
    .unwrap_or_else(|| panic!("no {css} on {}", 0))
    .to_string()
}

#[tokio::test]
async fn the_pekalongan_coordinator_finds_botosari_leaving_the_red_list_and_downloads_the_workbook()
{
    let app = demo_app().await;
    let Some(b) = Browser::start(1366, 768).await else {
        return;
    };
    sign_in(&b, &app, COORDINATOR, "/").await;
    let text = b.wait_for_text("Ringkasan Kabupaten Pekalongan").await;
    assert!(
        text.contains("Koordinator TKPK"),
        "the header names who is signed in:\n{text}"
    );

    // The 2025 overview of 33.26, chosen in the page: region and year end up in the URL.
    b.fill("#tahun", "2025").await;
    b.click("form.filters button[type=submit]").await;
    let path = b.wait_for_path("/?wilayah=33.26&tahun=2025").await;
    b.wait_for_text("tahun anggaran 2025").await;
    let token = app.token_for(COORDINATOR).await;
    let api = app
        .gql_as(
            Some(&token),
            r#"{ contributionTotals(filter: {region: "33.26", fiscalYear: 2025}) { count planned committed realised } }"#,
            json!({}),
        )
        .await;
    let t = &api["data"]["contributionTotals"];
    assert_eq!(
        text_of(&b, "#total-komitmen").await,
        rupiah(&t["committed"]),
        "at {path}"
    );
    assert_eq!(
        text_of(&b, "#total-realisasi").await,
        rupiah(&t["realised"])
    );
    assert_eq!(
        text_of(&b, "#jumlah-kontribusi").await,
        t["count"].to_string()
    );
    let bars = b
        .js("return document.querySelectorAll('figure.chart svg rect').length")
        .await;
    assert!(
        bars.as_u64().unwrap() > 6,
        "the totals are drawn as SVG bars"
    );

    // "Lihat GraphQL" shows the document, and its GraphiQL link runs it through the API as the
    // same user (the session cookie): the same figures.
    let href = b
        .js("return [...document.querySelectorAll('details.graphql a')].map(a => a.getAttribute('href')).find(h => h.includes('fundingSummary'))")
        .await;
    let href = href
        .as_str()
        .expect("a GraphiQL link for the overview's document")
        .to_string();
    assert!(href.starts_with("/graphql?query="), "{href}");
    let session = b.cookie("sinergi_sesi").await.expect("the session cookie");
    let via_api: Value = app
        .client
        .get(app.url(&href))
        .header("Accept", "application/json")
        .header("Cookie", format!("sinergi_sesi={session}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let committed: u128 = via_api["data"]["ringkasan"]
        .as_array()
        .expect("the overview's document answers through /graphql")
        .iter()
        .map(|b| b["committed"].as_str().unwrap().parse::<u128>().unwrap())
        .sum();
    assert_eq!(committed.to_string(), t["committed"].as_str().unwrap());

    // Find Botosari through the search box and see it leave the red list.
    b.click_link("Wilayah").await;
    b.wait_for_path("/wilayah").await;
    b.fill("#q", "botosari").await;
    b.click("form[role=search] button").await;
    b.wait_for_text("hasil untuk").await;
    b.click_link("Botosari").await;
    b.wait_for_path(&format!("/wilayah/{BOTOSARI}")).await;
    b.wait_for_text("Indikator per tahun").await;
    let status_by_year = b
        .js("return Object.fromEntries([...document.querySelectorAll('table tbody tr')].filter(r => r.querySelector('th')).map(r => [r.querySelector('th').innerText, r.querySelectorAll('td')[0].innerText]))")
        .await;
    assert_eq!(status_by_year["2025"], "Desa merah", "{status_by_year}");
    assert_eq!(
        status_by_year["2026"], "Keluar dari daftar desa merah",
        "{status_by_year}"
    );

    // Coverage gaps of the coordinator's region.
    b.open(&app.url("/celah?wilayah=33.26&tahun=2025")).await;
    let gaps = b.wait_for_text("Celah cakupan").await;
    assert!(
        gaps.contains("Werdi"),
        "Werdi is a red village with nothing committed:\n{gaps}"
    );

    // The LP2KD workbook, with the session instead of a bearer token, from the report form.
    b.click_link("Laporan").await;
    b.wait_for_path("/laporan").await;
    b.fill("#lp-tahun", "2025").await;
    let action = b
        .js("const f = document.querySelector('#unduh-lp2kd').form; return f.getAttribute('action') + '?' + new URLSearchParams(new FormData(f)).toString()")
        .await;
    let res = app
        .client
        .get(app.url(action.as_str().unwrap()))
        .header("Cookie", format!("sinergi_sesi={session}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{action}");
    let bytes = res.bytes().await.unwrap();
    let book = calamine::open_workbook_from_rs::<calamine::Xlsx<_>, _>(std::io::Cursor::new(
        bytes.to_vec(),
    ))
    .expect("an XLSX workbook");
    assert!(calamine::Reader::sheet_names(&book).len() >= 5);
    b.close().await;
}

#[tokio::test]
async fn a_csr_member_never_sees_another_organizations_draft_anywhere_in_the_console() {
    let app = demo_app().await;
    let skpd = app.token_for(SKPD).await;
    let title = "Draf rahasia Dinas Sosial untuk Botosari";
    let created = app
        .gql_as(
            Some(&skpd),
            r#"mutation($i: ContributionInput!) { createContribution(input: $i) { id status } }"#,
            json!({ "i": { "source": "APBD_REGENCY", "kind": "CASH", "regionCode": BOTOSARI, "programId": demo_id("rtlh"),
                           "fiscalYear": 2026, "title": title, "amountPlanned": 987654321 } }),
        )
        .await;
    assert_eq!(
        created["data"]["createContribution"]["status"], "PLANNED",
        "{created}"
    );
    let id = created["data"]["createContribution"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let Some(b) = Browser::start(1366, 768).await else {
        return;
    };

    // The coordinator of the region sees it: the check below can fail.
    sign_in(&b, &app, COORDINATOR, &format!("/kontribusi/{id}")).await;
    b.wait_for_text(title).await;
    b.click("form[action='/keluar'] button").await;
    b.wait_for_path("/masuk").await;

    sign_in(&b, &app, CSR, "/").await;
    let skpd_org = demo_id("dinsos-pekalongan");
    let pages = [
        "/?wilayah=33.26&tahun=2026".to_string(),
        "/kontribusi?wilayah=33.26".into(),
        "/kontribusi?tahun=2026&status=PLANNED".into(),
        format!("/wilayah/{BOTOSARI}"),
        format!("/organisasi/{skpd_org}"),
        format!("/program/{}", demo_id("rtlh")),
        "/cari?q=rahasia".into(),
        "/celah?wilayah=33.26&tahun=2026".into(),
        "/tumpang-tindih?wilayah=33.26&tahun=2026".into(),
        format!("/kontribusi/{id}"),
    ];
    for page in &pages {
        b.open(&app.url(page)).await;
        let html = b.client.source().await.unwrap();
        assert!(
            !html.contains(title),
            "{page} shows another organization's draft"
        );
        assert!(
            !html.contains("987.654.321"),
            "{page} counts another organization's draft"
        );
    }
    let text = b.body_text().await;
    assert!(
        text.contains("Tidak ditemukan"),
        "the draft's own page is a 404:\n{text}"
    );
    b.close().await;
}

#[tokio::test]
async fn an_anonymous_visitor_browses_regions_and_is_sent_to_sign_in_for_contributions() {
    let app = demo_app().await;
    let Some(b) = Browser::start(1366, 768).await else {
        return;
    };
    b.open(&app.url("/wilayah")).await;
    b.wait_for_text("Provinsi").await;
    b.click_link("Jawa Tengah").await;
    b.wait_for_path("/wilayah/33").await;
    b.click_link("Kabupaten Pekalongan").await;
    b.wait_for_path("/wilayah/33.26").await;
    b.click_link("Paninggaran").await;
    b.wait_for_path("/wilayah/33.26.02").await;
    b.click_link("Botosari").await;
    b.wait_for_path(&format!("/wilayah/{BOTOSARI}")).await;
    let text = b.wait_for_text("setelah masuk").await;
    assert!(
        !text.contains("Indikator per tahun"),
        "indicators need sign-in:\n{text}"
    );

    b.open(&app.url("/kontribusi?tahun=2025")).await;
    let path = b.wait_for_path("/masuk").await;
    assert_eq!(path, "/masuk?kembali=%2Fkontribusi%3Ftahun%3D2025");

    // A wrong password says so without telling which of the two was wrong.
    b.fill("#email", COORDINATOR).await;
    b.fill("#password", "salah-sekali").await;
    b.click("form[action='/masuk'] button[type=submit]").await;
    let text = b.wait_for_text("Email atau kata sandi salah").await;
    assert!(
        b.cookie("sinergi_sesi").await.is_none(),
        "no session after a wrong password"
    );
    assert!(!text.contains("tidak terdaftar"), "{text}");

    b.fill("#password", PASSWORD).await;
    b.click("form[action='/masuk'] button[type=submit]").await;
    b.wait_for_path("/kontribusi?tahun=2025").await;
    b.wait_for_text("kontribusi · Rencana").await;
    let flags = b.js("return document.cookie").await;
    assert_eq!(
        flags, "",
        "the session and CSRF cookies are HttpOnly: scripts cannot read them"
    );
    b.close().await;
}

#[tokio::test]
async fn signing_out_without_the_forms_token_changes_nothing() {
    let app = demo_app().await;
    let Some(b) = Browser::start(1366, 768).await else {
        return;
    };
    sign_in(&b, &app, CSR, "/").await;
    let session = b.cookie("sinergi_sesi").await.unwrap();
    // A form posted from another origin carries the session cookie at best, never the CSRF token.
    let res = app
        .client
        .post(app.url("/keluar"))
        .header("Cookie", format!("sinergi_sesi={session}"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("csrf=forged")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert!(
        res.headers()
            .get_all("set-cookie")
            .iter()
            .all(|c| !c.to_str().unwrap().starts_with("sinergi_sesi=;"))
    );
    b.open(&app.url("/kontribusi")).await;
    b.wait_for_path("/kontribusi").await;
    // The real button signs out.
    b.click("form[action='/keluar'] button").await;
    b.wait_for_path("/masuk").await;
    b.open(&app.url("/kontribusi")).await;
    b.wait_for_path("/masuk?kembali=").await;
    b.close().await;
}
