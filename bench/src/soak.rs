//! `soak`: mixed reads and writes at a fixed rate for a long time against a hub in a process of its
//! own, on the demo data. Records failed requests (which must stay zero), p50 and p99 minute by
//! minute, and the hub's memory (RSS) at the start, every minute, and at the end, so a leak or a
//! slow drift shows.
//!
//! The hub is the `sinergi` binary beside this one (`cargo build --bin sinergi`, same profile), so
//! its memory is its own and not the load generator's.

use crate::run::client::Client;
use crate::run::report::percentile;
use anyhow::{Context, bail};
use clap::Args;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Options of `soak`.
#[derive(Args, Debug)]
pub struct SoakArgs {
    /// How long to run, in minutes.
    #[arg(long, default_value_t = 10)]
    minutes: u64,
    /// Requests per second, sent on a fixed schedule whatever the answers' speed (open loop).
    #[arg(long, default_value_t = 20)]
    rate: u32,
    /// The hub binary (default: `sinergi` beside this program).
    #[arg(long)]
    hub: Option<std::path::PathBuf>,
    /// Seed of the request mix.
    #[arg(long, default_value_t = 7)]
    seed: u64,
}

const VILLAGE: &str = r#"query($c: String!) { region(code: $c) { name contributions(first: 20) { totalCount edges { node { title amountCommitted contributor { name } program { name } } } } } }"#;
const LIST: &str = r#"{ contributions(first: 20, filter: {region: "33.26"}) { totalCount edges { node { id title contributor { name } region { name } } } } }"#;
const SUMMARY: &str = r#"{ fundingSummary(filter: {region: "33.26"}, groupBy: [SOURCE, CLUSTER]) { count committed realised } }"#;
const CREATE: &str = r#"mutation($i: ContributionInput!, $k: String) { createContribution(input: $i, clientKey: $k) { id version } }"#;
const UPDATE: &str = r#"mutation($id: ID!, $v: Int!, $t: String!) { updateContribution(id: $id, version: $v, input: {title: $t}) { version } }"#;
const VILLAGES: [&str; 3] = ["33.26.02.2008", "33.26.02.2001", "33.26.02.2002"];

/// One minute's answers.
#[derive(Default, Clone)]
struct Minute {
    latencies: Vec<Duration>,
    failures: usize,
    rss_kib: Option<u64>,
}

