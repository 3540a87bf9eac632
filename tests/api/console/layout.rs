//! The console's layout rules on every page the coordinator reaches, at a laptop's and a phone's
//! width: no sideways scroll, labelled fields, one h1 and ordered headings, nothing from elsewhere.

use super::*;

/// Every console page the coordinator reaches, for the layout and asset checks.
async fn every_page(app: &TestApp) -> Vec<String> {
    let token = app.token_for(COORDINATOR).await;
    let ids = app
        .gql_as(
            Some(&token),
            r#"{ contributions(filter: {region: "33.26"}, first: 1) { edges { node { id } } }
                meetings(first: 1) { edges { node { id } } } }"#,
            json!({}),
        )
        .await;
    let contribution = ids["data"]["contributions"]["edges"][0]["node"]["id"]
        .as_str()
        .unwrap();
    let meeting = ids["data"]["meetings"]["edges"][0]["node"]["id"]
        .as_str()
        .unwrap();
    vec![
        "/?wilayah=33.26&tahun=2025".into(),
        "/wilayah".into(),
        "/wilayah/33.26".into(),
        format!("/wilayah/{BOTOSARI}"),
        "/cari?q=pekalongan".into(),
        "/celah?wilayah=33.26&tahun=2025".into(),
        "/tumpang-tindih?wilayah=33.26&tahun=2025".into(),
        "/program".into(),
        format!("/program/{}", demo_id("rtlh")),
        "/organisasi".into(),
        format!("/organisasi/{}", demo_id("dinsos-pekalongan")),
        "/kontribusi?wilayah=33.26".into(),
        format!("/kontribusi/{contribution}"),
        "/rapat".into(),
        format!("/rapat/{meeting}"),
        "/tindak-lanjut".into(),
        "/laporan".into(),
        // The writing side: forms with their labels, hints and choices.
        "/kontribusi/baru".into(),
        "/rapat/baru".into(),
        format!("/rapat/{}/keputusan", demo_id("rakor-pekalongan-2025")),
        format!(
            "/rapat/{}/rencana-aksi/{}",
            demo_id("rakor-pekalongan-2025"),
            demo_id("rakor-pekalongan-2025-action-rtlh-2025")
        ),
    ]
}

/// What the page breaks of the console's layout rules, as a list of complaints.
pub(crate) const PAGE_CHECKS: &str = r#"
const problems = [];
const origin = location.origin;
if (document.documentElement.scrollWidth > window.innerWidth) {
  problems.push('scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + window.innerWidth);
}
if (!document.title.trim()) problems.push('no <title>');
for (const el of document.querySelectorAll('input, select, textarea')) {
  if (el.type === 'hidden' || el.type === 'submit') continue;
  const labelled = (el.id && document.querySelector('label[for="' + el.id + '"]')) || el.closest('label') || el.getAttribute('aria-label');
  if (!labelled) problems.push('unlabelled ' + el.outerHTML.slice(0, 80));
}
const levels = [...document.querySelectorAll('main h1, main h2, main h3, main h4')].map(h => +h.tagName[1]);
if (levels[0] !== 1) problems.push('the first heading is not h1: ' + levels);
if (levels.filter(l => l === 1).length !== 1) problems.push('not exactly one h1: ' + levels);
for (let i = 1; i < levels.length; i++) if (levels[i] > levels[i - 1] + 1) problems.push('heading jumps from h' + levels[i - 1] + ' to h' + levels[i]);
for (const el of document.querySelectorAll('[src], [href], [action]')) {
  for (const attr of ['src', 'href', 'action']) {
    const v = el.getAttribute(attr);
    if (v === null) continue;
    const url = new URL(v, location.href);
    if (url.origin !== origin) problems.push(attr + ' on another host: ' + v);
  }
}
for (const r of performance.getEntriesByType('resource')) {
  if (new URL(r.name).origin !== origin) problems.push('loaded from another host: ' + r.name);
}
return problems;
"#;

#[tokio::test]
async fn every_console_page_fits_a_laptop_and_a_phone_is_labelled_and_loads_nothing_from_elsewhere()
{
    let app = demo_app().await;
    let pages = every_page(&app).await;
    for phone in [false, true] {
        let browser = if phone {
            Browser::phone().await
        } else {
            Browser::start(1366, 768).await
        };
        let Some(b) = browser else { return };
        // Signed out first: the sign-in page itself.
        b.open(&app.url("/masuk")).await;
        let width = b.js("return window.innerWidth").await;
        assert_eq!(
            width,
            if phone { 390 } else { 1366 },
            "the viewport under test"
        );
        let problems = b.js(PAGE_CHECKS).await;
        assert_eq!(problems, json!([]), "/masuk at {width}px");
        sign_in(&b, &app, COORDINATOR, "/").await;
        for page in &pages {
            b.open(&app.url(page)).await;
            let problems = b.js(PAGE_CHECKS).await;
            assert_eq!(problems, json!([]), "{page} at {width}px");
            // Reading needs no script: the page's content is in the HTML the server sent.
            let status = app
                .client
                .get(app.url(page))
                .header(
                    "Cookie",
                    format!("sinergi_sesi={}", b.cookie("sinergi_sesi").await.unwrap()),
                )
                .send()
                .await
                .unwrap()
                .status();
            assert_eq!(status, 200, "{page}");
        }
        b.close().await;
    }
}
