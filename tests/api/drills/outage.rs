//! A database outage, without touching the machine's shared PostgreSQL: the hub reaches its
//! database through a TCP proxy this test controls. When the proxy cuts every connection and
//! swallows new ones (the worst case: no refusal, just silence), `/ready` answers 503 within five
//! seconds, `/health` stays 200, and GraphQL answers INTERNAL within the acquire timeout instead of
//! hanging; when the proxy lets traffic through again, the hub serves again without a restart.
//! SQLite has no server to lose, so on SQLite the drill says so and stops.

use crate::helpers::{PG_ENV, fresh_db, spawn_app_with};
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

const ACQUIRE_SECS: u64 = 2;

/// A TCP proxy to `upstream` that can be switched off: off, it drops every open connection and
/// holds new ones open without forwarding a byte.
struct Proxy {
    addr: std::net::SocketAddr,
    up: Arc<AtomicBool>,
    cut: watch::Sender<u64>,
}

impl Proxy {
    async fn start(upstream: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let up = Arc::new(AtomicBool::new(true));
        let (cut, _) = watch::channel(0u64);
        let (up2, cut2) = (up.clone(), cut.clone());
        tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((client, _)) = listener.accept().await {
                if !up2.load(Ordering::SeqCst) {
                    held.push(client); // silence: accepted, never answered
                    continue;
                }
                let mut cut_rx = cut2.subscribe();
                let upstream = upstream.clone();
                tokio::spawn(async move {
                    let Ok(mut server) = TcpStream::connect(&upstream).await else {
                        return;
                    };
                    let mut client = client;
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = cut_rx.changed() => {} // dropping both ends cuts the connection
                    }
                });
            }
        });
        Proxy { addr, up, cut }
    }

    fn down(&self) {
        self.up.store(false, Ordering::SeqCst);
        self.cut.send_modify(|n| *n += 1);
    }

    fn up(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

#[tokio::test]
async fn when_the_database_goes_away_the_hub_says_so_fast_and_recovers_by_itself() {
    if std::env::var(PG_ENV).map(|v| v.is_empty()).unwrap_or(true) {
        super::report(&format!(
            "outage drill: skipped on SQLite (an embedded file has no server to lose); it runs with {PG_ENV}"
        ));
        return;
    }
    let real = fresh_db().await;
    // Migrate directly, then point the hub at the proxy.
    let (direct, _) = sinergi::db::connect_and_migrate(&real.url, 1)
        .await
        .unwrap();
    sinergi::services::demo::load(&direct).await.unwrap();
    let (server, name) = real.url.rsplit_once('/').unwrap();
    let upstream = server
        .rsplit_once('@')
        .map(|(_, host)| host)
        .unwrap_or(server)
        .trim_start_matches("postgres://")
        .to_string();
    let proxy = Proxy::start(upstream).await;
    let user = server
        .trim_start_matches("postgres://")
        .split('@')
        .next()
        .unwrap();
    let via_proxy = format!("postgres://{user}@{}/{name}", proxy.addr);
    let app = spawn_app_with(|c| {
        c.database_url = via_proxy.clone();
        c.db_acquire_timeout_secs = ACQUIRE_SECS;
    })
    .await;
    // The root `regions` list is read from the database on every request (a region by code may be
    // answered by the region cache, which keeps serving reference data while the database is away).
    let query = r#"{ regions(filter: { text: "Botosari" }) { edges { node { name } } } }"#;
    let ready = |app: &crate::helpers::TestApp| {
        let (client, url) = (app.client.clone(), app.url("/ready"));
        async move { client.get(url).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(ready(&app).await, 200);
    assert_eq!(
        app.gql_as(None, query, json!({})).await["data"]["regions"]["edges"][0]["node"]["name"],
        "Botosari"
    );

    proxy.down();
    let t = Instant::now();
    assert_eq!(ready(&app).await, 503, "/ready reports the lost database");
    let ready_took = t.elapsed();
    assert!(
        ready_took < Duration::from_secs(5),
        "/ready answered within five seconds ({ready_took:?})"
    );
    let health = app
        .client
        .get(app.url("/health"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(health, 200, "/health only says the process answers");
    let t = Instant::now();
    let res = app.gql_as(None, query, json!({})).await;
    let gql_took = t.elapsed();
    assert_eq!(res["errors"][0]["extensions"]["code"], "INTERNAL", "{res}");
    assert!(
        gql_took < Duration::from_secs(ACQUIRE_SECS + 5),
        "GraphQL answered within the acquire timeout ({gql_took:?})"
    );

    proxy.up();
    let t = Instant::now();
    loop {
        let res = app.gql_as(None, query, json!({})).await;
        if res["data"]["regions"]["edges"][0]["node"]["name"] == "Botosari"
            && ready(&app).await == 200
        {
            break;
        }
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "the hub serves again after the database returns: {res}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    super::report(&format!(
        "outage drill: database cut; /ready 503 after {} ms, /health 200, GraphQL INTERNAL after {} ms (acquire timeout {ACQUIRE_SECS} s); serving again {} ms after it returned, no restart",
        ready_took.as_millis(),
        gql_took.as_millis(),
        t.elapsed().as_millis()
    ));
    app.stop().await;
}
