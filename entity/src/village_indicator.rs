//! `village_indicators`: Indicators of one village for one fiscal year.

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// Indicators of one village for one fiscal year.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "village_indicators")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub village_code: String,
    pub fiscal_year: i32,
    pub source: String,
    pub as_of: Date,
    pub households: Option<i32>,
    pub population: Option<i32>,
    pub poor_households: Option<i32>,
    pub households_decile1: Option<i32>,
    pub households_decile2: Option<i32>,
    pub households_decile3: Option<i32>,
    pub households_decile4: Option<i32>,
    pub stunting_risk_families: Option<i32>,
    pub stunting_cases: Option<i32>,
    pub stunting_prevalence: Option<f64>,
    pub idm_status: Option<IdmStatus>,
    pub priority: bool,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// SUBMITTED, VERIFIED or RETURNED by a coordinator of the region (issue 14).
    pub verification: Verification,
    /// What to fix, when RETURNED.
    pub verification_note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
