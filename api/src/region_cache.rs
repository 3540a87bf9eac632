//! Regions served from memory (issue 13).
//!
//! Regions are reference data: they change only when the official list is imported. Every page of
//! the hub names some (a contribution's village, a dashboard's regency and its villages), so they
//! are kept here, by the hub process, instead of being read on every request.
//!
//! **Lazy, per key.** Nothing is loaded at start-up. Three kinds of entry are read from the
//! database on first use and then kept: a region by code; a region's direct children (code order);
//! and every village below a province, regency or district (code order, what `villages(first:)`
//! pages through). A region read as part of a list is kept once, shared by the lists that hold it, so
//! memory is bounded by the regions actually used: with the whole national list (91,599 regions,
//! 83,762 villages) read through every entry, about 25 MB (a region is about 250 bytes with its key,
//! and each list holds a pointer per row). A list is only kept under the code of a region that
//! exists (its keys come from regions already read), so clients cannot grow it with made-up codes;
//! an unknown code is not remembered at all.
//!
//! **Dropped whole when regions change.** The region import writes an audit row (entity `region`)
//! in its transaction, which the change feed announces to every hub process ([`Event::Regions`]:
//! PostgreSQL `LISTEN/NOTIFY`, SQLite's audit log read after each commit and once a second); the
//! whole cache is dropped then, on [`Event::Reload`] (changes may have been lost), and when this
//! process's receiver lagged behind the feed. An import made in this process (the demo load, tests'
//! seeds, `sinergi import` run in-process) also drops the caches of this process on the same
//! database directly after its commit ([`changed`]), so it shows at once there.
//!
//! **Not trusted while the feed may be missing changes** (`!bus.is_live()`, the PostgreSQL listener
//! reconnecting): every read then goes to the database, and the cache is emptied, since an import in
//! the gap would not be announced. A read racing a drop cannot put stale rows back: it remembers the
//! generation it started in, and a put from an older generation is ignored (as in `user_cache`).
//!
//! Regions changed behind the hub's back (SQL typed by hand, which writes no audit row) show when
//! the next import, or a restart, drops the cache.
//!
//! **Finding the cache.** The per-request loaders (`loaders::for_request`, which is given only the
//! connection) find the cache of their database in a process-wide registry keyed by the database's
//! identity (SQLite file, or PostgreSQL host, port and database). The import uses the same registry
//! to drop the caches of its database. An in-memory SQLite database has no identity and no cache.

use crate::events::{Bus, Event};
use entity::region::Model;
use sea_orm::{DatabaseConnection, DbBackend};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, Weak};

/// A kept region, shared by the lists that hold it.
pub type Row = Arc<Model>;

/// Regions by code, children by parent, villages by the region above them.
#[derive(Default)]
pub struct RegionCache {
    state: Mutex<State>,
    /// The feed whose liveness the cache depends on; none yet means "not trusted".
    bus: OnceLock<Bus>,
}

#[derive(Default)]
struct State {
    generation: u64,
    by_code: HashMap<String, Row>,
    children: HashMap<String, Arc<Vec<Row>>>,
    villages: HashMap<String, Arc<Vec<Row>>>,
}

impl State {
    /// The kept copy of `m`, so that every list shares one allocation per region.
    fn intern(&mut self, m: Model) -> Row {
        match self.by_code.get(&m.code) {
            Some(r) if **r == m => r.clone(),
            _ => {
                let r = Arc::new(m);
                self.by_code.insert(r.code.clone(), r.clone());
                r
            }
        }
    }

    fn clear(&mut self) {
        self.generation += 1;
        self.by_code.clear();
        self.children.clear();
        self.villages.clear();
    }
}

/// Sorts rows by code, byte by byte: the order of the cursors' `code > after` comparisons.
pub fn sort_by_code(rows: &mut [Row]) {
    rows.sort_by(|a, b| a.code.cmp(&b.code));
}

impl RegionCache {
    /// Whether the cache may be used now: it follows a feed that is live.
    pub fn trusted(&self) -> bool {
        let live = self.bus.get().is_some_and(Bus::is_live);
        if !live {
            // An import in the gap would not be announced: what is kept may be stale by the time
            // the feed is live again.
            let mut s = self.lock();
            if !s.by_code.is_empty() || !s.children.is_empty() || !s.villages.is_empty() {
                s.clear();
            }
        }
        live
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock leaves only a cache behind: keep using it.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The generation to pass to the `put_*` methods, taken before reading the database.
    pub fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// The kept regions among `codes` (only when trusted).
    pub fn regions<'a>(&self, codes: impl IntoIterator<Item = &'a str>) -> HashMap<String, Model> {
        if !self.trusted() {
            return HashMap::new();
        }
        let s = self.lock();
        codes
            .into_iter()
            .filter_map(|c| s.by_code.get(c).map(|r| (c.to_string(), (**r).clone())))
            .collect()
    }

