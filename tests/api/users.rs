//! User accounts over GraphQL (issue 12, item 6): the `users` list a manager picks from, a password
//! reset that its owner must replace before writing anything, and `changeOwnPassword`.

use crate::helpers::{PASSWORD, TestApp, count_rows, error_code, spawn_app};
use serde_json::{Value, json};
use sinergi::services::demo::demo_id;

const COORDINATOR: &str = "koordinator@pekalongan.demo";
const ADMIN: &str = "admin@sinergi.demo";
const NEW: &str = "kata-sandi-baru-sekali";

const LOGIN: &str = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token mustChangePassword viewer { mustChangePassword } } }";
const CHANGE: &str = "mutation($c: String!, $n: String!) { changeOwnPassword(current: $c, new: $n) { mustChangePassword user { version } } }";
const RESET: &str = "mutation($id: ID!, $v: Int!, $p: String!) { updateUser(id: $id, version: $v, input: {password: $p}) { version mustChangePassword } }";
const NEW_ORG: &str = r#"mutation { createOrganization(input: {name: "KWT Botosari", helix: COMMUNITY, kind: COMMUNITY_GROUP, regionCode: "33.26.02.2008"}) { id } }"#;
const USERS: &str = "query($f: UserFilter, $first: Int, $after: String) { users(filter: $f, first: $first, after: $after) { totalCount edges { cursor node { email } } pageInfo { hasNextPage endCursor } } }";

fn emails(res: &Value) -> Vec<String> {
    let edges = res["data"]["users"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("no users in {res}"));
    let mut e: Vec<String> = edges
        .iter()
        .map(|e| e["node"]["email"].as_str().unwrap().to_string())
        .collect();
    e.sort();
    e
}

async fn login(app: &TestApp, email: &str, password: &str) -> Value {
    app.gql_as(None, LOGIN, json!({ "e": email, "p": password }))
        .await
}

