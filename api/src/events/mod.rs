//! Live changes: every write, told to every hub process, for GraphQL subscriptions and for the
//! in-memory caches.
//!
//! The source of truth is the audit log, which every writer fills in the change's own transaction
//! (`services::audit`). On PostgreSQL a trigger announces each audit row on `sinergi_changes` as it
//! commits (migration 000024), and each process `LISTEN`s: a write made through any replica, or by
//! the command line, reaches the subscribers of all of them. On SQLite the one process reads the
//! new audit rows after each of its own commits, and once a second for rows other processes wrote.
//! Either way the [`feed`] turns them into [`Change`]s, [`resolve`] loads the changed records once,
//! and the resulting [`Event`]s are broadcast to every subscriber of this process, who filters them
//! by what its caller may read.
//!
//! Nothing here may slow a writer: the broadcast channel is bounded and never waits; a subscriber
//! that falls behind loses the oldest events and is told to reload ([`Event::Reload`]), as is every
//! subscriber when the feed itself may have lost events (the listener's connection dropped, or one
//! burst held more changes than are worth resolving one by one, e.g. an import).

pub mod feed;
pub mod overdue;
pub mod resolve;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use tokio::sync::{Notify, broadcast, watch};

pub use crate::services::commits::Commits;

/// Events a subscriber may fall behind by before it is told to reload.
pub const BUFFER: usize = 1024;

/// One audit row: which record changed, and how.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Change {
    /// The audit log's entity name: `contribution`, `action_item`, `user`...
    #[serde(rename = "e")]
    pub entity: String,
    /// The record's id.
    #[serde(rename = "i")]
    pub id: String,
    /// The audit action: `create`, `update`, `verify`, `return`...
    #[serde(rename = "a")]
    pub action: String,
}

/// What the feed hands to the resolver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    /// Changes, in commit order.
    Changes(Vec<Change>),
    /// Changes may have been lost: everyone reloads.
    Reload,
}

/// A change with the record as it is now, loaded once for every subscriber.
#[derive(Debug, Clone)]
pub enum Event {
    /// A contribution was created or changed (its own fields, a transaction, its verification).
    Contribution {
        /// The audit action (`transaction` for a change of one of its transactions).
        action: String,
        /// The contribution now.
        row: entity::contribution::Model,
    },
    /// An action item was created or changed.
    ActionItem {
        /// The audit action.
        action: String,
        /// The item now.
        row: entity::action_item::Model,
        /// The regions it concerns: its own and its meeting's.
        regions: Vec<String>,
    },
    /// A complaint was filed or triaged.
    Complaint {
        /// The audit action.
        action: String,
        /// The complaint now.
        row: entity::complaint::Model,
    },
    /// Village indicators were entered, changed, verified or returned.
    Indicator {
        /// The audit action.
        action: String,
        /// The indicators now.
        row: entity::village_indicator::Model,
    },
    /// A user account changed (role, scope, deactivation, password): caches drop it.
    User {
        /// The user's id.
        id: String,
    },
    /// Regions were (re)imported: the region cache reloads.
    Regions,
    /// Events may have been lost: reload what you show.
    Reload,
}

/// This process's end of the change feed: cheap to clone, one per application.
#[derive(Clone)]
pub struct Bus {
    inner: Arc<Inner>,
}

struct Inner {
    events: broadcast::Sender<Arc<Event>>,
    /// This process's commits, so SQLite's feed reads the new audit rows at once, and the data
    /// generation that caches check.
    commits: Arc<Commits>,
    /// False while the feed may be missing changes (PostgreSQL listener reconnecting): caches that
    /// rely on it must not be trusted then.
    live: AtomicBool,
    /// GraphQL subscriptions attached: records are loaded for events only when there are some.
    subscriptions: AtomicUsize,
    /// Set when the application stops: the feed's tasks end.
    stop: watch::Sender<bool>,
}

