//! `pages`: the console's server time and page weight. Starts the real server in-process, signs in
//! through `login`, and fetches the overview of the focus regency, village pages and the
//! contributions list with the session cookie, timing each request from sending to the last byte and
//! counting the bytes of the HTML and of the assets it loads (stylesheet and htmx, fetched once: the
//! browser caches them for a year).

use crate::run::report::percentile;
use crate::run::samples::{FOCUS_REGENCY, Samples};
use anyhow::{Context, bail};
use clap::Args;
use rand::SeedableRng;
use rand::rngs::SmallRng;
use std::time::{Duration, Instant};

/// Draws the path of one request.
type PathFn<'a> = Box<dyn Fn(&mut SmallRng) -> String + 'a>;

/// Options of `pages`.
#[derive(Args, Debug)]
pub struct PagesArgs {
    /// Measured requests per page.
    #[arg(long, default_value_t = 300)]
    requests: usize,
    /// Unmeasured requests per page first.
    #[arg(long, default_value_t = 10)]
    warmup: usize,
    /// User to sign in as (`generate` creates it).
    #[arg(long, default_value = crate::generate::VIEWER_EMAIL)]
    email: String,
    /// Its password.
    #[arg(long, default_value = crate::generate::BENCH_PASSWORD)]
    password: String,
    /// Fiscal year of the overview and the list.
    #[arg(long, default_value_t = 2025)]
    year: i32,
    /// Seed of the village choice.
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

/// Runs `pages`.
pub async fn pages(url: &str, args: PagesArgs) -> anyhow::Result<()> {
    let config = sinergi::config::Config {
        database_url: url.to_owned(),
        bind: "127.0.0.1:0".into(),
        ..Default::default()
    };
    let app = sinergi::startup::Application::build(&config)
        .await
        .context("cannot start the server")?;
    let addr = app.addr();
    let samples = Samples::load(&app.db(), args.seed).await?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async {
        let _ = stopped.await;
    }));
    let gql = crate::run::client::Client::new(addr, Duration::from_secs(30))?;
    let token = gql
        .login(&args.email, &args.password)
        .await
        .map_err(|e| anyhow::anyhow!("cannot sign in as {}: {e}", args.email))?;
    let http = reqwest::Client::builder().no_proxy().build()?;
    let base = format!("http://{addr}");
    let cookie = format!("sinergi_sesi={token}");
    let mut rng = SmallRng::seed_from_u64(args.seed);
    let year = args.year;
    let pages: Vec<(&str, PathFn)> = vec![
        (
            "overview (Beranda) of 33.26",
            Box::new(move |_| format!("/?wilayah={FOCUS_REGENCY}&tahun={year}")),
        ),
        (
            "village page",
            Box::new(|rng| {
                let v = samples
                    .focus_villages
                    .get(rand::Rng::random_range(
                        rng,
                        0..samples.focus_villages.len().max(1),
                    ))
                    .cloned()
                    .unwrap_or_else(|| "33.26.02.2008".into());
                format!("/wilayah/{v}")
            }),
        ),
        (
            "contributions list of 33.26",
            Box::new(move |_| format!("/kontribusi?wilayah={FOCUS_REGENCY}&tahun={year}")),
        ),
    ];
    let assets = asset_bytes(&http, &base).await?;
    println!("| page | p50 ms | p99 ms | HTML KB (median) | with assets KB |");
    println!("|---|---:|---:|---:|---:|");
    for (name, path) in &pages {
        let mut times = Vec::new();
        let mut sizes = Vec::new();
        for i in 0..args.warmup + args.requests {
            let p = path(&mut rng);
            let started = Instant::now();
            let res = http
                .get(format!("{base}{p}"))
                .header("Cookie", &cookie)
                .send()
                .await?;
            let status = res.status();
            let body = res.bytes().await?;
            let took = started.elapsed();
            if status != 200 {
                bail!("{p}: HTTP {status}");
            }
            if i >= args.warmup {
                times.push(took);
                sizes.push(body.len());
            }
        }
        times.sort();
        sizes.sort();
        let html = sizes[sizes.len() / 2] as f64 / 1024.0;
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "| {name} | {:.1} | {:.1} | {html:.1} | {:.1} |",
            ms(percentile(&times, 50.0)),
            ms(percentile(&times, 99.0)),
            html + assets as f64 / 1024.0
        );
    }
    let _ = stop.send(());
    let _ = tokio::time::timeout(Duration::from_secs(10), server).await;
    Ok(())
}

/// Bytes of the stylesheet and script every page loads (as sent, without compression).
async fn asset_bytes(http: &reqwest::Client, base: &str) -> anyhow::Result<usize> {
    let mut total = 0;
    for path in [
        sinergi::console::assets::STYLESHEET,
        sinergi::console::assets::HTMX,
    ] {
        total += http
            .get(format!("{base}{path}"))
            .send()
            .await?
            .bytes()
            .await?
            .len();
    }
    Ok(total)
}
