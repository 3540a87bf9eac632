//! `sinergi-bench`: the national-scale benchmark of the Sinergi hub.
//!
//! `generate` fills a database with a synthetic but plausible national dataset (every official region,
//! thousands of actors, a million contributions, twenty thousand meetings) from a fixed seed, so that two
//! runs on two machines measure the same data. `run` starts the real server in-process on 127.0.0.1 and
//! times GraphQL requests through HTTP, as a dashboard would send them, and prints a Markdown table that
//! can be pasted into BENCHMARKS.md.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod compare;
mod generate;
mod pages;
mod run;
mod soak;
mod subscribers;

/// The `sinergi-bench` command line.
#[derive(Parser, Debug)]
#[command(
    name = "sinergi-bench",
    about = "National-scale data generator and HTTP latency benchmark for the Sinergi hub"
)]
struct Cli {
    /// Database to fill or measure: `sqlite://PATH` or `postgres://USER@HOST:PORT/DB`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://bench.db",
        global = true
    )]
    database_url: String,

    #[command(subcommand)]
    command: Command,
}

/// What to do.
#[derive(Subcommand, Debug)]
enum Command {
    /// Fill the database with the synthetic national dataset (fixed seed, bulk inserts).
    Generate(generate::GenerateArgs),
    /// Start the server in-process and time the benchmark scenarios through HTTP.
    Run(run::RunArgs),
    /// Time the web console's main pages (server time and bytes) with a signed-in session.
    Pages(pages::PagesArgs),
    /// Mixed reads and writes at a fixed rate for minutes against a hub process: failures, p50 and
    /// p99 per minute, and the hub's memory over time.
    Soak(soak::SoakArgs),
    /// The hub and PostGraphile 4 side by side on the same PostgreSQL database: same rows checked
    /// first, then requests/s, p50 and p99 at several concurrencies, and the hub's memory.
    Compare(compare::CompareArgs),
    /// graphql-ws subscribers of one hub process with a change a second fanned out to all: delivery
    /// latency and the hub's memory per subscriber count.
    Subscribers(subscribers::SubscribersArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Generate(args) => generate::generate(&cli.database_url, args).await,
            Command::Run(args) => run::run(&cli.database_url, args).await,
            Command::Pages(args) => pages::pages(&cli.database_url, args).await,
            Command::Soak(args) => soak::soak(&cli.database_url, args).await,
            Command::Compare(args) => compare::compare(&cli.database_url, args).await,
            Command::Subscribers(args) => subscribers::subscribers(&cli.database_url, args).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // `{:#}` prints the whole context chain on one line: "cannot open ...: no such file".
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
