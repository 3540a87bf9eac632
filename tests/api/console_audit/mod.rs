//! A write made in the console leaves exactly the audit rows the same mutation leaves over
//! GraphQL: each kind of console write is made twice, once by posting the console's form and once
//! through `/graphql` with the same values, and the two records' audit trails must match (who, for
//! which organization, what, before and after), apart from the records' own ids and times.

mod contributions;
mod indicators;
mod meetings;
mod programs;
mod users;

use crate::console::demo_app;
use crate::console_writes::{location, post_form};
use crate::helpers::TestApp;
use contributions::contribution_writes;
use indicators::indicator_writes;
use meetings::meeting_writes;
use programs::program_writes;
use serde_json::{Value, json};
use sinergi::services::demo::demo_id;
use users::user_writes;

pub(super) const CSR: &str = "csr@pekalongan.demo";
pub(super) const LAMPUNG: &str = "koordinator@lampung.demo";
pub(super) const BOTOSARI: &str = "33.26.02.2008";

/// Keys that differ between two records made the same way: their ids, parents and times.
pub(super) const OWN: &[&str] = &[
    "id",
    "created_at",
    "updated_at",
    "contribution_id",
    "meeting_id",
    "decision_id",
    "program_id",
    "program_a_id",
    // Indicators are keyed by (village, year): the two writes below record two villages.
    "village_code",
    // User accounts are unique by e-mail: the two writes below add two accounts.
    "email",
];

pub(super) fn normalized(json: Option<&str>) -> Value {
    let Some(text) = json else {
        return Value::Null;
    };
    let mut v: Value = serde_json::from_str(text).expect("audit JSON");
    if let Some(o) = v.as_object_mut() {
        for k in OWN {
            o.remove(*k);
        }
    }
    v
}

/// The audit rows of a record as the database holds them, oldest first, without ids and times.
pub(super) async fn rows(app: &TestApp, entity: &str, id: &str) -> Vec<Value> {
    use entity::audit_log::{Column, Entity};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    Entity::find()
        .filter(Column::Entity.eq(entity))
        .filter(Column::EntityId.eq(id))
        .order_by_asc(Column::At)
        .order_by_asc(Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            json!({
                "actor": r.actor_user_id, "organization": r.actor_organization_id,
                "entity": r.entity, "action": r.action,
                "before": normalized(r.before.as_deref()), "after": normalized(r.after.as_deref()),
            })
        })
        .collect()
}

/// The record's trail as `auditTrail` answers it.
pub(super) async fn trail(app: &TestApp, token: &str, entity: &str, id: &str) -> Vec<Value> {
    let res = app
        .gql_as(
            Some(token),
            "query($e: String!, $id: ID!) { auditTrail(entity: $e, id: $id) { actor { name } organization { name } entity action before after } }",
            json!({ "e": entity, "id": id }),
        )
        .await;
    res["data"]["auditTrail"]
        .as_array()
        .unwrap_or_else(|| panic!("{res}"))
        .iter()
        .map(|e| {
            json!({
                "actor": e["actor"], "organization": e["organization"], "entity": e["entity"],
                "action": e["action"], "before": normalized(e["before"].as_str()),
                "after": normalized(e["after"].as_str()),
            })
        })
        .collect()
}

/// The console's record and the API's have the same audit trail, both in `auditTrail` (for the
/// entities it serves) and in the table.
pub(super) async fn same_trail(app: &TestApp, token: &str, entity: &str, console: &str, api: &str) {
    let (c, a) = (
        rows(app, entity, console).await,
        rows(app, entity, api).await,
    );
    assert!(!c.is_empty(), "the console's {entity} write is audited");
    assert_eq!(c, a, "{entity}: console {console} vs GraphQL {api}");
    if !matches!(entity, "decision" | "contribution_transaction") {
        let (c, a) = (
            trail(app, token, entity, console).await,
            trail(app, token, entity, api).await,
        );
        assert_eq!(c.len(), rows(app, entity, console).await.len());
        assert_eq!(c, a, "auditTrail of {entity}");
    }
}

pub(super) async fn gql(app: &TestApp, token: &str, query: &str, vars: Value) -> Value {
    let res = app.gql_as(Some(token), query, vars).await;
    assert!(res.get("errors").is_none(), "{res:#}");
    res["data"].clone()
}

pub(super) async fn console(
    app: &TestApp,
    token: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> String {
    let res = post_form(app, token, path, fields).await;
    let status = res.status();
    if status != 303 {
        panic!("{path}: {status}\n{}", res.text().await.unwrap());
    }
    location(&res)
}

pub(super) async fn first_transaction(app: &TestApp, token: &str, id: &str) -> String {
    let d = gql(
        app,
        token,
        "query($id: ID!) { contribution(id: $id) { transactions { id } } }",
        json!({ "id": id }),
    )
    .await;
    d["contribution"]["transactions"][0]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn every_console_write_leaves_the_audit_rows_of_the_same_graphql_mutation() {
    let app = demo_app().await;
    contribution_writes(&app).await;
    meeting_writes(&app).await;
    program_writes(&app).await;
    indicator_writes(&app).await;
    user_writes(&app).await;
}

/// A member's contribution, as the queue would get it: two made alike, one per way of deciding.
async fn submitted_pair(app: &TestApp, member: &str, title: &str) -> (String, String) {
    let input = json!({ "source": "APBD_REGENCY", "kind": "CASH", "regionCode": BOTOSARI,
        "programId": demo_id("rtlh"), "fiscalYear": 2025, "title": title,
        "amountPlanned": "30000000", "amountCommitted": "30000000", "status": "COMMITTED" });
    let mut ids = Vec::new();
    for _ in 0..2 {
        let d = gql(
            app,
            member,
            "mutation($i: ContributionInput!) { createContribution(input: $i) { id } }",
            json!({ "i": input }),
        )
        .await;
        ids.push(d["createContribution"]["id"].as_str().unwrap().to_string());
    }
    (ids[0].clone(), ids[1].clone())
}

#[tokio::test]
async fn verifying_and_returning_in_the_console_leave_the_audit_rows_of_the_same_mutations() {
    let app = demo_app().await;
    let member = app.token_for("skpd@pekalongan.demo").await;
    let coordinator = app.token_for("koordinator@pekalongan.demo").await;

    let (c, a) = submitted_pair(&app, &member, "Jamban sehat tahap 2").await;
    let to = console(
        &app,
        &coordinator,
        &format!("/verifikasi/kontribusi/{c}/verifikasi"),
        &[("versi", "1")],
    )
    .await;
    assert_eq!(to, "/verifikasi");
    gql(
        &app,
        &coordinator,
        "mutation($id: ID!) { verifyContribution(id: $id, version: 1) { id } }",
        json!({ "id": a }),
    )
    .await;
    same_trail(&app, &coordinator, "contribution", &c, &a).await;

    let note = "Lampirkan SK bupati untuk nilai komitmen ini";
    let (c, a) = submitted_pair(&app, &member, "Jamban sehat tahap 3").await;
    console(
        &app,
        &coordinator,
        &format!("/verifikasi/kontribusi/{c}/kembalikan"),
        &[("versi", "1"), ("catatan", note)],
    )
    .await;
    gql(&app, &coordinator, "mutation($id: ID!, $n: String!) { returnContribution(id: $id, version: 1, note: $n) { id } }", json!({ "id": a, "n": note })).await;
    same_trail(&app, &coordinator, "contribution", &c, &a).await;
}
