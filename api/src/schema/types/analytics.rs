//! The answers of the analytics fields: funding buckets, coverage gaps, overlaps and follow-up
//! counts.
use crate::error::GqlResult;
use crate::loaders::{
    ActionItemsOfMeeting, ContributionById, DecisionsOfMeeting, MeetingById, OrganizationById,
    ProgramById, RegionByCode, load_list, load_many, load_one,
};
use crate::schema::enums::{Cluster, FundingSource, Helix};
use crate::schema::scalars::Rupiah;
use crate::schema::types::contribution::Contribution;
use crate::schema::types::meeting::Meeting;
use crate::schema::types::organization::Organization;
use crate::schema::types::program::Program;
use crate::schema::types::region::Region;
use crate::services::analytics::{self, Dim};
use async_graphql::{Context, Enum, Object, SimpleObject};

/// A dimension to group funding totals by.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum FundingDimension {
    /// Funding source.
    Source,
    /// Contributor's helix.
    Helix,
    /// Program cluster (contributions without a program form the group with no cluster).
    Cluster,
    /// Program.
    Program,
    /// Contributing organization.
    Organization,
    /// Province.
    Province,
    /// Regency or city.
    Regency,
    /// District.
    District,
    /// Village.
    Village,
    /// Fiscal year.
    FiscalYear,
}

impl From<FundingDimension> for Dim {
    fn from(d: FundingDimension) -> Self {
        match d {
            FundingDimension::Source => Dim::Source,
            FundingDimension::Helix => Dim::Helix,
            FundingDimension::Cluster => Dim::Cluster,
            FundingDimension::Program => Dim::Program,
            FundingDimension::Organization => Dim::Organization,
            FundingDimension::Province => Dim::Province,
            FundingDimension::Regency => Dim::Regency,
            FundingDimension::District => Dim::District,
            FundingDimension::Village => Dim::Village,
            FundingDimension::FiscalYear => Dim::FiscalYear,
        }
    }
}

/// The grouped dimensions of a bucket; null where not grouped (or, for cluster and program, where the
/// contributions have no program).
pub struct FundingKey(pub analytics::Bucket);

#[Object]
impl FundingKey {
    /// Funding source.
    async fn source(&self) -> Option<FundingSource> {
        self.0.source.map(Into::into)
    }
    /// Helix.
    async fn helix(&self) -> Option<Helix> {
        self.0.helix.map(Into::into)
    }
    /// Cluster.
    async fn cluster(&self) -> Option<Cluster> {
        self.0.cluster.map(Into::into)
    }
    /// Program.
    async fn program(&self, ctx: &Context<'_>) -> GqlResult<Option<Program>> {
        let Some(id) = &self.0.program_id else {
            return Ok(None);
        };
        Ok(load_one(ctx, ProgramById(id.clone())).await?.map(Program))
    }
    /// Organization.
    async fn organization(&self, ctx: &Context<'_>) -> GqlResult<Option<Organization>> {
        let Some(id) = &self.0.organization_id else {
            return Ok(None);
        };
        Ok(load_one(ctx, OrganizationById(id.clone()))
            .await?
            .map(Organization))
    }
    /// Region at the finest region level grouped by.
    async fn region(&self, ctx: &Context<'_>) -> GqlResult<Option<Region>> {
        let Some(code) = &self.0.region_code else {
            return Ok(None);
        };
        Ok(load_one(ctx, RegionByCode(code.clone())).await?.map(Region))
    }
    /// Fiscal year.
    async fn fiscal_year(&self) -> Option<i32> {
        self.0.fiscal_year
    }
}

/// Totals of one group of contributions.
pub struct FundingBucket(pub analytics::Bucket);

#[Object]
impl FundingBucket {
    /// What the group is.
    async fn key(&self) -> FundingKey {
        FundingKey(self.0.clone())
    }
    /// Contributions in it.
    async fn count(&self) -> i64 {
        self.0.count
    }
    /// Sum planned.
    async fn planned(&self) -> Rupiah {
        Rupiah(self.0.planned)
    }
    /// Sum committed.
    async fn committed(&self) -> Rupiah {
        Rupiah(self.0.committed)
    }
    /// Sum realised.
    async fn realised(&self) -> Rupiah {
        Rupiah(self.0.realised)
    }
    /// Committed per poor household of the group's region and year (needs a region dimension, one
    /// year, and indicators; whole Rupiah, rounded down).
    async fn per_poor_household(&self) -> Option<Rupiah> {
        self.0
            .poor_households
            .filter(|p| *p > 0)
            .map(|p| Rupiah(self.0.committed / p))
    }
    /// Committed per inhabitant, on the same terms.
    async fn per_capita(&self) -> Option<Rupiah> {
        self.0
            .population
            .filter(|p| *p > 0)
            .map(|p| Rupiah(self.0.committed / p))
    }
    /// Poor households behind `perPoorHousehold`.
    async fn poor_households(&self) -> Option<i64> {
        self.0.poor_households
    }
}

/// A priority village and what is committed to it.
pub struct CoverageGap(pub analytics::Gap);

