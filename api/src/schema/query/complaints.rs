//! Complaints: the public tracking-code lookup and the coordinators' inbox.

use crate::auth::{SignedIn, Viewer};
use crate::error::GqlResult;
use crate::pagination::PageArgs;
use crate::region_code::parse_code;
use crate::schema::enums::ComplaintStatus;
use crate::schema::types::complaint::{Complaint, ComplaintTracking};
use crate::services::authz::Actor;
use crate::services::complaints as service;
use async_graphql::{Context, Object, SimpleObject};
use sea_orm::DatabaseConnection;

#[derive(Default)]
pub struct ComplaintQuery;

/// The head of a region's complaints.
#[derive(SimpleObject)]
pub struct ComplaintInbox {
    /// How many match in all.
    total_count: i64,
    /// The oldest first, at most `first` of them.
    items: Vec<Complaint>,
}

#[Object]
impl ComplaintQuery {
    /// A complaint by its tracking code (case, spaces and hyphens do not matter), for anyone who
    /// has the code, signed in or not; null when no complaint has it.
    async fn complaint_by_tracking_code(
        &self,
        ctx: &Context<'_>,
        tracking_code: String,
    ) -> GqlResult<Option<ComplaintTracking>> {
        let db = ctx.data_unchecked::<DatabaseConnection>();
        Ok(service::track(db, &tracking_code)
            .await?
            .map(ComplaintTracking))
    }

    /// The complaints of a region (default: the coordinator's own), open ones (RECEIVED and
    /// IN_REVIEW) unless `statuses` says otherwise, oldest first. Coordinators (inside their region)
    /// and admins.
    #[graphql(guard = "SignedIn")]
    async fn complaints(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A region inside the caller's (default: all of it).")] region: Option<
            String,
        >,
        #[graphql(desc = "Only these statuses (default: the open ones).")] statuses: Option<
            Vec<ComplaintStatus>,
        >,
        #[graphql(desc = "How many of the oldest to return.")] first: Option<i32>,
    ) -> GqlResult<ComplaintInbox> {
        let user = ctx.data_unchecked::<Viewer>().user()?;
        let region = region
            .as_deref()
            .map(|r| parse_code("region", r))
            .transpose()?;
        let args = PageArgs::from_ctx(ctx, first, None)?;
        let statuses: Vec<_> = statuses
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect();
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let (rows, total) =
            service::inbox(db, &Actor::User(user), region, &statuses, args.first).await?;
        Ok(ComplaintInbox {
            total_count: total,
            items: rows.into_iter().map(Complaint).collect(),
        })
    }
}
