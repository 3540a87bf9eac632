//! `program_strategies`: A strategy a program serves.

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// A strategy a program serves.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "program_strategies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub program_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub strategy: Strategy,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
