//! `generate`: the synthetic national dataset, table group by table group.
//!
//! Every table group draws from its own random stream derived from `--seed`, so changing how many
//! meetings are generated does not change the contributions. Ids are UUIDv7 generated in insertion
//! order (keyset pages order by id, and a live hub's ids grow with time).

use anyhow::{Context, bail};
use clap::Args;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ConnectionTrait, DbBackend};
use std::path::PathBuf;
use std::time::{Duration, Instant};

mod bulk;
mod catalog;
mod contributions;
mod indicators;
mod meetings;
mod money;
mod names;
mod organizations;
mod programs;
mod time;
mod users;

pub use bulk::count_rows;
pub use users::{PASSWORD as BENCH_PASSWORD, VIEWER_EMAIL};

/// The official region list shipped beside the workspace (`../shared/regions/wilayah_2025.csv` from
/// the workspace root), resolved at compile time so that it works from any directory.
const DEFAULT_REGIONS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/regions/wilayah_2025.csv"
);

/// Options of `generate`. The defaults are the national scale the benchmark is specified at; the
/// counts exist for quick trial runs.
#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// The official `code,name` region list to import (every region of it is imported).
    #[arg(long, default_value = DEFAULT_REGIONS)]
    regions: PathBuf,
    /// Seed of the random generator: the same seed gives the same dataset (except the ids, which
    /// carry the generation time).
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Delete every existing row except the regions before generating.
    #[arg(long)]
    force: bool,
    /// Number of organizations (at least one government and Bappeda per province and regency are
    /// always created).
    #[arg(long, default_value_t = 5_000)]
    organizations: usize,
    /// Number of programs.
    #[arg(long, default_value_t = 300)]
    programs: usize,
    /// Number of contributions.
    #[arg(long, default_value_t = 1_000_000)]
    contributions: usize,
    /// Number of coordination meetings.
    #[arg(long, default_value_t = 20_000)]
    meetings: usize,
    /// Contributions written per database transaction.
    #[arg(long, default_value_t = 50_000)]
    rows_per_transaction: usize,
}

/// Wall-clock time and row counts per table group, printed as they happen and summed up at the end.
#[derive(Debug, Default)]
pub struct Timings {
    rows: Vec<(String, u64, Duration)>,
    notes: Vec<String>,
}

impl Timings {
    /// Records one finished table group and prints it.
    pub fn record(&mut self, what: &str, rows: u64, took: Duration) {
        println!(
            "  {what}: {} rows in {:.1} s",
            thousands(rows),
            took.as_secs_f64()
        );
        self.rows.push((what.to_owned(), rows, took));
    }

    /// Adds a line printed under the summary table.
    pub fn note(&mut self, note: String) {
        self.notes.push(note);
    }

    fn print_summary(&self, total: Duration) {
        println!();
        println!("| table group | rows | seconds | rows/s |");
        println!("|---|---:|---:|---:|");
        for (what, rows, took) in &self.rows {
            let secs = took.as_secs_f64();
            println!(
                "| {what} | {} | {secs:.1} | {} |",
                thousands(*rows),
                thousands((*rows as f64 / secs.max(1e-9)) as u64)
            );
        }
        println!("| **total** | | **{:.1}** | |", total.as_secs_f64());
        for n in &self.notes {
            println!("\n{n}");
        }
    }
}

/// A new record id: UUIDv7, time-ordered within the process, exactly as the hub makes them.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// 1234567 -> "1,234,567".
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Picks one item by integer weight (a non-empty list of constants).
pub fn weighted<T: Copy>(rng: &mut SmallRng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.random_range(0..total.max(1));
    for &(item, w) in items {
        if x < w {
            return item;
        }
        x -= w;
    }
    items[items.len() - 1].0
}

/// An independent random stream per table group, all derived from the one seed.
fn stream(seed: u64, group: u64) -> SmallRng {
    SmallRng::seed_from_u64(seed ^ group.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// Runs `generate`.
pub async fn generate(url: &str, args: GenerateArgs) -> anyhow::Result<()> {
    if !args.regions.is_file() {
        bail!(
            "the region list {} does not exist or is not a file. `generate` imports the official \
             Kemendagri list (`code,name`, e.g. ../shared/regions/wilayah_2025.csv from the workspace \
             root); pass its path with --regions FILE",
            args.regions.display()
        );
    }
    if args.contributions == 0 || args.rows_per_transaction == 0 {
        bail!("--contributions and --rows-per-transaction must be at least 1");
    }
    let started = Instant::now();
    println!(
        "generating into {} (seed {})",
        sinergi::db::redact(url),
        args.seed
    );
    let (db, _) = sinergi::db::connect_and_migrate(url, 2)
        .await
        .context("cannot open and migrate the database")?;
    bulk::ensure_empty(&db, args.force, url).await?;

    let mut timings = Timings::default();
    let catalog = catalog::import_and_load(&db, &args.regions, &mut timings).await?;
    let dir = organizations::generate(
        &db,
        &catalog,
        &mut stream(args.seed, 1),
        args.organizations,
        &mut timings,
    )
    .await?;
    users::generate(&db, &catalog, &dir, &mut timings).await?;
    let programs = programs::generate(
        &db,
        &catalog,
        &dir,
        &mut stream(args.seed, 2),
        args.programs.max(1),
        &mut timings,
    )
    .await?;
    contributions::generate(
        &db,
        contributions::Targets {
            catalog: &catalog,
            dir: &dir,
            programs: &programs,
        },
        &mut stream(args.seed, 3),
        args.contributions,
        args.rows_per_transaction,
        &mut timings,
    )
    .await?;
    meetings::generate(
        &db,
        &catalog,
        &dir,
        &mut stream(args.seed, 4),
        args.meetings,
        &mut timings,
    )
    .await?;
    indicators::generate(&db, &catalog, &mut stream(args.seed, 5), &mut timings).await?;

    // Fresh statistics, so that the planner sees a million rows and not an empty table.
    let analyze = Instant::now();
    db.execute_unprepared("ANALYZE")
        .await
        .context("ANALYZE failed")?;
    if db.get_database_backend() == DbBackend::Sqlite {
        // Fold the write-ahead log into the database file, so that the file left behind is whole.
        db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
            .await
            .context("the WAL checkpoint failed")?;
    }
    timings.record("ANALYZE", 0, analyze.elapsed());
    db.close().await.ok();
    timings.print_summary(started.elapsed());
    Ok(())
}
