//! The SQL statements the benchmark's three main queries cost, pinned: a contribution with its
//! contributor and region, a village's page with `totalCount`, and the regency dashboard. To-one
//! relations are read by the statement that reads the rows, a first page's `totalCount` too, and a
//! dashboard costs the same with 1 village of data as with 500. All three need a signed-in caller
//! (contributions are not public), so there is no anonymous variant.

use crate::helpers::spawn_app;
use crate::seed;
use entity::enums::*;
use serde_json::json;

const DASHBOARD: &str = r#"query($code: String!, $first: Int) { region(code: $code) { villages(first: $first) { edges { node { name
    contributions { edges { node { amountCommitted contributor { name helix } program { name cluster } } } } } } } } }"#;

/// The lookup of the signed-in user behind the token: nothing once its first request has read it
/// (`user_cache`), which [`warm`] makes sure of before anything is counted.
const SIGNED_IN: u64 = 0;

/// A first request as the signed-in user, so that its account is kept before counting.
async fn warm(app: &crate::helpers::TestApp) {
    let me = app.data("{ me { user { email } } }", json!({})).await;
    assert!(me["me"]["user"]["email"].is_string(), "{me}");
}

/// One statement for the contributions of all the villages together with their contributors and
/// programs. The region and its villages come from the region cache once a first request read them
/// ([`REGIONS`]; cold, they cost one statement each).
const DASHBOARD_STATEMENTS: u64 = 1 + REGIONS + SIGNED_IN;

/// Regions, a region's children and the villages below it, once a request read them: kept in memory
/// by the hub (`region_cache`) until an import changes them, so every count here is taken warm.
const REGIONS: u64 = 0;

#[tokio::test]
async fn the_regency_dashboard_costs_the_same_statements_for_1_or_500_villages() {
    let app = spawn_app().await;
    app.sign_in_new_viewer().await;
    warm(&app).await;
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

    // Warm: the regions and their villages are read once (each costs 2 statements more cold).
    for code in ["98.01", "98.02"] {
        app.data(DASHBOARD, json!({ "code": code, "first": 1 }))
            .await;
    }
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
                let program = &c["node"]["program"];
                assert!(
                    program.is_null() || program["name"] == "Program Uji",
                    "{program}"
                );
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
    assert_eq!(
        costs[0], DASHBOARD_STATEMENTS,
        "contributions with contributor and program; region and villages from the cache"
    );
}

#[tokio::test]
async fn nested_lists_of_organizations_and_meetings_are_batched_too() {
    let app = spawn_app().await;
    app.demo_as_viewer().await;
    warm(&app).await;
    let q = r#"query($first: Int) { organizations(first: $first) { edges { node { name parent { name } units { name } region { name }
        contributions(first: 5) { totalCount edges { node { title region { name } } } }
        programs { edges { node { name } } } meetings { edges { node { title } } }
        actionItems { totalCount edges { node { text } } } } } } }"#;
    // Warm: the organizations' regions are read once (with other variables than those counted,
    // whose answer the response cache would otherwise give without a statement).
    app.data(q, json!({ "first": 21 })).await;
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
    // One statement per relation level: organizations, parent, units, the contribution pages (with
    // their count and their rows' regions), programs, participations, meetings, action items and
    // their count: 9, whether 1 or 20 organizations are listed (one organization may need fewer,
    // when a relation is empty). The organizations' regions come from the region cache, warm since
    // the first request (cold: one statement more).
    assert_eq!(
        costs[1],
        9 + REGIONS + SIGNED_IN,
        "listing 20 organizations: {costs:?}"
    );
    assert!(costs[0] <= costs[1]);
}

/// A village with contributions of two organizations, half of them under a program, and another
/// organization's draft the viewer must not see; returns (village, [(title, contributor, program)]).
async fn village_with_contributions(
    app: &crate::helpers::TestApp,
    rows: usize,
) -> (String, Vec<(String, String, Option<String>)>) {
    let village = seed::regency(&app.db, "98.03", 1, 2).await[0].clone();
    let orgs = [
        ("Dinas Uji", Helix::Government, OrganizationKind::Skpd),
        ("PT Uji", Helix::Business, OrganizationKind::Company),
        ("Yayasan Lain", Helix::Community, OrganizationKind::Ngo),
    ];
    let mut ids = Vec::new();
    for (name, helix, kind) in orgs {
        ids.push(seed::organization(&app.db, name, helix, kind, "98.03").await);
    }
    let program = seed::program(&app.db, "Program Uji", &ids[0], Cluster::SocialAssistance).await;
    let mut expected = Vec::new();
    let mut inserted = Vec::new();
    for i in 0..rows {
        let (org, name) = (&ids[i % 2], orgs[i % 2].0);
        let prog = (i % 2 == 0).then_some(program.as_str());
        let row = seed::contribution(org, &village, prog, 2025, 1_000 + i as i64);
        expected.push((
            format!("Kontribusi {}", 1_000 + i),
            name.to_string(),
            prog.map(|_| "Program Uji".to_string()),
        ));
        inserted.push(row);
    }
    let mut draft = seed::contribution(&ids[2], &village, None, 2025, 99);
    draft.status = sea_orm::ActiveValue::Set(ContributionStatus::Planned);
    inserted.push(draft);
    seed::insert_contributions(&app.db, inserted).await;
    (village, expected)
}

