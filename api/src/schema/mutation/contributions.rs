use super::{actor, begin};
use crate::error::{AppError, AppResult, GqlResult};
use crate::region_code::parse_code;
use crate::schema::enums::{
    ContributionKind, ContributionStatus, FundingSource, TargetGroup, TransactionType,
};
use crate::schema::scalars::{Date, Rupiah};
use crate::schema::types::contribution::Contribution;
use crate::services::authz::Actor;
use crate::services::writes::{
    check_client_key, check_version, finish_create, lock_version, opt_text, remember, remembered,
    replayed, save_update, text,
};
use crate::services::{audit, new_id, rules};
use async_graphql::{Context, ID, InputObject, Object};
use chrono::{Datelike, Utc};
use entity::enums::{ContributionStatus as Status, TransactionType as TxType};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel};

#[derive(Default)]
pub struct ContributionMutation;

/// A new contribution.
#[derive(InputObject)]
pub struct ContributionInput {
    /// The contributing organization; defaults to the caller's own.
    contributor_id: Option<ID>,
    /// Funding source.
    source: FundingSource,
    /// Form.
    kind: ContributionKind,
    /// Region code (normally a village).
    region_code: String,
    /// Program it belongs to; its years must include the fiscal year.
    program_id: Option<ID>,
    /// Fiscal year.
    fiscal_year: i32,
    /// Title (at most 200 characters).
    title: String,
    /// Description (at most 4000 characters).
    description: Option<String>,
    /// Target group.
    target_group: Option<TargetGroup>,
    /// Number of beneficiaries, 0 to 300,000,000.
    beneficiaries: Option<i32>,
    /// Planned amount, whole Rupiah.
    amount_planned: Rupiah,
    /// Committed amount, whole Rupiah (0 while only planned).
    amount_committed: Option<Rupiah>,
    /// PLANNED (a draft, the default) or COMMITTED.
    status: Option<ContributionStatus>,
}

/// Changes to a contribution; absent fields stay as they are.
#[derive(InputObject, Default)]
pub struct ContributionPatch {
    /// New region.
    region_code: Option<String>,
    /// New program.
    program_id: Option<ID>,
    /// New fiscal year.
    fiscal_year: Option<i32>,
    /// New title.
    title: Option<String>,
    /// New description.
    description: Option<String>,
    /// New target group.
    target_group: Option<TargetGroup>,
    /// New number of beneficiaries, 0 to 300,000,000.
    beneficiaries: Option<i32>,
    /// New planned amount.
    amount_planned: Option<Rupiah>,
    /// New committed amount (never below what was already disbursed).
    amount_committed: Option<Rupiah>,
    /// New source.
    source: Option<FundingSource>,
    /// New kind.
    kind: Option<ContributionKind>,
}

/// A money movement.
#[derive(InputObject)]
pub struct TransactionInput {
    /// Commitment, disbursement or expenditure.
    r#type: TransactionType,
    /// Amount, whole Rupiah, above zero.
    amount: Rupiah,
    /// When it happened (within the fiscal year or the year either side).
    date: Date,
    /// Notes (at most 1000 characters).
    note: Option<String>,
}

fn money(field: &str, r: Rupiah) -> AppResult<i64> {
    rules::money(field, r.0)
}

/// The checks every saved contribution passes, whatever changed: region, APBDes, program years,
/// amounts (the rules themselves live in `services::rules`, shared with the spreadsheet import).
async fn check_rules(
    db: &impl ConnectionTrait,
    c: &entity::contribution::Model,
    contributor: &entity::organization::Model,
) -> AppResult<()> {
    if let Some((field, message)) = rules::contribution_values(c.into()).into_iter().next() {
        return Err(AppError::bad_input(input_field(field), message));
    }
    let region = entity::region::Entity::find_by_id(c.region_code.clone())
        .one(db)
        .await?
        .ok_or_else(|| {
            AppError::bad_input(
                "input.regionCode",
                format!("no region {} in the hub", c.region_code),
            )
        })?;
    rules::contribution_region(c, contributor, &region, "input.regionCode", "input.source")?;
    if let Some(pid) = &c.program_id {
        let p = entity::program::Entity::find_by_id(pid.clone())
            .one(db)
            .await?
            .ok_or_else(|| AppError::bad_input("input.programId", "no such program"))?;
        rules::contribution_program(c, &p, "input.fiscalYear")?;
    }
    rules::contribution_amounts(c, "input.amountCommitted")
}

