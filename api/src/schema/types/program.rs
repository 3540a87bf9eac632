use crate::error::GqlResult;
use crate::loaders::{
    ContributionParent, MeetingById, OrganizationById, PhasesOfProgram, ProgramById, RegionByCode,
    StrategiesOfProgram, SynergiesAsA, SynergiesAsB, TargetGroupsOfProgram, TargetsOfProgram,
    VillagesOfProgram, load_linked, load_list, load_one,
};
use crate::pagination::{Conn, PageArgs, connection_from_list, page_complexity};
use crate::schema::enums::{Cluster, Strategy, SynergyRelation, SynergyStatus, TargetGroup};
use crate::schema::types::contribution::{Contribution, ContributionFilter};
use crate::schema::types::meeting::Meeting;
use crate::schema::types::organization::Organization;
use crate::schema::types::region::{Region, nested_contributions};
use async_graphql::{Context, ID, Object};

/// A named poverty-reduction intervention (Kawasan Mandiri Pangan, DASHAT, Bedah Rumah, ...) owned by
/// one organization.
pub struct Program(pub entity::program::Model);

#[Object]
impl Program {
    /// Stable id.
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }

    /// Version for optimistic concurrency: send it back with an update.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The owner's own program code, when it has one.
    async fn code(&self) -> Option<&str> {
        self.0.code.as_deref()
    }

    /// Name of the program.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// What it does, in a few sentences.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// Poverty-reduction cluster (Perpres 15/2010).
    async fn cluster(&self) -> Cluster {
        self.0.cluster.into()
    }

    /// Strategies it serves.
    async fn strategies(&self, ctx: &Context<'_>) -> GqlResult<Vec<Strategy>> {
        Ok(load_list(ctx, StrategiesOfProgram(self.0.id.clone()))
            .await?
            .into_iter()
            .map(|s| s.strategy.into())
            .collect())
    }

    /// Groups it targets.
    async fn target_groups(&self, ctx: &Context<'_>) -> GqlResult<Vec<TargetGroup>> {
        Ok(load_list(ctx, TargetGroupsOfProgram(self.0.id.clone()))
            .await?
            .into_iter()
            .map(|g| g.target_group.into())
            .collect())
    }

    /// First fiscal year.
    async fn start_year(&self) -> i32 {
        self.0.start_year
    }

    /// Last fiscal year.
    async fn end_year(&self) -> i32 {
        self.0.end_year
    }

    /// The organization that owns it.
    async fn owner(&self, ctx: &Context<'_>) -> GqlResult<Option<Organization>> {
        Ok(load_one(ctx, OrganizationById(self.0.owner_id.clone()))
            .await?
            .map(Organization))
    }

    /// Its phases by year (e.g. pengembangan, kemandirian, keberlanjutan).
    async fn phases(&self, ctx: &Context<'_>) -> GqlResult<Vec<ProgramPhase>> {
        Ok(load_list(ctx, PhasesOfProgram(self.0.id.clone()))
            .await?
            .into_iter()
            .map(ProgramPhase)
            .collect())
    }

    /// Its yearly targets and what was realised, by year.
    async fn targets(&self, ctx: &Context<'_>) -> GqlResult<Vec<ProgramTarget>> {
        Ok(load_list(ctx, TargetsOfProgram(self.0.id.clone()))
            .await?
            .into_iter()
            .map(ProgramTarget)
            .collect())
    }

    /// Villages it targets, in code order.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn villages(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size (default and maximum are set by the server).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Cursor of the last row of the previous page.")] after: Option<String>,
    ) -> GqlResult<Conn<Region>> {
        let args = PageArgs::from_ctx(ctx, first, after)?;
        let regions = load_linked(ctx, VillagesOfProgram(self.0.id.clone()), |l| {
            RegionByCode(l.village_code)
        })
        .await?;
        Ok(connection_from_list(
            &args,
            regions,
            |r| r.code.clone(),
            Region,
        )?)
    }

    /// Contributions made under it, in record order.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn contributions(
        &self,
        ctx: &Context<'_>,
        filter: Option<ContributionFilter>,
        #[graphql(desc = "Page size (default and maximum are set by the server).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Cursor of the last row of the previous page.")] after: Option<String>,
    ) -> GqlResult<Conn<Contribution>> {
        nested_contributions(
            ctx,
            ContributionParent::Program(self.0.id.clone()),
            filter,
            first,
            after,
        )
        .await
    }

    /// Synergies it is part of, on either side.
    async fn synergies(&self, ctx: &Context<'_>) -> GqlResult<Vec<ProgramSynergy>> {
        let mut all = load_list(ctx, SynergiesAsA(self.0.id.clone())).await?;
        all.extend(load_list(ctx, SynergiesAsB(self.0.id.clone())).await?);
        all.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(all.into_iter().map(ProgramSynergy).collect())
    }
}

/// A named phase of a program in one fiscal year.
pub struct ProgramPhase(pub entity::program_phase::Model);

#[Object]
impl ProgramPhase {
    /// Phase name, e.g. "Kemandirian".
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Fiscal year of the phase.
    async fn fiscal_year(&self) -> i32 {
        self.0.fiscal_year
    }
    /// What happens in it.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
}

/// A program's target for one fiscal year, and what was realised.
pub struct ProgramTarget(pub entity::program_target::Model);

#[Object]
impl ProgramTarget {
    /// Fiscal year.
    async fn fiscal_year(&self) -> i32 {
        self.0.fiscal_year
    }
    /// Unit counted, e.g. "kawasan" or "keluarga".
    async fn unit(&self) -> &str {
        &self.0.unit
    }
    /// Target in that unit.
    async fn target(&self) -> f64 {
        self.0.target
    }
    /// Realised so far; null until reported.
    async fn realised(&self) -> Option<f64> {
        self.0.realised
    }
    /// Realised as a share of the target, 0 to 1 (null when not reported or the target is zero).
    async fn realisation_rate(&self) -> Option<f64> {
        self.0
            .realised
            .filter(|_| self.0.target > 0.0)
            .map(|r| r / self.0.target)
    }
}

/// A mapping between two programs (a provincial and a regency SKPD program, or a government and a CSR
/// program).
pub struct ProgramSynergy(pub entity::program_synergy::Model);

#[Object]
impl ProgramSynergy {
    /// Stable id.
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// First program.
    async fn program_a(&self, ctx: &Context<'_>) -> GqlResult<Option<Program>> {
        Ok(load_one(ctx, ProgramById(self.0.program_a_id.clone()))
            .await?
            .map(Program))
    }
    /// Second program.
    async fn program_b(&self, ctx: &Context<'_>) -> GqlResult<Option<Program>> {
        Ok(load_one(ctx, ProgramById(self.0.program_b_id.clone()))
            .await?
            .map(Program))
    }
    /// How they relate.
    async fn relation(&self) -> SynergyRelation {
        self.0.relation.into()
    }
    /// Cluster the synergy works in.
    async fn cluster(&self) -> Cluster {
        self.0.cluster.into()
    }
    /// Proposed, agreed or dropped.
    async fn status(&self) -> SynergyStatus {
        self.0.status.into()
    }
    /// Notes.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// The meeting where it was agreed.
    async fn agreed_at(&self, ctx: &Context<'_>) -> GqlResult<Option<Meeting>> {
        let Some(id) = &self.0.meeting_id else {
            return Ok(None);
        };
        Ok(load_one(ctx, MeetingById(id.clone())).await?.map(Meeting))
    }
}
