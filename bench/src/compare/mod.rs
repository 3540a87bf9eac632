//! `compare`: the hub and PostGraphile 4 side by side on the same PostgreSQL database (issue 13).
//!
//! Both servers run as child processes of this one, on loopback, with the same number of database
//! connections. Each pair of documents is first checked to return the same rows on both servers, for
//! every variable set that will be timed; a pair that differs is not timed. Then every query is timed
//! at several concurrencies with one closed-loop load generator, the two servers alternating cell by
//! cell (and which goes first alternating too), so that drift on a shared machine hits both.

use anyhow::{Context, bail};
use clap::Args;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

mod load;
mod queries;
mod report;
mod servers;
mod writer;

use crate::run::client::Client;
use load::Cell;
use queries::{ALL, Pair, Pools};
use report::{Measured, Memory};
use servers::Server;

/// Options of `compare`.
#[derive(Args, Debug)]
pub struct CompareArgs {
    /// Concurrent closed-loop clients, one cell per value.
    #[arg(long, value_delimiter = ',', default_value = "1,2,4,8,16")]
    concurrency: Vec<usize>,
    /// Measured seconds per cell and server.
    #[arg(long, default_value_t = 5.0)]
    seconds: f64,
    /// Unmeasured seconds before each cell (connections opened, plans and caches warm).
    #[arg(long, default_value_t = 1.0)]
    warmup_seconds: f64,
    /// Variable sets per query (ids, villages), each checked on both servers before timing.
    #[arg(long, default_value_t = 50)]
    pool: usize,
    /// Only the queries whose name contains one of these (comma-separated).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// The p99 a throughput must keep to count as the query's "best" in the summary.
    #[arg(long, default_value_t = 50.0)]
    p99_limit_ms: f64,
    /// Database connections of each server's pool.
    #[arg(long, default_value_t = 8)]
    db_pool: u32,
    /// The hub binary (default: `sinergi` beside this program; build both with --release).
    #[arg(long)]
    hub: Option<PathBuf>,
    /// Extra environment of the hub process, KEY=VALUE, repeatable (e.g. MALLOC_ARENA_MAX=2).
    #[arg(long = "hub-env")]
    hub_env: Vec<String>,
    /// The npm project holding PostGraphile (`npm ci` runs there when node_modules is missing).
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/postgraphile"))]
    postgraphile_dir: PathBuf,
    /// Time the hub alone (memory experiments); rows are then not checked.
    #[arg(long)]
    hub_only: bool,
    /// Write the servers' output here (hub.log, postgraphile.log) instead of discarding it.
    #[arg(long)]
    logs: Option<PathBuf>,
    /// User the hub's requests are signed in as (`generate` creates it).
    #[arg(long, env = "SINERGI_BENCH_EMAIL", default_value = crate::generate::VIEWER_EMAIL)]
    email: String,
    /// Password of --email.
    #[arg(
        long,
        env = "SINERGI_BENCH_PASSWORD",
        default_value = crate::generate::BENCH_PASSWORD,
        hide_env_values = true
    )]
    password: String,
    /// Seconds to wait without load after the last query before reading the servers' memory
    /// again: what an allocator gives back once idle.
    #[arg(long, default_value_t = 10)]
    settle_seconds: u64,
    /// Seed of the variable pools and of each client's draws.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Longest a single request may take before it counts as failed.
    #[arg(long, default_value_t = 30)]
    timeout_secs: u64,
    /// Writes a second committed to the database throughout (0: none): each touches a
    /// contribution and writes its audit row, as a write through the hub does, so the hub's kept
    /// answers are measured while the data changes.
    #[arg(long, default_value_t = 0.0)]
    writes_per_second: f64,
}

/// Runs `compare`; Ctrl-C stops it and still stops both servers (their guards kill them on drop).
pub async fn compare(url: &str, args: CompareArgs) -> anyhow::Result<()> {
    tokio::select! {
        result = compare_inner(url, &args) => result,
        _ = tokio::signal::ctrl_c() => bail!("interrupted: both servers stopped"),
    }
}

