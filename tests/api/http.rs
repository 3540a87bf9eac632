//! GraphQL over HTTP and the probes.

use crate::helpers::{error_code, spawn_app, spawn_app_with};
use serde_json::{Value, json};

#[tokio::test]
async fn health_and_ready_answer() {
    let app = spawn_app().await;
    let health = app.client.get(app.url("/health")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let ready = app.client.get(app.url("/ready")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.text().await.unwrap(), "ready");
}

#[tokio::test]
async fn a_browser_gets_graphiql() {
    let app = spawn_app().await;
    let res = app
        .client
        .get(app.url("/graphql"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.text()
            .await
            .unwrap()
            .to_lowercase()
            .contains("graphiql")
    );
}

#[tokio::test]
async fn queries_work_over_get_but_mutations_do_not() {
    let app = spawn_app().await;
    let res = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", "{ region(code: \"33\") { code } }")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert!(body["data"]["region"].is_null());

    let res = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", "mutation { x }")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 405);
    assert_eq!(res.headers()["allow"], "POST");
}

#[tokio::test]
async fn non_json_posts_are_refused_as_a_csrf_guard() {
    let app = spawn_app().await;
    let before = app.statements.get();
    for ct in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        let res = app
            .client
            .post(app.url("/graphql"))
            .header("content-type", ct)
            .body(r#"{"query":"{ region(code: \"33\") { code } }"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 415, "{ct} must be refused");
    }
    assert_eq!(
        app.statements.get(),
        before,
        "a refused request runs no SQL"
    );
}

#[tokio::test]
async fn graphql_response_json_gets_400_for_a_request_that_cannot_run() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .header("accept", "application/graphql-response+json")
        .body(json!({ "query": "{ region(code: " }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/graphql-response+json")
    );
    let body: Value = res.json().await.unwrap();
    assert!(body["errors"][0]["message"].as_str().is_some());

    // Plain application/json keeps the traditional 200 with errors.
    let res = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .body(json!({ "query": "{ region(code: " }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn an_unacceptable_accept_header_gets_406() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .header("accept", "text/csv")
        .body(json!({ "query": "{ __typename }" }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 406);
}

#[tokio::test]
async fn a_page_larger_than_the_maximum_is_an_error_not_a_clamp() {
    let app = spawn_app_with(|c| c.max_page_size = 10).await;
    app.demo_as_viewer().await;
    let res = app
        .gql("{ contributions(first: 11) { totalCount } }", json!({}))
        .await;
    assert_eq!(error_code(&res), "BAD_USER_INPUT");
    assert_eq!(res["errors"][0]["extensions"]["field"], "first");
    let ok = app
        .data(
            "{ contributions(first: 10) { edges { cursor } } }",
            json!({}),
        )
        .await;
    assert_eq!(ok["contributions"]["edges"].as_array().unwrap().len(), 10);
}

#[tokio::test]
async fn a_bad_region_filter_names_the_field() {
    let app = spawn_app().await;
    app.demo_as_viewer().await;
    let res = app
        .gql(
            r#"{ contributions(filter: {region: "Pekalongan"}) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(error_code(&res), "BAD_USER_INPUT");
    assert_eq!(res["errors"][0]["extensions"]["field"], "filter.region");
    let res = app
        .gql(
            r#"{ contributions(filter: {fiscalYear: 1999}) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(res["errors"][0]["extensions"]["field"], "filter.fiscalYear");
}

#[tokio::test]
async fn a_forged_cursor_is_bad_user_input() {
    let app = spawn_app().await;
    app.demo_as_viewer().await;
    let res = app
        .gql(
            r#"{ contributions(after: "not-a-cursor") { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(error_code(&res), "BAD_USER_INPUT");
    assert_eq!(res["errors"][0]["extensions"]["field"], "after");
}

#[tokio::test]
async fn an_oversized_body_is_refused() {
    let app = spawn_app_with(|c| c.max_body_bytes = 1024).await;
    let big = "x".repeat(4096);
    let res = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .body(json!({ "query": format!("{{ __typename }} # {big}") }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
}

#[tokio::test]
async fn the_server_shuts_down_gracefully() {
    let app = spawn_app().await;
    let addr = app.addr;
    app.stop().await;
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "nothing listens after shutdown"
    );
}
