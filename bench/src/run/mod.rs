//! `run`: start the real server in-process on 127.0.0.1, send each scenario's requests through HTTP
//! one after the other from one client, and print the latencies as Markdown.
//!
//! Everything is bounded: every request has a timeout, every scenario a time budget, and the server is
//! shut down at the end, so the run always stops by itself.

use anyhow::{Context, bail};
use clap::Args;
use rand::SeedableRng;
use rand::rngs::SmallRng;
use std::time::{Duration, Instant};

pub(crate) mod client;
pub(crate) mod report;
pub(crate) mod samples;
mod scenarios;

use report::Outcome;
use scenarios::Scenario;

/// Options of `run`.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// Measured requests per scenario.
    #[arg(long, default_value_t = 500)]
    requests: usize,
    /// Unmeasured requests per scenario first (fills caches, prepares statements).
    #[arg(long, default_value_t = 20)]
    warmup: usize,
    /// Bearer token sent with every request. Without it, `run` signs in with --email and --password
    /// through the `login` mutation (not timed), or runs anonymously with --anonymous.
    #[arg(long, env = "SINERGI_BENCH_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// User to sign in as when no --token is given (`generate` creates it).
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
    /// Send no token at all (what an anonymous caller gets).
    #[arg(long, conflicts_with = "token")]
    anonymous: bool,
    /// Seed for picking ids, villages and words.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Run only the scenarios whose name contains one of these (comma-separated).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Longest a single request may take before it counts as failed.
    #[arg(long, default_value_t = 30)]
    timeout_secs: u64,
    /// Longest a single scenario may run (warm-up included); it stops early beyond that.
    #[arg(long, default_value_t = 180)]
    budget_secs: u64,
    /// Print the first response of each scenario (shortened), to check what is being measured.
    #[arg(long)]
    show_responses: bool,
    /// Database connections of the server's pool.
    #[arg(long, default_value_t = 8)]
    db_pool: u32,
    /// Send automatic persisted queries (the hash alone) instead of the documents.
    #[arg(long)]
    persisted: bool,
    /// Metrics and request logging: `on` (metrics, and one JSON log line per request on standard
    /// error, as a production server writes them) or `off` (neither), to measure what they cost.
    #[arg(long, default_value = "off")]
    observability: Observability,
}

/// Whether the server collects metrics and writes request logs during the run.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Observability {
    On,
    Off,
}

/// Runs `run`.
pub async fn run(url: &str, args: RunArgs) -> anyhow::Result<()> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let path = path.split('?').next().unwrap_or(path);
        if !std::path::Path::new(path).is_file() {
            bail!("the database {path} does not exist: run `sinergi-bench generate` first");
        }
    }
    let config = sinergi::config::Config {
        database_url: url.to_owned(),
        bind: "127.0.0.1:0".into(),
        db_pool: args.db_pool,
        metrics: args.observability == Observability::On,
        ..Default::default()
    };
    if args.observability == Observability::On {
        sinergi::telemetry::init(
            "info,sqlx=warn,sea_orm=warn",
            sinergi::config::LogFormat::Json,
        );
    }
    let app = sinergi::startup::Application::build(&config)
        .await
        .context("cannot start the server")?;
    let addr = app.addr();
    let db = app.db();
    if crate::generate::count_rows(&db, "contributions").await? == 0 {
        bail!("the database has no contributions: run `sinergi-bench generate` first");
    }
    let samples = samples::Samples::load(&db, args.seed).await?;
    let mut header = report::environment(&db, url, args.requests).await;
    let mut client = client::Client::new(addr, Duration::from_secs(args.timeout_secs))?;
    if args.persisted {
        client.use_persisted_queries();
    }
    header.push_str(&format!(
        "- documents: {}; metrics and request logs: {:?}\n",
        if args.persisted {
            "persisted-query hashes"
        } else {
            "full text"
        },
        args.observability
    ));

    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async {
        let _ = stopped.await;
    }));
    eprintln!("server listening on http://{addr}/graphql");
    let identity = sign_in(&mut client, &args).await;
    eprintln!("identity: {identity}");
    header.push_str(&format!("- identity: {identity}\n"));

    let mut rng = SmallRng::seed_from_u64(args.seed);
    let mut results = Vec::new();
    for scenario in scenarios::ALL {
        let wanted =
            args.only.is_empty() || args.only.iter().any(|o| scenario.name.contains(o.as_str()));
        if !wanted {
            continue;
        }
        eprint!("{} ... ", scenario.name);
        let outcome = measure(&client, scenario, &samples, &mut rng, &args).await;
        match &outcome {
            Outcome::Failed(reason) => eprintln!("FAILED: {reason}"),
            Outcome::Measured { latencies, .. } => eprintln!("{} measured", latencies.len()),
        }
        results.push((scenario.name, outcome));
    }

    let _ = stop.send(());
    match tokio::time::timeout(Duration::from_secs(10), server).await {
        Ok(Ok(Ok(()))) => {}
        Ok(Ok(Err(e))) => eprintln!("warning: the server stopped with an error: {e:#}"),
        Ok(Err(e)) => eprintln!("warning: the server task failed: {e}"),
        Err(_) => eprintln!("warning: the server did not stop within 10 s"),
    }

    println!("{header}");
    print!("{}", report::table(&results));
    Ok(())
}

