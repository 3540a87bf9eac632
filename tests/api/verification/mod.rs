//! Verification by the TKPK secretariat (issue 14): a member's records wait as SUBMITTED until a
//! coordinator of their region verifies or returns them; analytics can count verified figures only.

mod analytics;
mod life_cycle;

use crate::helpers::{TestApp, spawn_app};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use sinergi::services::demo::demo_id;
use std::collections::BTreeMap;

pub(super) const MEMBER: &str = "skpd@pekalongan.demo";
pub(super) const COORD: &str = "koordinator@pekalongan.demo";
pub(super) const LAMPUNG: &str = "koordinator@lampung.demo";
pub(super) const VILLAGE: &str = "desa@botosari.demo";

pub(super) const CREATE: &str = r#"mutation($i: ContributionInput!) { createContribution(input: $i) { id version verification } }"#;
pub(super) const VERIFY: &str = r#"mutation($id: ID!, $v: Int!) { verifyContribution(id: $id, version: $v) { id version verification verificationNote transactions { verification } } }"#;
pub(super) const RETURN: &str = r#"mutation($id: ID!, $v: Int!, $n: String!) { returnContribution(id: $id, version: $v, note: $n) { id version verification verificationNote } }"#;
pub(super) const UPDATE: &str = r#"mutation($id: ID!, $v: Int!, $i: ContributionPatch!) { updateContribution(id: $id, version: $v, input: $i) { id version verification verificationNote } }"#;

pub(super) async fn demo() -> TestApp {
    let app = spawn_app().await;
    app.load_demo().await;
    app
}

pub(super) async fn as_user(app: &TestApp, email: &str, q: &str, vars: Value) -> Value {
    let token = app.token_for(email).await;
    app.gql_as(Some(&token), q, vars).await
}

pub(super) fn ok<'a>(res: &'a Value, what: &str) -> &'a Value {
    assert!(res.get("errors").is_none(), "{what}: {res:#}");
    &res["data"]
}

/// A committed (so visible to all) contribution of Dinas Sosial in a Pekalongan village, by `who`.
pub(super) async fn contribution(
    app: &TestApp,
    who: &str,
    village: &str,
    committed: i64,
) -> (String, i32) {
    let res = as_user(
        app,
        who,
        CREATE,
        json!({ "i": { "source": "APBD_REGENCY", "kind": "CASH", "regionCode": village, "programId": demo_id("rtlh"),
                       "fiscalYear": 2025, "title": "Bedah rumah susulan", "amountPlanned": committed,
                       "amountCommitted": committed, "status": "COMMITTED" } }),
    )
    .await;
    let c = &ok(&res, "create")["createContribution"];
    (
        c["id"].as_str().unwrap().to_string(),
        c["version"].as_i64().unwrap() as i32,
    )
}

/// The stored verification state and note of a row, read from the database.
pub(super) async fn stored(app: &TestApp, table: &str, id: &str) -> (String, Option<String>) {
    let db = &app.db;
    let backend = db.get_database_backend();
    let sql = format!("SELECT verification, verification_note FROM {table} WHERE id = $1");
    let sql = if backend == sea_orm::DbBackend::Sqlite {
        sql.replace("$1", "?")
    } else {
        sql
    };
    let row = db
        .query_one_raw(Statement::from_sql_and_values(backend, sql, [id.into()]))
        .await
        .unwrap()
        .expect("the row");
    (
        row.try_get("", "verification").unwrap(),
        row.try_get("", "verification_note").unwrap(),
    )
}

/// Audit rows of one record with the given action.
pub(super) async fn audited(app: &TestApp, id: &str, action: &str) -> i64 {
    let backend = app.db.get_database_backend();
    let sql = if backend == sea_orm::DbBackend::Sqlite {
        "SELECT COUNT(*) AS n FROM audit_log WHERE entity_id = ? AND action = ?"
    } else {
        "SELECT COUNT(*) AS n FROM audit_log WHERE entity_id = $1 AND action = $2"
    };
    app.db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [id.into(), action.into()],
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "n")
        .unwrap()
}

pub(super) async fn stored_tx(app: &TestApp, id: &str) -> String {
    let backend = app.db.get_database_backend();
    let sql = if backend == sea_orm::DbBackend::Sqlite {
        "SELECT verification FROM contribution_transactions WHERE id = ?"
    } else {
        "SELECT verification FROM contribution_transactions WHERE id = $1"
    };
    app.db
        .query_one_raw(Statement::from_sql_and_values(backend, sql, [id.into()]))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "verification")
        .unwrap()
}

pub(super) const SET_INDICATORS: &str = r#"mutation($i: VillageIndicatorsInput!, $v: Int) { setVillageIndicators(input: $i, version: $v) { id version verification verificationNote } }"#;

pub(super) fn indicators(poor: i32) -> Value {
    json!({ "villageCode": "33.26.02.2008", "fiscalYear": 2027, "source": "DTKS/P3KE", "asOf": "2027-01-31",
            "households": 900, "poorHouseholds": poor, "priority": true })
}
