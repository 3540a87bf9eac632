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
//!   (`services::commits::Commits`) has not moved. A commit of this process moves it before the
//!   writer is answered, so the next read, on any connection, runs afresh; a change made through
//!   another hub process or the command line moves it when the change feed brings it (PostgreSQL:
//!   the NOTIFY, a few milliseconds; SQLite: after that process's commit is read from the audit
//!   log, within a second). While the feed may be missing changes nothing is served from here.
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

/// Identical requests in flight, computed once.
mod flight;
pub use flight::{Leader, Turn, follow};

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
    flights: Mutex<HashMap<String, (u64, flight::Outcome)>>,
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
mod tests;
