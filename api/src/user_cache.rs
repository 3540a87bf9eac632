//! The signed-in user without a database round trip on every request.
//!
//! Every request names its user by token, and reading the account each time was a quarter of a
//! simple query's statements. The account is kept here instead, keyed by id, and dropped the moment
//! it changes: at once by the mutation that changed it in this process (`forget`), and on every
//! other hub process by the change feed (`events`: PostgreSQL LISTEN/NOTIFY; on SQLite the
//! audit log, read after each commit and once a second for the command line's changes). While the
//! feed may be missing changes (the listener is reconnecting) the cache is not trusted and every
//! request reads the account again, so "deactivated means refused" never waits for a cache.
//!
//! A read racing an invalidation cannot put a stale account back: it remembers the generation it
//! started in, and a put from an older generation is ignored. An account is kept at most
//! [`MAX_AGE`], so a change made behind the hub's back (SQL typed by hand, which leaves no audit
//! row to announce it) takes effect within that time; changes through the hub, its console or its
//! command line take effect at once.

use crate::events::{Bus, Event};
use entity::user::Model;
use lru::LruCache;
use std::num::NonZeroUsize;
use std::sync::{Mutex, OnceLock};

/// Accounts kept (a few megabytes at most; the least recently used go first).
const CAPACITY: usize = 10_000;

/// How long an account is kept before it is read again.
pub const MAX_AGE: std::time::Duration = std::time::Duration::from_secs(30);

/// Accounts by id.
pub struct UserCache {
    state: Mutex<State>,
    /// The feed whose liveness the cache depends on; none yet means "not trusted".
    bus: OnceLock<Bus>,
}

struct State {
    users: LruCache<String, (Model, std::time::Instant)>,
    generation: u64,
}

impl Default for UserCache {
    fn default() -> Self {
        Self {
            state: Mutex::new(State {
                users: LruCache::new(NonZeroUsize::new(CAPACITY).unwrap_or(NonZeroUsize::MIN)),
                generation: 0,
            }),
            bus: OnceLock::new(),
        }
    }
}

impl UserCache {
    fn trusted(&self) -> bool {
        self.bus.get().is_some_and(Bus::is_live)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock leaves only a cache behind: keep using it.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The account, when kept and the cache can be trusted.
    pub fn get(&self, id: &str) -> Option<Model> {
        if !self.trusted() {
            return None;
        }
        self.lock()
            .users
            .get(id)
            .filter(|(_, at)| at.elapsed() < MAX_AGE)
            .map(|(u, _)| u.clone())
    }

    /// The generation to pass to [`UserCache::put`] after reading an account.
    pub fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// Keeps an account read from the database, unless something changed since `generation`.
    pub fn put(&self, generation: u64, user: Model) {
        let mut s = self.lock();
        if s.generation == generation {
            s.users
                .put(user.id.clone(), (user, std::time::Instant::now()));
        }
    }

    /// Drops an account that changed.
    pub fn forget(&self, id: &str) {
        let mut s = self.lock();
        s.generation += 1;
        s.users.pop(id);
    }

    /// Drops every account.
    pub fn clear(&self) {
        let mut s = self.lock();
        s.generation += 1;
        s.users.clear();
    }

    /// Follows the change feed: accounts changed on any hub process are dropped.
    pub fn follow(self: &std::sync::Arc<Self>, bus: &Bus) {
        if self.bus.set(bus.clone()).is_err() {
            return;
        }
        let cache = self.clone();
        bus.each_event(move |event| match event {
            Some(Event::User { id }) => cache.forget(id),
            // Missed events may have been account changes.
            Some(Event::Reload) | None => cache.clear(),
            Some(_) => {}
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: &str, active: bool) -> Model {
        Model {
            id: id.into(),
            email: format!("{id}@example.test"),
            name: id.into(),
            password_hash: String::new(),
            role: entity::enums::Role::Viewer,
            organization_id: None,
            region_scope: None,
            active,
            must_change_password: false,
            session_epoch: 0,
            spared_session: None,
            ended_sessions: None,
            version: 1,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
        }
    }

    #[tokio::test]
    async fn a_read_that_raced_a_change_does_not_put_the_old_account_back() {
        let bus = Bus::new(Default::default());
        bus.set_live(true);
        let cache = std::sync::Arc::new(UserCache::default());
        cache.follow(&bus);
        let before = cache.generation();
        cache.put(before, user("a", true));
        assert!(cache.get("a").is_some_and(|u| u.active));

        // A request read the account (generation g), then the account changed, then the request
        // tries to keep what it read: refused.
        let g = cache.generation();
        cache.forget("a");
        cache.put(g, user("a", true));
        assert!(cache.get("a").is_none());

        // Not trusted while the feed may be missing changes.
        let g = cache.generation();
        cache.put(g, user("a", false));
        bus.set_live(false);
        assert!(cache.get("a").is_none());
        bus.set_live(true);
        assert!(cache.get("a").is_some_and(|u| !u.active));
    }
}