async fn compare_inner(url: &str, args: &CompareArgs) -> anyhow::Result<()> {
    if !url.starts_with("postgres") {
        bail!(
            "compare needs PostgreSQL (PostGraphile serves nothing else): --database-url postgres://…"
        );
    }
    let bin = match &args.hub {
        Some(b) => b.clone(),
        None => std::env::current_exe()?.with_file_name("sinergi"),
    };
    if !bin.is_file() {
        bail!(
            "{} is missing: cargo build --release -p sinergi -p sinergi-bench",
            bin.display()
        );
    }
    let started = Instant::now();
    let load_at_start = report::load_average();
    let db = sea_orm::Database::connect(url)
        .await
        .with_context(|| format!("cannot connect to {}", report::without_password(url)))?;
    let contributions = crate::generate::count_rows(&db, "contributions").await?;
    if contributions == 0 {
        bail!("the database has no contributions: run `sinergi-bench generate` first");
    }
    let samples = crate::run::samples::Samples::load(&db, args.seed).await?;
    db.close().await?;
    let pools = Pools::draw(&samples, args.seed, args.pool);
    let pairs: Vec<&Pair> = ALL
        .iter()
        .filter(|p| args.only.is_empty() || args.only.iter().any(|o| p.name.contains(o.as_str())))
        .collect();

    let log = |name: &str| args.logs.as_ref().map(|d| d.join(name));
    if let Some(dir) = &args.logs {
        std::fs::create_dir_all(dir)?;
    }
    let mut postgraphile = if args.hub_only {
        None
    } else {
        let cli = servers::ensure_postgraphile(&args.postgraphile_dir)?;
        let log_to = log("postgraphile.log");
        Some(servers::start_postgraphile(&cli, url, args.db_pool, log_to.as_deref()).await?)
    };
    let hub_log = log("hub.log");
    let mut hub = servers::start_hub(&servers::HubOptions {
        bin: &bin,
        database_url: url,
        db_pool: args.db_pool,
        env: &args.hub_env,
        log_to: hub_log.as_deref(),
    })
    .await?;
    eprintln!("hub on {} (pid {})", hub.addr, hub.pid());
    if let Some(pg) = &postgraphile {
        eprintln!("PostGraphile on {} (pid {})", pg.addr, pg.pid());
    }

    let timeout = Duration::from_secs(args.timeout_secs);
    let mut hub_client = Client::new(hub.addr, timeout)?;
    let token = hub_client
        .login(&args.email, &args.password)
        .await
        .map_err(|e| anyhow::anyhow!("cannot sign in to the hub as {}: {e}", args.email))?;
    hub_client.set_token(token);
    let hub_client = Arc::new(hub_client);
    let hub_anonymous = Arc::new(Client::new(hub.addr, timeout)?);
    // PostGraphile runs without a JWT secret: it would refuse a bearer token, and has no drafts to hide.
    let pg_client = match &postgraphile {
        Some(pg) => Some(Arc::new(Client::new(pg.addr, timeout)?)),
        None => None,
    };

    let mut memory = Memory {
        hub_ready: hub.rss_kib(),
        postgraphile_ready: postgraphile.as_ref().and_then(Server::rss_kib),
        ..Default::default()
    };
    let writes = match (
        args.writes_per_second > 0.0,
        samples.contribution_ids.last(),
    ) {
        (true, Some(id)) => {
            Some(writer::Writer::start(url, args.writes_per_second, id.clone()).await?)
        }
        _ => None,
    };
    let mut results = Vec::new();
    for pair in pairs {
        let variables = Arc::new((pair.variables)(&pools));
        let hub_client = if pair.anonymous {
            &hub_anonymous
        } else {
            &hub_client
        };
        if variables.is_empty() {
            eprintln!("{}: the database offers no input, skipped", pair.name);
            continue;
        }
        let mut m = Measured {
            name: pair.name,
            no_equivalent: pair
                .postgraphile
                .is_none()
                .then(|| pair.no_equivalent.to_owned()),
            ..Default::default()
        };
        let pg_side = match (&pg_client, &pair.postgraphile) {
            (Some(c), Some(side)) => {
                eprint!(
                    "{}: checking {} variable sets ... ",
                    pair.name,
                    variables.len()
                );
                if let Err(e) = check_rows(hub_client, c, pair, side, &variables).await {
                    eprintln!("{e:#}");
                    m.no_equivalent = Some(format!("not timed: {e:#}"));
                    results.push(m);
                    continue;
                }
                eprintln!("same rows");
                Some((c.clone(), side.query))
            }
            _ => None,
        };
        for (i, &clients) in args.concurrency.iter().enumerate() {
            let times = (
                Duration::from_secs_f64(args.warmup_seconds),
                Duration::from_secs_f64(args.seconds),
            );
            let seed = args.seed.wrapping_add(i as u64);
            let hub_cell = || {
                load::cell(
                    hub_client.clone(),
                    pair.hub.query,
                    variables.clone(),
                    clients,
                    times,
                    seed,
                )
            };
            let (h, p): (Cell, Option<Cell>) = match &pg_side {
                Some((c, q)) => {
                    let pg_cell =
                        || load::cell(c.clone(), q, variables.clone(), clients, times, seed);
                    if i % 2 == 0 {
                        let h = hub_cell().await;
                        (h, Some(pg_cell().await))
                    } else {
                        let p = pg_cell().await;
                        (hub_cell().await, Some(p))
                    }
                }
                None => (hub_cell().await, None),
            };
            hub.check_alive()?;
            if let Some(pg) = &mut postgraphile {
                pg.check_alive()?;
            }
            eprintln!(
                "  {clients:>3} clients: hub {:.0}/s p99 {:.1} ms{}",
                h.per_second,
                h.p99.as_secs_f64() * 1e3,
                p.as_ref()
                    .map(|p| format!(
                        ", PostGraphile {:.0}/s p99 {:.1} ms",
                        p.per_second,
                        p.p99.as_secs_f64() * 1e3
                    ))
                    .unwrap_or_default()
            );
            m.cells.push((clients, h, p));
        }
        m.hub_rss_after = hub.rss_kib();
        m.postgraphile_rss_after = postgraphile.as_ref().and_then(Server::rss_kib);
        results.push(m);
    }
    let written = writes.as_ref().map(writer::Writer::written);
    drop(writes);
    memory.hub_end = hub.rss_kib();
    memory.postgraphile_end = postgraphile.as_ref().and_then(Server::rss_kib);
    tokio::time::sleep(Duration::from_secs(args.settle_seconds)).await;
    memory.hub_settled = hub.rss_kib();
    memory.postgraphile_settled = postgraphile.as_ref().and_then(Server::rss_kib);
    memory.settle_seconds = args.settle_seconds;
    drop(hub);
    drop(postgraphile);

    let env = report::Environment {
        database: report::without_password(url),
        contributions,
        load_at_start,
        load_at_end: report::load_average(),
        took: started.elapsed(),
        args: format!(
            "{} clients, {} s measured after {} s warm-up per cell, {} variable sets, pool {} connections each{}{}",
            args.concurrency
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("/"),
            args.seconds,
            args.warmup_seconds,
            args.pool,
            args.db_pool,
            if args.hub_env.is_empty() {
                String::new()
            } else {
                format!("; hub env {}", args.hub_env.join(" "))
            },
            match written {
                Some(n) => format!(
                    "; {} writes a second beside the reads ({n} committed)",
                    args.writes_per_second
                ),
                None => String::new(),
            }
        ),
    };
    print!(
        "{}",
        report::markdown(&env, &results, &memory, args.p99_limit_ms)
    );
    Ok(())
}

/// Asks both servers every variable set and fails on the first pair of answers whose rows differ.
async fn check_rows(
    hub: &Client,
    pg: &Client,
    pair: &Pair,
    side: &queries::Side,
    variables: &[serde_json::Value],
) -> anyhow::Result<()> {
    for vars in variables {
        let (_, a) = hub
            .send(pair.hub.query, vars)
            .await
            .map_err(|e| anyhow::anyhow!("{}: the hub failed ({vars}): {e}", pair.name))?;
        let (_, b) = pg
            .send(side.query, vars)
            .await
            .map_err(|e| anyhow::anyhow!("{}: PostGraphile failed ({vars}): {e}", pair.name))?;
        let a = queries::normalise(a.pointer(pair.hub.root).unwrap_or(&serde_json::Value::Null));
        let b = queries::normalise(b.pointer(side.root).unwrap_or(&serde_json::Value::Null));
        if let Some(d) = queries::difference(&a, &b, "") {
            bail!(
                "{}: the servers return different rows for {vars}, not timed: hub vs PostGraphile at {d}",
                pair.name
            );
        }
    }
    Ok(())
}
