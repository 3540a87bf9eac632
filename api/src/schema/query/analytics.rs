use crate::auth::SignedIn;
use crate::error::{AppError, GqlResult};
use crate::loaders::{
    ActionItemsOfMeeting, ContributionById, DecisionsOfMeeting, MeetingById, OrganizationById,
    ProgramById, RegionByCode, load_list, load_many, load_one,
};
use crate::pagination::{Conn, PageArgs, connection_from_list, page_complexity};
use crate::region_code::parse_code;
use crate::schema::enums::{Cluster, FundingSource, Helix};
use crate::schema::scalars::Rupiah;
use crate::schema::types::contribution::{Contribution, ContributionFilter, check_filter};
use crate::schema::types::meeting::Meeting;
use crate::schema::types::organization::Organization;
use crate::schema::types::program::Program;
use crate::schema::types::region::Region;
use crate::services::FISCAL_YEARS;
use crate::services::analytics::{self, Dim, Need};
use crate::services::contributions::DraftVisibility;
use async_graphql::{Context, Enum, Object, SimpleObject};
use sea_orm::DatabaseConnection;

#[derive(Default)]
pub struct AnalyticsQuery;

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
pub struct FundingKey(analytics::Bucket);

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
pub struct FundingBucket(analytics::Bucket);

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
pub struct CoverageGap(analytics::Gap);

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
pub struct Overlap(analytics::Overlap);

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
        .map(Contribution)
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

fn counts(c: &analytics::FollowUpCounts) -> ActionItemCounts {
    ActionItemCounts {
        open: c.open,
        in_progress: c.in_progress,
        done: c.done,
        dropped: c.dropped,
        overdue: c.overdue,
    }
}

/// One owner's action items.
pub struct OwnerFollowUp(analytics::FollowUpCounts);

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
pub struct MeetingFollowUp(analytics::FollowUpCounts);

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

fn check_year(field: &str, y: i32) -> GqlResult<i32> {
    if FISCAL_YEARS.contains(&y) {
        Ok(y)
    } else {
        Err(AppError::bad_input(field, crate::services::rules::FISCAL_YEAR_MESSAGE).into())
    }
}

