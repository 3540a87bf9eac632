//! Mutations: the happy path of each with the audit row it leaves, validation that names the field and
//! stores nothing, stale versions, retried creates, drafts, and an internal error that leaks nothing.

mod audit_trail;
mod integrity;
mod validation;

use crate::helpers::{TestApp, count_rows, error_code, spawn_app};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use sinergi::services::demo::demo_id;

pub(super) async fn demo() -> TestApp {
    let app = spawn_app().await;
    app.load_demo().await;
    app
}

pub(super) async fn audit_rows(
    app: &TestApp,
    entity: &str,
    id: &str,
) -> Vec<(String, Option<String>, Option<String>)> {
    let backend = app.db.get_database_backend();
    let rows = app
        .db
        .query_all_raw(Statement::from_string(
            backend,
            format!("SELECT action, before, after FROM audit_log WHERE entity = '{entity}' AND entity_id = '{id}' ORDER BY at, id"),
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|r| {
            (
                r.try_get("", "action").unwrap(),
                r.try_get("", "before").unwrap(),
                r.try_get("", "after").unwrap(),
            )
        })
        .collect()
}

pub(super) fn ok(res: &Value, what: &str) -> Value {
    assert!(res.get("errors").is_none(), "{what}: {res}");
    res["data"].clone()
}
