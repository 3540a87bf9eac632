//! What operators see: request ids, the Prometheus scrape, and no secrets in either.

use crate::helpers::{VIEWER, spawn_app, spawn_app_with};
use serde_json::json;

async fn scrape(app: &crate::helpers::TestApp) -> String {
    let res = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let kind = res.headers()["content-type"].to_str().unwrap().to_string();
    assert!(kind.starts_with("text/plain; version=0.0.4"), "{kind}");
    res.text().await.unwrap()
}

/// The value of the metric line starting with `prefix` (its labels included).
fn value(text: &str, prefix: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(prefix))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

#[tokio::test]
async fn metrics_count_requests_by_operation_and_outcome() {
    let app = spawn_app().await;
    app.load_demo().await;
    let token = app.token_for(VIEWER).await;
    let village = "query VillagePage { region(code: \"33.26.02.2008\") { name contributions(first: 5) { edges { node { title contributor { name } } } } } }";
    for _ in 0..2 {
        let res = app.gql_as(Some(&token), village, json!({})).await;
        assert!(res.get("errors").is_none(), "{res}");
    }
    let bad = app
        .gql_as(
            None,
            "query Bad { region(code: \"x\") { name } }",
            json!({}),
        )
        .await;
    assert_eq!(bad["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");

    let text = scrape(&app).await;
    assert_eq!(
        value(
            &text,
            "sinergi_requests_total{operation=\"VillagePage\",outcome=\"OK\"}"
        ),
        Some(2.0),
        "{text}"
    );
    assert_eq!(
        value(
            &text,
            "sinergi_requests_total{operation=\"Bad\",outcome=\"BAD_USER_INPUT\"}"
        ),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        value(
            &text,
            "sinergi_request_duration_seconds_count{operation=\"VillagePage\"}"
        ),
        Some(2.0),
        "{text}"
    );
    assert!(
        text.contains(
            "sinergi_request_duration_seconds_bucket{operation=\"VillagePage\",le=\"0.1\"}"
        )
    );
    // The first village page ran; the second was answered from the response cache, unless the
    // change feed moved the generation in between (the demo's own audit rows arriving): both are
    // counted, and together they are the two requests.
    let hits = value(&text, "sinergi_response_cache_total{result=\"hit\"}").unwrap_or(0.0);
    let runs = value(&text, "sinergi_response_cache_total{result=\"miss\"}").unwrap_or(0.0);
    assert_eq!(hits + runs, 2.0, "{text}");
    assert!(runs >= 1.0, "{text}");
    // Every statement of the pages that ran was counted against its request: the page with its
    // contributors joined, each time it ran, and the region and the viewer's account, the first
    // time (then kept by the region and user caches).
    let statements = value(&text, "sinergi_sql_statements_per_request_sum").unwrap();
    assert!(statements >= runs + 2.0, "{text}");
    assert!(
        value(&text, "sinergi_db_pool_connections{state=\"idle\"}").is_some(),
        "{text}"
    );
    assert!(
        value(&text, "sinergi_db_pool_connections{state=\"in_use\"}").is_some(),
        "{text}"
    );
    assert_eq!(value(&text, "sinergi_panics_total"), Some(0.0), "{text}");
    assert!(!text.contains(&token), "no token in the metrics");
}

#[tokio::test]
async fn rate_limited_requests_are_counted() {
    let app = spawn_app_with(|c| {
        c.rate_limits.anonymous_burst = 1;
        c.rate_limits.anonymous_per_minute = 1;
    })
    .await;
    for _ in 0..3 {
        app.client
            .post(app.url("/graphql"))
            .json(&json!({ "query": "{ __typename }" }))
            .send()
            .await
            .unwrap();
    }
    let text = scrape(&app).await;
    assert_eq!(
        value(&text, "sinergi_rate_limited_total{scope=\"address\"}"),
        Some(2.0),
        "{text}"
    );
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_keeps_the_callers() {
    let app = spawn_app().await;
    let res = app.client.get(app.url("/health")).send().await.unwrap();
    let id = res.headers()["x-request-id"].to_str().unwrap().to_string();
    assert!(id.len() >= 16, "{id}");
    let mine = "partner-req-0001";
    let res = app
        .client
        .post(app.url("/graphql"))
        .header("x-request-id", mine)
        .header(
            "traceparent",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        )
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-request-id"], mine);
    // A hostile id is replaced, not echoed.
    let res = app
        .client
        .get(app.url("/health"))
        .header("x-request-id", "x\"><script>")
        .send()
        .await
        .unwrap();
    assert_ne!(res.headers()["x-request-id"], "x\"><script>");
}

#[tokio::test]
async fn metrics_can_be_switched_off() {
    let app = spawn_app_with(|c| c.metrics = false).await;
    let res = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), 404);
}