/// The admin resets the coordinator's password; returns the coordinator's new token.
async fn reset_coordinator(app: &TestApp, admin: &str) -> String {
    let res = app
        .gql_as(
            Some(admin),
            RESET,
            json!({ "id": demo_id(COORDINATOR), "v": 1, "p": "sementara-dari-admin" }),
        )
        .await;
    assert_eq!(
        res["data"]["updateUser"]["mustChangePassword"], true,
        "{res}"
    );
    let res = login(app, COORDINATOR, "sementara-dari-admin").await;
    assert_eq!(res["data"]["login"]["mustChangePassword"], true, "{res}");
    assert_eq!(res["data"]["login"]["viewer"]["mustChangePassword"], true);
    res["data"]["login"]["token"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_reset_password_must_be_replaced_before_any_write() {
    let app = spawn_app().await;
    app.load_demo().await;
    let admin = app.token_for(ADMIN).await;
    let t = reset_coordinator(&app, &admin).await;
    let orgs = count_rows(&app.db, "organizations").await;

    let res = app.gql_as(Some(&t), NEW_ORG, json!({})).await;
    assert_eq!(error_code(&res), "FORBIDDEN", "{res}");
    let message = res["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("changeOwnPassword"), "{message}");
    assert_eq!(count_rows(&app.db, "organizations").await, orgs);
    // Reads stay open.
    let res = app
        .gql_as(
            Some(&t),
            "{ organizations(first: 1) { totalCount } }",
            json!({}),
        )
        .await;
    assert!(res.get("errors").is_none(), "{res}");

    let audit = count_rows(&app.db, "audit_log").await;
    let wrong = json!({ "c": PASSWORD, "n": NEW });
    let res = app.gql_as(Some(&t), CHANGE, wrong).await;
    assert_eq!(error_code(&res), "BAD_USER_INPUT", "{res}");
    assert_eq!(res["errors"][0]["extensions"]["field"], "current", "{res}");
    assert_eq!(count_rows(&app.db, "audit_log").await, audit);
    assert!(login(&app, COORDINATOR, NEW).await.get("errors").is_some());

    let res = app
        .gql_as(
            Some(&t),
            CHANGE,
            json!({ "c": "sementara-dari-admin", "n": NEW }),
        )
        .await;
    assert_eq!(
        res["data"]["changeOwnPassword"]["mustChangePassword"], false,
        "{res}"
    );
    let res = app.gql_as(Some(&t), NEW_ORG, json!({})).await;
    assert!(res.get("errors").is_none(), "{res}");
    assert_eq!(count_rows(&app.db, "organizations").await, orgs + 1);

    let res = login(&app, COORDINATOR, NEW).await;
    assert_eq!(res["data"]["login"]["mustChangePassword"], false, "{res}");
    let res = login(&app, COORDINATOR, "sementara-dari-admin").await;
    assert_eq!(error_code(&res), "UNAUTHENTICATED", "{res}");

    // The trail shows the reset and the change, never a hash.
    let trail = app
        .gql_as(
            Some(&admin),
            "query($id: ID!) { auditTrail(entity: \"user\", id: $id) { action before after } }",
            json!({ "id": demo_id(COORDINATOR) }),
        )
        .await;
    let actions: Vec<&str> = trail["data"]["auditTrail"]
        .as_array()
        .unwrap_or_else(|| panic!("{trail}"))
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["update", "change_password"], "{trail}");
    assert!(!trail.to_string().contains("$argon2"), "{trail}");
}

#[tokio::test]
async fn a_user_who_sets_their_own_password_is_not_asked_to_change_it() {
    let app = spawn_app().await;
    app.load_demo().await;
    let admin = app.token_for(ADMIN).await;
    let res = app
        .gql_as(
            Some(&admin),
            RESET,
            json!({ "id": demo_id(ADMIN), "v": 1, "p": NEW }),
        )
        .await;
    assert_eq!(
        res["data"]["updateUser"]["mustChangePassword"], false,
        "{res}"
    );
}

#[tokio::test]
async fn a_new_password_must_follow_the_rules() {
    let app = spawn_app().await;
    app.load_demo().await;
    let t = app.token_for("pemantau@sinergi.demo").await;
    let audit = count_rows(&app.db, "audit_log").await;
    for new in ["pendek", PASSWORD] {
        let res = app
            .gql_as(Some(&t), CHANGE, json!({ "c": PASSWORD, "n": new }))
            .await;
        assert_eq!(error_code(&res), "BAD_USER_INPUT", "{res}");
        assert_eq!(res["errors"][0]["extensions"]["field"], "new", "{res}");
    }
    assert_eq!(count_rows(&app.db, "audit_log").await, audit);
    let res = app
        .gql_as(None, CHANGE, json!({ "c": PASSWORD, "n": NEW }))
        .await;
    assert_eq!(error_code(&res), "UNAUTHENTICATED", "{res}");
    // A viewer writes nothing else, but chooses its own password.
    let res = app
        .gql_as(Some(&t), CHANGE, json!({ "c": PASSWORD, "n": NEW }))
        .await;
    assert_eq!(
        res["data"]["changeOwnPassword"]["user"]["version"], 2,
        "{res}"
    );
    assert!(login(&app, "pemantau@sinergi.demo", NEW).await["data"]["login"]["token"].is_string());
}

#[tokio::test]
async fn the_users_list_shows_whom_the_caller_may_manage() {
    let app = spawn_app().await;
    app.load_demo().await;
    let coordinator = app.token_for(COORDINATOR).await;
    // Universitas Pekalongan lies in Kota Pekalongan (33.75), outside the coordinator's 33.26.
    let members = [
        "csr@pekalongan.demo",
        "desa@botosari.demo",
        "skpd@pekalongan.demo",
    ];
    let res = app.gql_as(Some(&coordinator), USERS, json!({})).await;
    assert_eq!(emails(&res), members, "{res}");
    assert_eq!(res["data"]["users"]["totalCount"], 3);

    let admin = app.token_for(ADMIN).await;
    let res = app.gql_as(Some(&admin), USERS, json!({})).await;
    assert_eq!(res["data"]["users"]["totalCount"], 8, "{res}");
    let skpd = app.token_for("skpd@pekalongan.demo").await;
    let me = app
        .gql_as(Some(&skpd), "{ me { organization { id } } }", json!({}))
        .await;
    let only = json!({ "f": { "organizationId": me["data"]["me"]["organization"]["id"] } });
    let res = app.gql_as(Some(&coordinator), USERS, only).await;
    assert_eq!(emails(&res), ["skpd@pekalongan.demo"], "{res}");
    let lampung = json!({ "f": { "region": "18" } });
    let res2 = app.gql_as(Some(&coordinator), USERS, lampung).await;
    assert_eq!(emails(&res2), Vec::<String>::new(), "{res2}");
    let res3 = app
        .gql_as(Some(&admin), USERS, json!({ "f": { "region": "18" } }))
        .await;
    assert_eq!(emails(&res3), ["koordinator@lampung.demo"], "{res3}");

    // Pages: two, then the rest, nothing twice.
    let first = app
        .gql_as(Some(&coordinator), USERS, json!({ "first": 2 }))
        .await;
    assert_eq!(
        first["data"]["users"]["pageInfo"]["hasNextPage"], true,
        "{first}"
    );
    let after = first["data"]["users"]["pageInfo"]["endCursor"].clone();
    let rest = app
        .gql_as(
            Some(&coordinator),
            USERS,
            json!({ "first": 2, "after": after }),
        )
        .await;
    let mut all = emails(&first);
    all.extend(emails(&rest));
    all.sort();
    assert_eq!(all, members);

    for who in ["skpd@pekalongan.demo", "pemantau@sinergi.demo"] {
        let t = app.token_for(who).await;
        let res = app.gql_as(Some(&t), USERS, json!({})).await;
        assert_eq!(error_code(&res), "FORBIDDEN", "{who}: {res}");
    }
    let res = app
        .gql_as(Some(&coordinator), USERS, json!({ "f": { "region": "x" } }))
        .await;
    assert_eq!(
        res["errors"][0]["extensions"]["field"], "filter.region",
        "{res}"
    );
}
