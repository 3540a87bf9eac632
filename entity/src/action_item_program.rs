//! `action_item_programs`: A program an action item concerns.

use sea_orm::entity::prelude::*;

/// A program an action item concerns.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "action_item_programs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub action_item_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub program_id: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
