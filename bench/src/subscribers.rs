//! `subscribers`: how many graphql-ws subscribers one hub process holds with one change a second
//! fanned out to all of them (issue 14). For each step of `--subscribers` it opens that many
//! WebSocket connections, each subscribed to the region's contribution changes as the demo viewer,
//! waits until a probe write reaches every one, then writes one contribution a second through HTTP
//! as the demo member and times each delivery from the write's send to the `next` message's arrival.
//! Each step opens its own connections and closes them at its end, so the hub's memory before and
//! after a step shows whether it gives back what the subscribers took.
//!
//! The hub runs in a process of its own (as in `soak`), so its RSS is its own; the clients share
//! the machine with it, and on a small machine their CPU time is part of what is measured.

use crate::run::client::Client;
use crate::soak::{hub_binary, rss_kib, start_hub};
use anyhow::{Context, bail};
use clap::Args;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, watch};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

mod report;
use report::{Step, print_table};

/// Options of `subscribers`.
#[derive(Args, Debug)]
pub struct SubscribersArgs {
    /// Subscriber counts, one step each, in one run.
    #[arg(long, value_delimiter = ',', default_value = "100,1000,5000,10000")]
    subscribers: Vec<usize>,
    /// Seconds of one write a second at each step.
    #[arg(long, default_value_t = 20)]
    seconds: u32,
    /// WebSocket handshakes in flight at once while connecting.
    #[arg(long, default_value_t = 64)]
    parallel: usize,
    /// The hub binary (default: `sinergi` beside this program).
    #[arg(long)]
    hub: Option<std::path::PathBuf>,
}

const SUBSCRIPTION: &str = "subscription($r: String!) { contributionChanges(region: $r) { action reload contribution { id title } } }";
const CREATE: &str = "mutation($i: ContributionInput!) { createContribution(input: $i) { id } }";
/// The global flag's default: this benchmark then uses a new file of its own instead.
const DEFAULT_URL: &str = "sqlite://bench.db";
/// How long deliveries may still arrive after the last write.
const GRACE: Duration = Duration::from_secs(10);

type Socket = tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>;

/// What one subscriber received: (write number, arrival) and `reload: true` items.
#[derive(Default)]
struct Seen {
    arrivals: Vec<(u32, Instant)>,
    reloads: usize,
    closed_early: bool,
}

/// Counters every subscriber task shares with the driver.
#[derive(Default)]
struct Shared {
    connected: AtomicUsize,
    failed: AtomicUsize,
    probed: AtomicUsize,
    delivered: AtomicUsize,
}

/// Lets this process (and the hub it starts, which inherits the limit) open as many sockets as
/// the system allows: the usual soft limit of 1024 is far below ten thousand subscribers.
fn raise_open_files() -> libc::rlim_t {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct passed to them.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 {
            lim.rlim_cur = lim.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
            libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim);
        }
    }
    lim.rlim_cur
}

/// A connection initialised with `token` and subscribed.
async fn connect(hub: SocketAddr, token: &str) -> anyhow::Result<Socket> {
    let mut request = format!("ws://{hub}/graphql").into_client_request()?;
    request
        .headers_mut()
        .insert("Sec-WebSocket-Protocol", "graphql-transport-ws".parse()?);
    let tcp = tokio::net::TcpStream::connect(hub).await?;
    // The hub's frames are small: never let Nagle hold a pong or an ack back.
    tcp.set_nodelay(true)?;
    let (mut ws, _) = tokio_tungstenite::client_async(request, tcp).await?;
    let init =
        json!({"type": "connection_init", "payload": {"Authorization": format!("Bearer {token}")}});
    ws.send(Message::text(init.to_string())).await?;
    match ws.next().await {
        Some(Ok(Message::Text(t))) if t.contains("connection_ack") => {}
        other => bail!("no connection_ack: {other:?}"),
    }
    let sub = json!({"type": "subscribe", "id": "c", "payload": {"query": SUBSCRIPTION, "variables": {"r": "33.26"}}});
    ws.send(Message::text(sub.to_string())).await?;
    Ok(ws)
}

/// The write number in a change's title (`bench <step>-<n>`), for this step's writes only.
fn write_number(change: &Value, step: usize) -> Option<u32> {
    let title = change["contribution"]["title"].as_str()?;
    let (s, n) = title.strip_prefix("bench ")?.split_once('-')?;
    (s.parse::<usize>().ok()? == step).then(|| n.parse().ok())?
}