/// The input field a contribution rule speaks about.
fn input_field(field: rules::Field) -> &'static str {
    use rules::Field as F;
    match field {
        F::FiscalYear => "input.fiscalYear",
        F::Beneficiaries => "input.beneficiaries",
        F::AmountPlanned => "input.amountPlanned",
        F::AmountCommitted => "input.amountCommitted",
    }
}

async fn contributor(
    db: &impl ConnectionTrait,
    id: &str,
) -> AppResult<entity::organization::Model> {
    entity::organization::Entity::find_by_id(id.to_string())
        .one(db)
        .await?
        .ok_or_else(|| AppError::bad_input("input.contributorId", "no such organization"))
}

/// Loads a contribution for a change by its organization, checking rights then the version.
async fn for_change(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    id: &str,
    version: i32,
) -> AppResult<entity::contribution::Model> {
    let found = entity::contribution::Entity::find_by_id(id.to_string())
        .one(db)
        .await?;
    if let Some(c) = &found {
        // A draft of another organization is not even acknowledged.
        if c.status == Status::Planned
            && !actor.is_admin()
            && actor.organization_id() != Some(c.contributor_id.as_str())
            && !actor.coordinates(&c.region_code)
        {
            return Err(AppError::NotFound("no such contribution".into()));
        }
        actor.require_acting_for(&c.contributor_id, "change this contribution")?;
    }
    let c = check_version(found, version, "contribution", |c| c.version)?;
    lock_version::<entity::contribution::Entity>(db, &c.id, version).await?;
    Ok(c)
}

async fn save(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    before: &entity::contribution::Model,
    am: entity::contribution::ActiveModel,
    action: &str,
) -> AppResult<entity::contribution::Model> {
    save_update(db, actor, (&before.id, before.version), before, am, action).await
}

#[Object]
impl ContributionMutation {
    /// Records a contribution of the caller's organization (admins: of any). It starts as a draft
    /// (PLANNED) unless `status: COMMITTED` is given. With a `clientKey`, a retried call returns the
    /// first result instead of creating a duplicate.
    async fn create_contribution(
        &self,
        ctx: &Context<'_>,
        input: ContributionInput,
        client_key: Option<String>,
    ) -> GqlResult<Contribution> {
        use entity::contribution::{ActiveModel, Entity};
        let actor = actor(ctx)?;
        let key = check_client_key(&client_key)?;
        let w = begin(ctx).await?;
        if let Some(found) = replayed::<Entity>(&w.txn, actor.id(), key, "contribution").await? {
            return Ok(Contribution(found));
        }
        let contributor_id = match input
            .contributor_id
            .map(|i| i.0)
            .or_else(|| actor.organization_id().map(str::to_string))
        {
            Some(id) => id,
            None => {
                return Err(AppError::bad_input(
                    "input.contributorId",
                    "name the contributing organization",
                )
                .into());
            }
        };
        actor.require_acting_for(
            &contributor_id,
            "record contributions for this organization",
        )?;
        let org = contributor(&w.txn, &contributor_id).await?;
        let status: Status = input.status.map(Into::into).unwrap_or(Status::Planned);
        if !matches!(status, Status::Planned | Status::Committed) {
            return Err(AppError::bad_input(
                "input.status",
                "a new contribution is PLANNED or COMMITTED",
            )
            .into());
        }
        let region = parse_code("input.regionCode", &input.region_code)?;
        let now = Utc::now();
        let model = entity::contribution::Model {
            id: new_id(),
            contributor_id,
            source: input.source.into(),
            kind: input.kind.into(),
            region_code: region.to_string(),
            program_id: input.program_id.map(|p| p.0),
            fiscal_year: input.fiscal_year,
            title: text("input.title", &input.title, rules::TITLE_MAX)?,
            description: opt_text(
                "input.description",
                input.description.as_deref(),
                rules::DESCRIPTION_MAX,
            )?,
            target_group: input.target_group.map(Into::into),
            beneficiaries: input.beneficiaries,
            amount_planned: input.amount_planned.0,
            amount_committed: input.amount_committed.unwrap_or(Rupiah(0)).0,
            amount_disbursed: 0,
            amount_realised: 0,
            status,
            version: 1,
            created_by: Some(actor.id().to_string()),
            created_at: now,
            updated_at: now,
            external_key: None,
        };
        check_rules(&w.txn, &model, &org).await?;
        let model = ActiveModel::from(model)
            .insert(&w.txn)
            .await
            .map_err(AppError::from)?;
        finish_create(w, &actor, key, "contribution", &model.id, &model).await?;
        Ok(Contribution(model))
    }

