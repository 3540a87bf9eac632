//! The `subscribers` report: one Markdown row per step.

use crate::run::report::percentile;
use std::time::Duration;

/// One step's figures.
pub(super) struct Step {
    pub(super) wanted: usize,
    pub(super) connected: usize,
    pub(super) failed: usize,
    pub(super) setup: Duration,
    pub(super) probed: usize,
    pub(super) expected: usize,
    pub(super) delivered: usize,
    pub(super) reloads: usize,
    pub(super) closed_early: usize,
    pub(super) write_failures: usize,
    pub(super) latencies: Vec<Duration>,
    pub(super) rss: [Option<u64>; 3],
}

/// The Markdown table, one row per step.
pub(super) fn print_table(steps: &[Step]) {
    let mib = |k: Option<u64>| k.map_or("?".into(), |k| format!("{:.1}", k as f64 / 1024.0));
    let ms = |d: Duration| format!("{:.1}", d.as_secs_f64() * 1000.0);
    println!(
        "| subscribers | connected | set-up s | probe reached | delivered / expected | reload items | p50 ms | p99 ms | max ms | hub RSS MiB before / attached / after |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    for s in steps {
        let l = &s.latencies;
        let max = l.last().copied().unwrap_or_default();
        let mut notes = vec![];
        if s.failed > 0 {
            notes.push(format!("{} failed to connect", s.failed));
        }
        if s.closed_early > 0 {
            notes.push(format!("{} closed early", s.closed_early));
        }
        if s.write_failures > 0 {
            notes.push(format!("{} writes failed", s.write_failures));
        }
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!(" ({})", notes.join(", "))
        };
        println!(
            "| {} | {}{notes} | {:.1} | {} | {} / {} | {} | {} | {} | {} | {} / {} / {} |",
            s.wanted,
            s.connected,
            s.setup.as_secs_f64(),
            s.probed,
            s.delivered,
            s.expected,
            s.reloads,
            ms(percentile(l, 50.0)),
            ms(percentile(l, 99.0)),
            ms(max),
            mib(s.rss[0]),
            mib(s.rss[1]),
            mib(s.rss[2]),
        );
    }
}
