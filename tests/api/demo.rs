use crate::helpers::{count_rows, spawn_app};
use serde_json::json;

const TABLES: &[&str] = &[
    "regions",
    "village_indicators",
    "organizations",
    "users",
    "programs",
    "program_strategies",
    "program_target_groups",
    "program_phases",
    "program_targets",
    "program_villages",
    "contributions",
    "contribution_transactions",
    "program_synergies",
    "meetings",
    "meeting_agenda_items",
    "meeting_participants",
    "meeting_programs",
    "meeting_regions",
    "decisions",
    "action_items",
    "action_item_updates",
    "action_item_programs",
    "action_item_regions",
];

const COUNT: &str = r#"query($region: String, $year: Int) {
    contributions(filter: {region: $region, fiscalYear: $year}, first: 100) {
        totalCount edges { node { fiscalYear status region { code } contributor { helix } } } } }"#;

#[tokio::test]
async fn loading_the_demo_twice_duplicates_nothing() {
    let app = spawn_app().await;
    app.demo_as_viewer().await;
    let mut first = Vec::new();
    for t in TABLES {
        let n = count_rows(&app.db, t).await;
        assert!(n > 0, "the demo fills {t}");
        first.push(n);
    }
    app.demo_as_viewer().await;
    for (t, n) in TABLES.iter().zip(first) {
        assert_eq!(
            count_rows(&app.db, t).await,
            n,
            "{t} changed on the second load"
        );
    }
}

#[tokio::test]
async fn pekalongan_2025_has_contributions_from_every_local_helix() {
    let app = spawn_app().await;
    app.demo_as_viewer().await;
    let data = app
        .data(COUNT, json!({ "region": "33.26", "year": 2025 }))
        .await;
    let conn = &data["contributions"];
    let total = conn["totalCount"].as_i64().unwrap();
    assert!(total > 0);
    let edges = conn["edges"].as_array().unwrap();
    assert_eq!(edges.len() as i64, total, "one page holds them all");
    let mut helixes: Vec<&str> = edges
        .iter()
        .map(|e| e["node"]["contributor"]["helix"].as_str().unwrap())
        .collect();
    helixes.sort();
    helixes.dedup();
    assert_eq!(
        helixes,
        ["ACADEMIA", "BUSINESS", "COMMUNITY", "GOVERNMENT", "VILLAGE"]
    );
    for e in edges {
        assert_eq!(e["node"]["fiscalYear"], 2025);
        assert!(
            e["node"]["region"]["code"]
                .as_str()
                .unwrap()
                .starts_with("33.26.")
        );
    }
}

#[tokio::test]
async fn lampung_counts_only_lampung() {
    let app = spawn_app().await;
    app.demo_as_viewer().await;
    let data = app
        .data(COUNT, json!({ "region": "18", "year": 2025 }))
        .await;
    let conn = &data["contributions"];
    let edges = conn["edges"].as_array().unwrap();
    assert!(!edges.is_empty());
    assert_eq!(conn["totalCount"].as_i64().unwrap(), edges.len() as i64);
    for e in edges {
        assert!(
            e["node"]["region"]["code"]
                .as_str()
                .unwrap()
                .starts_with("18.")
        );
    }
    // Independently: every non-draft 2025 contribution in a code starting with "18." and nothing else.
    let all = app.data(COUNT, json!({ "year": 2025 })).await;
    let lampung = all["contributions"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["node"]["region"]["code"]
                .as_str()
                .unwrap()
                .starts_with("18.")
        })
        .count();
    assert_eq!(edges.len(), lampung);
    assert!(
        all["contributions"]["totalCount"].as_i64().unwrap() > lampung as i64,
        "other provinces exist"
    );
}

#[tokio::test]
async fn drafts_are_hidden_from_a_viewer_outside_their_organization() {
    let app = spawn_app().await;
    app.demo_as_viewer().await;
    let drafts = count_rows_where(&app, "status = 'PLANNED'").await;
    assert!(drafts > 0, "the demo has draft contributions");
    let all = count_rows(&app.db, "contributions").await;
    let data = app
        .data(r#"{ contributions { totalCount } }"#, json!({}))
        .await;
    assert_eq!(
        data["contributions"]["totalCount"].as_i64().unwrap(),
        all - drafts
    );
    let page = app.data(COUNT, json!({ "year": 2026 })).await;
    for e in page["contributions"]["edges"].as_array().unwrap() {
        assert_ne!(e["node"]["status"], "PLANNED");
    }
}

async fn count_rows_where(app: &crate::helpers::TestApp, cond: &str) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let sql = format!("SELECT COUNT(*) AS n FROM contributions WHERE {cond}");
    let row = app
        .db
        .query_one_raw(Statement::from_string(app.db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

#[tokio::test]
async fn callers_who_are_not_signed_in_read_regions_only() {
    let app = spawn_app().await;
    app.load_demo().await;
    for q in [
        "{ contributions { totalCount } }",
        "{ organizations { totalCount } }",
        "{ programs { totalCount } }",
        "{ meetings { totalCount } }",
        "{ actionItems { totalCount } }",
        "{ synergies { totalCount } }",
        r#"{ region(code: "33.26") { contributions { totalCount } } }"#,
        r#"{ region(code: "33.26.02.2008") { indicators { priority } } }"#,
    ] {
        let res = app.gql(q, json!({})).await;
        assert_eq!(
            crate::helpers::error_code(&res),
            "UNAUTHENTICATED",
            "{q}: {res}"
        );
    }
    let public = app.data(r#"{ region(code: "33.26") { name children { totalCount } } search(text: "botosari") { totalCount edges { node { __typename } } } }"#, json!({})).await;
    assert_eq!(public["region"]["name"], "Kabupaten Pekalongan");
    for e in public["search"]["edges"].as_array().unwrap() {
        assert_eq!(
            e["node"]["__typename"], "Region",
            "anonymous search sees regions only"
        );
    }
}