    /// Changes a contribution of the caller's organization; `version` is the one you read.
    async fn update_contribution(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        input: ContributionPatch,
    ) -> GqlResult<Contribution> {
        let actor = actor(ctx)?;
        let w = begin(ctx).await?;
        let before = for_change(&w.txn, &actor, &id, version).await?;
        if before.status == Status::Cancelled {
            return Err(
                AppError::bad_input("id", "a cancelled contribution cannot be changed").into(),
            );
        }
        let mut next = before.clone();
        if let Some(r) = &input.region_code {
            next.region_code = parse_code("input.regionCode", r)?.to_string();
        }
        if let Some(p) = input.program_id {
            next.program_id = Some(p.0);
        }
        if let Some(y) = input.fiscal_year {
            next.fiscal_year = y;
        }
        if let Some(t) = &input.title {
            next.title = text("input.title", t, rules::TITLE_MAX)?;
        }
        if input.description.is_some() {
            next.description = opt_text(
                "input.description",
                input.description.as_deref(),
                rules::DESCRIPTION_MAX,
            )?;
        }
        if let Some(g) = input.target_group {
            next.target_group = Some(g.into());
        }
        if let Some(b) = input.beneficiaries {
            next.beneficiaries = Some(b);
        }
        if let Some(a) = input.amount_planned {
            next.amount_planned = a.0;
        }
        if let Some(a) = input.amount_committed {
            next.amount_committed = a.0;
        }
        if let Some(s) = input.source {
            next.source = s.into();
        }
        if let Some(k) = input.kind {
            next.kind = k.into();
        }
        let org = contributor(&w.txn, &next.contributor_id).await?;
        check_rules(&w.txn, &next, &org).await?;
        let mut am = before.clone().into_active_model();
        am.region_code = Set(next.region_code);
        am.program_id = Set(next.program_id);
        am.fiscal_year = Set(next.fiscal_year);
        am.title = Set(next.title);
        am.description = Set(next.description);
        am.target_group = Set(next.target_group);
        am.beneficiaries = Set(next.beneficiaries);
        am.amount_planned = Set(next.amount_planned);
        am.amount_committed = Set(next.amount_committed);
        am.source = Set(next.source);
        am.kind = Set(next.kind);
        let after = save(&w.txn, &actor, &before, am, "update").await?;
        w.commit().await?;
        Ok(Contribution(after))
    }

    /// Moves a contribution along its life cycle (PLANNED → COMMITTED → IN_PROGRESS → COMPLETED; use
    /// `cancelContribution` to cancel).
    async fn set_contribution_status(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        status: ContributionStatus,
    ) -> GqlResult<Contribution> {
        let actor = actor(ctx)?;
        let status: Status = status.into();
        if status == Status::Cancelled {
            return Err(AppError::bad_input("status", "use cancelContribution to cancel").into());
        }
        let w = begin(ctx).await?;
        let before = for_change(&w.txn, &actor, &id, version).await?;
        if before.status == Status::Cancelled {
            return Err(
                AppError::bad_input("status", "a cancelled contribution stays cancelled").into(),
            );
        }
        let mut next = before.clone();
        next.status = status;
        let org = contributor(&w.txn, &next.contributor_id).await?;
        check_rules(&w.txn, &next, &org).await?;
        let mut am = before.clone().into_active_model();
        am.status = Set(status);
        let after = save(&w.txn, &actor, &before, am, "status").await?;
        w.commit().await?;
        Ok(Contribution(after))
    }

    /// Cancels a contribution. Nothing is ever deleted: it stays, CANCELLED, with its history.
    async fn cancel_contribution(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
    ) -> GqlResult<Contribution> {
        let actor = actor(ctx)?;
        let w = begin(ctx).await?;
        let before = for_change(&w.txn, &actor, &id, version).await?;
        let mut am = before.clone().into_active_model();
        am.status = Set(Status::Cancelled);
        let after = save(&w.txn, &actor, &before, am, "cancel").await?;
        w.commit().await?;
        Ok(Contribution(after))
    }

