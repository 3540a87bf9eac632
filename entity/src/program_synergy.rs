//! `program_synergies`: A mapping between two programs.

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// A mapping between two programs.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "program_synergies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub program_a_id: String,
    pub program_b_id: String,
    pub relation: SynergyRelation,
    pub cluster: Cluster,
    pub status: SynergyStatus,
    pub note: Option<String>,
    pub meeting_id: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