/// Reads one subscriber's socket until told to stop, timestamping each change on arrival.
async fn listen(
    mut ws: Socket,
    step: usize,
    shared: Arc<Shared>,
    mut stop: watch::Receiver<bool>,
) -> Seen {
    let mut seen = Seen::default();
    let mut probed = false;
    loop {
        let msg = tokio::select! {
            m = ws.next() => m,
            _ = stop.changed() => break,
        };
        let at = Instant::now();
        let text = match msg {
            Some(Ok(Message::Text(t))) => t,
            Some(Ok(Message::Close(_))) | Some(Err(_)) | None => {
                seen.closed_early = true;
                return seen;
            }
            Some(Ok(_)) => continue,
        };
        let Ok(v) = serde_json::from_str::<Value>(text.as_str()) else {
            continue;
        };
        match v["type"].as_str() {
            Some("ping") => {
                let _ = ws.send(Message::text(r#"{"type":"pong"}"#)).await;
            }
            Some("next") => {
                let change = &v["payload"]["data"]["contributionChanges"];
                if change["reload"] == true {
                    seen.reloads += 1;
                }
                match write_number(change, step) {
                    Some(0) if !probed => {
                        probed = true;
                        shared.probed.fetch_add(1, Ordering::Relaxed);
                    }
                    Some(0) => {}
                    Some(n) => {
                        seen.arrivals.push((n, at));
                        shared.delivered.fetch_add(1, Ordering::Relaxed);
                    }
                    None => {}
                }
            }
            Some("error") | Some("complete") => {
                eprintln!("subscription ended: {text}");
                seen.closed_early = true;
                return seen;
            }
            _ => {}
        }
    }
    let _ = ws.close(None).await;
    seen
}

/// Creates contribution `n` of step `step` as the member, returning when it was sent.
async fn write(member: &Client, step: usize, n: u32) -> Result<Instant, String> {
    let vars = json!({"i": {"source": "APBD_REGENCY", "kind": "CASH", "regionCode": "33.26.02.2008",
        "fiscalYear": 2026, "title": format!("bench {step}-{n}"), "amountPlanned": 1000,
        "amountCommitted": 1000, "status": "COMMITTED"}});
    let sent = Instant::now();
    member.send(CREATE, &vars).await.map(|_| sent)
}

/// Runs one step: `wanted` subscribers, `seconds` writes.
async fn step(
    (step, wanted, args): (usize, usize, &SubscribersArgs),
    (hub, pid): (SocketAddr, u32),
    token: &Arc<str>,
    member: &Client,
) -> anyhow::Result<Step> {
    let rss_before = rss_kib(pid);
    let shared = Arc::new(Shared::default());
    let (stop_tx, stop_rx) = watch::channel(false);
    let gate = Arc::new(Semaphore::new(args.parallel.max(1)));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..wanted {
        let (shared, stop, gate, token) =
            (shared.clone(), stop_rx.clone(), gate.clone(), token.clone());
        tasks.spawn(async move {
            let permit = gate.acquire_owned().await.ok();
            let ws = tokio::time::timeout(Duration::from_secs(30), connect(hub, &token)).await;
            drop(permit);
            match ws {
                Ok(Ok(ws)) => {
                    shared.connected.fetch_add(1, Ordering::Relaxed);
                    Some(listen(ws, step, shared, stop).await)
                }
                failed => {
                    if shared.failed.fetch_add(1, Ordering::Relaxed) == 0 {
                        eprintln!("a connection failed: {failed:?}", failed = failed.err());
                    }
                    None
                }
            }
        });
    }
    while shared.connected.load(Ordering::Relaxed) + shared.failed.load(Ordering::Relaxed) < wanted
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let setup = started.elapsed();
    let connected = shared.connected.load(Ordering::Relaxed);
    // A subscription counts once its first event arrives: resend the probe until all have it (the
    // subscribe message may still be in flight when the first probe is written).
    let mut write_failures = 0;
    let probing = Instant::now();
    while shared.probed.load(Ordering::Relaxed) < connected
        && probing.elapsed() < Duration::from_secs(120)
    {
        if write(member, step, 0).await.is_err() {
            write_failures += 1;
        }
        let waiting = Instant::now();
        while shared.probed.load(Ordering::Relaxed) < connected
            && waiting.elapsed() < Duration::from_secs(5)
        {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    // The probe may have been delivered twice to some: wait until the last copies have gone by.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let probed = shared.probed.load(Ordering::Relaxed).min(connected);
    let mut sent = vec![None; args.seconds as usize + 1];
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    for n in 1..=args.seconds {
        tick.tick().await;
        match write(member, step, n).await {
            Ok(at) => sent[n as usize] = Some(at),
            Err(e) => {
                write_failures += 1;
                eprintln!("write {n} failed: {e}");
            }
        }
    }
    let expected = connected * sent.iter().flatten().count();
    let waiting = Instant::now();
    while shared.delivered.load(Ordering::Relaxed) < expected && waiting.elapsed() < GRACE {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let rss_attached = rss_kib(pid);
    let _ = stop_tx.send(true);
    let (mut latencies, mut delivered, mut reloads, mut closed_early) = (vec![], 0, 0, 0);
    while let Some(joined) = tasks.join_next().await {
        let Some(seen) = joined.context("a subscriber task panicked")? else {
            continue;
        };
        let mut got: Vec<u32> = seen.arrivals.iter().map(|a| a.0).collect();
        got.sort_unstable();
        got.dedup();
        delivered += got.len();
        reloads += seen.reloads;
        closed_early += usize::from(seen.closed_early);
        for (n, at) in seen.arrivals {
            if let Some(Some(s)) = sent.get(n as usize) {
                latencies.push(at.saturating_duration_since(*s));
            }
        }
    }
    latencies.sort_unstable();
    // Let the hub notice the closed sockets and drop their subscriptions before measuring.
    tokio::time::sleep(Duration::from_secs(3)).await;
    Ok(Step {
        wanted,
        connected,
        failed: shared.failed.load(Ordering::Relaxed),
        setup,
        probed,
        expected,
        delivered,
        reloads,
        closed_early,
        write_failures,
        latencies,
        rss: [rss_before, rss_attached, rss_kib(pid)],
    })
}

/// The hub's open-file limit, from `/proc`.
fn hub_open_files(pid: u32) -> Option<String> {
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3).map(str::to_owned)
}

/// Runs `subscribers`.
pub async fn subscribers(url: &str, args: SubscribersArgs) -> anyhow::Result<()> {
    let bin = hub_binary(args.hub.clone())?;
    let own_file = (url == DEFAULT_URL).then(|| {
        std::env::temp_dir().join(format!("sinergi-subscribers-{}.db", std::process::id()))
    });
    let url = match &own_file {
        Some(f) => format!("sqlite://{}", f.display()),
        None => url.to_owned(),
    };
    let open_files = raise_open_files();
    let (db, _) = sinergi::db::connect_and_migrate(&url, 2).await?;
    sinergi::services::demo::load(&db)
        .await
        .context("cannot load the demo data: is the database fresh?")?;
    db.close().await?;
    // Every client comes from 127.0.0.1 and the upgrades are anonymous until `connection_init`:
    // the per-address limits would otherwise throttle the benchmark, not the hub.
    let no_limits = [
        "SINERGI_RATE_USER_PER_MINUTE",
        "SINERGI_RATE_ANONYMOUS_PER_MINUTE",
        "SINERGI_RATE_LOGIN_ACCOUNT_PER_MINUTE",
        "SINERGI_RATE_LOGIN_ADDRESS_PER_MINUTE",
    ]
    .map(|k| (k, "0"));
    let (mut hub, addr) = start_hub(&url, &bin, &no_limits).await?;
    let pid = hub.id();
    let result = async {
        let timeout = Duration::from_secs(30);
        let viewer = Client::new(addr, timeout)?;
        let token: Arc<str> = viewer
            .login("pemantau@sinergi.demo", "sinergi-demo")
            .await
            .map_err(anyhow::Error::msg)?
            .into();
        let mut member = Client::new(addr, timeout)?;
        member.set_token(
            member
                .login("skpd@pekalongan.demo", "sinergi-demo")
                .await
                .map_err(anyhow::Error::msg)?,
        );
        let mut steps = vec![];
        for (i, &n) in args.subscribers.iter().enumerate() {
            eprintln!("step {}: {n} subscribers", i + 1);
            steps.push(step((i + 1, n, &args), (addr, pid), &token, &member).await?);
        }
        anyhow::Ok(steps)
    }
    .await;
    let hub_files = hub_open_files(pid);
    let _ = hub.kill();
    let _ = hub.wait();
    if let Some(f) = own_file {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", f.display()));
        }
    }
    let backend = if url.starts_with("sqlite:") {
        "SQLite"
    } else {
        "PostgreSQL"
    };
    println!(
        "subscribers on {backend}: one write a second for {} s per step, fanned out to every subscriber; open files: bench {open_files}, hub {}\n",
        args.seconds,
        hub_files.as_deref().unwrap_or("?")
    );
    print_table(&result?);
    Ok(())
}