/// The hub's resident memory, from `/proc`.
pub(crate) fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// Starts the hub on `url` (migrated, demo loaded) with `envs` added to its environment and waits
/// until it answers.
pub(crate) async fn start_hub(
    url: &str,
    bin: &std::path::Path,
    envs: &[(&str, &str)],
) -> anyhow::Result<(std::process::Child, std::net::SocketAddr)> {
    let port = free_port()?;
    let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse()?;
    let child = std::process::Command::new(bin)
        .args(["serve", "--bind", &addr.to_string()])
        .env("DATABASE_URL", url)
        .env("SINERGI_LOG", "warn")
        .envs(envs.iter().copied())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .with_context(|| format!("cannot start {}", bin.display()))?;
    let http = reqwest::Client::builder().no_proxy().build()?;
    for _ in 0..600 {
        if let Ok(r) = http.get(format!("http://{addr}/ready")).send().await
            && r.status().is_success()
        {
            return Ok((child, addr));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("the hub did not become ready within a minute")
}

/// The hub binary: `given`, else `sinergi` beside this program.
pub(crate) fn hub_binary(given: Option<std::path::PathBuf>) -> anyhow::Result<std::path::PathBuf> {
    let bin = match given {
        Some(b) => b,
        None => std::env::current_exe()?.with_file_name("sinergi"),
    };
    if !bin.exists() {
        bail!(
            "{} is missing: build it first (cargo build --bin sinergi, same profile)",
            bin.display()
        );
    }
    Ok(bin)
}

/// What one request of the mix does.
async fn one_request(
    roll: u32,
    n: u64,
    (reader, writer): (&Client, &Client),
    own: &tokio::sync::Mutex<Option<(String, i64)>>,
) -> Result<Duration, String> {
    let create = |n: u64| {
        json!({"i": {"source": "APBD_REGENCY", "kind": "CASH", "regionCode": "33.26.02.2008",
            "fiscalYear": 2026, "title": format!("soak {n}"), "amountPlanned": 1000}, "k": format!("soak-{n}")})
    };
    match roll {
        0..40 => reader
            .send(VILLAGE, &json!({"c": VILLAGES[n as usize % 3]}))
            .await
            .map(|r| r.0),
        40..70 => reader.send(LIST, &json!({})).await.map(|r| r.0),
        70..80 => reader.send(SUMMARY, &json!({})).await.map(|r| r.0),
        80..95 => {
            let (took, body) = writer.send(CREATE, &create(n)).await?;
            let made = &body["data"]["createContribution"];
            if let (Some(id), Some(v)) = (made["id"].as_str(), made["version"].as_i64()) {
                own.lock().await.get_or_insert((id.to_string(), v));
            }
            Ok(took)
        }
        _ => {
            // The lock is held across the update: one update at a time owns the version (a second
            // one sent with the same version would rightly meet CONFLICT).
            let mut own = own.lock().await;
            let Some((id, v)) = own.clone() else {
                drop(own);
                return writer.send(CREATE, &create(n)).await.map(|r| r.0);
            };
            let vars = json!({"id": id, "v": v, "t": format!("soak update {n}")});
            let (took, body) = writer.send(UPDATE, &vars).await?;
            if let Some(v) = body["data"]["updateContribution"]["version"].as_i64() {
                *own = Some((id, v));
            }
            Ok(took)
        }
    }
}

/// Runs `soak`.
pub async fn soak(url: &str, args: SoakArgs) -> anyhow::Result<()> {
    let bin = hub_binary(args.hub.clone())?;
    let (db, _) = sinergi::db::connect_and_migrate(url, 2).await?;
    sinergi::services::demo::load(&db).await?;
    db.close().await?;
    let (mut hub, addr) = start_hub(url, &bin, &[]).await?;
    let pid = hub.id();
    let timeout = Duration::from_secs(30);
    let mut reader = Client::new(addr, timeout)?;
    reader.set_token(
        reader
            .login("pemantau@sinergi.demo", "sinergi-demo")
            .await
            .map_err(anyhow::Error::msg)?,
    );
    let mut writer = Client::new(addr, timeout)?;
    writer.set_token(
        writer
            .login("skpd@pekalongan.demo", "sinergi-demo")
            .await
            .map_err(anyhow::Error::msg)?,
    );
    let (reader, writer) = (Arc::new(reader), Arc::new(writer));
    let own = Arc::new(tokio::sync::Mutex::new(None));
    let minutes = Arc::new(Mutex::new(vec![Minute::default(); args.minutes as usize]));
    let start_rss = rss_kib(pid);
    let mut rng = SmallRng::seed_from_u64(args.seed);
    let mut tick = tokio::time::interval(Duration::from_secs(1) / args.rate.max(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let started = Instant::now();
    let total = Duration::from_secs(args.minutes * 60);
    let mut tasks = tokio::task::JoinSet::new();
    let mut n = 0u64;
    let mut sampled = 0;
    while started.elapsed() < total {
        tick.tick().await;
        let minute = (started.elapsed().as_secs() / 60) as usize;
        if minute >= sampled && minute < args.minutes as usize {
            minutes.lock().unwrap()[minute].rss_kib = rss_kib(pid);
            sampled = minute + 1;
        }
        let roll = rng.random_range(0..100);
        let (reader, writer, own, minutes) =
            (reader.clone(), writer.clone(), own.clone(), minutes.clone());
        n += 1;
        tasks.spawn(async move {
            let answer = one_request(roll, n, (&reader, &writer), &own).await;
            let mut m = minutes.lock().unwrap();
            let last = m.len() - 1;
            let slot = &mut m[minute.min(last)];
            match answer {
                Ok(took) => slot.latencies.push(took),
                Err(why) => {
                    slot.failures += 1;
                    eprintln!("failed: {why}");
                }
            }
        });
        while tasks.try_join_next().is_some() {}
    }
    while tasks.join_next().await.is_some() {}
    let end_rss = rss_kib(pid);
    let _ = hub.kill();
    let _ = hub.wait();
    print_report(url, &args, n, start_rss, end_rss, &minutes.lock().unwrap());
    Ok(())
}

fn print_report(
    url: &str,
    args: &SoakArgs,
    sent: u64,
    start: Option<u64>,
    end: Option<u64>,
    minutes: &[Minute],
) {
    let mib = |k: Option<u64>| {
        k.map(|k| format!("{:.1}", k as f64 / 1024.0))
            .unwrap_or("?".into())
    };
    let backend = if url.starts_with("sqlite:") {
        "SQLite"
    } else {
        "PostgreSQL"
    };
    let failures: usize = minutes.iter().map(|m| m.failures).sum();
    println!(
        "soak on {backend}: {} min at {} req/s (40% village page, 30% contributions list, 10% fundingSummary, 15% createContribution, 5% updateContribution)",
        args.minutes, args.rate
    );
    println!(
        "requests sent {sent}, failed {failures}; hub RSS {} MiB at the start, {} MiB at the end\n",
        mib(start),
        mib(end)
    );
    println!("| minute | requests | failed | p50 ms | p99 ms | hub RSS MiB |");
    println!("|---:|---:|---:|---:|---:|---:|");
    for (i, m) in minutes.iter().enumerate() {
        let mut l = m.latencies.clone();
        l.sort();
        let ms = |d: Duration| format!("{:.1}", d.as_secs_f64() * 1000.0);
        let (p50, p99) = if l.is_empty() {
            ("-".into(), "-".into())
        } else {
            (ms(percentile(&l, 50.0)), ms(percentile(&l, 99.0)))
        };
        println!(
            "| {} | {} | {} | {p50} | {p99} | {} |",
            i + 1,
            l.len() + m.failures,
            m.failures,
            mib(m.rss_kib)
        );
    }
}
