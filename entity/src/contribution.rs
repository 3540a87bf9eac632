//! `contributions`: One organization's resources for one region and fiscal year.

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// One organization's resources for one region and fiscal year.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "contributions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub contributor_id: String,
    pub source: FundingSource,
    pub kind: ContributionKind,
    pub region_code: String,
    pub program_id: Option<String>,
    pub fiscal_year: i32,
    pub title: String,
    pub description: Option<String>,
    pub target_group: Option<TargetGroup>,
    pub beneficiaries: Option<i32>,
    pub amount_planned: i64,
    pub amount_committed: i64,
    pub amount_disbursed: i64,
    pub amount_realised: i64,
    pub status: ContributionStatus,
    pub version: i32,
    pub created_by: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The contributing organization's own key of the row (the spreadsheet's `kunci`), unique per
    /// contributor; `None` for records made in the hub, which the import matches by id instead.
    pub external_key: Option<String>,
    /// SUBMITTED, VERIFIED or RETURNED by a coordinator of the region (issue 14).
    pub verification: Verification,
    /// What to fix, when RETURNED.
    pub verification_note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