#[Object]
impl AnalyticsQuery {
    /// Planned, committed and realised totals of the contributions the filter selects, grouped by the
    /// given dimensions (none: one grand total), computed by the database in one statement. Cancelled
    /// contributions are left out unless the filter asks for them by status; drafts count only for
    /// those who may see them.
    #[graphql(guard = "SignedIn")]
    async fn funding_summary(
        &self,
        ctx: &Context<'_>,
        filter: Option<ContributionFilter>,
        group_by: Vec<FundingDimension>,
        #[graphql(
            default = false,
            desc = "Only contributions (and, for per-household figures, village indicators) a coordinator has verified."
        )]
        verified_only: bool,
    ) -> GqlResult<Vec<FundingBucket>> {
        let mut filter = check_filter(filter)?;
        filter.verified_only = verified_only;
        let dims: Vec<Dim> = group_by.into_iter().map(Into::into).collect();
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let rows =
            analytics::funding_summary(db, &filter, ctx.data_unchecked::<DraftVisibility>(), &dims)
                .await?;
        Ok(rows.into_iter().map(FundingBucket).collect())
    }

    /// Priority villages of a region in a fiscal year (flagged desa merah / lokus, or above the given
    /// thresholds) against what is committed to them, least covered first; villages with nothing
    /// committed are included. Villages without indicators that year cannot be judged and are left out.
    #[graphql(
        guard = "SignedIn",
        complexity = "page_complexity(first, child_complexity)"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn coverage_gaps(
        &self,
        ctx: &Context<'_>,
        region: String,
        fiscal_year: i32,
        #[graphql(desc = "Also a priority: at least this many poor households.")]
        min_poor_households: Option<i32>,
        #[graphql(desc = "Also a priority: at least this stunting prevalence, percent.")]
        min_stunting_prevalence: Option<f64>,
        #[graphql(
            desc = "Count only what is committed under programs of this cluster (a village covered in another cluster is a gap here)."
        )]
        cluster: Option<crate::schema::enums::Cluster>,
        #[graphql(
            default = false,
            desc = "Only verified figures: villages whose indicators wait for verification are left out, and only verified contributions count."
        )]
        verified_only: bool,
        #[graphql(desc = "Page size.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last row of the previous page.")] after: Option<String>,
    ) -> GqlResult<Conn<CoverageGap>> {
        let region = parse_code("region", &region)?;
        let year = check_year("fiscalYear", fiscal_year)?;
        let args = PageArgs::from_ctx(ctx, first, after)?;
        let need = Need {
            min_poor_households,
            min_stunting_prevalence,
        };
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let gaps = analytics::coverage_gaps(
            db,
            &region,
            year,
            need,
            cluster.map(Into::into),
            ctx.data_unchecked::<DraftVisibility>(),
            verified_only,
        )
        .await?;
        let ranked: Vec<(usize, analytics::Gap)> = gaps.into_iter().enumerate().collect();
        Ok(connection_from_list(
            &args,
            ranked,
            |(i, _)| format!("{i:08}"),
            |(_, g)| CoverageGap(g),
        )?)
    }

    /// Villages of a region where two or more organizations fund the same cluster or the same program
    /// in one fiscal year, each marked with whether an agreed program synergy covers it.
    #[graphql(
        guard = "SignedIn",
        complexity = "page_complexity(first, child_complexity)"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn overlaps(
        &self,
        ctx: &Context<'_>,
        region: String,
        fiscal_year: i32,
        #[graphql(desc = "Only contributions under programs of this cluster.")] cluster: Option<
            crate::schema::enums::Cluster,
        >,
        #[graphql(
            default = false,
            desc = "Only contributions a coordinator has verified."
        )]
        verified_only: bool,
        #[graphql(desc = "Page size.")] first: Option<i32>,
        #[graphql(desc = "Cursor of the last row of the previous page.")] after: Option<String>,
    ) -> GqlResult<Conn<Overlap>> {
        let region = parse_code("region", &region)?;
        let year = check_year("fiscalYear", fiscal_year)?;
        let args = PageArgs::from_ctx(ctx, first, after)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let rows = analytics::overlaps(
            db,
            &region,
            year,
            cluster.map(Into::into),
            ctx.data_unchecked::<DraftVisibility>(),
            verified_only,
        )
        .await?;
        let ranked: Vec<(usize, analytics::Overlap)> = rows.into_iter().enumerate().collect();
        Ok(connection_from_list(
            &args,
            ranked,
            |(i, _)| format!("{i:08}"),
            |(_, o)| Overlap(o),
        )?)
    }

    /// Action items of meetings held in a region (everywhere when none is given), counted per owner,
    /// most overdue first.
    #[graphql(guard = "SignedIn")]
    async fn follow_up_by_owner(
        &self,
        ctx: &Context<'_>,
        region: Option<String>,
    ) -> GqlResult<Vec<OwnerFollowUp>> {
        let region = region
            .as_deref()
            .map(|r| parse_code("region", r))
            .transpose()?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        Ok(analytics::follow_up(db, region.as_ref(), false)
            .await?
            .into_iter()
            .map(OwnerFollowUp)
            .collect())
    }

    /// The same, per meeting: what each meeting decided and what became of it.
    #[graphql(guard = "SignedIn")]
    async fn follow_up_by_meeting(
        &self,
        ctx: &Context<'_>,
        region: Option<String>,
    ) -> GqlResult<Vec<MeetingFollowUp>> {
        let region = region
            .as_deref()
            .map(|r| parse_code("region", r))
            .transpose()?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        Ok(analytics::follow_up(db, region.as_ref(), true)
            .await?
            .into_iter()
            .map(MeetingFollowUp)
            .collect())
    }
}
