//! Backups taken while the hub writes: on SQLite with `sinergi backup` (`VACUUM INTO`), on
//! PostgreSQL with `pg_dump` and `pg_restore` as the README describes. Each copy is restored,
//! checked, and served by a hub of its own.

use crate::helpers::{spawn_app, test_config};
use serde_json::json;
use sinergi::services::demo::demo_id;
use sinergi::startup::Application;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

const CREATE: &str = r#"mutation($i: ContributionInput!) { createContribution(input: $i) { id } }"#;

#[tokio::test]
async fn a_backup_taken_during_writes_restores_and_serves() {
    let app = spawn_app().await;
    app.load_demo().await;
    let token = app.token_for("skpd@pekalongan.demo").await;
    let (stop, written) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicUsize::new(0)),
    );
    let writer = {
        let (client, url, token, stop, written) = (
            app.client.clone(),
            app.url("/graphql"),
            token.clone(),
            stop.clone(),
            written.clone(),
        );
        tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) {
                let input = json!({"i": {"source": "APBD_REGENCY", "kind": "CASH", "regionCode": "33.26.02.2008",
                    "programId": demo_id("rtlh"), "fiscalYear": 2026, "title": format!("saat cadangan {n}"), "amountPlanned": 1000}});
                let res: serde_json::Value = client
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&json!({"query": CREATE, "variables": input}))
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                assert!(res["errors"].is_null(), "{res}");
                written.fetch_add(1, Ordering::SeqCst);
                n += 1;
            }
        })
    };
    while written.load(Ordering::SeqCst) < 5 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let dir = tempfile::tempdir().unwrap();
    let restored_url = if app.database_url.starts_with("sqlite:") {
        let copy = dir.path().join("cadangan.db");
        let done = sinergi::services::backup::sqlite(&app.db, &copy)
            .await
            .expect("the backup");
        super::report(&format!(
            "backup drill: sinergi backup wrote {} bytes during writes, integrity ok",
            done.bytes
        ));
        format!("sqlite://{}", copy.display())
    } else {
        pg_dump_and_restore(&app.database_url, dir.path()).await
    };
    let during = written.load(Ordering::SeqCst);
    stop.store(true, Ordering::SeqCst);
    writer.await.unwrap();

    // The copy serves: a hub of its own answers from it.
    let restored = Application::build(&test_config(&restored_url))
        .await
        .expect("a hub on the copy");
    let db = restored.db();
    let in_copy = crate::helpers::count_rows(&db, "contributions").await;
    let in_live = crate::helpers::count_rows(&app.db, "contributions").await;
    let before = in_live - written.load(Ordering::SeqCst) as i64;
    assert!(
        in_copy >= before && in_copy <= in_live,
        "the copy holds one moment of the hub: {before} ≤ {in_copy} ≤ {in_live}"
    );
    let addr = restored.addr();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(restored.run_until(async {
        let _ = rx.await;
    }));
    let res: serde_json::Value = reqwest::Client::new()
        .post(format!("http://{addr}/graphql"))
        .json(&json!({"query": "{ region(code: \"33.26.02.2008\") { name } }"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(res["data"]["region"]["name"], "Botosari", "{res}");
    super::report(&format!(
        "backup drill: copy taken after {during} writes holds {in_copy} contributions ({before} before the writes, {in_live} after) and serves"
    ));
    let _ = tx.send(());
    server.await.unwrap().unwrap();
    app.stop().await;
}

/// The README's PostgreSQL procedure: `pg_dump -Fc` of the live database, `pg_restore` into a new
/// one. Returns the new database's URL.
async fn pg_dump_and_restore(url: &str, dir: &std::path::Path) -> String {
    let dump = dir.join("sinergi.dump");
    let out = tokio::task::spawn_blocking({
        let (url, dump) = (url.to_string(), dump.clone());
        move || {
            std::process::Command::new("pg_dump")
                .args(["-Fc", "-f"])
                .arg(&dump)
                .arg(&url)
                .output()
        }
    })
    .await
    .unwrap()
    .expect("pg_dump runs");
    assert!(
        out.status.success(),
        "pg_dump: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (server, _) = url.rsplit_once('/').unwrap();
    let name = format!("sinergi_test_{}", uuid::Uuid::now_v7().simple());
    let admin = sea_orm::Database::connect(format!("{server}/postgres"))
        .await
        .unwrap();
    use sea_orm::ConnectionTrait;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    admin.close().await.ok();
    let target = format!("{server}/{name}");
    let out = tokio::task::spawn_blocking({
        let (target, dump) = (target.clone(), dump.clone());
        move || {
            std::process::Command::new("pg_restore")
                .args(["--no-owner", "-d"])
                .arg(&target)
                .arg(&dump)
                .output()
        }
    })
    .await
    .unwrap()
    .expect("pg_restore runs");
    assert!(
        out.status.success(),
        "pg_restore: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    super::report(&format!(
        "backup drill: pg_dump -Fc during writes ({} bytes), pg_restore into a new database",
        std::fs::metadata(&dump).unwrap().len()
    ));
    target
}
