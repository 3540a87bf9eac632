use crate::helpers::{error_code, spawn_app};
use serde_json::json;

const BOTOSARI: &str =
    r#"{ region(code: "33.26.02.2008") { code name level villageKind parent { code name } } }"#;

#[tokio::test]
async fn botosari_is_a_village_in_paninggaran() {
    let app = spawn_app().await;
    app.load_demo().await;
    let data = app.data(BOTOSARI, json!({})).await;
    assert_eq!(
        data["region"],
        json!({ "code": "33.26.02.2008", "name": "Botosari", "level": "VILLAGE", "villageKind": "DESA",
                "parent": { "code": "33.26.02", "name": "Paninggaran" } })
    );
}

#[tokio::test]
async fn undotted_codes_find_the_same_region_and_unknown_codes_are_null() {
    let app = spawn_app().await;
    app.load_demo().await;
    let data = app.data(r#"{ a: region(code: "3326022008") { code } b: region(code: "33.26.02.2099") { code } }"#, json!({})).await;
    assert_eq!(data["a"]["code"], "33.26.02.2008");
    assert!(data["b"].is_null());
}

#[tokio::test]
async fn a_malformed_code_is_bad_user_input_naming_the_argument() {
    let app = spawn_app().await;
    let res = app
        .gql(r#"{ region(code: "33.2x") { code } }"#, json!({}))
        .await;
    assert_eq!(error_code(&res), "BAD_USER_INPUT");
    assert_eq!(res["errors"][0]["extensions"]["field"], "code");
}

#[tokio::test]
async fn children_page_in_code_order_with_total_count() {
    let app = spawn_app().await;
    app.load_demo().await;
    let q = r#"query($after: String) { region(code: "33.26.02") { children(first: 4, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { code level parent { code } } } } } }"#;
    let mut seen = Vec::new();
    let mut after = serde_json::Value::Null;
    loop {
        let data = app.data(q, json!({ "after": after })).await;
        let children = &data["region"]["children"];
        assert_eq!(children["totalCount"], 15, "Paninggaran has 15 villages");
        for e in children["edges"].as_array().unwrap() {
            assert_eq!(e["node"]["level"], "VILLAGE");
            assert_eq!(e["node"]["parent"]["code"], "33.26.02");
            seen.push(e["node"]["code"].as_str().unwrap().to_string());
        }
        if !children["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            break;
        }
        after = children["pageInfo"]["endCursor"].clone();
    }
    let expected: Vec<String> = (1..=15)
        .map(|i| format!("33.26.02.{:04}", 2000 + i))
        .collect();
    assert_eq!(seen, expected);
}

#[tokio::test]
async fn regions_are_readable_without_signing_in() {
    let app = spawn_app().await;
    app.load_demo().await;
    // No Authorization header at all.
    let res = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .body(json!({ "query": BOTOSARI }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["data"]["region"]["name"], "Botosari");
}