/// Sets the token the requests carry and says whose it is. A failed sign-in is not fatal: the run
/// goes on anonymously, and scenarios that need sign-in report it.
async fn sign_in(client: &mut client::Client, args: &RunArgs) -> String {
    if args.anonymous {
        return "anonymous (--anonymous)".to_owned();
    }
    if let Some(token) = &args.token {
        client.set_token(token.clone());
        return "the token given with --token / SINERGI_BENCH_TOKEN".to_owned();
    }
    match client.login(&args.email, &args.password).await {
        Ok(token) => {
            client.set_token(token);
            format!("{} (signed in through `login`)", args.email)
        }
        Err(e) => format!("anonymous (sign-in as {} failed: {e})", args.email),
    }
}

/// Warm-up, then the measured requests of one scenario. The first warm-up error fails the scenario
/// (a missing field fails every request alike); later errors are counted.
async fn measure(
    client: &client::Client,
    scenario: &Scenario,
    samples: &samples::Samples,
    rng: &mut SmallRng,
    args: &RunArgs,
) -> Outcome {
    let deadline = Instant::now() + Duration::from_secs(args.budget_secs);
    for i in 0..args.warmup.max(1) {
        let Some(vars) = (scenario.variables)(samples, rng) else {
            return Outcome::Failed("the database offers no input for it".to_owned());
        };
        match client.send(scenario.query, &vars).await {
            Err(e) if i == 0 => return Outcome::Failed(e),
            Ok((_, body)) if i == 0 && args.show_responses => {
                let text = body.to_string();
                let short: String = text.chars().take(400).collect();
                eprintln!("\n  variables {vars}\n  response  {short}");
            }
            _ => {}
        }
        if Instant::now() > deadline {
            break;
        }
    }
    let mut latencies = Vec::with_capacity(args.requests);
    let mut failures = 0;
    let mut first_failure = None;
    let mut cut_short = false;
    for _ in 0..args.requests {
        if Instant::now() > deadline {
            cut_short = true;
            break;
        }
        let Some(vars) = (scenario.variables)(samples, rng) else {
            break;
        };
        match client.send(scenario.query, &vars).await {
            Ok((took, _)) => latencies.push(took),
            Err(e) => {
                failures += 1;
                first_failure.get_or_insert(e);
            }
        }
    }
    if latencies.is_empty() && failures > 0 {
        return Outcome::Failed(first_failure.unwrap_or_default());
    }
    Outcome::Measured {
        latencies,
        failures,
        first_failure,
        cut_short,
    }
}