    /// A region's kept children, in code order (only when trusted).
    pub fn children(&self, parent: &str) -> Option<Vec<Model>> {
        if !self.trusted() {
            return None;
        }
        self.lock()
            .children
            .get(parent)
            .map(|rows| rows.iter().map(|r| (**r).clone()).collect())
    }

    /// Every village below a region, in code order (only when trusted).
    pub fn villages(&self, region: &str) -> Option<Arc<Vec<Row>>> {
        if !self.trusted() {
            return None;
        }
        self.lock().villages.get(region).cloned()
    }

    /// Keeps regions read from the database, unless regions changed since `generation`.
    pub fn put_regions(&self, generation: u64, rows: &[Model]) {
        if !self.trusted() {
            return;
        }
        let mut s = self.lock();
        if s.generation == generation {
            for r in rows {
                s.intern(r.clone());
            }
        }
    }

    /// Keeps the children of `parent` (all of them, in code order) read from the database, unless
    /// regions changed since `generation`.
    pub fn put_children(&self, generation: u64, parent: &str, rows: &[Model]) {
        if !self.trusted() {
            return;
        }
        let mut s = self.lock();
        if s.generation == generation {
            let mut list: Vec<Row> = rows.iter().map(|r| s.intern(r.clone())).collect();
            sort_by_code(&mut list);
            s.children.insert(parent.to_string(), Arc::new(list));
        }
    }

    /// Keeps every village below `region` (in code order) read from the database, unless regions
    /// changed since `generation`; returns the list as kept (or as given, when refused).
    pub fn put_villages(&self, generation: u64, region: &str, rows: Vec<Model>) -> Arc<Vec<Row>> {
        let trusted = self.trusted();
        let mut s = self.lock();
        if !trusted || s.generation != generation {
            let mut list: Vec<Row> = rows.into_iter().map(Arc::new).collect();
            sort_by_code(&mut list);
            return Arc::new(list);
        }
        let mut list: Vec<Row> = rows.into_iter().map(|r| s.intern(r)).collect();
        sort_by_code(&mut list);
        let list = Arc::new(list);
        s.villages.insert(region.to_string(), list.clone());
        list
    }

    /// Drops everything: regions changed.
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// Regions kept right now (tests and diagnostics).
    pub fn len(&self) -> usize {
        self.lock().by_code.len()
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Follows the change feed: the cache is dropped when regions change on any hub process, or
    /// changes may have been missed.
    pub fn follow(self: &Arc<Self>, bus: &Bus) {
        if self.bus.set(bus.clone()).is_err() {
            return;
        }
        let cache = self.clone();
        bus.each_event(move |event| {
            // Missed events (`None`) may have been imports.
            if matches!(event, Some(Event::Regions | Event::Reload) | None) {
                cache.clear();
            }
        });
    }

    /// The cache of the hub serving `db` in this process: a new one, registered so that the
    /// request loaders and the import of this process find it ([`for_db`], [`changed`]). It stays
    /// registered while something holds it (the task of [`RegionCache::follow`], until the bus
    /// stops).
    pub fn register(db: &DatabaseConnection) -> Arc<Self> {
        let cache = Arc::new(Self::default());
        if let Some(id) = identity(db) {
            let mut r = registry();
            r.retain(|(_, c)| c.strong_count() > 0);
            r.push((id, Arc::downgrade(&cache)));
        }
        cache
    }
}

type Registry = Vec<(String, Weak<RegionCache>)>;

fn registry() -> std::sync::MutexGuard<'static, Registry> {
    static REGISTRY: Mutex<Registry> = Mutex::new(Vec::new());
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner())
}

/// Which database `db` is, the same for every pool opened on it: the SQLite file, or PostgreSQL's
/// host, port and database. None for an in-memory SQLite database.
fn identity(db: &DatabaseConnection) -> Option<String> {
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            let options = db.get_sqlite_connection_pool().connect_options();
            let file = options.get_filename().to_string_lossy();
            (!file.is_empty() && !file.contains("memory")).then(|| format!("sqlite:{file}"))
        }
        DbBackend::Postgres => {
            let o = db.get_postgres_connection_pool().connect_options();
            Some(format!(
                "postgres://{}:{}/{}",
                o.get_host(),
                o.get_port(),
                o.get_database().unwrap_or_default()
            ))
        }
        _ => None,
    }
}

