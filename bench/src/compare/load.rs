//! The closed-loop load generator both servers get: `concurrency` clients, each sending its next
//! request as soon as the previous answer has arrived, for a fixed time after an unmeasured warm-up.

use crate::run::client::Client;
use crate::run::report::percentile;
use rand::SeedableRng;
use rand::rngs::SmallRng;
use rand::seq::IndexedRandom;
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What one server did in one cell (one query at one concurrency).
#[derive(Debug, Clone, Default)]
pub struct Cell {
    pub requests: usize,
    pub failures: usize,
    pub first_failure: Option<String>,
    pub per_second: f64,
    pub p50: Duration,
    pub p99: Duration,
}

/// Runs one cell. Only requests sent after the warm-up count; throughput is the counted requests
/// over the time from the end of the warm-up until the last of them was answered.
pub async fn cell(
    client: Arc<Client>,
    query: &'static str,
    variables: Arc<Vec<Value>>,
    concurrency: usize,
    (warmup, measured): (Duration, Duration),
    seed: u64,
) -> Cell {
    let started = Instant::now();
    let counted_from = started + warmup;
    let stop_at = counted_from + measured;
    let mut workers = tokio::task::JoinSet::new();
    for w in 0..concurrency.max(1) {
        let (client, variables) = (client.clone(), variables.clone());
        workers.spawn(async move {
            let mut rng = SmallRng::seed_from_u64(seed ^ (w as u64).wrapping_mul(0x9e37_79b9));
            let mut latencies = Vec::new();
            let (mut failures, mut first_failure) = (0, None);
            loop {
                let sent = Instant::now();
                if sent >= stop_at {
                    break;
                }
                let Some(vars) = variables.choose(&mut rng) else {
                    break;
                };
                let answer = client.send(query, vars).await;
                if sent < counted_from {
                    continue;
                }
                match answer {
                    Ok((took, _)) => latencies.push(took),
                    Err(e) => {
                        failures += 1;
                        first_failure.get_or_insert(e);
                    }
                }
            }
            (latencies, failures, first_failure, Instant::now())
        });
    }
    let mut all = Vec::new();
    let mut out = Cell::default();
    let mut last = counted_from;
    while let Some(joined) = workers.join_next().await {
        let Ok((latencies, failures, first_failure, ended)) = joined else {
            continue;
        };
        all.extend(latencies);
        out.failures += failures;
        if out.first_failure.is_none() {
            out.first_failure = first_failure;
        }
        last = last.max(ended);
    }
    all.sort();
    out.requests = all.len();
    let window = last.saturating_duration_since(counted_from).as_secs_f64();
    out.per_second = all.len() as f64 / window.max(1e-9);
    out.p50 = percentile(&all, 50.0);
    out.p99 = percentile(&all, 99.0);
    out
}
