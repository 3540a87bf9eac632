//! Every response, whatever route or error produced it, carries `X-Content-Type-Options: nosniff`,
//! a `Referrer-Policy` and `X-Frame-Options`; HSTS only when a TLS-terminating proxy marks the
//! request as HTTPS, and never when the operator turned it off.

use crate::helpers::{spawn_app, spawn_app_with};
use reqwest::Method;

/// A page, an API answer, an API error, a download, a template, a 404 and the probes.
fn doors(token: &str) -> Vec<(Method, &'static str, Option<String>, Option<&'static str>)> {
    let bearer = Some(format!("Bearer {token}"));
    vec![
        (Method::GET, "/", None, None),
        (Method::GET, "/masuk", None, None),
        (Method::GET, "/wilayah", None, None),
        (
            Method::POST,
            "/graphql",
            None,
            Some(r#"{"query":"{ __typename }"}"#),
        ),
        (Method::POST, "/graphql", None, Some("not json")),
        (Method::GET, "/graphql", None, None),
        (
            Method::GET,
            "/exports/contributions.csv",
            bearer.clone(),
            None,
        ),
        (Method::GET, "/exports/contributions.csv", None, None),
        (
            Method::GET,
            "/imports/contributions/template.csv",
            None,
            None,
        ),
        (Method::GET, "/tidak-ada-halaman-ini", None, None),
        (Method::GET, "/health", None, None),
        (Method::GET, "/ready", None, None),
    ]
}

#[tokio::test]
async fn every_response_forbids_sniffing_framing_and_leaking_the_referrer() {
    let app = spawn_app().await;
    app.load_demo().await;
    let token = app.token_for("koordinator@pekalongan.demo").await;
    for (method, path, auth, body) in doors(&token) {
        let mut req = app
            .client
            .request(method.clone(), app.url(path))
            .header("content-type", "application/json");
        if let Some(a) = &auth {
            req = req.header("authorization", a);
        }
        if let Some(b) = body {
            req = req.body(b);
        }
        let res = req.send().await.unwrap();
        let h = res.headers();
        let what = format!("{method} {path} ({})", res.status());
        assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
        assert_eq!(h["referrer-policy"], "same-origin", "{what}");
        assert_eq!(h["x-frame-options"], "DENY", "{what}");
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("base-uri 'none'"), "{what}: {csp}");
        let page = h
            .get("content-type")
            .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
        assert!(
            page || csp.starts_with("default-src 'none'"),
            "{what}: {csp}"
        );
        assert!(
            h.get("strict-transport-security").is_none(),
            "{what}: no HSTS over plain HTTP"
        );
    }
}

#[tokio::test]
async fn hsts_is_sent_behind_a_tls_proxy_unless_turned_off() {
    let app = spawn_app().await;
    for proxy in [
        ("x-forwarded-proto", "https"),
        ("forwarded", "for=10.0.0.1;proto=https"),
    ] {
        let res = app
            .client
            .get(app.url("/masuk"))
            .header(proxy.0, proxy.1)
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.headers()["strict-transport-security"],
            "max-age=31536000; includeSubDomains",
            "{proxy:?}"
        );
    }
    let res = app
        .client
        .get(app.url("/health"))
        .header("x-forwarded-proto", "http")
        .send()
        .await
        .unwrap();
    assert!(res.headers().get("strict-transport-security").is_none());

    let shared = spawn_app_with(|c| c.hsts_include_subdomains = false).await;
    let res = shared
        .client
        .get(shared.url("/health"))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()["strict-transport-security"],
        "max-age=31536000"
    );

    let off = spawn_app_with(|c| c.hsts_max_age_secs = 0).await;
    let res = off
        .client
        .get(off.url("/masuk"))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert!(res.headers().get("strict-transport-security").is_none());
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
}
