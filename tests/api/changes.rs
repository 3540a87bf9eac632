//! `recentChanges`: the newest audited writes, under the `auditTrail` rule.

use crate::helpers::{error_code, spawn_app};
use serde_json::json;
use sinergi::services::demo::demo_id;

const CHANGES: &str =
    "query($n: Int) { recentChanges(first: $n) { entity entityId action organization { name } } }";

#[tokio::test]
async fn recent_changes_show_each_user_only_what_its_audit_rule_allows() {
    let app = spawn_app().await;
    app.load_demo().await;
    let skpd = app.token_for("skpd@pekalongan.demo").await;
    let kampus = app.token_for("kampus@pekalongan.demo").await;
    let create = r#"mutation($i: ContributionInput!) { createContribution(input: $i) { id } }"#;
    let mut ids = Vec::new();
    for (token, title) in [
        (&skpd, "Perubahan Dinas Sosial"),
        (&kampus, "Perubahan Universitas"),
    ] {
        let res = app
            .gql_as(
                Some(token),
                create,
                json!({ "i": { "source": if title.contains("Dinas") { "APBD_REGENCY" } else { "UNIVERSITY" }, "kind": "CASH",
                               "regionCode": "33.26.02.2008", "programId": demo_id("rtlh"), "fiscalYear": 2026,
                               "title": title, "amountPlanned": 1000 } }),
            )
            .await;
        ids.push(
            res["data"]["createContribution"]["id"]
                .as_str()
                .unwrap_or_else(|| panic!("{res}"))
                .to_string(),
        );
    }
    let seen = |res: &serde_json::Value| -> Vec<String> {
        res["data"]["recentChanges"]
            .as_array()
            .unwrap_or_else(|| panic!("{res}"))
            .iter()
            .map(|e| e["entityId"].as_str().unwrap().to_string())
            .collect()
    };
    let own = seen(&app.gql_as(Some(&skpd), CHANGES, json!({ "n": 10 })).await);
    assert!(
        own.contains(&ids[0]),
        "a member sees its own organization's change"
    );
    assert!(!own.contains(&ids[1]), "but not another organization's");
    let coordinator = app.token_for("koordinator@pekalongan.demo").await;
    let all = seen(
        &app.gql_as(Some(&coordinator), CHANGES, json!({ "n": 10 }))
            .await,
    );
    assert_eq!(
        &all[..2],
        &[ids[1].clone(), ids[0].clone()],
        "the region's coordinator sees both, newest first"
    );
    let lampung = app.token_for("koordinator@lampung.demo").await;
    let other = seen(
        &app.gql_as(Some(&lampung), CHANGES, json!({ "n": 10 }))
            .await,
    );
    assert!(
        other.iter().all(|id| !ids.contains(id)),
        "a coordinator elsewhere sees neither"
    );

    assert_eq!(
        error_code(&app.gql_as(None, CHANGES, json!({ "n": 10 })).await),
        "UNAUTHENTICATED"
    );
    let res = app.gql_as(Some(&skpd), CHANGES, json!({ "n": 51 })).await;
    assert_eq!(error_code(&res), "BAD_USER_INPUT");
    assert_eq!(res["errors"][0]["extensions"]["field"], "first");
}

/// The newest changes are judged a kind of record at a time: a coordinator's `recentChanges` over
/// many contributions costs the same few statements for 5 changed contributions as for 40.
#[tokio::test]
async fn recent_changes_cost_the_same_statements_for_few_or_many_changed_records() {
    let app = spawn_app().await;
    app.load_demo().await;
    let member = app.token_for("skpd@pekalongan.demo").await;
    let coordinator = app.token_for("koordinator@pekalongan.demo").await;
    let create = r#"mutation($i: ContributionInput!) { createContribution(input: $i) { id } }"#;
    let recent = r#"{ recentChanges(first: 50) { entity entityId } }"#;
    // The coordinator's account is read once, then kept: measure only what the query costs.
    app.gql_as(Some(&coordinator), recent, json!({})).await;
    let mut costs = Vec::new();
    let mut made = 0;
    for target in [5, 40] {
        while made < target {
            let res = app
                .gql_as(
                    Some(&member),
                    create,
                    json!({ "i": { "source": "APBD_REGENCY", "kind": "CASH", "regionCode": "33.26.02.2008",
                                   "fiscalYear": 2026, "title": format!("Perubahan {made}"), "amountPlanned": 1000 } }),
                )
                .await;
            assert!(res["errors"].is_null(), "{res}");
            made += 1;
        }
        let before = app.statements.get();
        let res = app.gql_as(Some(&coordinator), recent, json!({})).await;
        costs.push(app.statements.get() - before);
        let seen = res["data"]["recentChanges"].as_array().unwrap().len();
        assert!(
            seen >= target,
            "the coordinator sees the {target} new changes in its region: {res}"
        );
    }
    assert_eq!(
        costs[0], costs[1],
        "statements for 5 and for 40 changed contributions: {costs:?}"
    );
    assert!(
        costs[1] <= 3,
        "the scan, one lookup of the contributions: {costs:?}"
    );
    app.stop().await;
}
