//! Answers to repeated queries, kept in memory and used only while nothing has changed.
//!
//! Dashboards ask the same questions again and again (a regency's villages with their
//! contributions, a village's page), and the data changes rarely next to how often it is read. The
//! answer to a query is kept, as the bytes sent, under the caller, the document, the operation name
//! and the variables, and the next identical request gets those bytes without touching the
//! database.
//!
//! The rules stay whole:
//! - **Drafts and permissions.** Entries belong to one caller (the account and its version, or
//!   anonymous): nobody is ever sent an answer computed for someone else.
//! - **Deactivation.** The caller is checked (token, account, `active`) before the cache is asked,
//!   exactly as for any request.
//! - **Read your writes.** An entry is used only while the data generation it was read in
//!   (`events::Commits`) has not moved. A commit of this process moves it before the writer is
//!   answered, so the next read, on any connection, runs afresh; a change made through another
//!   hub process or the command line moves it when the change feed brings it (PostgreSQL: the
//!   NOTIFY, a few milliseconds; SQLite: after that process's commit is read from the audit log,
//!   within a second). While the feed may be missing changes nothing is served from here.
//! - **Time.** An entry is used for at most [`MAX_AGE`], so answers that depend on the date
//!   (overdue items) and changes typed by hand into the database (no audit row, no feed) show
//!   within that time.
//!
//! **Asked at once, computed once.** When identical requests (same caller, document and variables)
//! arrive while the first is still being computed, in the same generation, they wait for its
//! answer instead of each running it ([`ResponseCache::turn`]): after a write, a dashboard that
//! many browser tabs or a partner's server poll at once is read from the database once, not once
//! per request. If the first cannot share its answer (an error, a mutation, it was cancelled), each
//! runs its own.
//!
//! Only successful queries are kept (no errors, no mutations or subscriptions, nothing that sets a
//! header), and at most [`MAX_ENTRY_SHARE`] of the budget per answer. The least recently used
//! entries go first when the budget (`SINERGI_RESPONSE_CACHE_MB`) is full; `0` turns the cache off.

use crate::auth::Viewer;
use crate::events::Bus;
use axum::body::Bytes;
use lru::LruCache;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// How long an answer is used at most.
pub const MAX_AGE: Duration = Duration::from_secs(10);

/// An answer larger than this share of the budget is not kept (one large export must not push out
/// every dashboard).
pub const MAX_ENTRY_SHARE: usize = 8;

/// Bookkeeping per entry beyond its key and body (the LRU's node, the entry's fields).
const OVERHEAD: usize = 128;

/// What a request is looked up by: built once per request, before it runs.
pub struct Key(String);

impl Key {
    /// The key of `request` asked by `viewer` (after persisted queries were resolved).
    pub fn new(viewer: &Viewer, request: &async_graphql::Request) -> Self {
        let variables = serde_json::to_string(&request.variables).unwrap_or_default();
        let mut key = String::with_capacity(request.query.len() + variables.len() + 64);
        match viewer {
            Viewer::Anonymous => key.push('-'),
            Viewer::User(u) => {
                key.push_str(&u.id);
                key.push(':');
                key.push_str(&u.version.to_string());
            }
        }
        // NUL cannot appear in a user id, an operation name or JSON text, so the parts cannot
        // run into one another.
        key.push('\0');
        key.push_str(request.operation_name.as_deref().unwrap_or(""));
        key.push('\0');
        key.push_str(&variables);
        key.push('\0');
        key.push_str(&request.query);
        Self(key)
    }
}

/// A kept answer.
#[derive(Clone)]
pub struct Hit {
    /// The response body, as first sent.
    pub body: Bytes,
    /// The operation's name (spans and metrics).
    pub operation: String,
}

struct Entry {
    generation: u64,
    at: Instant,
    body: Bytes,
    operation: String,
}

/// The cache of one hub process.
pub struct ResponseCache {
    state: Mutex<State>,
    budget: usize,
    bus: Bus,
    /// Answers being computed, by key: the generation they started in, and where they will be.
    flights: Mutex<HashMap<String, (u64, Outcome)>>,
}

