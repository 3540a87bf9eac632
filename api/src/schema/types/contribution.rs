use crate::error::{AppError, AppResult, GqlResult};
use crate::loaders::joined::{Joined, JoinedRow};
use crate::loaders::{
    OrganizationById, ProgramById, RegionByCode, TransactionsOfContribution, load_list, load_one,
};
use crate::region_code::parse_code;
use crate::schema::enums::{
    Cluster, ContributionKind, ContributionStatus, FundingSource, Helix, TargetGroup,
    TransactionType,
};
use crate::schema::scalars::{Date, DateTime, Rupiah};
use crate::schema::types::{organization::Organization, program::Program, region::Region};
use crate::services::{FISCAL_YEARS, contributions as svc};
use crate::text::check_text;
use async_graphql::{Context, Enum, ID, InputObject, Object};

/// One organization's resources for one region (normally a village) in one fiscal year, optionally
/// under a program.
pub struct Contribution {
    row: entity::contribution::Model,
    /// Relations read with the row, when the query that loaded it selected them (boxed: three rows
    /// would make every node, joined or not, several times larger).
    joined: Box<Joined>,
}

impl From<entity::contribution::Model> for Contribution {
    fn from(row: entity::contribution::Model) -> Self {
        Self {
            row,
            joined: Box::default(),
        }
    }
}

impl From<JoinedRow> for Contribution {
    fn from((row, joined): JoinedRow) -> Self {
        Self {
            row,
            joined: Box::new(joined),
        }
    }
}

#[Object]
impl Contribution {
    /// Stable id.
    async fn id(&self) -> ID {
        ID(self.row.id.clone())
    }

    /// Version for optimistic concurrency: send it back with an update.
    async fn version(&self) -> i32 {
        self.row.version
    }

    /// The organization that contributes.
    async fn contributor(&self, ctx: &Context<'_>) -> GqlResult<Option<Organization>> {
        if let Some(o) = &self.joined.contributor {
            return Ok(Some(Organization(o.clone())));
        }
        Ok(
            load_one(ctx, OrganizationById(self.row.contributor_id.clone()))
                .await?
                .map(Organization),
        )
    }

    /// Where the resources come from.
    async fn source(&self) -> FundingSource {
        self.row.source.into()
    }

    /// Cash, in kind, expertise or volunteer labour.
    async fn kind(&self) -> ContributionKind {
        self.row.kind.into()
    }

    /// The region it goes to (normally a village).
    async fn region(&self, ctx: &Context<'_>) -> GqlResult<Option<Region>> {
        if let Some(r) = &self.joined.region {
            return Ok(Some(Region(r.clone())));
        }
        Ok(load_one(ctx, RegionByCode(self.row.region_code.clone()))
            .await?
            .map(Region))
    }

    /// The program it belongs to, if any.
    async fn program(&self, ctx: &Context<'_>) -> GqlResult<Option<Program>> {
        let Some(id) = &self.row.program_id else {
            return Ok(None);
        };
        if let Some(p) = &self.joined.program {
            return Ok(Some(Program(p.clone())));
        }
        Ok(load_one(ctx, ProgramById(id.clone())).await?.map(Program))
    }

    /// Fiscal year (tahun anggaran).
    async fn fiscal_year(&self) -> i32 {
        self.row.fiscal_year
    }

    /// Short title, e.g. "Bedah rumah 12 RTLH".
    async fn title(&self) -> &str {
        &self.row.title
    }

    /// Longer description.
    async fn description(&self) -> Option<&str> {
        self.row.description.as_deref()
    }

    /// Who it is meant to reach.
    async fn target_group(&self) -> Option<TargetGroup> {
        self.row.target_group.map(Into::into)
    }

    /// Number of beneficiaries (households or people, as the contributor counts them).
    async fn beneficiaries(&self) -> Option<i32> {
        self.row.beneficiaries
    }

    /// Amount planned, whole Rupiah.
    async fn amount_planned(&self) -> Rupiah {
        Rupiah(self.row.amount_planned)
    }

    /// Amount committed, whole Rupiah.
    async fn amount_committed(&self) -> Rupiah {
        Rupiah(self.row.amount_committed)
    }

    /// Amount disbursed so far (sum of disbursement transactions), whole Rupiah.
    async fn amount_disbursed(&self) -> Rupiah {
        Rupiah(self.row.amount_disbursed)
    }

    /// Amount realised so far (sum of expenditure transactions), whole Rupiah.
    async fn amount_realised(&self) -> Rupiah {
        Rupiah(self.row.amount_realised)
    }

    /// Where it stands.
    async fn status(&self) -> ContributionStatus {
        self.row.status.into()
    }

    /// Where it stands with the region's coordinators: SUBMITTED (waiting), VERIFIED or RETURNED.
    async fn verification(&self) -> crate::schema::enums::Verification {
        self.row.verification.into()
    }

    /// What to fix, when RETURNED.
    async fn verification_note(&self) -> Option<&str> {
        self.row.verification_note.as_deref()
    }

    /// Its commitment, disbursement and expenditure records, by date.
    async fn transactions(&self, ctx: &Context<'_>) -> GqlResult<Vec<ContributionTransaction>> {
        Ok(
            load_list(ctx, TransactionsOfContribution(self.row.id.clone()))
                .await?
                .into_iter()
                .map(ContributionTransaction)
                .collect(),
        )
    }

    /// When it was recorded.
    async fn created_at(&self) -> DateTime {
        DateTime(self.row.created_at)
    }

    /// When it last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.row.updated_at)
    }
}

/// A commitment, disbursement or expenditure recorded against a contribution.
pub struct ContributionTransaction(pub entity::contribution_transaction::Model);

