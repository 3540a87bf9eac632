//! `coverageGaps`: priority villages and what is committed to them, least covered first.

use super::{count_all, in_cluster, total};
use crate::error::AppResult;
use crate::region_code::RegionCode;
use crate::services::contributions::{DraftVisibility, visibility_condition};
use entity::enums::{Cluster, ContributionStatus, Verification};
use sea_orm::sea_query::{Expr, ExprTrait, Func, JoinType, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait};
use std::cmp::Ordering;

/// A priority village and what is committed to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Gap {
    /// Village code.
    pub village_code: String,
    /// Poor households that year.
    pub poor_households: Option<i32>,
    /// Stunting prevalence that year.
    pub stunting_prevalence: Option<f64>,
    /// Flagged desa merah / lokus.
    pub priority: bool,
    /// Committed that year (visible, not cancelled), whole Rupiah.
    pub committed: i64,
    /// Contributions that year.
    pub contributions: i64,
}

/// Thresholds that make a village a priority for coverage gaps.
#[derive(Debug, Clone, Copy, Default)]
pub struct Need {
    /// At least this many poor households.
    pub min_poor_households: Option<i32>,
    /// At least this stunting prevalence, percent.
    pub min_stunting_prevalence: Option<f64>,
}

/// Villages in `region` that are priorities in `year` (flagged, or above a threshold) with what is
/// committed to them, least covered first: nothing committed, then the least per poor household, then
/// the most poor households. Villages without indicators that year cannot be judged and are left out.
pub async fn coverage_gaps(
    db: &impl ConnectionTrait,
    region: &RegionCode,
    year: i32,
    need: Need,
    cluster: Option<Cluster>,
    vis: &DraftVisibility,
    verified_only: bool,
) -> AppResult<Vec<Gap>> {
    use entity::village_indicator::{Column, Entity};
    let (lo, hi) = region.descendant_range();
    let mut is_priority = Condition::any().add(Column::Priority.eq(true));
    if let Some(p) = need.min_poor_households {
        is_priority = is_priority.add(Column::PoorHouseholds.gte(p));
    }
    if let Some(s) = need.min_stunting_prevalence {
        is_priority = is_priority.add(Column::StuntingPrevalence.gte(s));
    }
    let sums = committed_per_village(year, (&lo, &hi), cluster, vis, verified_only);
    let mut q = Query::select();
    if verified_only {
        // A village whose figures wait for verification cannot be judged on verified figures.
        q.and_where(Column::Verification.eq(Verification::Verified));
    }
    let q = q
        .columns([
            Column::VillageCode,
            Column::PoorHouseholds,
            Column::StuntingPrevalence,
            Column::Priority,
        ])
        .expr_as(
            Func::coalesce([Expr::col(("s", "committed")), Expr::val(0)]),
            "committed",
        )
        .expr_as(Func::coalesce([Expr::col(("s", "n")), Expr::val(0)]), "n")
        .from(Entity)
        .join_subquery(
            JoinType::LeftJoin,
            sums,
            "s",
            Expr::col(("s", "vc")).equals((Entity, Column::VillageCode)),
        )
        .and_where(Column::FiscalYear.eq(year))
        .and_where(Expr::col((Entity, Column::VillageCode)).gte(lo))
        .and_where(Expr::col((Entity, Column::VillageCode)).lt(hi))
        .cond_where(is_priority)
        .take();
    let rows = db.query_all(&q).await?;
    let mut gaps = Vec::with_capacity(rows.len());
    for r in &rows {
        gaps.push(Gap {
            village_code: r.try_get("", "village_code")?,
            poor_households: r.try_get("", "poor_households")?,
            stunting_prevalence: r.try_get("", "stunting_prevalence")?,
            priority: r.try_get("", "priority")?,
            committed: r.try_get::<i64>("", "committed")?,
            contributions: r.try_get::<i64>("", "n")?,
        });
    }
    gaps.sort_by(least_covered_first);
    Ok(gaps)
}

/// Committed sum (`committed`) and count (`n`) of the visible, not cancelled contributions of `year`
/// per village code (`vc`) in the code range `lo..hi`.
fn committed_per_village(
    year: i32,
    (lo, hi): (&str, &str),
    cluster: Option<Cluster>,
    vis: &DraftVisibility,
    verified_only: bool,
) -> SelectStatement {
    use entity::contribution::{Column, Entity};
    let mut q = Query::select();
    if verified_only {
        q.and_where(Column::Verification.eq(Verification::Verified));
    }
    q.from(Entity)
        .expr_as(Expr::col(Column::RegionCode), "vc")
        .expr_as(total(Column::AmountCommitted), "committed")
        .expr_as(count_all(), "n")
        .cond_where(
            Condition::all()
                .add(visibility_condition(vis))
                .add(Column::FiscalYear.eq(year))
                .add(Column::Status.ne(ContributionStatus::Cancelled))
                .add(Column::RegionCode.gte(lo))
                .add(Column::RegionCode.lt(hi))
                .add(in_cluster(cluster)),
        )
        .group_by_col(Column::RegionCode)
        .take()
}

fn least_covered_first(a: &Gap, b: &Gap) -> Ordering {
    let per =
        |g: &Gap| g.committed as f64 / f64::from(std::cmp::max(g.poor_households.unwrap_or(0), 1));
    (a.committed > 0)
        .cmp(&(b.committed > 0))
        .then(per(a).partial_cmp(&per(b)).unwrap_or(Ordering::Equal))
        .then(b.poor_households.cmp(&a.poor_households))
        .then(a.village_code.cmp(&b.village_code))
}
