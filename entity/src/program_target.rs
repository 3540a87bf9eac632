//! `program_targets`: A program's target (and realisation) for one fiscal year in one unit.

use sea_orm::entity::prelude::*;

/// A program's target (and realisation) for one fiscal year in one unit.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "program_targets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub program_id: String,
    pub fiscal_year: i32,
    pub unit: String,
    pub target: f64,
    pub realised: Option<f64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
