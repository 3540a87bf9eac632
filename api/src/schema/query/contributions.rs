use crate::auth::SignedIn;
use crate::error::{AppError, GqlResult};
use crate::loaders::joined::Joins;
use crate::loaders::{ContributionWith, load_one};
use crate::pagination::{Conn, PageArgs, connection, page_complexity, wants_total};
use crate::schema::types::contribution::{
    Contribution, ContributionFilter, ContributionOrder, SortDirection, check_filter,
};
use crate::services::contributions::{self, After, DraftVisibility, SortField};
use async_graphql::{Context, ID, Object};
use sea_orm::DatabaseConnection;

#[derive(Default)]
pub struct ContributionQuery;

/// Sums over a set of contributions.
#[derive(async_graphql::SimpleObject)]
pub struct ContributionTotals {
    /// How many contributions.
    count: i64,
    /// Sum of planned amounts.
    planned: crate::schema::scalars::Rupiah,
    /// Sum of committed amounts.
    committed: crate::schema::scalars::Rupiah,
    /// Sum of realised amounts.
    realised: crate::schema::scalars::Rupiah,
}

#[Object]
impl ContributionQuery {
    /// Totals over the contributions the filter selects, computed by the database. Drafts count only
    /// for those who may see them; cancelled contributions are left out unless asked for by status.
    #[graphql(guard = "SignedIn")]
    async fn contribution_totals(
        &self,
        ctx: &Context<'_>,
        filter: Option<ContributionFilter>,
    ) -> GqlResult<ContributionTotals> {
        use crate::schema::scalars::Rupiah;
        let filter = check_filter(filter)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let t = contributions::totals(db, &filter, ctx.data_unchecked::<DraftVisibility>()).await?;
        Ok(ContributionTotals {
            count: t.count,
            planned: Rupiah(t.planned),
            committed: Rupiah(t.committed),
            realised: Rupiah(t.realised),
        })
    }

    /// One contribution by id; null when it does not exist or is a draft the caller may not see.
    #[graphql(guard = "SignedIn")]
    async fn contribution(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Option<Contribution>> {
        let joins = Joins::selected(&ctx.look_ahead());
        Ok(load_one(ctx, ContributionWith { id: id.0, joins })
            .await?
            .map(Contribution::from))
    }

    /// Contributions matching the filter, in the given order (record order by default). Drafts
    /// (PLANNED) appear only to their own organization and to coordinators of their region.
    #[graphql(
        guard = "SignedIn",
        complexity = "page_complexity(first, child_complexity)"
    )]
    async fn contributions(
        &self,
        ctx: &Context<'_>,
        filter: Option<ContributionFilter>,
        order_by: Option<ContributionOrder>,
        #[graphql(desc = "Page size (default and maximum are set by the server).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Cursor of the last row of the previous page.")] after: Option<String>,
    ) -> GqlResult<Conn<Contribution>> {
        let filter = check_filter(filter)?;
        let order = order_by.unwrap_or_default();
        let sort = order.field.to_service();
        let descending = order.direction == SortDirection::Desc;
        let args = PageArgs::from_ctx(ctx, first, after)?;
        let after = match &args.after {
            None => None,
            Some(k) if sort == SortField::Created => Some(After {
                value: None,
                id: args.after_str(0)?.unwrap_or_default(),
            }),
            Some(k) => Some(After {
                value: Some(k.first().and_then(|v| v.as_i64()).ok_or_else(|| {
                    AppError::bad_input("after", "this cursor belongs to another order")
                })?),
                id: args.after_str(1)?.unwrap_or_default(),
            }),
        };
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let vis = ctx.data_unchecked::<DraftVisibility>();
        let rows =
            contributions::page(db, &filter, vis, sort, descending, after, args.first + 1).await?;
        let total = if wants_total(ctx) {
            Some(contributions::count(db, &filter, vis).await?)
        } else {
            None
        };
        Ok(connection(
            &args,
            rows,
            total,
            |r| sort.key(r),
            Contribution::from,
        ))
    }
}
