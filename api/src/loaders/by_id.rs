//! One row per key: the "belongs to" side of every relation.

use super::{DbLoader, LoadError};
use async_graphql::dataloader::Loader;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;

macro_rules! by_id {
    ($(#[$doc:meta])* $key:ident, $module:ident, $column:ident, $field:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct $key(pub String);

        impl Loader<$key> for DbLoader {
            type Value = entity::$module::Model;
            type Error = LoadError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Self::Error> {
                use entity::$module::{Column, Entity};
                let rows = Entity::find()
                    .filter(Column::$column.is_in(keys.iter().map(|k| k.0.clone())))
                    .all(&self.db)
                    .await?;
                Ok(rows.into_iter().map(|r| ($key(r.$field.clone()), r)).collect())
            }
        }
    };
}

by_id!(
    /// An organization, by id.
    OrganizationById, organization, Id, id
);
by_id!(
    /// A program, by id.
    ProgramById, program, Id, id
);
by_id!(
    /// A meeting, by id.
    MeetingById, meeting, Id, id
);
by_id!(
    /// A decision, by id.
    DecisionById, decision, Id, id
);
by_id!(
    /// A user, by id.
    UserById, user, Id, id
);

/// A contribution, by id. Separate from the macro: the draft rule applies.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ContributionById(pub String);

impl Loader<ContributionById> for DbLoader {
    type Value = entity::contribution::Model;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[ContributionById],
    ) -> Result<HashMap<ContributionById, Self::Value>, Self::Error> {
        use entity::contribution::{Column, Entity};
        let rows = Entity::find()
            .filter(crate::services::contributions::visibility_condition(
                &self.visibility,
            ))
            .filter(Column::Id.is_in(keys.iter().map(|k| k.0.clone())))
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| (ContributionById(r.id.clone()), r))
            .collect())
    }
}

/// A contribution, by id, with the to-one relations the query selects under it (one statement for
/// the row and its contributor, program and region). The draft rule applies.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ContributionWith {
    /// The contribution's id.
    pub id: String,
    /// Relations to read with it.
    pub joins: super::joined::Joins,
}

impl Loader<ContributionWith> for DbLoader {
    type Value = super::joined::JoinedRow;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[ContributionWith],
    ) -> Result<HashMap<ContributionWith, Self::Value>, Self::Error> {
        use entity::contribution::{Column, Entity};
        use sea_orm::{ConnectionTrait, QueryTrait};
        let mut by_joins: HashMap<super::joined::Joins, Vec<String>> = HashMap::new();
        for k in keys {
            by_joins.entry(k.joins).or_default().push(k.id.clone());
        }
        let mut out = HashMap::new();
        for (joins, ids) in by_joins {
            let rows = Entity::find()
                .filter(crate::services::contributions::visibility_condition(
                    &self.visibility,
                ))
                .filter(Column::Id.is_in(ids))
                .into_query();
            let select = super::joined::select(rows, joins, &[]);
            for result in self.db.query_all(&select).await? {
                let row = super::joined::decode(&result, joins)?;
                let key = ContributionWith {
                    id: row.0.id.clone(),
                    joins,
                };
                out.insert(key, row);
            }
        }
        Ok(out)
    }
}
