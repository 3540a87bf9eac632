//! Live updates (issue 14): subscriptions over graphql-ws and SSE deliver what a subscriber may
//! read, across hub processes, and tell a subscriber that fell behind to reload.

mod client;
mod console;
mod processes;
mod rules;

use crate::helpers::TestApp;
use client::Ws;
use serde_json::{Value, json};
use sinergi::services::demo::demo_id;
use std::time::Duration;

pub(super) const VIEWER: &str = "pemantau@sinergi.demo";
pub(super) const MEMBER: &str = "skpd@pekalongan.demo";
pub(super) const COORD: &str = "koordinator@pekalongan.demo";

pub(super) const CONTRIBUTIONS: &str = "subscription($r: String) { contributionChanges(region: $r) { action reload contribution { id title status region { code } } } }";

/// Creates a contribution of `who`'s organization in `village`, as a draft (PLANNED) or
/// COMMITTED; returns its id.
pub(super) async fn create(
    app: &TestApp,
    token: &str,
    village: &str,
    title: &str,
    status: &str,
) -> String {
    let res = app
        .gql_as(
            Some(token),
            "mutation($i: ContributionInput!) { createContribution(input: $i) { id } }",
            json!({ "i": { "source": "APBD_REGENCY", "kind": "CASH", "regionCode": village,
                           "programId": demo_id("rtlh"), "fiscalYear": 2025, "title": title,
                           "amountPlanned": 10_000_000, "amountCommitted": 10_000_000, "status": status } }),
        )
        .await;
    res["data"]["createContribution"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("create {title}: {res}"))
        .to_string()
}

/// Deactivates the demo user `email` through `updateUser`, as the demo admin.
pub(super) async fn deactivate(app: &TestApp, email: &str) {
    let admin = app.token_for("admin@sinergi.demo").await;
    let res = app
        .gql_as(
            Some(&admin),
            "mutation($id: ID!) { updateUser(id: $id, version: 1, input: { active: false }) { active } }",
            json!({ "id": demo_id(email) }),
        )
        .await;
    assert_eq!(res["data"]["updateUser"]["active"], false, "{res}");
}

/// Waits until the hub counts `n` subscriptions: a write made after this reaches them.
pub(super) async fn subscribed(app: &TestApp, n: usize) {
    for _ in 0..500 {
        if app.bus.subscriptions() >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("only {} subscriptions after 5 s", app.bus.subscriptions());
}

/// A WebSocket subscribed to the contributions of `region` as `token`, counted by the hub.
pub(super) async fn watch(app: &TestApp, token: &str, region: &str, already: usize) -> Ws {
    let mut ws = Ws::connect(app.addr, Some(token)).await.expect("connected");
    ws.subscribe("c", CONTRIBUTIONS, json!({ "r": region }))
        .await;
    subscribed(app, already + 1).await;
    ws
}

pub(super) fn change(payload: &Value) -> &Value {
    assert!(payload.get("errors").is_none(), "{payload:#}");
    &payload["data"]["contributionChanges"]
}

/// The first error of a refused subscription, whichever graphql-ws message carries it (`error`
/// before execution, `next` with `errors` from execution).
pub(super) fn refusal(m: &Value) -> &Value {
    match m["type"].as_str() {
        Some("error") => &m["payload"][0],
        Some("next") => &m["payload"]["errors"][0],
        _ => panic!("not a refusal: {m}"),
    }
}