#[Object]
impl CoverageGap {
    /// The village.
    async fn village(&self, ctx: &Context<'_>) -> GqlResult<Option<Region>> {
        Ok(load_one(ctx, RegionByCode(self.0.village_code.clone()))
            .await?
            .map(Region))
    }
    /// Poor households that year.
    async fn poor_households(&self) -> Option<i32> {
        self.0.poor_households
    }
    /// Stunting prevalence that year, percent.
    async fn stunting_prevalence(&self) -> Option<f64> {
        self.0.stunting_prevalence
    }
    /// Flagged desa merah / lokus that year.
    async fn priority(&self) -> bool {
        self.0.priority
    }
    /// Committed to it that year (not cancelled).
    async fn committed(&self) -> Rupiah {
        Rupiah(self.0.committed)
    }
    /// Contributions to it that year.
    async fn contributions(&self) -> i64 {
        self.0.contributions
    }
    /// Committed per poor household.
    async fn committed_per_poor_household(&self) -> Option<Rupiah> {
        self.0
            .poor_households
            .filter(|p| *p > 0)
            .map(|p| Rupiah(self.0.committed / i64::from(p)))
    }
}

/// Several organizations funding the same cluster or program in one village and year.
pub struct Overlap(pub analytics::Overlap);

#[Object]
impl Overlap {
    /// The village.
    async fn village(&self, ctx: &Context<'_>) -> GqlResult<Option<Region>> {
        Ok(load_one(ctx, RegionByCode(self.0.village_code.clone()))
            .await?
            .map(Region))
    }
    /// The shared cluster, when the overlap is by cluster.
    async fn cluster(&self) -> Option<Cluster> {
        self.0.cluster.map(Into::into)
    }
    /// The shared program, when the overlap is by program.
    async fn program(&self, ctx: &Context<'_>) -> GqlResult<Option<Program>> {
        let Some(id) = &self.0.program_id else {
            return Ok(None);
        };
        Ok(load_one(ctx, ProgramById(id.clone())).await?.map(Program))
    }
    /// The organizations involved.
    async fn organizations(&self, ctx: &Context<'_>) -> GqlResult<Vec<Organization>> {
        Ok(load_many(
            ctx,
            self.0
                .organization_ids
                .iter()
                .cloned()
                .map(OrganizationById)
                .collect(),
        )
        .await?
        .into_iter()
        .map(Organization)
        .collect())
    }
    /// The contributions involved.
    async fn contributions(&self, ctx: &Context<'_>) -> GqlResult<Vec<Contribution>> {
        Ok(load_many(
            ctx,
            self.0
                .contribution_ids
                .iter()
                .cloned()
                .map(ContributionById)
                .collect(),
        )
        .await?
        .into_iter()
        .map(Contribution::from)
        .collect())
    }
    /// Sum committed by them.
    async fn committed(&self) -> Rupiah {
        Rupiah(self.0.committed)
    }
    /// Whether an agreed program synergy covers it.
    async fn covered_by_synergy(&self) -> bool {
        self.0.covered_by_synergy
    }
}

/// Action items counted by state.
#[derive(SimpleObject)]
pub struct ActionItemCounts {
    /// Open.
    open: i64,
    /// In progress.
    in_progress: i64,
    /// Done.
    done: i64,
    /// Dropped.
    dropped: i64,
    /// Open or in progress past their due date.
    overdue: i64,
}

pub(crate) fn counts(c: &analytics::FollowUpCounts) -> ActionItemCounts {
    ActionItemCounts {
        open: c.open,
        in_progress: c.in_progress,
        done: c.done,
        dropped: c.dropped,
        overdue: c.overdue,
    }
}

/// One owner's action items.
pub struct OwnerFollowUp(pub analytics::FollowUpCounts);

#[Object]
impl OwnerFollowUp {
    /// The owner.
    async fn owner(&self, ctx: &Context<'_>) -> GqlResult<Option<Organization>> {
        Ok(load_one(ctx, OrganizationById(self.0.id.clone()))
            .await?
            .map(Organization))
    }
    /// Its action items by state.
    async fn action_items(&self) -> ActionItemCounts {
        counts(&self.0)
    }
}

/// One meeting's follow-up.
pub struct MeetingFollowUp(pub analytics::FollowUpCounts);

#[Object]
impl MeetingFollowUp {
    /// The meeting.
    async fn meeting(&self, ctx: &Context<'_>) -> GqlResult<Option<Meeting>> {
        Ok(load_one(ctx, MeetingById(self.0.id.clone()))
            .await?
            .map(Meeting))
    }
    /// Its action items by state.
    async fn action_items(&self) -> ActionItemCounts {
        counts(&self.0)
    }
    /// How many decisions it took.
    async fn decisions(&self, ctx: &Context<'_>) -> GqlResult<i64> {
        Ok(load_list(ctx, DecisionsOfMeeting(self.0.id.clone()))
            .await?
            .len() as i64)
    }
    /// How many of its decisions are done: they have action items and every one is done or dropped.
    async fn decisions_done(&self, ctx: &Context<'_>) -> GqlResult<i64> {
        let items = load_list(ctx, ActionItemsOfMeeting(self.0.id.clone())).await?;
        let mut by_decision: std::collections::HashMap<&str, bool> =
            std::collections::HashMap::new();
        for i in &items {
            let finished = matches!(
                i.status,
                entity::enums::ActionItemStatus::Done | entity::enums::ActionItemStatus::Dropped
            );
            let e = by_decision.entry(i.decision_id.as_str()).or_insert(true);
            *e = *e && finished;
        }
        Ok(by_decision.values().filter(|done| **done).count() as i64)
    }
}
