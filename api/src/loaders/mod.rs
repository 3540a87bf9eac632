//! Batched loading of related rows. One `DataLoader<DbLoader>` is built per request (never per schema,
//! which would leak one caller's rows to another, and the draft rule depends on the caller); it
//! implements `Loader<K>` for one newtype key per relation, and each batch is one statement with
//! `WHERE key IN (...)` (or, for paged relations, one windowed statement for all parents).

mod by_id;
mod has_many;
pub mod joined;
mod pages;
mod regions;

pub use by_id::*;
pub use has_many::*;
pub use pages::*;
pub use regions::*;

use crate::services::contributions::DraftVisibility;
use async_graphql::dataloader::{DataLoader, Loader};
use sea_orm::{DatabaseConnection, DbErr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Loads rows for one request, as one caller.
pub struct DbLoader {
    db: DatabaseConnection,
    visibility: DraftVisibility,
    /// Regions kept by this process (`region_cache`), when its database has a hub here.
    regions: Option<Arc<crate::region_cache::RegionCache>>,
}

impl DbLoader {
    /// The region cache, when it may be used now.
    fn region_cache(&self) -> Option<&crate::region_cache::RegionCache> {
        self.regions.as_deref().filter(|c| c.trusted())
    }
}

/// Per-request loader handle, put into the GraphQL request data.
#[derive(Clone)]
pub struct Loaders {
    loader: Arc<DataLoader<DbLoader>>,
    /// Load calls made so far in this request; the batch task waits until it stops moving.
    requested: Arc<AtomicU64>,
}

/// Most scheduler round-trips a batch waits for more keys (a safety bound, never reached in practice).
const MAX_ROUNDS: u32 = 10_000;

/// Builds the loaders of one request.
///
/// A batch starts when the resolvers of a nesting level have all asked for their keys, not after a
/// fixed delay: async-graphql resolves a list through `FuturesUnordered`, which yields to the scheduler
/// every 32 items, so with a timer a 100-row page would be split into several batches whenever polling
/// 32 rows outlasts the timer. Instead the batch task yields until a whole round-trip passes with no
/// new load call, so one nesting level costs one statement however many rows it has.
pub fn for_request(db: DatabaseConnection, visibility: DraftVisibility) -> Loaders {
    let requested = Arc::new(AtomicU64::new(0));
    let seen = requested.clone();
    // Batches run in spawned tasks: carry the request's span and statistics into them, so their SQL
    // is counted against the request and logged with its request id.
    let stats = crate::metrics::current();
    let span = tracing::Span::current();
    let spawner = move |task: futures_util::future::BoxFuture<'static, ()>| {
        let seen = seen.clone();
        let task: futures_util::future::BoxFuture<'static, ()> = match stats.clone() {
            Some(s) => Box::pin(crate::metrics::scope(s, task)),
            None => task,
        };
        let task = tracing::Instrument::instrument(task, span.clone());
        tokio::spawn(async move {
            let mut last = seen.load(Ordering::SeqCst);
            for _ in 0..MAX_ROUNDS {
                tokio::task::yield_now().await;
                tokio::task::yield_now().await;
                let now = seen.load(Ordering::SeqCst);
                if now == last {
                    break;
                }
                last = now;
            }
            task.await
        })
    };
    // Large batches keep "one statement per nesting level" true for dashboard pages of hundreds of
    // rows; both databases accept this many bound parameters.
    let regions = crate::region_cache::for_db(&db);
    let loader = DataLoader::new(
        DbLoader {
            db,
            visibility,
            regions,
        },
        spawner,
    )
    .delay(std::time::Duration::ZERO)
    .max_batch_size(5_000);
    Loaders {
        loader: Arc::new(loader),
        requested,
    }
}

impl Loaders {
    fn loader(&self) -> &DataLoader<DbLoader> {
        self.requested.fetch_add(1, Ordering::SeqCst);
        &self.loader
    }
}

/// Errors are shared between the waiters of one batch, hence the Arc.
pub type LoadError = Arc<DbErr>;

/// Loads one value through the request's loader.
pub async fn load_one<K>(
    ctx: &async_graphql::Context<'_>,
    key: K,
) -> crate::error::AppResult<Option<<DbLoader as Loader<K>>::Value>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    DbLoader: Loader<K, Error = LoadError>,
{
    Ok(ctx
        .data_unchecked::<Loaders>()
        .loader()
        .load_one(key)
        .await?)
}

/// Loads a list-valued relation (an absent key is an empty list).
pub async fn load_list<K, V>(
    ctx: &async_graphql::Context<'_>,
    key: K,
) -> crate::error::AppResult<Vec<V>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    V: Send + Sync + Clone + 'static,
    DbLoader: Loader<K, Value = Vec<V>, Error = LoadError>,
{
    Ok(ctx
        .data_unchecked::<Loaders>()
        .loader()
        .load_one(key)
        .await?
        .unwrap_or_default())
}

/// Loads many values by key, keeping the order of `keys` and skipping missing ones.
/// The records a link table points at, in link order: the links of `key`, then the records they
/// name, both through the loaders (batched across the whole response).
pub async fn load_linked<K, L, T>(
    ctx: &async_graphql::Context<'_>,
    key: K,
    target: impl Fn(L) -> T,
) -> crate::error::AppResult<Vec<<DbLoader as Loader<T>>::Value>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    L: Send + Sync + Clone + 'static,
    T: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    DbLoader: Loader<K, Value = Vec<L>, Error = LoadError> + Loader<T, Error = LoadError>,
{
    let links = load_list(ctx, key).await?;
    load_many(ctx, links.into_iter().map(target).collect()).await
}

/// Loads the values of many keys at once, in the keys' order (keys without a value are left out).
pub async fn load_many<K>(
    ctx: &async_graphql::Context<'_>,
    keys: Vec<K>,
) -> crate::error::AppResult<Vec<<DbLoader as Loader<K>>::Value>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    DbLoader: Loader<K, Error = LoadError>,
{
    let mut found = ctx
        .data_unchecked::<Loaders>()
        .loader()
        .load_many(keys.clone())
        .await?;
    Ok(keys.iter().filter_map(|k| found.remove(k)).collect())
}
