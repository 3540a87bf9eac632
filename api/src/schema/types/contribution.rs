use crate::error::GqlResult;
use crate::loaders::{OrganizationById, ProgramById, RegionByCode, load_one};
use crate::schema::enums::{ContributionKind, ContributionStatus, FundingSource, TargetGroup};
use crate::schema::scalars::{DateTime, Rupiah};
use crate::schema::types::{organization::Organization, program::Program, region::Region};
use async_graphql::{Context, ID, InputObject, Object};

/// One organization's resources for one region (normally a village) in one fiscal year, optionally
/// under a program.
pub struct Contribution(pub entity::contribution::Model);

#[Object]
impl Contribution {
    /// Stable id.
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }

    /// Version for optimistic concurrency: send it back with an update.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The organization that contributes.
    async fn contributor(&self, ctx: &Context<'_>) -> GqlResult<Option<Organization>> {
        Ok(
            load_one(ctx, OrganizationById(self.0.contributor_id.clone()))
                .await?
                .map(Organization),
        )
    }

    /// Where the resources come from.
    async fn source(&self) -> FundingSource {
        self.0.source.into()
    }

    /// Cash, in kind, expertise or volunteer labour.
    async fn kind(&self) -> ContributionKind {
        self.0.kind.into()
    }

    /// The region it goes to (normally a village).
    async fn region(&self, ctx: &Context<'_>) -> GqlResult<Option<Region>> {
        Ok(load_one(ctx, RegionByCode(self.0.region_code.clone()))
            .await?
            .map(Region))
    }

    /// The program it belongs to, if any.
    async fn program(&self, ctx: &Context<'_>) -> GqlResult<Option<Program>> {
        let Some(id) = &self.0.program_id else {
            return Ok(None);
        };
        Ok(load_one(ctx, ProgramById(id.clone())).await?.map(Program))
    }

    /// Fiscal year (tahun anggaran).
    async fn fiscal_year(&self) -> i32 {
        self.0.fiscal_year
    }

    /// Short title, e.g. "Bedah rumah 12 RTLH".
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Longer description.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// Who it is meant to reach.
    async fn target_group(&self) -> Option<TargetGroup> {
        self.0.target_group.map(Into::into)
    }

    /// Number of beneficiaries (households or people, as the contributor counts them).
    async fn beneficiaries(&self) -> Option<i32> {
        self.0.beneficiaries
    }

    /// Amount planned, whole Rupiah.
    async fn amount_planned(&self) -> Rupiah {
        Rupiah(self.0.amount_planned)
    }

    /// Amount committed, whole Rupiah.
    async fn amount_committed(&self) -> Rupiah {
        Rupiah(self.0.amount_committed)
    }

    /// Amount disbursed so far (sum of disbursement transactions), whole Rupiah.
    async fn amount_disbursed(&self) -> Rupiah {
        Rupiah(self.0.amount_disbursed)
    }

    /// Amount realised so far (sum of expenditure transactions), whole Rupiah.
    async fn amount_realised(&self) -> Rupiah {
        Rupiah(self.0.amount_realised)
    }

    /// Where it stands.
    async fn status(&self) -> ContributionStatus {
        self.0.status.into()
    }

    /// When it was recorded.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When it last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}

/// Narrows a list of contributions. Every condition given must hold.
#[derive(InputObject, Default, Debug, Clone)]
pub struct ContributionFilter {
    /// A region code, dotted or not: that region and everything inside it ("33.26" is all of Kabupaten
    /// Pekalongan).
    pub region: Option<String>,
    /// Exactly this fiscal year.
    pub fiscal_year: Option<i32>,
}
