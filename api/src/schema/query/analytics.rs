use crate::auth::SignedIn;
use crate::error::{AppError, GqlResult};
use crate::pagination::{Conn, PageArgs, connection_from_list, page_complexity};
use crate::region_code::parse_code;
use crate::schema::types::analytics::*;
use crate::schema::types::contribution::{ContributionFilter, check_filter};
use crate::services::FISCAL_YEARS;
use crate::services::analytics::{self, Dim, Need};
use crate::services::contributions::DraftVisibility;
use async_graphql::{Context, Object};
use sea_orm::DatabaseConnection;

#[derive(Default)]
pub struct AnalyticsQuery;

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

fn check_year(field: &str, y: i32) -> GqlResult<i32> {
    if FISCAL_YEARS.contains(&y) {
        Ok(y)
    } else {
        Err(AppError::bad_input(field, crate::services::rules::FISCAL_YEAR_MESSAGE).into())
    }
}
