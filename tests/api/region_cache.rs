//! Regions served from memory (`region_cache`): read once, then free of statements; dropped on every
//! hub process when an import changes them (PostgreSQL NOTIFY, SQLite's audit log); the same answers
//! as SQL gives.

use crate::drills::{ChildHub, report};
use crate::helpers::{PG_ENV, TestApp, spawn_app};
use crate::seed;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// PostgreSQL notifies at once; SQLite's feed reads the audit log once a second.
fn allowed() -> Duration {
    if std::env::var(PG_ENV).is_ok_and(|v| !v.is_empty()) {
        Duration::from_secs(1)
    } else {
        Duration::from_secs(2)
    }
}

const REGION: &str = r#"query($code: String!, $after: String, $kind: VillageKind) { region(code: $code) {
    code name parent { code name } ancestors { code name }
    children(first: 50) { totalCount edges { cursor node { code name } } }
    villages(first: 4, after: $after, filter: { villageKind: $kind }) { totalCount
        pageInfo { hasNextPage endCursor } edges { cursor node { code name villageKind } } } } }"#;

/// Statements the request cost, and its data.
async fn costed(app: &TestApp, query: &str, variables: Value) -> (u64, Value) {
    let before = app.statements.get();
    let data = app.data(query, variables).await;
    (app.statements.get() - before, data)
}

#[tokio::test]
async fn regions_read_once_cost_no_statement_and_answer_as_sql_does() {
    let app = spawn_app().await;
    let villages = seed::regency(&app.db, "98.01", 2, 5).await;
    // A kelurahan among the desa, for the kind filter.
    seed::import_regions(&app.db, "code,name\n98.01.01.1001,Kelurahan Uji\n").await;

    for (code, kind) in [
        ("98.01", Value::Null),
        ("98.01", json!("KELURAHAN")),
        ("98.01", json!("DESA")),
        ("98.01.02", Value::Null),
        ("98", Value::Null),
    ] {
        let mut pages = Vec::new();
        let mut after = Value::Null;
        loop {
            let vars = json!({ "code": code, "after": after, "kind": kind });
            let (cold, first) = costed(&app, REGION, vars.clone()).await;
            let (warm, again) = costed(&app, REGION, vars).await;
            assert_eq!(first, again, "{code} {kind}: the cache answers as SQL did");
            assert_eq!(
                warm, 0,
                "{code} {kind} read again: no statement ({cold} cold)"
            );
            let conn = &again["region"]["villages"];
            pages.push(conn["edges"].clone());
            if conn["pageInfo"]["hasNextPage"] != json!(true) {
                break;
            }
            after = conn["pageInfo"]["endCursor"].clone();
        }
        let codes: Vec<String> = pages
            .iter()
            .flat_map(|p| p.as_array().unwrap().iter())
            .map(|e| e["node"]["code"].as_str().unwrap().to_string())
            .collect();
        let expected: Vec<String> = match kind.as_str() {
            Some("KELURAHAN") => vec!["98.01.01.1001".to_string()],
            _ => {
                let mut all: Vec<String> = villages
                    .iter()
                    .filter(|v| v.starts_with(&format!("{code}.")))
                    .cloned()
                    .collect();
                if kind.is_null() && "98.01.01.1001".starts_with(&format!("{code}.")) {
                    all.push("98.01.01.1001".into());
                }
                all.sort();
                all
            }
        };
        assert_eq!(
            codes, expected,
            "{code} {kind}: every village once, in order"
        );
    }

    // A village read in a list is kept too: its own page costs nothing.
    let (cost, data) = costed(&app, REGION, json!({ "code": villages[3] })).await;
    assert_eq!(data["region"]["name"], "Desa Uji 1-4");
    assert_eq!(data["region"]["ancestors"].as_array().unwrap().len(), 3);
    assert!(cost <= 1, "only the village's empty children list: {cost}");
    let (cost, _) = costed(&app, REGION, json!({ "code": villages[3] })).await;
    assert_eq!(cost, 0);

    // The text filter stays on SQL, with the same answer.
    let q = r#"query { region(code: "98.01") { villages(filter: { text: "uji 2-" }) { totalCount } } }"#;
    let (cost, data) = costed(&app, q, json!({})).await;
    assert_eq!(data["region"]["villages"]["totalCount"], 5);
    assert_eq!(cost, 2, "the page and its count on SQL");
}

/// Renames `code` by an import on a connection of its own, as `sinergi import regions` does.
async fn import_rename(app: &TestApp, code: &str, name: &str) {
    let (conn, _) = sinergi::db::connect(&app.database_url, 1).await.unwrap();
    let report =
        sinergi::services::regions::import(&conn, format!("code,name\n{code},{name}\n").as_bytes())
            .await
            .unwrap();
    assert_eq!(report.updated, 1);
    conn.close().await.unwrap();
}

async fn name_at(client: &reqwest::Client, hub: std::net::SocketAddr, code: &str) -> Value {
    let res: Value = client
        .post(format!("http://{hub}/graphql"))
        .json(&json!({ "query": "query($c: String!) { region(code: $c) { name } }", "variables": { "c": code } }))
        .send()
        .await
        .expect("an answer")
        .json()
        .await
        .expect("JSON");
    res["data"]["region"]["name"].clone()
}

/// Polls `hub` until `code` is called `name`; returns how long it took.
async fn shows(
    client: &reqwest::Client,
    hub: std::net::SocketAddr,
    code: &str,
    name: &str,
) -> Duration {
    let started = Instant::now();
    loop {
        if name_at(client, hub, code).await == name {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < allowed(),
            "{hub} still shows {} for {code} after {:?}",
            name_at(client, hub, code).await,
            allowed()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn an_import_shows_on_every_hub_process() {
    let app = spawn_app().await;
    seed::regency(&app.db, "98.01", 1, 2).await;
    let other = ChildHub::start(&app.database_url, 5).await;
    let client = reqwest::Client::new();
    for hub in [app.addr, other.addr] {
        assert_eq!(name_at(&client, hub, "98.01").await, "Kabupaten Uji 98.01");
    }
    // Kept by both: reading it again costs this hub nothing.
    let before = app.statements.get();
    assert_eq!(
        name_at(&client, app.addr, "98.01").await,
        "Kabupaten Uji 98.01"
    );
    assert_eq!(app.statements.get(), before);

    import_rename(&app, "98.01", "Kabupaten Uji Baru").await;
    let here = shows(&client, app.addr, "98.01", "Kabupaten Uji Baru").await;
    let there = shows(&client, other.addr, "98.01", "Kabupaten Uji Baru").await;

    // A rename announced only by its audit row (not through the import, so no direct drop in this
    // process): this hub learns it from the feed too.
    assert_eq!(name_at(&client, app.addr, "98.01.01").await, "Kecamatan 1");
    seed::rename_region(&app.db, "98.01.01", "Kecamatan Satu").await;
    let fed = shows(&client, app.addr, "98.01.01", "Kecamatan Satu").await;
    report(&format!(
        "region cache: an import showed on the importing process after {} ms, on another hub process after {} ms; a change announced by the feed alone after {} ms",
        here.as_millis(),
        there.as_millis(),
        fed.as_millis()
    ));
}
