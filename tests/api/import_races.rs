//! An import and a mutation on the same contribution at the same time, many times over: the import
//! takes the version it read as a mutation does, so one of them loses visibly (the import fails on
//! that row with 409 and stores nothing, or the mutation gets CONFLICT) and no write is lost. On
//! PostgreSQL the two really overlap; on SQLite the write gate runs them one after the other, and the
//! same invariants hold.

use crate::helpers::{TestApp, spawn_app};
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use serde_json::{Value, json};
use std::time::Duration;

const ADMIN: &str = "admin@sinergi.demo";
const RUNS: usize = 16;
/// New rows written before the contested one: they widen the gap between the import's read and its
/// write, where a mutation can slip in.
const FILLER: usize = 800;
const UPDATE: &str = r#"mutation($id: ID!, $v: Int!, $t: String!) { updateContribution(id: $id, version: $v, input: {title: $t}) { version } }"#;

async fn one(app: &TestApp, sql: &str, id: &str) -> Vec<sea_orm::QueryResult> {
    let sql = match app.db.get_database_backend() {
        DatabaseBackend::Postgres => sql.replace('?', "$1"),
        _ => sql.to_string(),
    };
    app.db
        .query_all_raw(Statement::from_sql_and_values(
            app.db.get_database_backend(),
            sql,
            [id.into()],
        ))
        .await
        .unwrap()
}

async fn version_and_title(app: &TestApp, id: &str) -> (i32, String) {
    let rows = one(
        app,
        "SELECT version, title FROM contributions WHERE id = ?",
        id,
    )
    .await;
    (
        rows[0].try_get("", "version").unwrap(),
        rows[0].try_get("", "title").unwrap(),
    )
}

#[tokio::test]
async fn an_import_and_a_mutation_on_one_record_never_lose_a_write() {
    let app = spawn_app().await;
    app.load_demo().await;
    let token = app.token_for(ADMIN).await;
    let text = app
        .client
        .get(app.url("/exports/contributions.csv"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (key, title, status) = (col("kunci"), col("judul"), col("status"));
    let target: Vec<String> = reader
        .records()
        .map(Result::unwrap)
        .find(|r| &r[status] == "Komitmen" && r[key].len() == 36)
        .expect("a committed contribution made in the hub")
        .iter()
        .map(str::to_string)
        .collect();
    let id = target[key].clone();

    let (mut import_lost, mut mutation_lost, mut one_after_other) = (0, 0, 0);
    for run in 0..RUNS {
        let (version, _) = version_and_title(&app, &id).await;
        // The contested row first in the file (row 2), then fresh rows, so the import reads the
        // contested record, writes the fresh rows, and only then takes the record.
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&header).unwrap();
        let mut row = target.clone();
        row[title] = format!("import {run}");
        w.write_record(&row).unwrap();
        for n in 0..FILLER {
            let mut fresh = target.clone();
            fresh[key] = format!("RACE-{run}-{n}");
            w.write_record(&fresh).unwrap();
        }
        let file = w.into_inner().unwrap();
        let import = async {
            let res = app
                .client
                .post(app.url("/imports/contributions"))
                .bearer_auth(&token)
                .header("content-type", "text/csv")
                .body(file)
                .send()
                .await
                .unwrap();
            (res.status().as_u16(), res.json::<Value>().await.unwrap())
        };
        let mutation = async {
            // Spread the mutation over the import's life: before its read, inside the gap, after.
            tokio::time::sleep(Duration::from_millis((run as u64 % 8) * 40)).await;
            app.gql_as(
                Some(&token),
                UPDATE,
                json!({"id": id, "v": version, "t": format!("mutation {run}")}),
            )
            .await
        };
        let ((code, report), answer) = tokio::join!(import, mutation);
        let mutated = answer["data"]["updateContribution"]["version"].is_number();
        if !mutated {
            assert_eq!(
                answer["errors"][0]["extensions"]["code"], "CONFLICT",
                "{answer:#}"
            );
        }
        let (now, now_title) = version_and_title(&app, &id).await;
        match (code, mutated) {
            (409, true) => {
                import_lost += 1;
                let problem = &report["problems"][0];
                assert_eq!(problem["row"], 2, "{report:#}");
                assert_eq!(problem["column"], "kunci", "{report:#}");
                assert_eq!(report["stored"], false);
                assert_eq!((now, now_title), (version + 1, format!("mutation {run}")));
            }
            (200, false) => {
                mutation_lost += 1;
                assert_eq!((now, now_title), (version + 1, format!("import {run}")));
            }
            (200, true) => {
                // Only when the mutation committed before the import read: the import then saw the
                // mutation's title and replaced it knowingly (its audit row says so).
                one_after_other += 1;
                assert_eq!((now, now_title), (version + 2, format!("import {run}")));
                let before: Value = serde_json::from_str(
                    &one(
                        &app,
                        "SELECT before FROM audit_log WHERE entity_id = ? AND after LIKE '%\"import %'",
                        &id,
                    )
                    .await
                    .iter()
                    .map(|r| r.try_get::<String>("", "before").unwrap())
                    .find(|b| b.contains(&format!("\"mutation {run}\"")))
                    .expect("the import's audit row shows it read the mutation's change"),
                )
                .unwrap();
                assert_eq!(before["version"], version + 1);
            }
            other => panic!("run {run}: import {other:?}: {report:#} / {answer:#}"),
        }
    }
    // Every write bumped the version once and left one audit row: no version twice, none lost.
    let mut versions: Vec<i64> = one(
        &app,
        "SELECT after FROM audit_log WHERE entity_id = ? AND action = 'update'",
        &id,
    )
    .await
    .iter()
    .map(|r| {
        let after: Value =
            serde_json::from_str(&r.try_get::<String>("", "after").unwrap()).unwrap();
        after["version"].as_i64().unwrap()
    })
    .collect();
    versions.sort();
    let (last, _) = version_and_title(&app, &id).await;
    assert_eq!(versions, (2..=i64::from(last)).collect::<Vec<_>>());
    assert!(
        import_lost + mutation_lost > 0,
        "the runs overlapped at least once ({one_after_other} ran one after the other)"
    );
    eprintln!(
        "{RUNS} runs: import refused {import_lost}, mutation refused {mutation_lost}, one after the other {one_after_other}"
    );
    app.stop().await;
}
