//! `fundingSummary`: totals grouped by any dimensions, with the poor households and population of the
//! group's region when a region dimension and a single year allow it.

use super::{code_prefix, count_all, parse_enum, program_cluster, sum_or_null, total};
use crate::error::AppResult;
use crate::services::contributions::{ContributionFilter, DraftVisibility, condition};
use entity::enums::{Cluster, ContributionStatus, FundingSource, Helix, Verification};
use sea_orm::sea_query::{Asterisk, Expr, ExprTrait, Func, JoinType, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, QueryResult};

/// A dimension `fundingSummary` can group by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dim {
    /// Funding source.
    Source,
    /// Contributor's helix.
    Helix,
    /// Program's cluster (null without a program).
    Cluster,
    /// Program (null without one).
    Program,
    /// Contributor.
    Organization,
    /// Province of the region.
    Province,
    /// Regency of the region (null for province-level contributions).
    Regency,
    /// District of the region.
    District,
    /// Village.
    Village,
    /// Fiscal year.
    FiscalYear,
}

impl Dim {
    fn region_len(self) -> Option<i32> {
        match self {
            Dim::Province => Some(2),
            Dim::Regency => Some(5),
            Dim::District => Some(8),
            Dim::Village => Some(13),
            _ => None,
        }
    }

    /// The dimension's column in the grouped statement (and its GROUP BY key: grouping by the output
    /// name keeps PostgreSQL from comparing two copies of an expression with different parameters).
    fn alias(self) -> &'static str {
        match self {
            Dim::Source => "k_source",
            Dim::Helix => "k_helix",
            Dim::Cluster => "k_cluster",
            Dim::Program => "k_program",
            Dim::Organization => "k_organization",
            Dim::Province => "k_province",
            Dim::Regency => "k_regency",
            Dim::District => "k_district",
            Dim::Village => "k_village",
            Dim::FiscalYear => "k_fiscalyear",
        }
    }

    /// The value grouped by, for a row of `contributions`.
    fn expr(self) -> Expr {
        use entity::contribution::{Column, Entity};
        use entity::organization as o;
        match self {
            Dim::Source => Expr::col(Column::Source),
            Dim::Helix => Query::select()
                .column((o::Entity, o::Column::Helix))
                .from(o::Entity)
                .and_where(
                    Expr::col((o::Entity, o::Column::Id)).equals((Entity, Column::ContributorId)),
                )
                .take()
                .into(),
            Dim::Cluster => program_cluster(),
            Dim::Program => Expr::col(Column::ProgramId),
            Dim::Organization => Expr::col(Column::ContributorId),
            Dim::FiscalYear => Expr::col(Column::FiscalYear),
            d => {
                // A region shorter than the level has no ancestor there (a province-level
                // contribution has no regency).
                let n = d.region_len().unwrap_or(13);
                Expr::case(
                    Func::char_length(Expr::col(Column::RegionCode)).gte(n),
                    code_prefix(Column::RegionCode, n),
                )
                .into()
            }
        }
    }
}

/// One group of `fundingSummary`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bucket {
    /// Source, when grouped by it.
    pub source: Option<FundingSource>,
    /// Helix, when grouped by it.
    pub helix: Option<Helix>,
    /// Cluster, when grouped by it (and the contributions have a program).
    pub cluster: Option<Cluster>,
    /// Program id, when grouped by it.
    pub program_id: Option<String>,
    /// Organization id, when grouped by it.
    pub organization_id: Option<String>,
    /// Region code at the finest region level grouped by.
    pub region_code: Option<String>,
    /// Fiscal year, when grouped by it.
    pub fiscal_year: Option<i32>,
    /// Contributions in the group.
    pub count: i64,
    /// Sum planned.
    pub planned: i64,
    /// Sum committed.
    pub committed: i64,
    /// Sum realised.
    pub realised: i64,
    /// Poor households of the group's region in the group's year, where indicators exist.
    pub poor_households: Option<i64>,
    /// Population of the group's region in that year, where indicators exist.
    pub population: Option<i64>,
}

/// Totals planned, committed and realised grouped by `dims`, in one statement. Cancelled contributions
/// are left out unless the filter asks for them by status. Per-household and per-capita figures need a
/// region dimension and a single year (grouped by, or fixed by the filter).
pub async fn funding_summary(
    db: &impl ConnectionTrait,
    filter: &ContributionFilter,
    vis: &DraftVisibility,
    dims: &[Dim],
) -> AppResult<Vec<Bucket>> {
    let mut dims: Vec<Dim> = dims.to_vec();
    dims.sort();
    dims.dedup();
    let grouped = grouped(filter, vis, &dims);
    let region_dim = dims
        .iter()
        .copied()
        .filter(|d| d.region_len().is_some())
        .max_by_key(|d| d.region_len());
    let year = if dims.contains(&Dim::FiscalYear) {
        Some(Expr::col(("g", Dim::FiscalYear.alias())))
    } else {
        filter.fiscal_year.map(Expr::val)
    };
    let (rows, per_region) = match (region_dim, year) {
        (Some(rd), Some(year)) => {
            let stmt = with_indicators(grouped, rd, year, filter.verified_only);
            (db.query_all(&stmt).await?, true)
        }
        _ => (db.query_all(&grouped).await?, false),
    };
    let mut out = rows
        .iter()
        .map(|r| bucket(r, &dims, region_dim, per_region))
        .collect::<Result<Vec<_>, DbErr>>()?;
    // Sorted here, not in SQL: the two databases place NULLs differently.
    out.sort_by_key(key);
    Ok(out)
}

