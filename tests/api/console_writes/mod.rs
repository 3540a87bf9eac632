//! The console's writing side, walked in a real browser on the demo data: a CSR member records a
//! commitment, a coordinator runs a rakor's follow-up, an SKPD reports on its action item; and the
//! forms behave: a bad amount is shown beside its field and nothing is stored, a double submit
//! stores one record, a stale version shows the stored values, another organization's record and a
//! forged post change nothing.

mod contributions;
mod imports;
mod indicators;
mod meetings;
mod programs;
mod users;

use crate::browser::Browser;
use crate::console::{PAGE_CHECKS, urlencode};
use crate::helpers::TestApp;
use fantoccini::Locator;
use serde_json::json;
use std::time::Duration;

pub(crate) const COORDINATOR: &str = "koordinator@pekalongan.demo";
pub(crate) const LAMPUNG: &str = "koordinator@lampung.demo";
pub(crate) const CSR: &str = "csr@pekalongan.demo";
pub(crate) const BOTOSARI: &str = "33.26.02.2008";
/// A CSRF token that HTTP-level tests put in both the cookie and the form, as the console's own
/// pages do for a visitor who is not signed in (signed in, see [`csrf_of`]).
pub(crate) const CSRF: &str = "testtokentesttokentesttokentest1";

/// The CSRF token the console's forms carry for the holder of `token` (session cookie): the
/// session's own, read from a page as a browser would.
pub(crate) async fn csrf_of(app: &TestApp, token: &str) -> String {
    let page = reqwest::Client::new()
        .get(app.url("/masuk"))
        .header("Cookie", format!("sinergi_sesi={token}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let at = page
        .find("name=\"csrf\" value=\"")
        .expect("a form with a CSRF token")
        + 19;
    page[at..].split('"').next().unwrap().to_string()
}

/// Posts a console form as the holder of `token` (session cookie), with the session's CSRF token
/// (and the CSRF cookie a browser would hold), without following the redirect.
pub(crate) async fn post_form(
    app: &TestApp,
    token: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut body = format!("csrf={}", csrf_of(app, token).await);
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

pub(crate) async fn choose(b: &Browser, css: &str, value: &str) {
    b.client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"))
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("no option {value} in {css}: {e}"));
}

/// Sets a date field as a date picker would (typing into one depends on the browser's locale).
pub(crate) async fn pick_date(b: &Browser, css: &str, iso: &str) {
    b.js(&format!(
        "document.querySelector({css:?}).value = {iso:?}; return null"
    ))
    .await;
}

pub(crate) async fn value_of(b: &Browser, css: &str) -> String {
    b.js(&format!("return document.querySelector({css:?}).value"))
        .await
        .as_str()
        .unwrap_or_else(|| panic!("no {css}"))
        .to_string()
}

pub(crate) async fn text_of(b: &Browser, css: &str) -> String {
    b.js(&format!(
        "return document.querySelector({css:?})?.innerText ?? null"
    ))
    .await
    .as_str()
    .unwrap_or_else(|| panic!("no {css}"))
    .to_string()
}

/// Waits (up to ten seconds) until a script returns true.
pub(crate) async fn wait_until(b: &Browser, script: &str) {
    for _ in 0..100 {
        if b.js(script).await == json!(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("never true: {script}");
}

/// Nothing scrolls sideways, every field is labelled, headings are in order.
pub(crate) async fn fits(b: &Browser, page: &str) {
    let problems = b.js(PAGE_CHECKS).await;
    assert_eq!(problems, json!([]), "{page}");
}

pub(crate) fn rp(n: u128) -> String {
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

pub(crate) async fn committed_2025(app: &TestApp, token: &str) -> u128 {
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

pub(crate) async fn sign_out(b: &Browser) {
    b.click("form[action='/keluar'] button").await;
    b.wait_for_path("/masuk").await;
}

pub(crate) async fn submit(b: &Browser, form: &str) {
    b.click(&format!("{form} button[type=submit]")).await;
}
