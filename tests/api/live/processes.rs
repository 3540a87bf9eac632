//! Two hub processes on one database: a change written through either reaches the subscribers
//! of both (PostgreSQL: LISTEN/NOTIFY; SQLite: the other process reads the audit log).

use super::client::Ws;
use super::*;
use crate::drills::{ChildHub, report};
use crate::helpers::{PG_ENV, spawn_app};
use std::time::Instant;

/// PostgreSQL notifies at once; a second SQLite process finds the change within its poll (1 s).
fn allowed() -> Duration {
    if std::env::var(PG_ENV).is_ok_and(|v| !v.is_empty()) {
        Duration::from_secs(1)
    } else {
        Duration::from_secs(2)
    }
}

/// Subscribes through the other process and writes through this one until an event arrives
/// (the other process registers the subscription in its own time); returns the connection.
async fn live_connection(app: &TestApp, other: &ChildHub, token: &str, member: &str) -> Ws {
    for attempt in 0..20 {
        let mut ws = Ws::connect(other.addr, Some(token))
            .await
            .expect("connected");
        ws.subscribe("c", CONTRIBUTIONS, json!({ "r": "33.26" }))
            .await;
        tokio::time::sleep(Duration::from_millis(100 * attempt)).await;
        create(app, member, "33.26.02.2008", "Penanda", "COMMITTED").await;
        if let Some(p) = ws.next_payload(Duration::from_secs(3)).await {
            assert!(p.get("errors").is_none(), "{p}");
            return ws;
        }
    }
    panic!("no subscription through the other hub came alive");
}

#[tokio::test]
async fn a_change_written_through_one_hub_reaches_subscribers_of_another() {
    let app = spawn_app().await;
    app.load_demo().await;
    let other = ChildHub::start(&app.database_url, 5).await;
    let viewer = app.token_for(VIEWER).await;
    let member = app.token_for(MEMBER).await;
    let mut ws = live_connection(&app, &other, &viewer, &member).await;

    let mut worst = Duration::ZERO;
    for round in 0..5 {
        // A draft of another organization first: it must never arrive.
        create(&app, &member, "33.26.02.2008", "Draf", "PLANNED").await;
        let started = Instant::now();
        let id = create(
            &app,
            &member,
            "33.26.02.2008",
            &format!("Bedah rumah {round}"),
            "COMMITTED",
        )
        .await;
        let payload = ws
            .next_payload(allowed())
            .await
            .unwrap_or_else(|| panic!("round {round}: nothing within {:?}", allowed()));
        let took = started.elapsed();
        worst = worst.max(took);
        let c = change(&payload);
        assert_eq!(c["contribution"]["id"], id, "round {round}: {payload:#}");
        assert_eq!(c["contribution"]["status"], "COMMITTED");
    }
    report(&format!(
        "live: 5 changes written through one hub reached a subscriber of another, slowest after {} ms (write acknowledged included)",
        worst.as_millis()
    ));

    // A subscriber that goes away and comes back starts afresh, without errors.
    ws.close().await;
    create(
        &app,
        &member,
        "33.26.02.2008",
        "Selagi terputus",
        "COMMITTED",
    )
    .await;
    let mut again = live_connection(&app, &other, &viewer, &member).await;
    let id = create(
        &app,
        &member,
        "33.26.02.2008",
        "Sesudah kembali",
        "COMMITTED",
    )
    .await;
    // (On SQLite the other process may learn of the last changes only after the subscriber came
    // back, and then delivers them: changes it learns of after a subscription starts are its.)
    loop {
        let payload = again
            .next_payload(allowed())
            .await
            .expect("the next change");
        let c = change(&payload);
        assert_eq!(c["reload"], false, "{payload}");
        if c["contribution"]["id"] == id {
            break;
        }
    }
}

#[tokio::test]
async fn a_user_deactivated_through_one_hub_is_refused_by_the_other_with_its_account_cached() {
    let app = spawn_app().await;
    app.load_demo().await;
    let other = ChildHub::start(&app.database_url, 5).await;
    let viewer = app.token_for(VIEWER).await;
    let client = reqwest::Client::new();
    let me = "{ me { user { email } } }";
    // Both hubs have served the viewer, so both keep its account.
    for hub in [app.addr, other.addr] {
        let res = crate::drills::gql(&client, hub, &viewer, me, json!({}))
            .await
            .unwrap();
        assert_eq!(res["data"]["me"]["user"]["email"], VIEWER, "{res}");
    }
    deactivate(&app, VIEWER).await;
    let started = Instant::now();
    // The hub that made the change refuses at once.
    let res = app.gql_as(Some(&viewer), me, json!({})).await;
    assert_eq!(
        res["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{res}"
    );
    // The other, as soon as the change reaches it.
    loop {
        let res = crate::drills::gql(&client, other.addr, &viewer, me, json!({}))
            .await
            .unwrap();
        if res["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED" {
            break;
        }
        assert_eq!(res["data"]["me"]["user"]["email"], VIEWER, "{res}");
        assert!(
            started.elapsed() < allowed(),
            "the other hub still served a deactivated user after {:?}",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    report(&format!(
        "user cache: a deactivation through one hub was refused by the other after {} ms",
        started.elapsed().as_millis()
    ));
}
