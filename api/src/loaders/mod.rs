//! Batched loading of related rows. One `DataLoader<DbLoader>` is built per request (never per schema,
//! which would leak one caller's rows to another, and the draft rule depends on the caller); it
//! implements `Loader<K>` for one newtype key per relation, and each batch is one statement with
//! `WHERE key IN (...)` (or, for paged relations, one windowed statement for all parents).

mod by_id;
mod has_many;
mod pages;

pub use by_id::*;
pub use has_many::*;
pub use pages::*;

use crate::services::contributions::DraftVisibility;
use async_graphql::dataloader::{DataLoader, Loader};
use sea_orm::{DatabaseConnection, DbErr};
use std::sync::Arc;

/// Loads rows for one request, as one caller.
pub struct DbLoader {
    db: DatabaseConnection,
    visibility: DraftVisibility,
}

/// Per-request loader handle, put into the GraphQL request data.
pub type Loaders = DataLoader<DbLoader>;

/// Builds the loaders of one request.
pub fn for_request(db: DatabaseConnection, visibility: DraftVisibility) -> Loaders {
    // Large batches keep "one statement per nesting level" true for dashboard pages of hundreds of
    // rows; both databases accept this many bound parameters.
    DataLoader::new(DbLoader { db, visibility }, tokio::spawn).max_batch_size(5_000)
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
    Ok(ctx.data_unchecked::<Loaders>().load_one(key).await?)
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
        .load_one(key)
        .await?
        .unwrap_or_default())
}

/// Loads many values by key, keeping the order of `keys` and skipping missing ones.
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
        .load_many(keys.clone())
        .await?;
    Ok(keys.iter().filter_map(|k| found.remove(k)).collect())
}
