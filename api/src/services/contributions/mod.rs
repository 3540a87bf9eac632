//! Contributions: the filter every list, count and aggregate shares, so that the draft rule and the
//! region-prefix index are applied identically on every path (root field, nested field, count);
//! and, in [`write`], every write of a contribution.

mod money;
pub mod write;

use crate::region_code::RegionCode;
use entity::contribution::{Column, Entity, Model};
use entity::enums::{
    Cluster, ContributionKind, ContributionStatus, FundingSource, Helix, TargetGroup, Verification,
};
use sea_orm::sea_query::{Asterisk, Condition, Expr, ExprTrait, Query};
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

/// A checked contribution filter. Every condition given must hold; an empty list means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ContributionFilter {
    /// The region itself or anything inside it.
    pub region: Option<RegionCode>,
    /// Exactly this fiscal year.
    pub fiscal_year: Option<i32>,
    /// From this fiscal year on.
    pub fiscal_year_from: Option<i32>,
    /// Up to this fiscal year.
    pub fiscal_year_to: Option<i32>,
    /// Any of these funding sources.
    pub sources: Vec<FundingSource>,
    /// Contributors of any of these helixes.
    pub helixes: Vec<Helix>,
    /// Under programs of any of these clusters.
    pub clusters: Vec<Cluster>,
    /// Any of these statuses.
    pub statuses: Vec<ContributionStatus>,
    /// Any of these kinds.
    pub kinds: Vec<ContributionKind>,
    /// By any of these organizations.
    pub contributor_ids: Vec<String>,
    /// Under any of these programs.
    pub program_ids: Vec<String>,
    /// For any of these target groups.
    pub target_groups: Vec<TargetGroup>,
    /// Only to villages flagged as priority (desa merah / lokus) in the contribution's fiscal year.
    pub priority_villages_only: bool,
    /// Folded text that must appear in the title.
    pub text: Option<String>,
    /// Only contributions a coordinator has verified (issue 14): the `verifiedOnly` argument of the
    /// analytics fields and the workbook.
    pub verified_only: bool,
}

/// `column` is `code` itself or a code inside it: an equality plus a range on an indexed column.
pub fn region_condition(column: impl ColumnTrait, code: &RegionCode) -> Condition {
    let (lo, hi) = code.descendant_range();
    Condition::any()
        .add(column.eq(code.as_str()))
        .add(Condition::all().add(column.gte(lo)).add(column.lt(hi)))
}

impl DraftVisibility {
    /// The draft rule for one loaded row (the in-memory twin of [`visibility_condition`], for rows
    /// that reach a caller without a query of theirs: live events).
    pub fn sees(&self, row: &Model) -> bool {
        self.all
            || row.status != ContributionStatus::Planned
            || self.organization_id.as_deref() == Some(row.contributor_id.as_str())
            || self
                .region_scopes
                .iter()
                .any(|s| s.covers(&row.region_code))
    }
}

/// The draft rule as a WHERE clause.
pub fn visibility_condition(v: &DraftVisibility) -> Condition {
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
pub fn condition(f: &ContributionFilter, v: &DraftVisibility) -> Condition {
    let mut c = Condition::all().add(visibility_condition(v));
    if let Some(region) = &f.region {
        c = c.add(region_condition(Column::RegionCode, region));
    }
    if let Some(year) = f.fiscal_year {
        c = c.add(Column::FiscalYear.eq(year));
    }
    if let Some(year) = f.fiscal_year_from {
        c = c.add(Column::FiscalYear.gte(year));
    }
    if let Some(year) = f.fiscal_year_to {
        c = c.add(Column::FiscalYear.lte(year));
    }
    if !f.sources.is_empty() {
        c = c.add(Column::Source.is_in(f.sources.clone()));
    }
    if !f.statuses.is_empty() {
        c = c.add(Column::Status.is_in(f.statuses.clone()));
    }
    if !f.kinds.is_empty() {
        c = c.add(Column::Kind.is_in(f.kinds.clone()));
    }
    if !f.target_groups.is_empty() {
        c = c.add(Column::TargetGroup.is_in(f.target_groups.clone()));
    }
    if !f.contributor_ids.is_empty() {
        c = c.add(Column::ContributorId.is_in(f.contributor_ids.clone()));
    }
    if !f.program_ids.is_empty() {
        c = c.add(Column::ProgramId.is_in(f.program_ids.clone()));
    }
    if !f.helixes.is_empty() {
        use entity::organization as o;
        c = c.add(
            Column::ContributorId.in_subquery(
                Query::select()
                    .column(o::Column::Id)
                    .from(o::Entity)
                    .and_where(o::Column::Helix.is_in(f.helixes.clone()))
                    .to_owned(),
            ),
        );
    }
    if !f.clusters.is_empty() {
        use entity::program as p;
        c = c.add(
            Column::ProgramId.in_subquery(
                Query::select()
                    .column(p::Column::Id)
                    .from(p::Entity)
                    .and_where(p::Column::Cluster.is_in(f.clusters.clone()))
                    .to_owned(),
            ),
        );
    }
    if f.priority_villages_only {
        use entity::village_indicator as vi;
        c = c.add(Expr::exists(
            Query::select()
                .expr(Expr::val(1))
                .from(vi::Entity)
                .and_where(
                    Expr::col((vi::Entity, vi::Column::VillageCode))
                        .equals((Entity, Column::RegionCode)),
                )
                .and_where(
                    Expr::col((vi::Entity, vi::Column::FiscalYear))
                        .equals((Entity, Column::FiscalYear)),
                )
                .and_where(Expr::col((vi::Entity, vi::Column::Priority)).eq(true))
                .to_owned(),
        ));
    }
    if f.verified_only {
        c = c.add(Column::Verification.eq(Verification::Verified));
    }
    if let Some(text) = &f.text {
        c = c.add(
            Expr::expr(sea_orm::sea_query::Func::lower(Expr::col((
                Entity,
                Column::Title,
            ))))
            .like(format!("%{}%", like_escape(text))),
        );
    }
    c
}

/// Escapes LIKE wildcards in user text (both databases treat `\` as the default escape only with an
/// ESCAPE clause, so wildcards are simply removed instead).
pub fn like_escape(text: &str) -> String {
    text.replace(['%', '_', '\\'], "")
}

/// Sort orders of the root `contributions` list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortField {
    /// Record creation (UUIDv7 id).
    Created,
    /// Committed amount.
    AmountCommitted,
    /// Planned amount.
    AmountPlanned,
    /// Fiscal year.
    FiscalYear,
}

