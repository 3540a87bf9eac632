//! `verificationQueue`: what waits for a coordinator's verification.

use crate::auth::{SignedIn, Viewer};
use crate::error::GqlResult;
use crate::pagination::{PageArgs, oldest_first_after, oldest_first_cursor};
use crate::region_code::parse_code;
use crate::schema::scalars::DateTime;
use crate::schema::types::contribution::Contribution;
use crate::schema::types::region::VillageIndicators;
use crate::services::authz::Actor;
use crate::services::verification::{self as service, QueueItem};
use async_graphql::{Context, Object, Union};
use sea_orm::DatabaseConnection;

#[derive(Default)]
pub struct VerificationQuery;

/// A record waiting for verification.
#[derive(Union)]
pub enum VerificationRecord {
    /// A contribution, with its transactions.
    Contribution(Contribution),
    /// A village's indicators for a year.
    VillageIndicators(VillageIndicators),
}

/// One entry of the queue.
pub struct VerificationItem(QueueItem);

#[Object]
impl VerificationItem {
    /// Since when it has waited: its last change, which submitted it.
    async fn waiting_since(&self) -> DateTime {
        DateTime(self.0.waiting_since())
    }
    /// The record.
    async fn record(&self) -> VerificationRecord {
        match &self.0 {
            QueueItem::Contribution(m) => {
                VerificationRecord::Contribution(Contribution::from(m.clone()))
            }
            QueueItem::Indicators(m) => {
                VerificationRecord::VillageIndicators(VillageIndicators(m.clone()))
            }
        }
    }
}

/// A page of a region's verification queue.
#[derive(async_graphql::SimpleObject)]
pub struct VerificationQueue {
    /// How many records wait in all (on every page).
    total_count: i64,
    /// The longest waiting first, at most `first` of them.
    items: Vec<VerificationItem>,
    /// Whether more records wait after these: pass `endCursor` as `after` for them.
    has_next_page: bool,
    /// Where this page ends (null when it is empty).
    end_cursor: Option<String>,
}

#[Object]
impl VerificationQuery {
    /// What waits for verification in a region (default: the coordinator's own), oldest first:
    /// SUBMITTED contributions and village indicators. Coordinators (inside their region) and admins.
    #[graphql(guard = "SignedIn")]
    async fn verification_queue(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A region inside the caller's (default: all of it).")] region: Option<
            String,
        >,
        #[graphql(desc = "How many of the longest waiting to return.")] first: Option<i32>,
        #[graphql(desc = "`endCursor` of the previous page: the records waiting after it.")]
        after: Option<String>,
    ) -> GqlResult<VerificationQueue> {
        let user = ctx.data_unchecked::<Viewer>().user()?;
        let region = region
            .as_deref()
            .map(|r| parse_code("region", r))
            .transpose()?;
        let args = PageArgs::from_ctx(ctx, first, after)?;
        let from = oldest_first_after(&args)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let page =
            service::queue(db, &Actor::User(user), region, args.first, from.as_ref()).await?;
        Ok(VerificationQueue {
            total_count: page.total,
            end_cursor: page
                .rows
                .last()
                .map(|i| oldest_first_cursor(i.waiting_since(), i.id())),
            has_next_page: page.more,
            items: page.rows.into_iter().map(VerificationItem).collect(),
        })
    }
}