#[tokio::test]
async fn a_contribution_with_its_contributor_region_and_program_is_one_statement() {
    let app = spawn_app().await;
    app.sign_in_new_viewer().await;
    warm(&app).await;
    let (village, _) = village_with_contributions(&app, 2).await;
    let q = r#"query($code: String!) { region(code: $code) { contributions { edges { node { id } } } } }"#;
    let data = app.data(q, json!({ "code": village })).await;
    let edges = data["region"]["contributions"]["edges"].as_array().unwrap();
    assert_eq!(
        edges.len(),
        2,
        "the other organization's draft stays hidden"
    );
    let q = r#"query($id: ID!) { contribution(id: $id) { id title amountCommitted
        contributor { name } region { name code } program { name } } }"#;
    for (i, e) in edges.iter().enumerate() {
        let id = e["node"]["id"].as_str().unwrap();
        let before = app.statements.get();
        let data = app.data(q, json!({ "id": id })).await;
        assert_eq!(
            app.statements.get() - before,
            1 + SIGNED_IN,
            "the row and its relations in one statement"
        );
        let c = &data["contribution"];
        assert_eq!(c["id"], id);
        assert_eq!(c["region"]["code"], village);
        assert_eq!(c["region"]["name"], "Desa Uji 1-1");
        let (contributor, program) = if i == 0 {
            ("Dinas Uji", json!({ "name": "Program Uji" }))
        } else {
            ("PT Uji", json!(null))
        };
        assert_eq!(c["contributor"]["name"], contributor);
        assert_eq!(c["program"], program);
    }
}

#[tokio::test]
async fn a_village_page_with_its_total_is_one_statement() {
    let app = spawn_app().await;
    app.sign_in_new_viewer().await;
    warm(&app).await;
    let (village, expected) = village_with_contributions(&app, 25).await;
    // The relations are asked for through a fragment: they are read with the rows all the same.
    let q = r#"query($code: String!, $after: String) { region(code: $code) { name
        contributions(first: 20, after: $after) { totalCount pageInfo { hasNextPage endCursor }
        edges { node { title fiscalYear amountCommitted source ...Who } } } } }
        fragment Who on Contribution { contributor { name helix } program { name } }"#;
    let mut seen = Vec::new();
    let mut after = serde_json::Value::Null;
    // The region is read once, then kept by the region cache (cold, it costs one statement).
    app.data(q, json!({ "code": village })).await;
    // The first page counts in its own statement; a later page needs one more for the whole count.
    for (page, statements) in
        [(1 + REGIONS, 20), (2 + REGIONS, 5)].map(|(n, page)| (page, n + SIGNED_IN))
    {
        let before = app.statements.get();
        let data = app
            .data(q, json!({ "code": village, "after": after }))
            .await;
        assert_eq!(app.statements.get() - before, statements, "{data}");
        let conn = &data["region"]["contributions"];
        assert_eq!(conn["totalCount"], 25, "the draft is not counted");
        let edges = conn["edges"].as_array().unwrap();
        assert_eq!(edges.len(), page);
        for e in edges {
            let n = &e["node"];
            seen.push((
                n["title"].as_str().unwrap().to_string(),
                n["contributor"]["name"].as_str().unwrap().to_string(),
                n["program"]["name"].as_str().map(str::to_string),
            ));
        }
        after = conn["pageInfo"]["endCursor"].clone();
    }
    seen.sort();
    let mut expected = expected;
    expected.sort();
    assert_eq!(
        seen, expected,
        "every row once, with its own contributor and program"
    );

    // The village's neighbour has no contributions: its count is 0, not missing.
    let data = app.data(q, json!({ "code": "98.03.01.2002" })).await;
    assert_eq!(data["region"]["contributions"]["totalCount"], 0);
    assert_eq!(data["region"]["contributions"]["edges"], json!([]));
}
