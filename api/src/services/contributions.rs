//! Contributions: the filter every list, count and (later) aggregate shares, so that the draft rule
//! and the region-prefix index are applied identically on every path.

use crate::region_code::RegionCode;
use entity::contribution::{Column, Entity, Model};
use entity::enums::ContributionStatus;
use sea_orm::sea_query::Condition;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

/// Who is asking, as far as draft (PLANNED) contributions are concerned: a draft is visible only to
/// its own organization and to coordinators whose region covers it. Anonymous callers see none.
#[derive(Debug, Clone, Default)]
pub struct DraftVisibility {
    /// The caller's organization, whose drafts it sees.
    pub organization_id: Option<String>,
    /// Region prefixes whose drafts the caller sees (a coordinator's scope).
    pub region_scopes: Vec<RegionCode>,
    /// Admins see every draft.
    pub all: bool,
}

/// A checked contribution filter.
#[derive(Debug, Clone, Default)]
pub struct ContributionFilter {
    /// The region itself or anything inside it.
    pub region: Option<RegionCode>,
    /// Exactly this fiscal year.
    pub fiscal_year: Option<i32>,
}

/// `column` is `code` itself or a code inside it: an equality plus a range on an indexed column.
pub fn region_condition(column: impl ColumnTrait, code: &RegionCode) -> Condition {
    let (lo, hi) = code.descendant_range();
    Condition::any()
        .add(column.eq(code.as_str()))
        .add(Condition::all().add(column.gte(lo)).add(column.lt(hi)))
}

fn visibility_condition(v: &DraftVisibility) -> Condition {
    if v.all {
        return Condition::all();
    }
    let mut c = Condition::any().add(Column::Status.ne(ContributionStatus::Planned));
    if let Some(org) = &v.organization_id {
        c = c.add(Column::ContributorId.eq(org.as_str()));
    }
    for scope in &v.region_scopes {
        c = c.add(region_condition(Column::RegionCode, scope));
    }
    c
}

/// The WHERE clause of a filtered, visibility-checked contribution query.
pub fn condition(filter: &ContributionFilter, v: &DraftVisibility) -> Condition {
    let mut c = Condition::all().add(visibility_condition(v));
    if let Some(region) = &filter.region {
        c = c.add(region_condition(Column::RegionCode, region));
    }
    if let Some(year) = filter.fiscal_year {
        c = c.add(Column::FiscalYear.eq(year));
    }
    c
}

/// One page in id order (UUIDv7: creation order) after `after`.
pub async fn page(
    db: &impl ConnectionTrait,
    filter: &ContributionFilter,
    v: &DraftVisibility,
    after: Option<String>,
    limit: u64,
) -> crate::error::AppResult<Vec<Model>> {
    let mut q = Entity::find().filter(condition(filter, v));
    if let Some(after) = after {
        q = q.filter(Column::Id.gt(after));
    }
    Ok(q.order_by_asc(Column::Id).limit(limit).all(db).await?)
}

/// How many contributions match.
pub async fn count(
    db: &impl ConnectionTrait,
    filter: &ContributionFilter,
    v: &DraftVisibility,
) -> crate::error::AppResult<i64> {
    Ok(Entity::find()
        .filter(condition(filter, v))
        .count(db)
        .await? as i64)
}
