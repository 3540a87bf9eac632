//! The comparison as Markdown, ready for BENCHMARKS.md: the conditions, every cell, the best
//! throughput each server keeps within the p99 limit, and the hub's memory along the way.

use super::load::Cell;
use std::fmt::Write;
use std::time::Duration;

/// One query's cells: (clients, hub, PostGraphile when asked).
#[derive(Default)]
pub struct Measured {
    pub name: &'static str,
    /// Why PostGraphile was not timed (no equivalent, or the rows differed).
    pub no_equivalent: Option<String>,
    pub cells: Vec<(usize, Cell, Option<Cell>)>,
    pub hub_rss_after: Option<u64>,
    pub postgraphile_rss_after: Option<u64>,
}

/// Resident memory (KiB) of both servers once ready and at the end.
#[derive(Default)]
pub struct Memory {
    pub hub_ready: Option<u64>,
    pub hub_end: Option<u64>,
    pub postgraphile_ready: Option<u64>,
    pub postgraphile_end: Option<u64>,
    pub hub_settled: Option<u64>,
    pub postgraphile_settled: Option<u64>,
    pub settle_seconds: u64,
}

/// The run's conditions.
pub struct Environment {
    pub database: String,
    pub contributions: i64,
    pub load_at_start: String,
    pub load_at_end: String,
    pub took: Duration,
    pub args: String,
}

/// The 1-, 5- and 15-minute load averages (other work on a shared machine shows here).
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "?".into())
}

/// `postgres://user:secret@host/db` -> `postgres://user@host/db`.
pub fn without_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let user = &url[s + 3..at];
            let user = user.split(':').next().unwrap_or(user);
            format!("{}{user}{}", &url[..s + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

fn mib(k: Option<u64>) -> String {
    k.map(|k| format!("{:.0}", k as f64 / 1024.0))
        .unwrap_or_else(|| "?".into())
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e3)
}

fn cell(c: &Cell) -> String {
    let failed = if c.failures > 0 {
        format!(
            " ({} failed: {})",
            c.failures,
            c.first_failure.as_deref().unwrap_or("")
        )
    } else {
        String::new()
    };
    format!(
        "{:.0}{failed} | {} | {}",
        c.per_second,
        ms(c.p50),
        ms(c.p99)
    )
}

/// Highest throughput among the cells that kept p99 within the limit and had no failures.
fn best(cells: impl Iterator<Item = (usize, Cell)>, limit_ms: f64) -> Option<(usize, f64)> {
    cells
        .filter(|(_, c)| c.failures == 0 && c.requests > 0 && c.p99.as_secs_f64() * 1e3 <= limit_ms)
        .map(|(n, c)| (n, c.per_second))
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

fn best_text(b: Option<(usize, f64)>) -> String {
    b.map(|(n, r)| format!("{r:.0} ({n} clients)"))
        .unwrap_or_else(|| "none".into())
}

/// The whole report.
pub fn markdown(env: &Environment, results: &[Measured], mem: &Memory, limit_ms: f64) -> String {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "- database: {} ({} contributions)",
        env.database, env.contributions
    );
    let _ = writeln!(
        out,
        "- machine: {cores} cores shared by both servers, PostgreSQL and the load generator; load average {} at start, {} at end",
        env.load_at_start, env.load_at_end
    );
    let _ = writeln!(out, "- cells: {}", env.args);
    let _ = writeln!(out, "- whole comparison: {:.0} s", env.took.as_secs_f64());
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "| query | clients | hub req/s | hub p50 ms | hub p99 ms | PostGraphile req/s | PG p50 ms | PG p99 ms |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|");
    for m in results {
        if m.cells.is_empty() {
            let why = m.no_equivalent.as_deref().unwrap_or("");
            let _ = writeln!(out, "| {} | | {why} | | | | | |", m.name);
        }
        for (clients, h, p) in &m.cells {
            let pg = match (p, &m.no_equivalent) {
                (Some(p), _) => cell(p),
                (None, Some(_)) => "no equivalent | | ".to_owned(),
                (None, None) => "not run | | ".to_owned(),
            };
            let _ = writeln!(out, "| {} | {clients} | {} | {pg} |", m.name, cell(h));
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "| query | hub best req/s, p99 <= {limit_ms:.0} ms | PostGraphile best | hub / PostGraphile | hub RSS after, MiB |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|");
    for m in results {
        let h = best(m.cells.iter().map(|(n, h, _)| (*n, h.clone())), limit_ms);
        let has_pg = m.cells.iter().any(|(_, _, p)| p.is_some());
        let p = best(
            m.cells
                .iter()
                .filter_map(|(n, _, p)| p.clone().map(|p| (*n, p))),
            limit_ms,
        );
        let (pg, ratio) = if has_pg {
            let ratio = match (h, p) {
                (Some((_, a)), Some((_, b))) => format!("{:.2}", a / b),
                _ => "-".into(),
            };
            (best_text(p), ratio)
        } else {
            ("no equivalent".into(), "-".into())
        };
        let _ = writeln!(
            out,
            "| {} | {} | {pg} | {ratio} | {} |",
            m.name,
            best_text(h),
            mib(m.hub_rss_after)
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Hub RSS: {} MiB ready, {} MiB at the end, {} MiB after {} s idle. PostGraphile RSS: {} MiB ready, {} MiB at the end, {} MiB after idle.",
        mib(mem.hub_ready),
        mib(mem.hub_end),
        mib(mem.hub_settled),
        mem.settle_seconds,
        mib(mem.postgraphile_ready),
        mib(mem.postgraphile_end),
        mib(mem.postgraphile_settled)
    );
    for m in results {
        if let Some(why) = &m.no_equivalent {
            let _ = writeln!(out, "\n{}: {why}.", m.name);
        }
    }
    out
}
