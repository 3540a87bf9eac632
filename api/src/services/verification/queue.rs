//! A coordinator's verification queue: the SUBMITTED contributions and village indicators of its
//! region, oldest first (the longest waiting at the top).

use crate::error::{AppError, AppResult};
use crate::region_code::RegionCode;
use crate::services::authz::Actor;
use crate::services::contributions::region_condition;
use crate::services::oldest_first::{After, Page, after};
use entity::enums::Verification;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

/// A record waiting for verification.
#[derive(Debug, Clone)]
pub enum QueueItem {
    /// A contribution (with its transactions).
    Contribution(entity::contribution::Model),
    /// A village's indicators for a year.
    Indicators(entity::village_indicator::Model),
}

impl QueueItem {
    /// Since when it has waited: its last change, which is what made it SUBMITTED.
    pub fn waiting_since(&self) -> chrono::DateTime<chrono::Utc> {
        match self {
            Self::Contribution(m) => m.updated_at,
            Self::Indicators(m) => m.updated_at,
        }
    }

    /// The record's id.
    pub fn id(&self) -> &str {
        match self {
            Self::Contribution(m) => &m.id,
            Self::Indicators(m) => &m.id,
        }
    }
}

/// Whose queue: `region` when given (it must lie inside the caller's scope), else the coordinator's
/// own region. Admins see any region, and every region when they name none.
fn scope(actor: &Actor<'_>, region: Option<RegionCode>) -> AppResult<Option<RegionCode>> {
    let own = match actor {
        Actor::User(u) => u.region_scope.clone(),
        Actor::System => None,
    };
    match region {
        Some(r) => {
            actor.require_coordinator_of(r.as_str(), "see this region's verification queue")?;
            Ok(Some(r))
        }
        None if actor.is_admin() => Ok(None),
        None => {
            let own = own.filter(|s| actor.coordinates(s)).ok_or_else(|| {
                AppError::Forbidden("only coordinators and admins have a verification queue".into())
            })?;
            RegionCode::parse(&own)
                .map(Some)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("stored scope {own}: {e}")))
        }
    }
}

/// The `limit` records waiting longest in the region after `from` (from the start without it),
/// oldest first, and how many wait in all.
pub async fn queue(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    region: Option<RegionCode>,
    limit: u64,
    from: Option<&After>,
) -> AppResult<Page<QueueItem>> {
    use entity::{contribution as c, village_indicator as v};
    let region = scope(actor, region)?;
    let mut cq = c::Entity::find().filter(c::Column::Verification.eq(Verification::Submitted));
    let mut vq = v::Entity::find().filter(v::Column::Verification.eq(Verification::Submitted));
    if let Some(r) = &region {
        cq = cq.filter(region_condition(c::Column::RegionCode, r));
        vq = vq.filter(region_condition(v::Column::VillageCode, r));
    }
    let total = cq.clone().count(db).await? + vq.clone().count(db).await?;
    if let Some(place) = from {
        cq = cq.filter(after(c::Column::UpdatedAt, c::Column::Id, place));
        vq = vq.filter(after(v::Column::UpdatedAt, v::Column::Id, place));
    }
    // One more than the page from each table: merged, the first `limit + 1` say whether more follow.
    let contributions = cq
        .order_by_asc(c::Column::UpdatedAt)
        .order_by_asc(c::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let indicators = vq
        .order_by_asc(v::Column::UpdatedAt)
        .order_by_asc(v::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let mut items: Vec<QueueItem> = contributions
        .into_iter()
        .map(QueueItem::Contribution)
        .chain(indicators.into_iter().map(QueueItem::Indicators))
        .collect();
    items.sort_by(|a, b| (a.waiting_since(), a.id()).cmp(&(b.waiting_since(), b.id())));
    Ok(Page::from_rows(items, limit, total as i64))
}
