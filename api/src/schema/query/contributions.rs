use crate::error::{AppError, AppResult, GqlResult};
use crate::pagination::{Conn, PageArgs, connection, wants_total};
use crate::schema::types::contribution::{Contribution, ContributionFilter};
use crate::schema::types::region::parse_code;
use crate::services::contributions::{self, DraftVisibility};
use async_graphql::{Context, Object};
use sea_orm::DatabaseConnection;

#[derive(Default)]
pub struct ContributionQuery;

/// Checks a GraphQL filter and turns it into the service's filter.
pub fn check_filter(f: Option<ContributionFilter>) -> AppResult<contributions::ContributionFilter> {
    let f = f.unwrap_or_default();
    let region = f
        .region
        .as_deref()
        .map(|r| parse_code("filter.region", r))
        .transpose()?;
    if let Some(y) = f.fiscal_year
        && !crate::services::FISCAL_YEARS.contains(&y)
    {
        return Err(AppError::bad_input(
            "filter.fiscalYear",
            "a fiscal year between 2000 and 2100",
        ));
    }
    Ok(contributions::ContributionFilter {
        region,
        fiscal_year: f.fiscal_year,
    })
}

#[Object]
impl ContributionQuery {
    /// Contributions matching the filter, oldest record first. Drafts (PLANNED) appear only to their own
    /// organization and to coordinators of their region.
    async fn contributions(
        &self,
        ctx: &Context<'_>,
        filter: Option<ContributionFilter>,
        #[graphql(desc = "Page size (default and maximum are set by the server).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Cursor of the last row of the previous page.")] after: Option<String>,
    ) -> GqlResult<Conn<Contribution>> {
        let filter = check_filter(filter)?;
        let args = PageArgs::from_ctx(ctx, first, after)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let vis = ctx.data_unchecked::<DraftVisibility>();
        let rows =
            contributions::page(db, &filter, vis, args.after_str(0)?, args.first + 1).await?;
        let total = if wants_total(ctx) {
            Some(contributions::count(db, &filter, vis).await?)
        } else {
            None
        };
        Ok(connection(
            &args,
            rows,
            total,
            |r| vec![r.id.clone().into()],
            Contribution,
        ))
    }
}
