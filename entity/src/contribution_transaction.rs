//! `contribution_transactions`: A commitment, disbursement or expenditure of a contribution.

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// A commitment, disbursement or expenditure of a contribution.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "contribution_transactions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub contribution_id: String,
    pub r#type: TransactionType,
    pub amount: i64,
    pub occurred_on: Date,
    pub note: Option<String>,
    pub created_by: Option<String>,
    pub created_at: DateTimeUtc,
    /// SUBMITTED until its contribution is verified with it.
    pub verification: Verification,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
