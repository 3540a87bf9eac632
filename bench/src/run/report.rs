//! Percentiles and the Markdown the run prints, with enough about the machine and the data to make a
//! figure in BENCHMARKS.md mean something a year later.

use crate::generate::{count_rows, thousands};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use std::time::Duration;

/// What became of one scenario.
pub enum Outcome {
    /// It ran: latencies of the successful measured requests, and the failed ones.
    Measured {
        /// Latencies of successful requests.
        latencies: Vec<Duration>,
        /// Requests that failed during measurement.
        failures: usize,
        /// The first failure's reason, if any.
        first_failure: Option<String>,
        /// Whether the time budget cut it short.
        cut_short: bool,
    },
    /// It could not run: the first error (e.g. a field the API does not have yet).
    Failed(String),
}

/// The nearest-rank percentile `p` (0 < p <= 100) of sorted values.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1_000.0)
}

/// The Markdown table of all scenarios.
pub fn table(results: &[(&str, Outcome)]) -> String {
    let mut out = String::from(
        "| scenario | requests | p50 ms | p99 ms | max ms | failures |\n|---|---:|---:|---:|---:|---:|\n",
    );
    let mut notes = Vec::new();
    for (name, outcome) in results {
        match outcome {
            Outcome::Failed(reason) => {
                let reason = reason.replace('|', "\\|");
                out.push_str(&format!("| {name} | FAILED: {reason} | | | | |\n"));
            }
            Outcome::Measured {
                latencies,
                failures,
                first_failure,
                cut_short,
            } => {
                let mut sorted = latencies.clone();
                sorted.sort();
                let max = sorted.last().copied().unwrap_or_default();
                out.push_str(&format!(
                    "| {name} | {} | {} | {} | {} | {failures} |\n",
                    sorted.len() + failures,
                    ms(percentile(&sorted, 50.0)),
                    ms(percentile(&sorted, 99.0)),
                    ms(max),
                ));
                if let Some(f) = first_failure {
                    notes.push(format!("- {name}: first failure: {f}"));
                }
                if *cut_short {
                    notes.push(format!("- {name}: stopped early by the time budget"));
                }
            }
        }
    }
    if !notes.is_empty() {
        out.push('\n');
        out.push_str(&notes.join("\n"));
        out.push('\n');
    }
    out
}

/// The backend and its version, e.g. "SQLite 3.50.4".
async fn backend(db: &DatabaseConnection) -> String {
    let (name, sql) = match db.get_database_backend() {
        DbBackend::Sqlite => ("SQLite", "SELECT sqlite_version() AS v"),
        DbBackend::Postgres => ("PostgreSQL", "SHOW server_version"),
        _ => ("other", "SELECT 'unknown' AS v"),
    };
    let version = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .ok()
        .flatten()
        .and_then(|row| row.try_get_by_index::<String>(0).ok())
        .unwrap_or_else(|| "(version unknown)".to_owned());
    format!("{name} {version}")
}

/// The CPU model from /proc/cpuinfo (Linux), or "unknown".
fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The header: machine, build, backend, data volume.
pub async fn environment(db: &DatabaseConnection, url: &str, requests: usize) -> String {
    let cpus = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let build = if cfg!(debug_assertions) {
        "debug (not comparable: use --release)"
    } else {
        "release"
    };
    let mut counts = Vec::new();
    for table in ["contributions", "regions", "organizations", "meetings"] {
        let n = count_rows(db, table).await.unwrap_or(-1);
        counts.push(format!("{} {table}", thousands(n.max(0) as u64)));
    }
    format!(
        "- database: {} at {}\n- rows: {}\n- machine: {cpus} CPUs (nproc), {}\n- build: {build}; \
         one client, sequential requests, {requests} measured per scenario after warm-up\n",
        backend(db).await,
        sinergi::db::redact(url),
        counts.join(", "),
        cpu_model(),
    )
}
