//! `verificationQueue`: what waits for a coordinator's verification.

use crate::auth::{SignedIn, Viewer};
use crate::error::GqlResult;
use crate::pagination::PageArgs;
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

/// The head of a region's verification queue.
#[derive(async_graphql::SimpleObject)]
pub struct VerificationQueue {
    /// How many records wait in all.
    total_count: i64,
    /// The longest waiting first, at most `first` of them.
    items: Vec<VerificationItem>,
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
    ) -> GqlResult<VerificationQueue> {
        let user = ctx.data_unchecked::<Viewer>().user()?;
        let region = region
            .as_deref()
            .map(|r| parse_code("region", r))
            .transpose()?;
        let args = PageArgs::from_ctx(ctx, first, None)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let (items, total) = service::queue(db, &Actor::User(user), region, args.first).await?;
        Ok(VerificationQueue {
            total_count: total,
            items: items.into_iter().map(VerificationItem).collect(),
        })
    }
}
