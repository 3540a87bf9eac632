//! Coordination analytics computed by the database: funding totals grouped by any dimensions, coverage
//! gaps, overlaps and follow-up. Every figure goes through the same contribution filter and draft rule
//! as the lists, so a caller's totals always add up to what it can list.

use crate::error::AppResult;
use crate::region_code::RegionCode;
use crate::services::contributions::{ContributionFilter, DraftVisibility, condition};
use entity::enums::{Cluster, ContributionStatus, FundingSource, Helix};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, QueryResult, Statement};
use std::str::FromStr;

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
    fn region_len(self) -> Option<usize> {
        match self {
            Dim::Province => Some(2),
            Dim::Regency => Some(5),
            Dim::District => Some(8),
            Dim::Village => Some(13),
            _ => None,
        }
    }

    fn sql(self) -> String {
        match self {
            Dim::Source => "\"source\"".into(),
            Dim::Helix => {
                "(SELECT o.helix FROM organizations o WHERE o.id = contributions.contributor_id)"
                    .into()
            }
            Dim::Cluster => {
                "(SELECT p.cluster FROM programs p WHERE p.id = contributions.program_id)".into()
            }
            Dim::Program => "\"program_id\"".into(),
            Dim::Organization => "\"contributor_id\"".into(),
            Dim::FiscalYear => "\"fiscal_year\"".into(),
            d => {
                let n = d.region_len().unwrap_or(13);
                format!(
                    "CASE WHEN LENGTH(\"region_code\") >= {n} THEN SUBSTR(\"region_code\", 1, {n}) END"
                )
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

fn col<T: FromStr>(r: &QueryResult, name: &str) -> Option<T> {
    r.try_get::<Option<String>>("", name)
        .ok()
        .flatten()
        .and_then(|s| s.parse().ok())
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
    use entity::contribution::{Column, Entity};
    let mut dims: Vec<Dim> = dims.to_vec();
    dims.sort();
    dims.dedup();
    let mut cond = condition(filter, vis);
    if filter.statuses.is_empty() {
        cond = cond.add(Column::Status.ne(ContributionStatus::Cancelled));
    }
    let mut inner = Query::select();
    inner.from(Entity);
    for d in &dims {
        inner.expr_as(
            Expr::cust(d.sql()),
            Alias::new(format!("k_{d:?}").to_lowercase()),
        );
    }
    inner
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .expr_as(
            Expr::cust("CAST(COALESCE(SUM(amount_planned), 0) AS BIGINT)"),
            Alias::new("planned"),
        )
        .expr_as(
            Expr::cust("CAST(COALESCE(SUM(amount_committed), 0) AS BIGINT)"),
            Alias::new("committed"),
        )
        .expr_as(
            Expr::cust("CAST(COALESCE(SUM(amount_realised), 0) AS BIGINT)"),
            Alias::new("realised"),
        )
        .cond_where(cond);
    for (i, _) in dims.iter().enumerate() {
        inner.add_group_by([Expr::cust((i + 1).to_string())]);
    }
    let backend = db.get_database_backend();
    let built = backend.build(&inner);
    let region_dim = dims
        .iter()
        .filter(|d| d.region_len().is_some())
        .max_by_key(|d| d.region_len());
    let year_sql = if dims.contains(&Dim::FiscalYear) {
        Some("g.k_fiscalyear".to_string())
    } else {
        filter.fiscal_year.map(|y| y.to_string())
    };
    let sql = match (region_dim, year_sql) {
        (Some(rd), Some(year)) => {
            let n = rd.region_len().unwrap_or(13);
            let key = format!("g.k_{}", format!("{rd:?}").to_lowercase());
            format!(
                "SELECT g.*, ind.poor, ind.pop FROM ({}) g LEFT JOIN (SELECT SUBSTR(village_code, 1, {n}) AS rk, fiscal_year AS fy, \
                 CAST(SUM(poor_households) AS BIGINT) AS poor, CAST(SUM(population) AS BIGINT) AS pop FROM village_indicators \
                 GROUP BY SUBSTR(village_code, 1, {n}), fiscal_year) ind ON ind.rk = {key} AND ind.fy = {year}",
                built.sql
            )
        }
        _ => format!(
            "SELECT g.*, CAST(NULL AS BIGINT) AS poor, CAST(NULL AS BIGINT) AS pop FROM ({}) g",
            built.sql
        ),
    };
    let stmt =
        Statement::from_sql_and_values(backend, sql, built.values.map(|v| v.0).unwrap_or_default());
    let rows = db.query_all_raw(stmt).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let mut b = Bucket {
            count: r.try_get("", "n")?,
            planned: r.try_get("", "planned")?,
            committed: r.try_get("", "committed")?,
            realised: r.try_get("", "realised")?,
            poor_households: r.try_get::<Option<i64>>("", "poor")?,
            population: r.try_get::<Option<i64>>("", "pop")?,
            ..Default::default()
        };
        for d in &dims {
            let name = format!("k_{d:?}").to_lowercase();
            match d {
                Dim::Source => b.source = r.try_get::<Option<FundingSource>>("", &name)?,
                Dim::Helix => b.helix = col::<String>(r, &name).and_then(|s| helix(&s)),
                Dim::Cluster => b.cluster = col::<String>(r, &name).and_then(|s| cluster(&s)),
                Dim::Program => b.program_id = r.try_get("", &name)?,
                Dim::Organization => b.organization_id = r.try_get("", &name)?,
                Dim::FiscalYear => b.fiscal_year = r.try_get("", &name)?,
                _ => {
                    // The finest region level grouped by names the bucket's region.
                    if Some(d) == region_dim {
                        b.region_code = r.try_get("", &name)?;
                    }
                }
            }
        }
        out.push(b);
    }
    // Sorted here, not in SQL: the two databases place NULLs differently.
    out.sort_by_key(key);
    Ok(out)
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

fn helix(s: &str) -> Option<Helix> {
    use sea_orm::ActiveEnum;
    Helix::try_from_value(&s.to_string()).ok()
}

fn cluster(s: &str) -> Option<Cluster> {
    use sea_orm::ActiveEnum;
    Cluster::try_from_value(&s.to_string()).ok()
}

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
) -> AppResult<Vec<Gap>> {
    use entity::contribution as c;
    use entity::village_indicator as vi;
    let (lo, hi) = region.descendant_range();
    let mut sums = Query::select();
    sums.from(c::Entity)
        .expr_as(Expr::col(c::Column::RegionCode), Alias::new("vc"))
        .expr_as(
            Expr::cust("CAST(COALESCE(SUM(amount_committed), 0) AS BIGINT)"),
            Alias::new("committed"),
        )
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .cond_where(
            sea_orm::Condition::all()
                .add(crate::services::contributions::visibility_condition(vis))
                .add(c::Column::FiscalYear.eq(year))
                .add(c::Column::Status.ne(ContributionStatus::Cancelled))
                .add(c::Column::RegionCode.gte(lo.clone()))
                .add(c::Column::RegionCode.lt(hi.clone()))
                .add(in_cluster(cluster)),
        )
        .group_by_col(c::Column::RegionCode);
    let mut is_priority = sea_orm::Condition::any().add(vi::Column::Priority.eq(true));
    if let Some(p) = need.min_poor_households {
        is_priority = is_priority.add(vi::Column::PoorHouseholds.gte(p));
    }
    if let Some(s) = need.min_stunting_prevalence {
        is_priority = is_priority.add(vi::Column::StuntingPrevalence.gte(s));
    }
    let q = Query::select()
        .columns([
            vi::Column::VillageCode,
            vi::Column::PoorHouseholds,
            vi::Column::StuntingPrevalence,
            vi::Column::Priority,
        ])
        .expr_as(
            Expr::cust("COALESCE(s.committed, 0)"),
            Alias::new("committed"),
        )
        .expr_as(Expr::cust("COALESCE(s.n, 0)"), Alias::new("n"))
        .from(vi::Entity)
        .join_subquery(
            sea_orm::JoinType::LeftJoin,
            sums,
            Alias::new("s"),
            Expr::col((Alias::new("s"), Alias::new("vc")))
                .equals((vi::Entity, vi::Column::VillageCode)),
        )
        .and_where(vi::Column::FiscalYear.eq(year))
        .and_where(Expr::col((vi::Entity, vi::Column::VillageCode)).gte(lo))
        .and_where(Expr::col((vi::Entity, vi::Column::VillageCode)).lt(hi))
        .cond_where(is_priority)
        .to_owned();
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
    gaps.sort_by(|a, b| {
        let per = |g: &Gap| {
            g.committed as f64 / f64::from(std::cmp::max(g.poor_households.unwrap_or(0), 1))
        };
        (a.committed > 0)
            .cmp(&(b.committed > 0))
            .then(
                per(a)
                    .partial_cmp(&per(b))
                    .unwrap_or(std::cmp::Ordering::Equal),
            )
            .then(b.poor_households.cmp(&a.poor_households))
            .then(a.village_code.cmp(&b.village_code))
    });
    Ok(gaps)
}

/// Two or more organizations funding the same cluster, or the same program, in one village and year.
#[derive(Debug, Clone, PartialEq)]
pub struct Overlap {
    /// Village code.
    pub village_code: String,
    /// The shared cluster (when the overlap is by cluster).
    pub cluster: Option<Cluster>,
    /// The shared program (when the overlap is by program).
    pub program_id: Option<String>,
    /// The contributions involved.
    pub contribution_ids: Vec<String>,
    /// The organizations involved, sorted.
    pub organization_ids: Vec<String>,
    /// Sum committed by them.
    pub committed: i64,
    /// Whether an agreed synergy links two of the programs involved (always true for one program).
    pub covered_by_synergy: bool,
}

/// Overlaps in `region` in `year`: detected by GROUP BY ... HAVING COUNT(DISTINCT contributor) >= 2 in
/// the database, then detailed for the villages found.
pub async fn overlaps(
    db: &impl ConnectionTrait,
    region: &RegionCode,
    year: i32,
    only: Option<Cluster>,
    vis: &DraftVisibility,
) -> AppResult<Vec<Overlap>> {
    use entity::contribution::{Column, Entity, Model};
    use sea_orm::{EntityTrait, QueryFilter, QuerySelect};
    let (lo, hi) = region.descendant_range();
    let base = sea_orm::Condition::all()
        .add(crate::services::contributions::visibility_condition(vis))
        .add(Column::FiscalYear.eq(year))
        .add(Column::Status.ne(ContributionStatus::Cancelled))
        .add(Column::ProgramId.is_not_null())
        .add(Column::RegionCode.gte(lo))
        .add(Column::RegionCode.lt(hi))
        .add(in_cluster(only));
    let cluster_sql = Dim::Cluster.sql();
    let by_cluster: Vec<(String, String)> = Entity::find()
        .select_only()
        .column(Column::RegionCode)
        .expr_as(Expr::cust(cluster_sql.clone()), "cluster")
        .filter(base.clone())
        .group_by(Column::RegionCode)
        .group_by(Expr::cust(cluster_sql))
        .having(Expr::cust("COUNT(DISTINCT contributor_id)").gte(2))
        .into_tuple()
        .all(db)
        .await?;
    let by_program: Vec<(String, String)> = Entity::find()
        .select_only()
        .column(Column::RegionCode)
        .column(Column::ProgramId)
        .filter(base.clone())
        .group_by(Column::RegionCode)
        .group_by(Column::ProgramId)
        .having(Expr::cust("COUNT(DISTINCT contributor_id)").gte(2))
        .into_tuple()
        .all(db)
        .await?;
    if by_cluster.is_empty() && by_program.is_empty() {
        return Ok(Vec::new());
    }
    let villages: std::collections::BTreeSet<String> = by_cluster
        .iter()
        .map(|(v, _)| v.clone())
        .chain(by_program.iter().map(|(v, _)| v.clone()))
        .collect();
    let rows: Vec<Model> = Entity::find()
        .filter(base)
        .filter(Column::RegionCode.is_in(villages))
        .all(db)
        .await?;
    let program_ids: std::collections::BTreeSet<String> =
        rows.iter().filter_map(|r| r.program_id.clone()).collect();
    let clusters: std::collections::HashMap<String, Cluster> = entity::program::Entity::find()
        .filter(entity::program::Column::Id.is_in(program_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.cluster))
        .collect();
    let agreed: Vec<(String, String)> = entity::program_synergy::Entity::find()
        .select_only()
        .column(entity::program_synergy::Column::ProgramAId)
        .column(entity::program_synergy::Column::ProgramBId)
        .filter(entity::program_synergy::Column::Status.eq(entity::enums::SynergyStatus::Agreed))
        .filter(entity::program_synergy::Column::ProgramAId.is_in(program_ids.clone()))
        .filter(entity::program_synergy::Column::ProgramBId.is_in(program_ids))
        .into_tuple()
        .all(db)
        .await?;
    let build = |village: &str, cluster: Option<Cluster>, program: Option<&str>| {
        let members: Vec<&Model> = rows
            .iter()
            .filter(|r| r.region_code == village)
            .filter(|r| match (cluster, program) {
                (Some(c), _) => r.program_id.as_ref().and_then(|p| clusters.get(p)) == Some(&c),
                (_, Some(p)) => r.program_id.as_deref() == Some(p),
                _ => false,
            })
            .collect();
        let mut orgs: Vec<String> = members.iter().map(|m| m.contributor_id.clone()).collect();
        orgs.sort();
        orgs.dedup();
        let programs: std::collections::BTreeSet<&str> = members
            .iter()
            .filter_map(|m| m.program_id.as_deref())
            .collect();
        let covered = programs.len() == 1
            || agreed.iter().any(|(a, b)| {
                a != b && programs.contains(a.as_str()) && programs.contains(b.as_str())
            });
        Overlap {
            village_code: village.to_string(),
            cluster,
            program_id: program.map(str::to_string),
            contribution_ids: members.iter().map(|m| m.id.clone()).collect(),
            organization_ids: orgs,
            committed: members.iter().map(|m| m.amount_committed).sum(),
            covered_by_synergy: covered,
        }
    };
    let mut out: Vec<Overlap> = Vec::new();
    for (v, c) in &by_cluster {
        out.push(build(v, cluster(c), None));
    }
    for (v, p) in &by_program {
        out.push(build(v, None, Some(p)));
    }
    out.sort_by(|a, b| {
        (&a.village_code, a.cluster.map(|c| c as u8), &a.program_id).cmp(&(
            &b.village_code,
            b.cluster.map(|c| c as u8),
            &b.program_id,
        ))
    });
    Ok(out)
}

/// Action items of one owner, counted by state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowUpCounts {
    /// Organization or meeting id.
    pub id: String,
    /// Open.
    pub open: i64,
    /// In progress.
    pub in_progress: i64,
    /// Done.
    pub done: i64,
    /// Dropped.
    pub dropped: i64,
    /// Open or in progress past their due date.
    pub overdue: i64,
}

/// Action items of meetings held in `region` (all when none), counted per owner or per meeting in one
/// GROUP BY each.
pub async fn follow_up(
    db: &impl ConnectionTrait,
    region: Option<&RegionCode>,
    by_meeting: bool,
) -> AppResult<Vec<FollowUpCounts>> {
    use entity::action_item::{Column, Entity};
    use sea_orm::{EntityTrait, QueryFilter, QuerySelect};
    let today = crate::services::meetings::today()
        .format("%Y-%m-%d")
        .to_string();
    let key = if by_meeting {
        Column::MeetingId
    } else {
        Column::OwnerId
    };
    let filter = crate::services::meetings::ActionItemFilter {
        region: region.cloned(),
        ..Default::default()
    };
    let count = |status: &str| format!("SUM(CASE WHEN status = '{status}' THEN 1 ELSE 0 END)");
    let rows: Vec<(String, i64, i64, i64, i64, i64)> = Entity::find()
        .select_only()
        .column_as(key, "k")
        .expr_as(Expr::cust(format!("CAST({} AS BIGINT)", count("OPEN"))), "open")
        .expr_as(Expr::cust(format!("CAST({} AS BIGINT)", count("IN_PROGRESS"))), "in_progress")
        .expr_as(Expr::cust(format!("CAST({} AS BIGINT)", count("DONE"))), "done")
        .expr_as(Expr::cust(format!("CAST({} AS BIGINT)", count("DROPPED"))), "dropped")
        .expr_as(
            Expr::cust(format!(
                "CAST(SUM(CASE WHEN status IN ('OPEN', 'IN_PROGRESS') AND due_on < '{today}' THEN 1 ELSE 0 END) AS BIGINT)"
            )),
            "overdue",
        )
        .filter(crate::services::meetings::action_item_condition(&filter, crate::services::meetings::today()))
        .group_by(key)
        .into_tuple()
        .all(db)
        .await?;
    let mut out: Vec<FollowUpCounts> = rows
        .into_iter()
        .map(
            |(id, open, in_progress, done, dropped, overdue)| FollowUpCounts {
                id,
                open,
                in_progress,
                done,
                dropped,
                overdue,
            },
        )
        .collect();
    out.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then((b.open + b.in_progress).cmp(&(a.open + a.in_progress)))
            .then(a.id.cmp(&b.id))
    });
    Ok(out)
}

/// Contributions under a program of `cluster` (none: no restriction), as a condition on
/// `contributions`.
fn in_cluster(cluster: Option<Cluster>) -> sea_orm::Condition {
    use entity::program as p;
    match cluster {
        None => sea_orm::Condition::all(),
        Some(k) => sea_orm::Condition::all().add(
            entity::contribution::Column::ProgramId.in_subquery(
                Query::select()
                    .column(p::Column::Id)
                    .from(p::Entity)
                    .and_where(p::Column::Cluster.eq(k))
                    .to_owned(),
            ),
        ),
    }
}
