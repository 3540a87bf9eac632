//! `client_keys`: A client-chosen key of a create, so that a retried create returns the first result.

use sea_orm::entity::prelude::*;

/// A client-chosen key of a create, so that a retried create returns the first result.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "client_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub client_key: String,
    pub entity: String,
    pub entity_id: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