/// The visible, filtered contributions grouped by `dims`, with their count and totals.
fn grouped(filter: &ContributionFilter, vis: &DraftVisibility, dims: &[Dim]) -> SelectStatement {
    use entity::contribution::{Column, Entity};
    let mut cond = condition(filter, vis);
    if filter.statuses.is_empty() {
        cond = cond.add(Column::Status.ne(ContributionStatus::Cancelled));
    }
    let mut q = Query::select();
    q.from(Entity);
    for d in dims {
        q.expr_as(d.expr(), d.alias());
    }
    q.expr_as(count_all(), "n")
        .expr_as(total(Column::AmountPlanned), "planned")
        .expr_as(total(Column::AmountCommitted), "committed")
        .expr_as(total(Column::AmountRealised), "realised")
        .cond_where(cond)
        .add_group_by(dims.iter().map(|d| Expr::col(d.alias())));
    q
}

/// `grouped` (as `g`) beside the poor households and population of its region at the level of
/// `region_dim`, in the year `year` (verified indicators only, when `verified_only`).
fn with_indicators(
    grouped: SelectStatement,
    region_dim: Dim,
    year: Expr,
    verified_only: bool,
) -> SelectStatement {
    use entity::village_indicator::{Column, Entity};
    let n = region_dim.region_len().unwrap_or(13);
    let mut indicators = Query::select();
    if verified_only {
        indicators.and_where(Column::Verification.eq(Verification::Verified));
    }
    let indicators = indicators
        .expr_as(code_prefix(Column::VillageCode, n), "rk")
        .expr_as(Expr::col(Column::FiscalYear), "fy")
        .expr_as(sum_or_null(Column::PoorHouseholds), "poor")
        .expr_as(sum_or_null(Column::Population), "pop")
        .from(Entity)
        .add_group_by([Expr::col("rk"), Expr::col(Column::FiscalYear)])
        .take();
    Query::select()
        .column(("g", Asterisk))
        .column(("ind", "poor"))
        .column(("ind", "pop"))
        .from_subquery(grouped, "g")
        .join_subquery(
            JoinType::LeftJoin,
            indicators,
            "ind",
            Expr::col(("ind", "rk"))
                .equals(("g", region_dim.alias()))
                .and(Expr::col(("ind", "fy")).eq(year)),
        )
        .take()
}

fn bucket(
    r: &QueryResult,
    dims: &[Dim],
    region_dim: Option<Dim>,
    per_region: bool,
) -> Result<Bucket, DbErr> {
    let mut b = Bucket {
        count: r.try_get("", "n")?,
        planned: r.try_get("", "planned")?,
        committed: r.try_get("", "committed")?,
        realised: r.try_get("", "realised")?,
        ..Default::default()
    };
    if per_region {
        b.poor_households = r.try_get("", "poor")?;
        b.population = r.try_get("", "pop")?;
    }
    for d in dims {
        let name = d.alias();
        match d {
            Dim::Source => b.source = r.try_get("", name)?,
            Dim::Helix => b.helix = parse_enum(r.try_get("", name)?),
            Dim::Cluster => b.cluster = parse_enum(r.try_get("", name)?),
            Dim::Program => b.program_id = r.try_get("", name)?,
            Dim::Organization => b.organization_id = r.try_get("", name)?,
            Dim::FiscalYear => b.fiscal_year = r.try_get("", name)?,
            // The finest region level grouped by names the bucket's region.
            _ if Some(*d) == region_dim => b.region_code = r.try_get("", name)?,
            _ => {}
        }
    }
    Ok(b)
}

type SortKey = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i32>,
);

fn key(b: &Bucket) -> SortKey {
    let s = |v: Option<String>| v.or(Some("\u{10ffff}".into()));
    (
        s(b.source.map(|x| format!("{x:?}"))),
        s(b.helix.map(|x| format!("{x:?}"))),
        s(b.cluster.map(|x| format!("{x:?}"))),
        s(b.program_id.clone()),
        s(b.organization_id.clone()),
        s(b.region_code.clone()),
        b.fiscal_year,
    )
}
