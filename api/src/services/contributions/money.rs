//! A contribution's money movements: commitments, disbursements and expenditures, each recorded
//! once (client keys), never beyond what was committed or disbursed.

use super::write::{may_change, resubmitted};
use crate::error::{AppError, AppResult};
use crate::services::audit::AuditEntity;
use crate::services::authz::Actor;
use crate::services::writes::{self, Change, opt_text};
use crate::services::{new_id, rules, verification};
use chrono::{Datelike, NaiveDate, Utc};
use entity::contribution::{ActiveModel, Entity, Model};
use entity::enums::{ContributionStatus as Status, TransactionType as TxType};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel};

/// Longest note on a transaction, in characters.
pub const TRANSACTION_NOTE_MAX: usize = 1000;

/// A money movement.
#[derive(Debug, Clone)]
pub struct NewTransaction {
    /// Commitment, disbursement or expenditure.
    pub r#type: TxType,
    /// Amount, whole Rupiah, above zero.
    pub amount: i64,
    /// When it happened.
    pub date: NaiveDate,
    /// Notes.
    pub note: Option<String>,
}

/// Records a commitment, disbursement or expenditure. Commitments recorded never exceed the
/// committed amount, disbursements never exceed it either, and expenditures never exceed what was
/// disbursed; the contribution's disbursed and realised amounts follow. With a client key, a retry
/// returns the contribution without recording the movement twice.
pub async fn add_transaction(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    (id, version): (&str, i32),
    input: NewTransaction,
    key: Option<&str>,
) -> AppResult<Model> {
    const ENTITY: AuditEntity = AuditEntity::Transaction;
    if let (Some(k), Some(user)) = (key, actor.user_id())
        && writes::remembered(db, user, k, ENTITY).await?.is_some()
    {
        return Entity::find_by_id(id.to_string())
            .one(db)
            .await?
            .ok_or_else(|| AppError::NotFound("no such contribution".into()));
    }
    let change = Change::new(id, version, "transaction");
    writes::update(
        db,
        actor,
        change,
        may_change(actor),
        async |before: &Model| {
            let am = apply_transaction(db, before, &input).await?;
            let note = opt_text("input.note", input.note.as_deref(), TRANSACTION_NOTE_MAX)?;
            let tx = entity::contribution_transaction::ActiveModel {
                id: Set(new_id()),
                contribution_id: Set(before.id.clone()),
                r#type: Set(input.r#type),
                amount: Set(input.amount),
                occurred_on: Set(input.date),
                note: Set(note),
                created_by: Set(actor.user_id().map(str::to_string)),
                created_at: Set(Utc::now()),
                verification: Set(verification::after_write(actor, &before.region_code)),
            }
            .insert(db)
            .await?;
            writes::created(db, actor, key, (ENTITY, &tx.id), &tx).await?;
            Ok(resubmitted(actor, am, &before.region_code))
        },
    )
    .await
}

/// Checks a money movement against the contribution and says how its amounts change.
async fn apply_transaction(
    db: &impl ConnectionTrait,
    before: &Model,
    input: &NewTransaction,
) -> AppResult<ActiveModel> {
    use entity::contribution_transaction::{Column, Entity as Tx};
    use sea_orm::{ColumnTrait, QueryFilter};
    if before.status == Status::Cancelled {
        return Err(AppError::bad_input(
            "contributionId",
            "a cancelled contribution takes no transactions",
        ));
    }
    let amount = rules::money("input.amount", input.amount)?;
    if amount == 0 {
        return Err(AppError::bad_input(
            "input.amount",
            "a transaction moves more than zero",
        ));
    }
    if (input.date.year() - before.fiscal_year).abs() > 1 {
        return Err(AppError::bad_input(
            "input.date",
            format!(
                "the date must fall within fiscal year {} or the year either side",
                before.fiscal_year
            ),
        ));
    }
    let mut am = before.clone().into_active_model();
    match input.r#type {
        TxType::Commitment => {
            let recorded: i64 = Tx::find()
                .filter(Column::ContributionId.eq(before.id.clone()))
                .filter(Column::Type.eq(TxType::Commitment))
                .all(db)
                .await?
                .iter()
                .map(|t| t.amount)
                .sum();
            if recorded + amount > before.amount_committed {
                return Err(AppError::bad_input(
                    "input.amount",
                    "commitments recorded would exceed the committed amount",
                ));
            }
        }
        TxType::Disbursement => {
            if before.amount_disbursed + amount > before.amount_committed {
                return Err(AppError::bad_input(
                    "input.amount",
                    "disbursed would exceed committed",
                ));
            }
            am.amount_disbursed = Set(before.amount_disbursed + amount);
        }
        TxType::Expenditure => {
            if before.amount_realised + amount > before.amount_disbursed {
                return Err(AppError::bad_input(
                    "input.amount",
                    "spent would exceed disbursed",
                ));
            }
            am.amount_realised = Set(before.amount_realised + amount);
        }
    }
    Ok(am)
}