    /// Records a commitment, disbursement or expenditure. Commitments recorded never exceed the
    /// committed amount, disbursements never exceed it either, and expenditures never exceed what was
    /// disbursed; the contribution's disbursed and realised amounts follow.
    async fn add_contribution_transaction(
        &self,
        ctx: &Context<'_>,
        contribution_id: ID,
        version: i32,
        input: TransactionInput,
        client_key: Option<String>,
    ) -> GqlResult<Contribution> {
        use entity::contribution_transaction::{ActiveModel, Column, Entity};
        use sea_orm::{ColumnTrait, QueryFilter};
        let actor = actor(ctx)?;
        let key = check_client_key(&client_key)?;
        let w = begin(ctx).await?;
        if let Some(k) = key
            && remembered(&w.txn, actor.id(), k, "contribution_transaction")
                .await?
                .is_some()
        {
            let c = entity::contribution::Entity::find_by_id(contribution_id.0.clone())
                .one(&w.txn)
                .await
                .map_err(AppError::from)?;
            return Ok(Contribution(c.ok_or_else(|| {
                AppError::NotFound("no such contribution".into())
            })?));
        }
        let before = for_change(&w.txn, &actor, &contribution_id, version).await?;
        if before.status == Status::Cancelled {
            return Err(AppError::bad_input(
                "contributionId",
                "a cancelled contribution takes no transactions",
            )
            .into());
        }
        let amount = money("input.amount", input.amount)?;
        if amount == 0 {
            return Err(
                AppError::bad_input("input.amount", "a transaction moves more than zero").into(),
            );
        }
        let year = input.date.0.year();
        if (year - before.fiscal_year).abs() > 1 {
            return Err(AppError::bad_input(
                "input.date",
                format!(
                    "the date must fall within fiscal year {} or the year either side",
                    before.fiscal_year
                ),
            )
            .into());
        }
        let note = opt_text("input.note", input.note.as_deref(), 1000)?;
        let ty: TxType = input.r#type.into();
        let mut am = before.clone().into_active_model();
        match ty {
            TxType::Commitment => {
                let recorded: i64 = Entity::find()
                    .filter(Column::ContributionId.eq(before.id.clone()))
                    .filter(Column::Type.eq(TxType::Commitment))
                    .all(&w.txn)
                    .await
                    .map_err(AppError::from)?
                    .iter()
                    .map(|t| t.amount)
                    .sum();
                if recorded + amount > before.amount_committed {
                    return Err(AppError::bad_input(
                        "input.amount",
                        "commitments recorded would exceed the committed amount",
                    )
                    .into());
                }
            }
            TxType::Disbursement => {
                if before.amount_disbursed + amount > before.amount_committed {
                    return Err(AppError::bad_input(
                        "input.amount",
                        "disbursed would exceed committed",
                    )
                    .into());
                }
                am.amount_disbursed = Set(before.amount_disbursed + amount);
            }
            TxType::Expenditure => {
                if before.amount_realised + amount > before.amount_disbursed {
                    return Err(AppError::bad_input(
                        "input.amount",
                        "spent would exceed disbursed",
                    )
                    .into());
                }
                am.amount_realised = Set(before.amount_realised + amount);
            }
        }
        let tx = ActiveModel {
            id: Set(new_id()),
            contribution_id: Set(before.id.clone()),
            r#type: Set(ty),
            amount: Set(amount),
            occurred_on: Set(input.date.0),
            note: Set(note),
            created_by: Set(Some(actor.id().to_string())),
            created_at: Set(Utc::now()),
        }
        .insert(&w.txn)
        .await
        .map_err(AppError::from)?;
        audit::record(
            &w.txn,
            &actor,
            "contribution_transaction",
            &tx.id,
            "create",
            None::<&()>,
            Some(&tx),
        )
        .await
        .map_err(AppError::from)?;
        let after = save(&w.txn, &actor, &before, am, "transaction").await?;
        if let Some(k) = key {
            remember(&w.txn, actor.id(), k, "contribution_transaction", &tx.id).await?;
        }
        w.commit().await?;
        Ok(Contribution(after))
    }
}
