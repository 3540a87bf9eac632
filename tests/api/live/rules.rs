//! One hub: who receives what, over both transports, and what a slow subscriber is told.

use super::client::{Sse, Ws};
use super::*;
use crate::helpers::spawn_app;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

const WAIT: Duration = Duration::from_secs(5);

async fn demo() -> TestApp {
    let app = spawn_app().await;
    app.load_demo().await;
    app
}

#[tokio::test]
async fn a_subscriber_receives_its_regions_changes_but_never_another_organizations_draft() {
    let app = demo().await;
    let viewer = app.token_for(VIEWER).await;
    let member = app.token_for(MEMBER).await;
    let mut seen_by_viewer = watch(&app, &viewer, "33.26", 0).await;
    let mut seen_by_member = watch(&app, &member, "33.26", 1).await;

    let draft = create(
        &app,
        &member,
        "33.26.02.2008",
        "Draf bedah rumah",
        "PLANNED",
    )
    .await;
    create(
        &app,
        &member,
        "18.01.04.2001",
        "Bantuan di Lampung",
        "COMMITTED",
    )
    .await;
    let committed = create(&app, &member, "33.26.02.2008", "Bedah rumah", "COMMITTED").await;

    // Events arrive in commit order: the first the viewer gets is the committed one, so neither
    // the draft (written before it) nor the other region's reached it.
    let first = seen_by_viewer.next_payload(WAIT).await.expect("an event");
    let c = change(&first);
    assert_eq!(c["action"], "create");
    assert_eq!(c["reload"], false);
    assert_eq!(c["contribution"]["id"], committed, "{first:#}");
    assert!(
        seen_by_viewer
            .next_payload(Duration::from_millis(500))
            .await
            .is_none()
    );

    // The draft's own organization does receive it, then the committed one.
    let mine: Vec<Value> = [
        seen_by_member.next_payload(WAIT).await.expect("the draft"),
        seen_by_member
            .next_payload(WAIT)
            .await
            .expect("the committed one"),
    ]
    .to_vec();
    assert_eq!(change(&mine[0])["contribution"]["id"], draft);
    assert_eq!(change(&mine[0])["contribution"]["status"], "PLANNED");
    assert_eq!(change(&mine[1])["contribution"]["id"], committed);

    // An edit reaches the subscriber too, as the record is now.
    let res = app
        .gql_as(
            Some(&member),
            "mutation($id: ID!) { updateContribution(id: $id, version: 1, input: { title: \"Bedah rumah tahap 2\" }) { version } }",
            json!({ "id": committed }),
        )
        .await;
    assert!(res.get("errors").is_none(), "{res}");
    let edit = seen_by_viewer.next_payload(WAIT).await.expect("the edit");
    assert_eq!(change(&edit)["action"], "update");
    assert_eq!(
        change(&edit)["contribution"]["title"],
        "Bedah rumah tahap 2"
    );
}

