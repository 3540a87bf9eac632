//! `complaints`: A report that a figure about a village or a record is wrong (pengaduan).

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// A report that a figure about a village or a record is wrong (pengaduan).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "complaints")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// What the reporter follows the complaint with (12 characters, Crockford base 32).
    pub tracking_code: String,
    /// The region the complaint concerns: its coordinators triage it.
    pub region_code: String,
    pub contribution_id: Option<String>,
    /// The year of the village's indicators it concerns, when it is about them.
    pub fiscal_year: Option<i32>,
    pub what: String,
    pub reason: String,
    /// How to reach the reporter; the only personal data, erased when the complaint closes. Never
    /// serialized, so audit rows (the only JSON made of this model) never copy it.
    #[serde(skip_serializing)]
    pub contact: Option<String>,
    pub status: ComplaintStatus,
    /// Why it was rejected, or what the correction was.
    pub resolution: Option<String>,
    /// Audit row ids of the correction, as a JSON array.
    pub corrections: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
