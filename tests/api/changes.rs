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
