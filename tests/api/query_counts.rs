//! The regency dashboard costs the same number of SQL statements with 1 village of data as with 500,
//! and no more than one per level of nesting.

use crate::helpers::spawn_app;
use crate::seed;
use entity::enums::*;
use serde_json::json;

const DASHBOARD: &str = r#"query($code: String!, $first: Int) { region(code: $code) { villages(first: $first) { edges { node { name
    contributions { edges { node { amountCommitted contributor { name helix } program { name cluster } } } } } } } } }"#;

/// Levels that touch the database: region, villages, contributions, contributor, program (the
/// signed-in user is kept between requests: it costs nothing once read).
const LEVELS: u64 = 5;

#[tokio::test]
async fn the_regency_dashboard_costs_the_same_statements_for_1_or_500_villages() {
    let app = spawn_app().await;
    app.sign_in_new_viewer().await;
    let small = seed::regency(&app.db, "98.01", 1, 1).await;
    let large = seed::regency(&app.db, "98.02", 5, 100).await;
    assert_eq!(large.len(), 500);
    let orgs = [
        seed::organization(
            &app.db,
            "Dinas Sosial Uji",
            Helix::Government,
            OrganizationKind::Skpd,
            "98.02",
        )
        .await,
        seed::organization(
            &app.db,
            "PT Uji",
            Helix::Business,
            OrganizationKind::Company,
            "98.02",
        )
        .await,
        seed::organization(
            &app.db,
            "Universitas Uji",
            Helix::Academia,
            OrganizationKind::University,
            "98",
        )
        .await,
    ];
    let program = seed::program(&app.db, "Program Uji", &orgs[0], Cluster::SocialAssistance).await;
    let mut rows = Vec::new();
    for (i, village) in small.iter().chain(large.iter()).enumerate() {
        for (j, org) in orgs.iter().enumerate() {
            let prog = (j != 1).then_some(program.as_str());
            rows.push(seed::contribution(
                org,
                village,
                prog,
                2025,
                1_000_000 * (i + j + 1) as i64,
            ));
        }
    }
    seed::insert_contributions(&app.db, rows).await;

    // The viewer's account is read by its first request, then kept: count only the dashboard's.
    app.data("{ me { user { email } } }", json!({})).await;
    let mut costs = Vec::new();
    for (code, first) in [("98.01", 50), ("98.02", 50), ("98.02", 100)] {
        let before = app.statements.get();
        let data = app
            .data(DASHBOARD, json!({ "code": code, "first": first }))
            .await;
        costs.push(app.statements.get() - before);
        let edges = data["region"]["villages"]["edges"].as_array().unwrap();
        let expected_villages = if code == "98.01" { 1 } else { first };
        assert_eq!(edges.len(), expected_villages);
        for e in edges {
            let contributions = e["node"]["contributions"]["edges"].as_array().unwrap();
            assert_eq!(
                contributions.len(),
                3,
                "every village shows its three contributions"
            );
            for c in contributions {
                assert!(c["node"]["contributor"]["helix"].is_string());
            }
        }
    }
    assert_eq!(
        costs[0], costs[1],
        "1 village and 50 villages must cost the same: {costs:?}"
    );
    assert_eq!(
        costs[1], costs[2],
        "50 and 100 villages must cost the same: {costs:?}"
    );
    assert!(
        costs[0] <= LEVELS,
        "at most one statement per level, got {}",
        costs[0]
    );
}

#[tokio::test]
async fn nested_lists_of_organizations_and_meetings_are_batched_too() {
    let app = spawn_app().await;
    app.demo_as_viewer().await;
    let q = r#"query($first: Int) { organizations(first: $first) { edges { node { name parent { name } units { name } region { name }
        contributions(first: 5) { totalCount edges { node { title region { name } } } }
        programs { edges { node { name } } } meetings { edges { node { title } } }
        actionItems { totalCount edges { node { text } } } } } } }"#;
    let mut costs = Vec::new();
    for first in [1, 20] {
        let before = app.statements.get();
        let data = app.data(q, json!({ "first": first })).await;
        costs.push(app.statements.get() - before);
        assert_eq!(
            data["organizations"]["edges"].as_array().unwrap().len(),
            first
        );
    }
    // One statement per relation level (organizations, parent, units, region, contribution page and
    // count, their regions, programs, participations, meetings, action items and their count) plus
    // the signed-in user's lookup: 13 at most, whether 1 or 20 organizations are listed (one
    // organization may need fewer, when a relation is empty).
    assert!(
        costs[1] <= 13,
        "listing 20 organizations cost {} statements: {costs:?}",
        costs[1]
    );
    assert!(costs[0] <= costs[1]);
}
