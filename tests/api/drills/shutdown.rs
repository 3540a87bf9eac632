//! Graceful shutdown under load: SIGTERM while requests are in flight. Every request the hub had
//! accepted completes with its answer (no client sees a reset), and the process exits within the
//! drain time.

use super::ChildHub;
use crate::helpers::{fresh_db, mint};
use serde_json::json;
use sinergi::services::demo::demo_id;
use std::time::{Duration, Instant};

const DRAIN_SECS: u64 = 20;
const IN_FLIGHT: usize = 6;

/// A contributions file big enough that checking it (a dry run) takes a while.
fn big_file(rows: usize) -> String {
    let mut file =
        String::from("kunci,sumber_dana,jenis,kode_wilayah,tahun_anggaran,judul,rencana\n");
    for n in 0..rows {
        file.push_str(&format!(
            "SIGTERM-{n},APBD Kabupaten,Tunai,33.26.02.2008,2026,Baris {n},1000\n"
        ));
    }
    file
}

#[tokio::test]
async fn sigterm_lets_accepted_requests_finish_then_exits_within_the_drain_time() {
    let test_db = fresh_db().await;
    let (db, _) = sinergi::db::connect_and_migrate(&test_db.url, 2)
        .await
        .unwrap();
    sinergi::services::demo::load(&db).await.unwrap();
    let now = chrono::Utc::now().timestamp();
    let email = "skpd@pekalongan.demo";
    let token = mint(
        json!({ "sub": demo_id(email), "email": email, "iat": now, "exp": now + 600,
                             "iss": "sinergi", "aud": "sinergi-api" }),
    );
    // A slot for each upload, so that all of them are in flight when the signal comes.
    let mut hub = ChildHub::start_with_workers(&test_db.url, DRAIN_SECS, Some(IN_FLIGHT)).await;
    let url = hub.url("/imports/contributions?dryRun=true");
    let file = big_file(6000);
    // Each request on a connection of its own, opened and used once before, so the hub has
    // accepted every one of them when the signal comes.
    let mut clients = Vec::new();
    for _ in 0..IN_FLIGHT {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(1)
            .build()
            .unwrap();
        let warm = client
            .get(hub.url("/health"))
            .send()
            .await
            .expect("warm-up");
        assert!(warm.status().is_success());
        clients.push(client);
    }
    let started = Instant::now();
    let requests: Vec<_> = clients
        .iter()
        .map(|client| {
            let request = client
                .post(&url)
                .bearer_auth(&token)
                .header("content-type", "text/csv")
                .body(file.clone())
                .send();
            tokio::spawn(async move {
                let res = request
                    .await
                    .map_err(|e| format!("reset or refused: {e}"))?;
                let status = res.status().as_u16();
                let body: serde_json::Value =
                    res.json().await.map_err(|e| format!("cut off: {e}"))?;
                Ok::<_, String>((status, body))
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(150)).await;
    hub.signal(libc::SIGTERM);
    let signalled = started.elapsed();
    let mut answered = 0;
    for r in requests {
        let (status, body) = r
            .await
            .unwrap()
            .expect("every accepted request gets its answer");
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["rows"], 6000, "{body}");
        assert_eq!(body["dryRun"], true, "{body}");
        answered += 1;
    }
    let status = hub
        .wait(Duration::from_secs(DRAIN_SECS + 5))
        .await
        .expect("the hub exits within the drain time");
    assert!(status.success(), "a clean exit: {status:?}");
    super::report(&format!(
        "shutdown drill: SIGTERM {} ms after {IN_FLIGHT} dry-run imports of 6,000 rows were sent; {answered} answered 200, exit {status:?} after {} ms",
        signalled.as_millis(),
        started.elapsed().as_millis()
    ));
}
