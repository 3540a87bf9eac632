//! `regions`: A region of the Kemendagri hierarchy.

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// A region of the Kemendagri hierarchy.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "regions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub name: String,
    pub level: RegionLevel,
    pub parent_code: Option<String>,
    pub village_kind: Option<VillageKind>,
    pub search_name: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
