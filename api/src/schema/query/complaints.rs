//! Complaints: the public tracking-code lookup and the coordinators' inbox.

use crate::auth::{SignedIn, Viewer};
use crate::error::GqlResult;
use crate::pagination::{PageArgs, oldest_first_after, oldest_first_cursor};
use crate::region_code::parse_code;
use crate::schema::enums::ComplaintStatus;
use crate::schema::types::complaint::{Complaint, ComplaintTracking};
use crate::services::authz::Actor;
use crate::services::complaints as service;
use async_graphql::{Context, ID, Object, SimpleObject};
use sea_orm::DatabaseConnection;

#[derive(Default)]
pub struct ComplaintQuery;

/// A page of a region's complaints.
#[derive(SimpleObject)]
pub struct ComplaintInbox {
    /// How many match in all (on every page).
    total_count: i64,
    /// The oldest first, at most `first` of them.
    items: Vec<Complaint>,
    /// Whether more match after these: pass `endCursor` as `after` for them.
    has_next_page: bool,
    /// Where this page ends (null when it is empty).
    end_cursor: Option<String>,
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

    /// One complaint by id, for the coordinators of its region and admins; null for anyone else, as
    /// for an unknown id.
    #[graphql(guard = "SignedIn")]
    async fn complaint(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Option<Complaint>> {
        let user = ctx.data_unchecked::<Viewer>().user()?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        Ok(service::one(db, &Actor::User(user), &id)
            .await?
            .map(Complaint))
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
        #[graphql(desc = "`endCursor` of the previous page: the complaints filed after it.")]
        after: Option<String>,
    ) -> GqlResult<ComplaintInbox> {
        let user = ctx.data_unchecked::<Viewer>().user()?;
        let region = region
            .as_deref()
            .map(|r| parse_code("region", r))
            .transpose()?;
        let args = PageArgs::from_ctx(ctx, first, after)?;
        let from = oldest_first_after(&args)?;
        let statuses: Vec<_> = statuses
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect();
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let page = service::inbox(
            db,
            &Actor::User(user),
            region,
            &statuses,
            args.first,
            from.as_ref(),
        )
        .await?;
        Ok(ComplaintInbox {
            total_count: page.total,
            end_cursor: page
                .rows
                .last()
                .map(|c| oldest_first_cursor(c.created_at, &c.id)),
            has_next_page: page.more,
            items: page.rows.into_iter().map(Complaint).collect(),
        })
    }
}