impl SortField {
    fn column(self) -> Column {
        match self {
            Self::Created => Column::Id,
            Self::AmountCommitted => Column::AmountCommitted,
            Self::AmountPlanned => Column::AmountPlanned,
            Self::FiscalYear => Column::FiscalYear,
        }
    }

    /// The sort key of a row, as stored in a cursor (the id always breaks ties).
    pub fn key(self, m: &Model) -> Vec<serde_json::Value> {
        match self {
            Self::Created => vec![m.id.clone().into()],
            Self::AmountCommitted => vec![m.amount_committed.into(), m.id.clone().into()],
            Self::AmountPlanned => vec![m.amount_planned.into(), m.id.clone().into()],
            Self::FiscalYear => vec![m.fiscal_year.into(), m.id.clone().into()],
        }
    }
}

/// A keyset position decoded from a cursor: the sort value (absent for `Created`) and the id.
#[derive(Debug, Clone)]
pub struct After {
    /// The sort column's value of the last row seen.
    pub value: Option<i64>,
    /// Its id.
    pub id: String,
}

/// One page in the given order (ties broken by id, so it is total) after `after`.
pub async fn page(
    db: &impl ConnectionTrait,
    filter: &ContributionFilter,
    v: &DraftVisibility,
    sort: SortField,
    descending: bool,
    after: Option<After>,
    limit: u64,
) -> crate::error::AppResult<Vec<Model>> {
    let mut q = Entity::find().filter(condition(filter, v));
    let col = sort.column();
    if let Some(after) = after {
        let cmp = |c: Column, val: sea_orm::Value| if descending { c.lt(val) } else { c.gt(val) };
        q = q.filter(match (sort, after.value) {
            (SortField::Created, _) | (_, None) => {
                Condition::all().add(cmp(Column::Id, after.id.into()))
            }
            (_, Some(value)) => Condition::any().add(cmp(col, value.into())).add(
                Condition::all()
                    .add(col.eq(value))
                    .add(cmp(Column::Id, after.id.into())),
            ),
        });
    }
    let order = if descending {
        sea_orm::Order::Desc
    } else {
        sea_orm::Order::Asc
    };
    if sort != SortField::Created {
        q = q.order_by(col, order.clone());
    }
    Ok(q.order_by(Column::Id, order).limit(limit).all(db).await?)
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

/// Sums over the contributions a filter selects (the draft rule applies, as everywhere).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// How many.
    pub count: i64,
    /// Sum planned.
    pub planned: i64,
    /// Sum committed.
    pub committed: i64,
    /// Sum realised.
    pub realised: i64,
}

/// COUNT and the three SUMs (null over no rows).
type SumsRow = (i64, Option<i64>, Option<i64>, Option<i64>);

/// Computes the totals in the database, in one statement. Cancelled contributions are left out of
/// the sums unless the filter asks for them by status.
pub async fn totals(
    db: &impl ConnectionTrait,
    filter: &ContributionFilter,
    v: &DraftVisibility,
) -> crate::error::AppResult<Totals> {
    let mut cond = condition(filter, v);
    if filter.statuses.is_empty() {
        cond = cond.add(Column::Status.ne(ContributionStatus::Cancelled));
    }
    let row: Option<SumsRow> = Entity::find()
        .select_only()
        .expr_as(Expr::col(Asterisk).count(), "n")
        // PostgreSQL sums BIGINT as NUMERIC: cast back.
        .expr_as(
            Expr::col(Column::AmountPlanned).sum().cast_as("BIGINT"),
            "planned",
        )
        .expr_as(
            Expr::col(Column::AmountCommitted).sum().cast_as("BIGINT"),
            "committed",
        )
        .expr_as(
            Expr::col(Column::AmountRealised).sum().cast_as("BIGINT"),
            "realised",
        )
        .filter(cond)
        .into_tuple()
        .one(db)
        .await?;
    let (count, planned, committed, realised) = row.unwrap_or_default();
    Ok(Totals {
        count,
        planned: planned.unwrap_or(0),
        committed: committed.unwrap_or(0),
        realised: realised.unwrap_or(0),
    })
}