#[Object]
impl ContributionTransaction {
    /// Stable id.
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    /// What kind of movement.
    async fn r#type(&self) -> TransactionType {
        self.0.r#type.into()
    }
    /// Amount, whole Rupiah.
    async fn amount(&self) -> Rupiah {
        Rupiah(self.0.amount)
    }
    /// When it happened.
    async fn date(&self) -> Date {
        Date(self.0.occurred_on)
    }
    /// Notes (document number, remarks).
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// SUBMITTED until its contribution is verified with it.
    async fn verification(&self) -> crate::schema::enums::Verification {
        self.0.verification.into()
    }
}

/// Narrows a list of contributions. Every condition given must hold; a list means "any of these".
#[derive(InputObject, Default, Debug, Clone)]
pub struct ContributionFilter {
    /// A region code, dotted or not: that region and everything inside it ("33.26" is all of Kabupaten
    /// Pekalongan).
    pub region: Option<String>,
    /// Exactly this fiscal year.
    pub fiscal_year: Option<i32>,
    /// From this fiscal year on (inclusive).
    pub fiscal_year_from: Option<i32>,
    /// Up to this fiscal year (inclusive).
    pub fiscal_year_to: Option<i32>,
    /// Any of these funding sources.
    pub sources: Option<Vec<FundingSource>>,
    /// Contributors of any of these helixes.
    pub helixes: Option<Vec<Helix>>,
    /// Under programs of any of these clusters.
    pub clusters: Option<Vec<Cluster>>,
    /// Any of these statuses.
    pub statuses: Option<Vec<ContributionStatus>>,
    /// Any of these kinds.
    pub kinds: Option<Vec<ContributionKind>>,
    /// By any of these organizations.
    pub contributor_ids: Option<Vec<ID>>,
    /// Under any of these programs.
    pub program_ids: Option<Vec<ID>>,
    /// For any of these target groups.
    pub target_groups: Option<Vec<TargetGroup>>,
    /// Only to villages flagged priority (desa merah / lokus) in the contribution's own fiscal year.
    pub priority_villages_only: Option<bool>,
    /// Text the title must contain (case-insensitive).
    pub text: Option<String>,
}

fn year(field: &str, y: Option<i32>) -> AppResult<Option<i32>> {
    match y {
        Some(y) if !FISCAL_YEARS.contains(&y) => Err(AppError::bad_input(
            field,
            crate::services::rules::FISCAL_YEAR_MESSAGE,
        )),
        y => Ok(y),
    }
}

fn list<T: Copy, U: From<T>>(v: Option<Vec<T>>) -> Vec<U> {
    v.unwrap_or_default().into_iter().map(U::from).collect()
}

fn ids(field: &str, v: Option<Vec<ID>>) -> AppResult<Vec<String>> {
    let v = v.unwrap_or_default();
    if v.len() > 500 {
        return Err(AppError::bad_input(field, "at most 500 ids"));
    }
    Ok(v.into_iter().map(|id| id.0).collect())
}

/// Checks a GraphQL filter and turns it into the service's filter, naming the offending field.
pub fn check_filter(f: Option<ContributionFilter>) -> AppResult<svc::ContributionFilter> {
    let f = f.unwrap_or_default();
    let from = year("filter.fiscalYearFrom", f.fiscal_year_from)?;
    let to = year("filter.fiscalYearTo", f.fiscal_year_to)?;
    if let (Some(a), Some(b)) = (from, to)
        && a > b
    {
        return Err(AppError::bad_input(
            "filter.fiscalYearTo",
            "must not be before fiscalYearFrom",
        ));
    }
    Ok(svc::ContributionFilter {
        region: f
            .region
            .as_deref()
            .map(|r| parse_code("filter.region", r))
            .transpose()?,
        fiscal_year: year("filter.fiscalYear", f.fiscal_year)?,
        fiscal_year_from: from,
        fiscal_year_to: to,
        sources: list(f.sources),
        helixes: list(f.helixes),
        clusters: list(f.clusters),
        statuses: list(f.statuses),
        kinds: list(f.kinds),
        contributor_ids: ids("filter.contributorIds", f.contributor_ids)?,
        program_ids: ids("filter.programIds", f.program_ids)?,
        target_groups: list(f.target_groups),
        priority_villages_only: f.priority_villages_only.unwrap_or(false),
        text: check_text("filter.text", f.text)?,
        verified_only: false,
    })
}

/// What the root `contributions` list is sorted by; the id always breaks ties, so pages are stable.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum ContributionSortField {
    /// When the record was created (the default).
    #[default]
    Created,
    /// Committed amount.
    AmountCommitted,
    /// Planned amount.
    AmountPlanned,
    /// Fiscal year.
    FiscalYear,
}

/// Sort direction.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum SortDirection {
    /// Smallest first.
    #[default]
    Asc,
    /// Largest first.
    Desc,
}

/// Order of the root `contributions` list.
#[derive(InputObject, Default, Debug, Clone, Copy)]
pub struct ContributionOrder {
    /// Sort key.
    #[graphql(default)]
    pub field: ContributionSortField,
    /// Direction.
    #[graphql(default)]
    pub direction: SortDirection,
}

impl ContributionSortField {
    /// The service's sort field.
    pub fn to_service(self) -> svc::SortField {
        match self {
            Self::Created => svc::SortField::Created,
            Self::AmountCommitted => svc::SortField::AmountCommitted,
            Self::AmountPlanned => svc::SortField::AmountPlanned,
            Self::FiscalYear => svc::SortField::FiscalYear,
        }
    }
}
