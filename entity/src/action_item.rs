//! `action_items`: A follow-up task from a decision, owned by an organization.

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// A follow-up task from a decision, owned by an organization.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "action_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub decision_id: String,
    pub meeting_id: String,
    pub text: String,
    pub owner_id: String,
    pub due_on: Option<Date>,
    pub status: ActionItemStatus,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
