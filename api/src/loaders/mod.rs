//! Batched loading of related rows. One `DataLoader<DbLoader>` is built per request (never per schema,
//! which would leak one caller's rows to another); it implements `Loader<K>` for one newtype key per
//! relation, and each batch is one `WHERE key IN (...)` statement.

use async_graphql::dataloader::{DataLoader, Loader};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};
use std::collections::HashMap;
use std::sync::Arc;

/// Loads rows for one request.
pub struct DbLoader {
    db: DatabaseConnection,
}

/// Per-request loader handle, put into the GraphQL request data.
pub type Loaders = DataLoader<DbLoader>;

/// Builds the loaders of one request.
pub fn for_request(db: DatabaseConnection) -> Loaders {
    // Large batches keep "one statement per nesting level" true for dashboard pages of hundreds of
    // rows; both databases accept this many bound parameters.
    DataLoader::new(DbLoader { db }, tokio::spawn).max_batch_size(5_000)
}

/// A region, by code.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RegionByCode(pub String);

/// An organization, by id.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OrganizationById(pub String);

/// A program, by id.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ProgramById(pub String);

/// Errors are shared between the waiters of one batch, hence the Arc.
pub type LoadError = Arc<DbErr>;

impl Loader<RegionByCode> for DbLoader {
    type Value = entity::region::Model;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[RegionByCode],
    ) -> Result<HashMap<RegionByCode, Self::Value>, Self::Error> {
        use entity::region::{Column, Entity};
        let rows = Entity::find()
            .filter(Column::Code.is_in(keys.iter().map(|k| k.0.clone())))
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| (RegionByCode(r.code.clone()), r))
            .collect())
    }
}

impl Loader<OrganizationById> for DbLoader {
    type Value = entity::organization::Model;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[OrganizationById],
    ) -> Result<HashMap<OrganizationById, Self::Value>, Self::Error> {
        use entity::organization::{Column, Entity};
        let rows = Entity::find()
            .filter(Column::Id.is_in(keys.iter().map(|k| k.0.clone())))
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| (OrganizationById(r.id.clone()), r))
            .collect())
    }
}

impl Loader<ProgramById> for DbLoader {
    type Value = entity::program::Model;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[ProgramById],
    ) -> Result<HashMap<ProgramById, Self::Value>, Self::Error> {
        use entity::program::{Column, Entity};
        let rows = Entity::find()
            .filter(Column::Id.is_in(keys.iter().map(|k| k.0.clone())))
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| (ProgramById(r.id.clone()), r))
            .collect())
    }
}

/// Loads one row through the request's loader.
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
