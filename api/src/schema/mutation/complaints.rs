//! Data complaints: `fileComplaint` for anyone, the triage steps for the region's coordinators;
//! each calls `services::complaints` in one transaction.

use super::{actor, begin};
use crate::auth::Viewer;
use crate::error::GqlResult;
use crate::schema::types::complaint::{Complaint, ComplaintTracking};
use crate::services::authz::Actor;
use crate::services::complaints::{self as service, NewComplaint, Triage};
use async_graphql::{Context, ID, InputObject, Object};

#[derive(Default)]
pub struct ComplaintMutation;

/// A report that a figure is wrong. Name either a contribution or a region (normally a village,
/// with `fiscalYear` when its indicators are wrong).
#[derive(InputObject)]
pub struct ComplaintInput {
    /// The village (or other region) whose figure is wrong.
    region_code: Option<String>,
    /// The contribution whose figure is wrong.
    contribution_id: Option<ID>,
    /// The year of the village's indicators, when they are wrong.
    fiscal_year: Option<i32>,
    /// Which figure is wrong (1 to 200 characters), e.g. "jumlah rumah tangga miskin 2025".
    what: String,
    /// Why it is wrong (1 to 2000 characters).
    reason: String,
    /// How to reach you, if you wish (at most 200 characters): only the region's coordinators see
    /// it, and it is erased when the complaint closes.
    contact: Option<String>,
}

#[Object]
impl ComplaintMutation {
    /// Files a complaint, signed in or not, and returns its tracking code: keep it to follow the
    /// complaint with `complaintByTrackingCode`. Who filed it is not recorded. Without signing in,
    /// an address may file a few per hour (RATE_LIMITED beyond, with `retryAfter`).
    async fn file_complaint(
        &self,
        ctx: &Context<'_>,
        input: ComplaintInput,
    ) -> GqlResult<ComplaintTracking> {
        let viewer = ctx.data_unchecked::<Viewer>();
        let reader = match viewer {
            Viewer::User(u) => {
                crate::services::users::require_own_password(u)?;
                Some(Actor::User(u.as_ref()))
            }
            Viewer::Anonymous => {
                crate::rate_limit::check_anonymous_complaint(ctx)?;
                None
            }
        };
        let input = NewComplaint {
            region_code: input.region_code,
            contribution_id: input.contribution_id.map(|i| i.0),
            fiscal_year: input.fiscal_year,
            what: input.what,
            reason: input.reason,
            contact: input.contact,
        };
        let w = begin(ctx).await?;
        let row = service::file(&w.txn, reader.as_ref(), input).await?;
        w.commit().await?;
        Ok(ComplaintTracking(row))
    }

    /// Takes a RECEIVED complaint into review (coordinators of its region, admins).
    async fn review_complaint(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
    ) -> GqlResult<Complaint> {
        step(ctx, (id, version), Triage::Review).await
    }

    /// Closes a complaint in review as RESOLVED, linking the audit rows of the correction made (made
    /// since it was filed, about a record in its region). The contact is erased.
    async fn resolve_complaint(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        #[graphql(desc = "Audit rows of the correction (see `auditTrail`).")] correction_ids: Vec<
            ID,
        >,
        #[graphql(desc = "What was corrected (1 to 1000 characters).")] note: String,
    ) -> GqlResult<Complaint> {
        let corrections = correction_ids.into_iter().map(|i| i.0).collect();
        step(ctx, (id, version), Triage::Resolve { corrections, note }).await
    }

    /// Closes a complaint as REJECTED with the reason, which the reporter reads with the tracking
    /// code. The contact is erased.
    async fn reject_complaint(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        #[graphql(desc = "Why (1 to 1000 characters).")] reason: String,
    ) -> GqlResult<Complaint> {
        step(ctx, (id, version), Triage::Reject(reason)).await
    }
}

async fn step(ctx: &Context<'_>, (id, version): (ID, i32), t: Triage) -> GqlResult<Complaint> {
    let actor = actor(ctx)?;
    let w = begin(ctx).await?;
    let row = service::triage(&w.txn, &actor, (&id, version), t).await?;
    w.commit().await?;
    use entity::enums::ComplaintStatus as Status;
    if matches!(row.status, Status::Resolved | Status::Rejected) {
        crate::db::checkpoint_after_erasure(ctx.data_unchecked::<sea_orm::DatabaseConnection>());
    }
    Ok(Complaint(row))
}