/// What followers of a computation see: nothing yet, then the answer (`None`: not shareable).
type Outcome = watch::Receiver<Option<Option<Hit>>>;

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

struct State {
    entries: LruCache<String, Entry>,
    bytes: usize,
}

impl ResponseCache {
    /// A cache of at most `megabytes`, following `bus`'s data generation.
    pub fn new(megabytes: usize, bus: Bus) -> Self {
        Self {
            state: Mutex::new(State {
                entries: LruCache::unbounded(),
                bytes: 0,
            }),
            budget: megabytes.saturating_mul(1024 * 1024),
            bus,
            flights: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock leaves only a cache behind: keep using it.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether the cache is on.
    pub fn enabled(&self) -> bool {
        self.budget > 0
    }

    /// The generation a request starts in; pass it to [`ResponseCache::put`].
    pub fn generation(&self) -> u64 {
        self.bus.generation()
    }

    /// The kept answer to `key`, if nothing changed since it was read.
    pub fn get(&self, key: &Key) -> Option<Hit> {
        if !self.enabled() || !self.bus.is_live() {
            return None;
        }
        let now = self.bus.generation();
        let mut state = self.lock();
        let fresh = match state.entries.get(&key.0) {
            None => return None,
            Some(e) => e.generation == now && e.at.elapsed() < MAX_AGE,
        };
        if !fresh {
            if let Some(stale) = state.entries.pop(&key.0) {
                state.bytes -= size(&key.0, &stale);
            }
            return None;
        }
        state.entries.get(&key.0).map(|e| Hit {
            body: e.body.clone(),
            operation: e.operation.clone(),
        })
    }

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

    /// Keeps an answer read in `generation`, unless something changed since or it is too large.
    pub fn put(&self, key: Key, generation: u64, body: Bytes, operation: String) {
        if !self.enabled() || !self.bus.is_live() || generation != self.bus.generation() {
            return;
        }
        let entry = Entry {
            generation,
            at: Instant::now(),
            body,
            operation,
        };
        let bytes = size(&key.0, &entry);
        if bytes > self.budget / MAX_ENTRY_SHARE {
            return;
        }
        let mut state = self.lock();
        if let Some(old) = state.entries.pop(&key.0) {
            state.bytes -= size(&key.0, &old);
        }
        while state.bytes + bytes > self.budget {
            match state.entries.pop_lru() {
                Some((k, e)) => state.bytes -= size(&k, &e),
                None => break,
            }
        }
        state.bytes += bytes;
        state.entries.put(key.0, entry);
    }

    /// Bytes held (keys, bodies and bookkeeping).
    pub fn bytes(&self) -> usize {
        self.lock().bytes
    }
}

fn size(key: &str, entry: &Entry) -> usize {
    key.len() + entry.body.len() + entry.operation.len() + OVERHEAD
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(query: &str) -> async_graphql::Request {
        async_graphql::Request::new(query)
    }

    fn live_bus() -> Bus {
        let bus = Bus::new(Default::default());
        bus.set_live(true);
        bus
    }

    #[test]
    fn an_answer_is_used_until_the_data_changes() {
        let bus = live_bus();
        let cache = ResponseCache::new(1, bus.clone());
        let key = || Key::new(&Viewer::Anonymous, &request("{ a }"));
        let g = cache.generation();
        cache.put(key(), g, Bytes::from_static(b"one"), "q".into());
        assert_eq!(cache.get(&key()).expect("kept").body, "one");
        bus.changed();
        assert!(cache.get(&key()).is_none(), "used after a change");
        assert_eq!(cache.bytes(), 0, "the stale entry is dropped");
    }

    #[test]
    fn a_read_that_raced_a_write_is_not_kept() {
        let bus = live_bus();
        let cache = ResponseCache::new(1, bus.clone());
        let g = cache.generation();
        bus.changed();
        cache.put(
            Key::new(&Viewer::Anonymous, &request("{ a }")),
            g,
            Bytes::from_static(b"old"),
            "q".into(),
        );
        assert!(
            cache
                .get(&Key::new(&Viewer::Anonymous, &request("{ a }")))
                .is_none()
        );
    }

    #[test]
    fn nothing_is_served_while_the_feed_may_miss_changes() {
        let bus = live_bus();
        let cache = ResponseCache::new(1, bus.clone());
        let key = || Key::new(&Viewer::Anonymous, &request("{ a }"));
        cache.put(
            key(),
            cache.generation(),
            Bytes::from_static(b"x"),
            "q".into(),
        );
        bus.set_live(false);
        assert!(cache.get(&key()).is_none());
        bus.set_live(true);
        assert!(cache.get(&key()).is_none(), "kept across a gap in the feed");
    }

    #[tokio::test]
    async fn identical_requests_in_flight_wait_for_the_first() {
        let bus = live_bus();
        let cache = ResponseCache::new(1, bus.clone());
        let key = || Key::new(&Viewer::Anonymous, &request("{ a }"));
        let g = cache.generation();
        let Turn::Lead(leader) = cache.turn(&key(), g) else {
            panic!("the first request leads");
        };
        let Turn::Follow(outcome) = cache.turn(&key(), g) else {
            panic!("an identical one follows");
        };
        // One from after a change must not take the answer read before it.
        assert!(matches!(cache.turn(&key(), g + 1), Turn::Alone));
        leader.share(Bytes::from_static(b"answer"), "q".into());
        assert_eq!(follow(outcome).await.expect("shared").body, "answer");
        // The flight is over: the next one leads again.
        let Turn::Lead(leader) = cache.turn(&key(), g) else {
            panic!("a new flight");
        };
        let Turn::Follow(outcome) = cache.turn(&key(), g) else {
            panic!("follows");
        };
        // A leader that cannot share (an error, a cancelled request) lets followers run their own.
        drop(leader);
        assert!(follow(outcome).await.is_none());
        assert!(matches!(cache.turn(&key(), g), Turn::Lead(_)));
    }

    #[test]
    fn keys_differ_by_caller_operation_and_variables() {
        let user = |id: &str, version: i32| {
            Viewer::User(Box::new(entity::user::Model {
                id: id.into(),
                email: String::new(),
                name: String::new(),
                password_hash: String::new(),
                role: entity::enums::Role::Viewer,
                organization_id: None,
                region_scope: None,
                active: true,
                must_change_password: false,
                version,
                created_at: chrono::Utc::now(),
                updated_at: chrono::Utc::now(),
            }))
        };
        let base = request("query A { a } query B { b }");
        let keys = [
            Key::new(&Viewer::Anonymous, &base),
            Key::new(&user("u1", 1), &base),
            Key::new(&user("u1", 2), &base),
            Key::new(&user("u2", 1), &base),
            Key::new(
                &user("u1", 1),
                &request("query A { a } query B { b }").operation_name("B"),
            ),
            Key::new(
                &user("u1", 1),
                &request("query A { a } query B { b }").variables(
                    async_graphql::Variables::from_json(serde_json::json!({"x": 1})),
                ),
            ),
        ];
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert_ne!(a.0, b.0);
            }
        }
    }

    #[test]
    fn the_budget_is_kept_by_dropping_the_least_recently_used() {
        let bus = live_bus();
        let cache = ResponseCache::new(1, bus);
        let body = Bytes::from(vec![b'x'; 100 * 1024]);
        for i in 0..40 {
            let key = Key::new(&Viewer::Anonymous, &request(&format!("{{ a{i} }}")));
            cache.put(key, cache.generation(), body.clone(), "q".into());
            assert!(cache.bytes() <= 1024 * 1024);
        }
        let newest = Key::new(&Viewer::Anonymous, &request("{ a39 }"));
        let oldest = Key::new(&Viewer::Anonymous, &request("{ a0 }"));
        assert!(cache.get(&newest).is_some());
        assert!(cache.get(&oldest).is_none());
        // Larger than an eighth of the budget: not kept at all.
        let huge = Key::new(&Viewer::Anonymous, &request("{ huge }"));
        cache.put(
            huge,
            cache.generation(),
            Bytes::from(vec![b'x'; 200 * 1024]),
            "q".into(),
        );
        assert!(
            cache
                .get(&Key::new(&Viewer::Anonymous, &request("{ huge }")))
                .is_none()
        );
    }
}
