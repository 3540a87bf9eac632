//! The commit counter the write gate moves and the caches and the change feed read: kept beside
//! the writes that move it, below the events that follow it.

use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::Notify;

/// What this process knows of the database's changes: a counter that moves on every commit made
/// through the write gate (at once, before the writer answers its caller) and on every change the
/// feed brings (other processes' commits, the command line's), and the wake-up of SQLite's feed.
///
/// Caches of query results remember the generation they read in and are used only while it has not
/// moved: a read that follows a write in the same process never sees an answer from before it.
#[derive(Default)]
pub struct Commits {
    generation: AtomicU64,
    notify: Notify,
}

impl Commits {
    /// Records a commit of this process: the generation moves, and SQLite's feed wakes.
    pub fn committed(&self) {
        self.changed();
        self.notify.notify_one();
    }

    /// Records a change known from elsewhere (the feed).
    pub fn changed(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// Woken by each commit of this process (SQLite's change feed waits on it).
    pub fn written(&self) -> &Notify {
        &self.notify
    }

    /// The current generation.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }
}
