//! `meetings`: A coordination meeting (rakor).

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// A coordination meeting (rakor).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "meetings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub title: String,
    pub level: MeetingLevel,
    pub region_code: String,
    pub held_on: Date,
    pub host_id: String,
    pub location: Option<String>,
    pub minutes: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
