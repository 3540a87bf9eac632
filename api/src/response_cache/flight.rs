//! Identical requests in flight, computed once: a request that misses the cache while an
//! identical one (same key) of the same generation is being computed waits for its answer.

use super::{Hit, Key, ResponseCache};
use axum::body::Bytes;
use tokio::sync::watch;

/// What followers of a computation see: nothing yet, then the answer (`None`: not shareable).
pub type Outcome = watch::Receiver<Option<Option<Hit>>>;

/// Whether a request computes its answer itself or waits for an identical one in flight.
pub enum Turn<'a> {
    /// Compute, then [`Leader::share`] the answer (dropping the leader tells followers to compute
    /// their own).
    Lead(Leader<'a>),
    /// Wait for the answer of the identical request in flight ([`follow`]).
    Follow(Outcome),
    /// Compute without sharing (an identical request of another generation is in flight).
    Alone,
}

/// The request whose answer identical requests in flight wait for.
pub struct Leader<'a> {
    cache: &'a ResponseCache,
    key: String,
    tx: watch::Sender<Option<Option<Hit>>>,
}

impl Leader<'_> {
    /// Gives the answer to the requests waiting for it.
    pub fn share(self, body: Bytes, operation: String) {
        self.tx.send_replace(Some(Some(Hit { body, operation })));
    }
}

impl Drop for Leader<'_> {
    fn drop(&mut self) {
        // Not shared (an error, a mutation, a cancelled or panicking request): the followers
        // compute their own.
        self.tx.send_if_modified(|v| {
            if v.is_none() {
                *v = Some(None);
                true
            } else {
                false
            }
        });
        let mut flights = self.cache.flights.lock().unwrap_or_else(|e| e.into_inner());
        if flights
            .get(&self.key)
            .is_some_and(|(_, rx)| rx.same_channel(&self.tx.subscribe()))
        {
            flights.remove(&self.key);
        }
    }
}

/// The answer of the identical request in flight, or `None` when it could not be shared.
pub async fn follow(mut outcome: Outcome) -> Option<Hit> {
    match outcome.wait_for(Option::is_some).await {
        Ok(v) => v.as_ref().and_then(|o| o.clone()),
        Err(_) => None,
    }
}

impl ResponseCache {
    /// Whether a request that missed the cache, started in `generation`, computes its answer or
    /// waits for an identical one in flight.
    pub fn turn(&self, key: &Key, generation: u64) -> Turn<'_> {
        let mut flights = self.flights.lock().unwrap_or_else(|e| e.into_inner());
        match flights.get(&key.0) {
            Some((g, outcome)) if *g == generation => Turn::Follow(outcome.clone()),
            Some(_) => Turn::Alone,
            None => {
                let (tx, rx) = watch::channel(None);
                flights.insert(key.0.clone(), (generation, rx));
                Turn::Lead(Leader {
                    cache: self,
                    key: key.0.clone(),
                    tx,
                })
            }
        }
    }
}
