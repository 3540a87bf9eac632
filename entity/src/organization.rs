//! `organizations`: An actor: SKPD, Bappeda, village government, company, university, community group, ...

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// An actor: SKPD, Bappeda, village government, company, university, community group, ...
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub name: String,
    pub search_name: String,
    pub helix: Helix,
    pub kind: OrganizationKind,
    pub region_code: String,
    pub parent_id: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
