//! Keyset paging: a 1,000-row connection walked in pages of 7 shows every row exactly once, even while
//! rows are being added; sorted orders stay total and stable.

use crate::helpers::spawn_app;
use crate::seed;
use entity::enums::*;
use serde_json::{Value, json};
use std::collections::HashSet;

#[tokio::test]
async fn walking_1000_rows_in_pages_of_7_sees_each_exactly_once_while_rows_arrive() {
    let app = spawn_app().await;
    app.sign_in_new_viewer().await;
    let villages = seed::regency(&app.db, "98.01", 1, 10).await;
    let org = seed::organization(
        &app.db,
        "Dinas Uji",
        Helix::Government,
        OrganizationKind::Skpd,
        "98.01",
    )
    .await;
    let rows: Vec<_> = (0..1000)
        .map(|i| seed::contribution(&org, &villages[i % 10], None, 2025, 1_000 + i as i64))
        .collect();
    let original: HashSet<String> = rows.iter().map(|r| r.id.clone().unwrap()).collect();
    seed::insert_contributions(&app.db, rows).await;

    let q = r#"query($after: String) { contributions(filter: {region: "98.01"}, first: 7, after: $after) {
        pageInfo { hasNextPage endCursor } edges { node { id } } } }"#;
    let mut seen: Vec<String> = Vec::new();
    let mut after = Value::Null;
    let mut pages = 0;
    loop {
        let data = app.data(q, json!({ "after": after })).await;
        let conn = &data["contributions"];
        let edges = conn["edges"].as_array().unwrap();
        assert!(edges.len() <= 7);
        seen.extend(
            edges
                .iter()
                .map(|e| e["node"]["id"].as_str().unwrap().to_string()),
        );
        pages += 1;
        // Someone records a new contribution between every two pages.
        if pages % 10 == 0 {
            seed::insert_contributions(
                &app.db,
                vec![seed::contribution(&org, &villages[0], None, 2025, 5)],
            )
            .await;
        }
        if !conn["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            break;
        }
        after = conn["pageInfo"]["endCursor"].clone();
        assert!(pages < 1000, "paging must end");
    }
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no row is repeated");
    for id in &original {
        assert!(unique.contains(id), "row {id} was skipped");
    }
}

#[tokio::test]
async fn sorting_by_amount_is_total_and_stable_across_pages() {
    let app = spawn_app().await;
    app.sign_in_new_viewer().await;
    let villages = seed::regency(&app.db, "98.01", 1, 3).await;
    let org = seed::organization(
        &app.db,
        "Dinas Uji",
        Helix::Government,
        OrganizationKind::Skpd,
        "98.01",
    )
    .await;
    // Many ties: 60 rows over 6 distinct amounts.
    let rows: Vec<_> = (0..60)
        .map(|i| seed::contribution(&org, &villages[i % 3], None, 2025, 1_000 * (i % 6) as i64))
        .collect();
    seed::insert_contributions(&app.db, rows).await;
    let q = r#"query($after: String) { contributions(filter: {region: "98.01"}, orderBy: {field: AMOUNT_COMMITTED, direction: DESC},
        first: 7, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id amountCommitted } } } }"#;
    let mut seen: Vec<(i64, String)> = Vec::new();
    let mut after = Value::Null;
    loop {
        let data = app.data(q, json!({ "after": after })).await;
        let conn = &data["contributions"];
        assert_eq!(conn["totalCount"], 60);
        for e in conn["edges"].as_array().unwrap() {
            let amount: i64 = e["node"]["amountCommitted"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap();
            seen.push((amount, e["node"]["id"].as_str().unwrap().to_string()));
        }
        if !conn["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            break;
        }
        after = conn["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen.len(), 60);
    let mut sorted = seen.clone();
    sorted.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    assert_eq!(seen, sorted, "descending by amount, ties by id");
}
