//! `programs`: A named intervention with an owner organization.

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// A named intervention with an owner organization.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "programs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub code: Option<String>,
    pub name: String,
    pub search_name: String,
    pub description: Option<String>,
    pub owner_id: String,
    pub cluster: Cluster,
    pub start_year: i32,
    pub end_year: i32,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