#[tokio::test]
async fn graphql_over_sse_streams_the_same_changes() {
    let app = demo().await;
    let viewer = app.token_for(VIEWER).await;
    let member = app.token_for(MEMBER).await;
    let mut sse = Sse::subscribe(
        &app.client,
        app.addr,
        &viewer,
        CONTRIBUTIONS,
        json!({ "r": "33.26" }),
    )
    .await
    .expect("an event stream");
    subscribed(&app, 1).await;
    let id = create(&app, &member, "33.26.02.2008", "Bedah rumah", "COMMITTED").await;
    let (event, data) = sse.next_event(WAIT).await.expect("an event");
    assert_eq!(event, "next");
    let payload: Value = serde_json::from_str(&data).expect("JSON data");
    assert_eq!(change(&payload)["contribution"]["id"], id);

    // Without asking for a stream, a subscription is refused with the way to ask for one.
    let res = app
        .gql_as(Some(&viewer), CONTRIBUTIONS, json!({ "r": "33.26" }))
        .await;
    assert_eq!(res["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    assert!(
        res["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("text/event-stream"),
        "{res}"
    );
}

#[tokio::test]
async fn subscriptions_keep_the_read_rules() {
    let app = demo().await;
    let member = app.token_for(MEMBER).await;

    // Anonymous: refused, naming why.
    let mut anonymous = Ws::connect(app.addr, None).await.expect("connected");
    anonymous
        .subscribe("a", CONTRIBUTIONS, json!({ "r": "33.26" }))
        .await;
    let m = anonymous.next_message(WAIT).await.expect("an answer");
    assert_eq!(refusal(&m)["extensions"]["code"], "UNAUTHENTICATED", "{m}");

    // A bad token is refused at connection time.
    assert!(Ws::connect(app.addr, Some("not-a-token")).await.is_err());

    // Complaints are for the region's coordinators; a bad region names the argument.
    let mut ws = Ws::connect(app.addr, Some(&member))
        .await
        .expect("connected");
    ws.subscribe(
        "k",
        "subscription { complaintChanges { action } }",
        json!({}),
    )
    .await;
    let m = ws.next_message(WAIT).await.expect("an answer");
    assert_eq!(refusal(&m)["extensions"]["code"], "FORBIDDEN", "{m}");
    assert_eq!(
        ws.next_message(WAIT).await.expect("the end")["type"],
        "complete"
    );
    ws.subscribe("r", CONTRIBUTIONS, json!({ "r": "33.26.x" }))
        .await;
    let m = ws.next_message(WAIT).await.expect("an answer");
    assert_eq!(refusal(&m)["extensions"]["field"], "region", "{m}");

    // Queries and mutations go to POST /graphql, where the HTTP rules apply.
    assert_eq!(
        ws.next_message(WAIT).await.expect("the end")["type"],
        "complete"
    );
    ws.subscribe("q", "{ __typename }", json!({})).await;
    let m = ws.next_message(WAIT).await.expect("an answer");
    assert_eq!(refusal(&m)["extensions"]["code"], "BAD_USER_INPUT", "{m}");
    assert!(
        refusal(&m)["message"]
            .as_str()
            .unwrap()
            .contains("POST /graphql")
    );
    assert_eq!(app.bus.subscriptions(), 0);
}

#[tokio::test]
async fn coordinators_follow_complaints_and_verification_in_their_region() {
    let app = demo().await;
    let coord = app.token_for(COORD).await;
    let member = app.token_for(MEMBER).await;
    let mut ws = Ws::connect(app.addr, Some(&coord))
        .await
        .expect("connected");
    ws.subscribe(
        "k",
        "subscription { complaintChanges { action complaint { what status contact } } }",
        json!({}),
    )
    .await;
    ws.subscribe(
        "v",
        "subscription { verificationResults { action note contribution { id verification } } }",
        json!({}),
    )
    .await;
    subscribed(&app, 2).await;

    let res = app
        .gql_as(
            None,
            "mutation($i: ComplaintInput!) { fileComplaint(input: $i) { trackingCode } }",
            json!({ "i": { "regionCode": "33.26.02.2008", "what": "jumlah RTM 2025", "reason": "Tidak sesuai DTKS", "contact": "0812-0000-1111" } }),
        )
        .await;
    assert!(res.get("errors").is_none(), "{res}");
    let filed = ws.next_payload(WAIT).await.expect("the complaint");
    let k = &filed["data"]["complaintChanges"];
    assert_eq!(k["action"], "create", "{filed}");
    assert_eq!(k["complaint"]["status"], "RECEIVED");
    assert_eq!(k["complaint"]["contact"], "0812-0000-1111");

    let id = create(&app, &member, "33.26.02.2008", "Bedah rumah", "COMMITTED").await;
    let res = app
        .gql_as(
            Some(&coord),
            "mutation($id: ID!) { returnContribution(id: $id, version: 1, note: \"Periksa DPA\") { version } }",
            json!({ "id": id }),
        )
        .await;
    assert!(res.get("errors").is_none(), "{res}");
    let verdict = ws.next_payload(WAIT).await.expect("the verdict");
    let v = &verdict["data"]["verificationResults"];
    assert_eq!(v["action"], "return", "{verdict}");
    assert_eq!(v["note"], "Periksa DPA");
    assert_eq!(v["contribution"]["id"], id);
    assert_eq!(v["contribution"]["verification"], "RETURNED");
}

#[tokio::test]
async fn a_deactivated_users_subscriptions_end() {
    let app = demo().await;
    let viewer = app.token_for(VIEWER).await;
    let mut ws = watch(&app, &viewer, "33.26", 0).await;
    deactivate(&app, VIEWER).await;
    let m = ws.next_message(WAIT).await.expect("an answer");
    assert_eq!(m["type"], "complete", "{m}");
    // And it cannot subscribe again.
    ws.subscribe("again", CONTRIBUTIONS, json!({ "r": "33.26" }))
        .await;
    let m = ws.next_message(WAIT).await.expect("an answer");
    assert_eq!(refusal(&m)["extensions"]["code"], "UNAUTHENTICATED", "{m}");
}

#[tokio::test]
async fn a_subscriber_that_falls_behind_is_told_to_reload_and_writers_never_wait() {
    let app = demo().await;
    let viewer = app.token_for(VIEWER).await;
    let mut ws = watch(&app, &viewer, "33.26", 0).await;
    let row = entity::contribution::Entity::find()
        .filter(
            entity::contribution::Column::Status.eq(entity::enums::ContributionStatus::Committed),
        )
        .filter(entity::contribution::Column::RegionCode.starts_with("33.26."))
        .one(&app.db)
        .await
        .unwrap()
        .expect("a demo contribution");
    // More events than a subscriber's buffer, sent without yielding: the hub's side of the
    // WebSocket cannot read any of them meanwhile, and sending never waits for it.
    for _ in 0..sinergi::events::BUFFER + 100 {
        app.bus.send(sinergi::events::Event::Contribution {
            action: "update".into(),
            row: row.clone(),
        });
    }
    let first = ws.next_payload(WAIT).await.expect("an item");
    assert_eq!(change(&first)["reload"], true, "{first}");
    assert_eq!(change(&first)["contribution"], Value::Null);
    // Then the latest events follow.
    let next = ws.next_payload(WAIT).await.expect("an item");
    assert_eq!(change(&next)["contribution"]["id"], row.id);
}

#[tokio::test]
async fn an_open_item_falls_overdue_once_the_day_after_its_due_date() {
    use sinergi::events::{Event, overdue::newly_overdue};
    let app = demo().await;
    let items = entity::action_item::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    let open = items
        .iter()
        .find(|i| {
            i.due_on.is_some()
                && matches!(
                    i.status,
                    entity::enums::ActionItemStatus::Open
                        | entity::enums::ActionItemStatus::InProgress
                )
        })
        .expect("an open demo item with a due date");
    let due = open.due_on.unwrap();
    let day = chrono::Duration::days(1);
    let ids = |events: Vec<Event>| -> Vec<(String, String, Vec<String>)> {
        events
            .into_iter()
            .map(|e| match e {
                Event::ActionItem {
                    action,
                    row,
                    regions,
                } => (row.id, action, regions),
                other => panic!("not an action item: {other:?}"),
            })
            .collect()
    };
    // Not on its due date, yes the day after, and never again.
    let on_due_date = ids(newly_overdue(&app.db, due - day, due).await.unwrap());
    assert!(on_due_date.iter().all(|(id, ..)| *id != open.id));
    let next_day = ids(newly_overdue(&app.db, due, due + day).await.unwrap());
    let found = next_day
        .iter()
        .find(|(id, ..)| *id == open.id)
        .expect("overdue the next day");
    assert_eq!(found.1, "overdue");
    assert!(!found.2.is_empty(), "it carries its regions for the filter");
    let later = ids(newly_overdue(&app.db, due + day, due + day + day)
        .await
        .unwrap());
    assert!(later.iter().all(|(id, ..)| *id != open.id));
    // A closed item never falls overdue.
    for (id, ..) in &next_day {
        let item = items.iter().find(|i| &i.id == id).unwrap();
        assert!(!matches!(
            item.status,
            entity::enums::ActionItemStatus::Done | entity::enums::ActionItemStatus::Dropped
        ));
    }
}
