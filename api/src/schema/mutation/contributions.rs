//! The contribution mutations: each parses its input, calls one function of
//! `services::contributions::write` in one transaction, and returns the record.

use super::{actor, begin};
use crate::error::GqlResult;
use crate::schema::enums::{
    ContributionKind, ContributionStatus, FundingSource, TargetGroup, TransactionType,
};
use crate::schema::scalars::{Date, Rupiah};
use crate::schema::types::contribution::Contribution;
use crate::services::contributions::write as service;
use crate::services::writes::check_client_key;
use async_graphql::{Context, ID, InputObject, Object};

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

impl From<ContributionInput> for service::NewContribution {
    fn from(i: ContributionInput) -> Self {
        Self {
            contributor_id: i.contributor_id.map(|id| id.0),
            source: i.source.into(),
            kind: i.kind.into(),
            region_code: i.region_code,
            program_id: i.program_id.map(|id| id.0),
            fiscal_year: i.fiscal_year,
            title: i.title,
            description: i.description,
            target_group: i.target_group.map(Into::into),
            beneficiaries: i.beneficiaries,
            amount_planned: i.amount_planned.0,
            amount_committed: i.amount_committed.map(|a| a.0),
            status: i.status.map(Into::into),
        }
    }
}

impl From<ContributionPatch> for service::ContributionPatch {
    fn from(p: ContributionPatch) -> Self {
        Self {
            region_code: p.region_code,
            program_id: p.program_id.map(|id| id.0),
            fiscal_year: p.fiscal_year,
            title: p.title,
            description: p.description,
            target_group: p.target_group.map(Into::into),
            beneficiaries: p.beneficiaries,
            amount_planned: p.amount_planned.map(|a| a.0),
            amount_committed: p.amount_committed.map(|a| a.0),
            source: p.source.map(Into::into),
            kind: p.kind.map(Into::into),
        }
    }
}

impl From<TransactionInput> for service::NewTransaction {
    fn from(t: TransactionInput) -> Self {
        Self {
            r#type: t.r#type.into(),
            amount: t.amount.0,
            date: t.date.0,
            note: t.note,
        }
    }
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
        let actor = actor(ctx)?;
        let key = check_client_key(&client_key)?;
        let w = begin(ctx).await?;
        let c = service::create(&w.txn, &actor, input.into(), key).await?;
        w.commit().await?;
        Ok(Contribution::from(c))
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
        let c = service::update(&w.txn, &actor, (&id, version), input.into()).await?;
        w.commit().await?;
        Ok(Contribution::from(c))
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
        let w = begin(ctx).await?;
        let c = service::set_status(&w.txn, &actor, (&id, version), status.into()).await?;
        w.commit().await?;
        Ok(Contribution::from(c))
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
        let c = service::cancel(&w.txn, &actor, (&id, version)).await?;
        w.commit().await?;
        Ok(Contribution::from(c))
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
        let actor = actor(ctx)?;
        let key = check_client_key(&client_key)?;
        let w = begin(ctx).await?;
        let target = (contribution_id.as_str(), version);
        let c = service::add_transaction(&w.txn, &actor, target, input.into(), key).await?;
        w.commit().await?;
        Ok(Contribution::from(c))
    }
}
