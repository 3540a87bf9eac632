//! Verification by the region's coordinators (issue 14): each field calls
//! `services::verification` in one transaction.

use super::{actor, begin};
use crate::error::GqlResult;
use crate::schema::types::contribution::Contribution;
use crate::schema::types::region::VillageIndicators;
use crate::services::verification::{self as service, Decision};
use async_graphql::{Context, ID, Object};

#[derive(Default)]
pub struct VerificationMutation;

#[Object]
impl VerificationMutation {
    /// Marks a SUBMITTED contribution, with its transactions, VERIFIED (coordinators of its region,
    /// admins). Send the `version` you read: a stale one gets CONFLICT.
    async fn verify_contribution(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
    ) -> GqlResult<Contribution> {
        let actor = actor(ctx)?;
        let w = begin(ctx).await?;
        let row =
            service::decide_contribution(&w.txn, &actor, (&id, version), Decision::Verify).await?;
        w.commit().await?;
        Ok(Contribution::from(row))
    }

    /// Sends a SUBMITTED contribution back to its organization, RETURNED with a note saying what to
    /// fix (coordinators of its region, admins); the organization resubmits it by editing it.
    async fn return_contribution(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        #[graphql(desc = "What to fix (1 to 1000 characters).")] note: String,
    ) -> GqlResult<Contribution> {
        let actor = actor(ctx)?;
        let w = begin(ctx).await?;
        let decision = Decision::Return(note);
        let row = service::decide_contribution(&w.txn, &actor, (&id, version), decision).await?;
        w.commit().await?;
        Ok(Contribution::from(row))
    }

    /// Marks a village's SUBMITTED indicators for a year VERIFIED (coordinators of the village's
    /// region, admins).
    async fn verify_village_indicators(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
    ) -> GqlResult<VillageIndicators> {
        let actor = actor(ctx)?;
        let w = begin(ctx).await?;
        let row =
            service::decide_indicators(&w.txn, &actor, (&id, version), Decision::Verify).await?;
        w.commit().await?;
        Ok(VillageIndicators(row))
    }

    /// Sends a village's SUBMITTED indicators back, RETURNED with a note saying what to fix; the
    /// village resubmits them with `setVillageIndicators`.
    async fn return_village_indicators(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        #[graphql(desc = "What to fix (1 to 1000 characters).")] note: String,
    ) -> GqlResult<VillageIndicators> {
        let actor = actor(ctx)?;
        let w = begin(ctx).await?;
        let decision = Decision::Return(note);
        let row = service::decide_indicators(&w.txn, &actor, (&id, version), decision).await?;
        w.commit().await?;
        Ok(VillageIndicators(row))
    }
}