/// The region cache of a hub of this process on `db`'s database, if there is one.
pub fn for_db(db: &DatabaseConnection) -> Option<Arc<RegionCache>> {
    let id = identity(db)?;
    let caches: Vec<Arc<RegionCache>> = registry()
        .iter()
        .filter(|(i, _)| *i == id)
        .filter_map(|(_, c)| c.upgrade())
        .collect();
    // Two hubs of one process on one database (tests): the one whose feed is live.
    caches
        .iter()
        .find(|c| c.bus.get().is_some_and(Bus::is_live))
        .or(caches.first())
        .cloned()
}

/// Regions of `db`'s database changed (an import committed in this process): its caches in this
/// process drop everything at once, without waiting for the change feed.
pub fn changed(db: &DatabaseConnection) {
    let Some(id) = identity(db) else { return };
    let caches: Vec<Arc<RegionCache>> = registry()
        .iter()
        .filter(|(i, _)| *i == id)
        .filter_map(|(_, c)| c.upgrade())
        .collect();
    for c in caches {
        c.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use entity::enums::RegionLevel;

    fn region(code: &str, name: &str) -> Model {
        Model {
            code: code.into(),
            name: name.into(),
            level: RegionLevel::Regency,
            parent_code: Some("33".into()),
            village_kind: None,
            search_name: name.to_lowercase(),
        }
    }

    fn name(cache: &RegionCache, code: &str) -> Option<String> {
        cache.regions([code]).remove(code).map(|r| r.name)
    }

    #[tokio::test]
    async fn kept_until_regions_change_and_never_trusted_while_the_feed_is_down() {
        let bus = Bus::new(Default::default());
        bus.set_live(true);
        let cache = Arc::new(RegionCache::default());
        cache.follow(&bus);

        let g = cache.generation();
        cache.put_regions(g, &[region("33.26", "Pekalongan")]);
        cache.put_children(g, "33", &[region("33.26", "Pekalongan")]);
        assert_eq!(name(&cache, "33.26").as_deref(), Some("Pekalongan"));
        assert_eq!(cache.children("33").map(|c| c.len()), Some(1));
        assert_eq!(cache.len(), 1, "a region in a list is kept once");

        // A read that started before a change cannot put what it read back.
        let g = cache.generation();
        cache.clear();
        cache.put_regions(g, &[region("33.26", "Pekalongan (lama)")]);
        assert_eq!(name(&cache, "33.26"), None);

        // Not trusted while the feed may be missing changes: nothing is served, nothing is kept,
        // and what was kept before is gone when the feed is back (an import may have been missed).
        let g = cache.generation();
        cache.put_regions(g, &[region("33.26", "Pekalongan")]);
        bus.set_live(false);
        assert_eq!(name(&cache, "33.26"), None);
        assert!(cache.children("33").is_none());
        let g = cache.generation();
        cache.put_regions(g, &[region("33.27", "Pemalang")]);
        bus.set_live(true);
        assert_eq!(name(&cache, "33.26"), None);
        assert_eq!(name(&cache, "33.27"), None);
        assert!(cache.is_empty());

        // An import announced by the feed drops everything.
        let g = cache.generation();
        cache.put_regions(g, &[region("33.26", "Pekalongan")]);
        let list = cache.put_villages(g, "33.26", vec![region("33.26.02.2008", "Desa")]);
        assert_eq!(list.len(), 1);
        assert!(cache.villages("33.26").is_some());
        bus.send(Event::Regions);
        for _ in 0..100 {
            if cache.is_empty() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        assert!(cache.is_empty(), "dropped on Event::Regions");
        assert!(cache.villages("33.26").is_none());

        // And so does a reload (changes may have been lost).
        let g = cache.generation();
        cache.put_regions(g, &[region("33.26", "Pekalongan")]);
        bus.send(Event::Reload);
        for _ in 0..100 {
            if cache.is_empty() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        assert!(cache.is_empty(), "dropped on Event::Reload");
    }

    #[test]
    fn a_cache_that_follows_no_feed_is_never_trusted() {
        let cache = RegionCache::default();
        let g = cache.generation();
        cache.put_regions(g, &[region("33.26", "Pekalongan")]);
        assert_eq!(name(&cache, "33.26"), None);
    }
}
