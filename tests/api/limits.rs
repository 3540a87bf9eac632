//! Depth, complexity, alias and size limits reject a query before any SQL runs.

use crate::helpers::{error_code, spawn_app_with};
use serde_json::json;

async fn rejected_without_sql(query: String, adjust: impl FnOnce(&mut sinergi::config::Config)) {
    let app = spawn_app_with(adjust).await;
    app.load_demo().await;
    let before = app.statements.get();
    let res = app.gql(&query, json!({})).await;
    assert!(res["errors"].is_array(), "must be refused: {res}");
    assert!(res["data"].is_null(), "nothing is executed: {res}");
    assert_eq!(error_code(&res), "BAD_USER_INPUT");
    assert_eq!(app.statements.get(), before, "a refused query runs no SQL");
}

#[tokio::test]
async fn too_deep_is_refused_before_sql() {
    let q = r#"{ region(code: "33.26.02.2008") { parent { parent { parent { parent { parent { name } } } } } } }"#;
    rejected_without_sql(q.into(), |c| c.max_depth = 5).await;
}

#[tokio::test]
async fn too_complex_is_refused_before_sql() {
    let q = r#"{ contributions(first: 100) { edges { node { title contributor { name region { name } } } } } }"#;
    rejected_without_sql(q.into(), |c| c.max_complexity = 200).await;
}

#[tokio::test]
async fn too_many_aliases_are_refused_before_sql() {
    let fields: String = (0..31)
        .map(|i| format!("a{i}: region(code: \"33\") {{ name }} "))
        .collect();
    rejected_without_sql(format!("{{ {fields} }}"), |_| {}).await;
}

#[tokio::test]
async fn an_oversized_document_is_refused_before_sql() {
    let q = format!(
        "{{ region(code: \"33\") {{ name }} }} # {}",
        "x".repeat(2_000)
    );
    rejected_without_sql(q, |c| c.max_query_bytes = 1_000).await;
}

#[tokio::test]
async fn the_default_limits_let_the_dashboard_through() {
    let app = spawn_app_with(|_| {}).await;
    app.demo_as_viewer().await;
    let q = r#"{ region(code:"33.26") { villages(first: 50) { edges { node { name contributions { edges { node {
        amountCommitted contributor { name helix } program { name cluster } } } } } } } } }"#;
    let data = app.data(q, json!({})).await;
    assert!(
        !data["region"]["villages"]["edges"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}
