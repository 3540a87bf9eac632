//! `action_item_updates`: A progress note on an action item.

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// A progress note on an action item.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "action_item_updates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub action_item_id: String,
    pub at: DateTimeUtc,
    pub by_organization_id: String,
    pub by_user_id: Option<String>,
    pub note: String,
    pub status: Option<ActionItemStatus>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