impl Bus {
    /// A bus with no feed yet (start it with [`Bus::start`]); `commits` is the write gate's.
    pub fn new(commits: Arc<Commits>) -> Self {
        let (events, _) = broadcast::channel(BUFFER);
        Self {
            inner: Arc::new(Inner {
                events,
                commits,
                live: AtomicBool::new(false),
                subscriptions: AtomicUsize::new(0),
                stop: watch::channel(false).0,
            }),
        }
    }

    /// Starts reading the changes of the database at `url` (`app` is the application's pool on it)
    /// in the background, until [`Bus::stop`].
    /// Returns once the feed is listening, so that no write committed after this returns is missed.
    pub async fn start(&self, url: &str, app: &sea_orm::DatabaseConnection) -> anyhow::Result<()> {
        let (tx, rx) = tokio::sync::mpsc::channel(64);
        let db = feed::start(url, app, self.clone(), tx).await?;
        tokio::spawn(overdue::run(db.clone(), self.clone()));
        tokio::spawn(resolve::run(db, self.clone(), rx));
        Ok(())
    }

    /// Stops the feed (the application is shutting down).
    pub fn stop(&self) {
        self.inner.stop.send_replace(true);
        self.set_live(false);
    }

    /// Completes once [`Bus::stop`] was called.
    pub(crate) async fn stopped(&self) {
        let mut rx = self.inner.stop.subscribe();
        // An error means the sender is gone, which only happens with the bus itself.
        let _ = rx.wait_for(|stopped| *stopped).await;
    }

    /// Counts a GraphQL subscription for as long as the returned guard lives.
    pub fn subscription(&self) -> SubscriptionGuard {
        self.inner.subscriptions.fetch_add(1, Ordering::AcqRel);
        SubscriptionGuard(self.clone())
    }

    /// GraphQL subscriptions attached right now.
    pub fn subscriptions(&self) -> usize {
        self.inner.subscriptions.load(Ordering::Acquire)
    }

    /// A new subscriber's receiver: it sees the events sent from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.inner.events.subscribe()
    }

    /// Calls `on` with every event of this process's feed until the bus stops, and with `None`
    /// when events were missed (the receiver fell behind): for caches, which then drop what they
    /// hold. Events sent after this returns are not missed.
    pub fn each_event(&self, on: impl Fn(Option<&Event>) + Send + 'static) {
        let mut rx = self.subscribe();
        let stop = self.clone();
        tokio::spawn(async move {
            loop {
                let got = tokio::select! {
                    got = rx.recv() => got,
                    () = stop.stopped() => return,
                };
                match got {
                    Ok(event) => on(Some(&event)),
                    Err(broadcast::error::RecvError::Lagged(_)) => on(None),
                    Err(broadcast::error::RecvError::Closed) => return,
                }
            }
        });
    }

    /// Sends an event to every subscriber of this process; never waits.
    pub fn send(&self, event: Event) {
        // An error only means nobody is subscribed.
        let _ = self.inner.events.send(Arc::new(event));
    }

    /// Whether the feed is known to be complete right now.
    pub fn is_live(&self) -> bool {
        self.inner.live.load(Ordering::Acquire)
    }

    pub(crate) fn set_live(&self, live: bool) {
        // Whatever was cached before a gap in the feed must not be trusted after it.
        self.inner.commits.changed();
        self.inner.live.store(live, Ordering::Release);
    }

    /// The data generation: it moves with every change this process learns of (see [`Commits`]).
    pub fn generation(&self) -> u64 {
        self.inner.commits.generation()
    }

    /// Records a change made behind the hub's back (rows written straight into the database, as
    /// tests seed them): answers cached before it are no longer used.
    pub fn changed(&self) {
        self.inner.commits.changed();
    }

    pub(crate) fn written(&self) -> &Notify {
        self.inner.commits.written()
    }
}

/// Keeps a subscription counted (see [`Bus::subscription`]).
pub struct SubscriptionGuard(Bus);

impl Drop for SubscriptionGuard {
    fn drop(&mut self) {
        self.0.inner.subscriptions.fetch_sub(1, Ordering::AcqRel);
    }
}
