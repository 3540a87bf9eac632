//! `overlaps`: villages where two or more organizations fund the same cluster, or the same program, in
//! one year.

use super::{in_cluster, parse_enum, program_cluster};
use crate::error::AppResult;
use crate::region_code::RegionCode;
use crate::services::contributions::{DraftVisibility, visibility_condition};
use entity::contribution::{Column, Entity, Model};
use entity::enums::{Cluster, ContributionStatus, SynergyStatus, Verification};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{BTreeSet, HashMap};

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

/// What the overlaps found are made of: the contributions of the villages involved, their programs'
/// clusters, and the agreed synergies among those programs.
struct Details {
    rows: Vec<Model>,
    clusters: HashMap<String, Cluster>,
    agreed: Vec<(String, String)>,
}

/// Overlaps in `region` in `year`: detected by GROUP BY ... HAVING COUNT(DISTINCT contributor) >= 2 in
/// the database, then detailed for the villages found.
pub async fn overlaps(
    db: &impl ConnectionTrait,
    region: &RegionCode,
    year: i32,
    only: Option<Cluster>,
    vis: &DraftVisibility,
    verified_only: bool,
) -> AppResult<Vec<Overlap>> {
    let (lo, hi) = region.descendant_range();
    let mut base = Condition::all();
    if verified_only {
        base = base.add(Column::Verification.eq(Verification::Verified));
    }
    let base = base
        .add(visibility_condition(vis))
        .add(Column::FiscalYear.eq(year))
        .add(Column::Status.ne(ContributionStatus::Cancelled))
        .add(Column::ProgramId.is_not_null())
        .add(Column::RegionCode.gte(lo))
        .add(Column::RegionCode.lt(hi))
        .add(in_cluster(only));
    let by_cluster = shared(db, &base, program_cluster()).await?;
    let by_program = shared(db, &base, Expr::col(Column::ProgramId)).await?;
    if by_cluster.is_empty() && by_program.is_empty() {
        return Ok(Vec::new());
    }
    let villages: BTreeSet<String> = by_cluster
        .iter()
        .chain(&by_program)
        .map(|(v, _)| v.clone())
        .collect();
    let details = details(db, base, villages).await?;
    let mut out: Vec<Overlap> = Vec::new();
    for (v, c) in by_cluster {
        out.push(details.overlap(&v, parse_enum(Some(c)), None));
    }
    for (v, p) in &by_program {
        out.push(details.overlap(v, None, Some(p)));
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

/// (village, key) pairs where contributions matching `base` share `key` and come from two or more
/// organizations.
async fn shared(
    db: &impl ConnectionTrait,
    base: &Condition,
    key: Expr,
) -> AppResult<Vec<(String, String)>> {
    Ok(Entity::find()
        .select_only()
        .column(Column::RegionCode)
        .expr_as(key.clone(), "k")
        .filter(base.clone())
        .group_by(Column::RegionCode)
        .group_by(key)
        .having(Expr::col(Column::ContributorId).count_distinct().gte(2))
        .into_tuple()
        .all(db)
        .await?)
}

async fn details(
    db: &impl ConnectionTrait,
    base: Condition,
    villages: BTreeSet<String>,
) -> AppResult<Details> {
    use entity::program_synergy as s;
    let rows: Vec<Model> = Entity::find()
        .filter(base)
        .filter(Column::RegionCode.is_in(villages))
        .all(db)
        .await?;
    let program_ids: BTreeSet<String> = rows.iter().filter_map(|r| r.program_id.clone()).collect();
    let clusters = entity::program::Entity::find()
        .filter(entity::program::Column::Id.is_in(program_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.cluster))
        .collect();
    let agreed = s::Entity::find()
        .select_only()
        .column(s::Column::ProgramAId)
        .column(s::Column::ProgramBId)
        .filter(s::Column::Status.eq(SynergyStatus::Agreed))
        .filter(s::Column::ProgramAId.is_in(program_ids.clone()))
        .filter(s::Column::ProgramBId.is_in(program_ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(Details {
        rows,
        clusters,
        agreed,
    })
}

impl Details {
    /// The overlap in `village` on `cluster` or on `program`.
    fn overlap(&self, village: &str, cluster: Option<Cluster>, program: Option<&str>) -> Overlap {
        let members: Vec<&Model> = self
            .rows
            .iter()
            .filter(|r| r.region_code == village)
            .filter(|r| match (cluster, program) {
                (Some(c), _) => {
                    r.program_id.as_ref().and_then(|p| self.clusters.get(p)) == Some(&c)
                }
                (_, Some(p)) => r.program_id.as_deref() == Some(p),
                _ => false,
            })
            .collect();
        let mut orgs: Vec<String> = members.iter().map(|m| m.contributor_id.clone()).collect();
        orgs.sort();
        orgs.dedup();
        let programs: BTreeSet<&str> = members
            .iter()
            .filter_map(|m| m.program_id.as_deref())
            .collect();
        let covered = programs.len() == 1
            || self.agreed.iter().any(|(a, b)| {
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
    }
}
