//! Root query fields, one object per domain, merged into `Query`.

mod analytics;
mod changes;
mod complaints;
mod contributions;
mod meetings;
mod organizations;
mod probe;
mod programs;
mod regions;
mod session;
mod users;
mod verification;

pub use probe::PanicProbe;

use crate::error::{AppError, GqlResult};
use crate::pagination::{Conn, PageArgs, connection, wants_total};
use async_graphql::MergedObject;
use sea_orm::sea_query::Condition;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, ModelTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

/// Every root query field.
#[derive(MergedObject, Default)]
pub struct Query(
    regions::RegionQuery,
    organizations::OrganizationQuery,
    programs::ProgramQuery,
    contributions::ContributionQuery,
    meetings::MeetingQuery,
    session::SessionQuery,
    analytics::AnalyticsQuery,
    changes::ChangesQuery,
    verification::VerificationQuery,
    complaints::ComplaintQuery,
    users::UserQuery,
);

/// One page of a list sorted by name, the id breaking ties (keyset: "after (name, id)"), with its
/// total when the query asks for `totalCount`: organizations and programs list this way.
pub(crate) async fn page_by_name<E, N>(
    ctx: &async_graphql::Context<'_>,
    args: &PageArgs,
    cond: Condition,
    (name, id): (E::Column, E::Column),
    node: impl Fn(E::Model) -> N,
) -> GqlResult<Conn<N>>
where
    E: EntityTrait,
    E::Model: Sync,
    N: async_graphql::OutputType,
{
    let db = ctx.data_unchecked::<DatabaseConnection>();
    let mut q = E::find().filter(cond.clone());
    if let (Some(after_name), Some(after_id)) = (args.after_str(0)?, args.after_str(1)?) {
        q = q.filter(
            Condition::any().add(name.gt(after_name.clone())).add(
                Condition::all()
                    .add(name.eq(after_name))
                    .add(id.gt(after_id)),
            ),
        );
    }
    let rows = q
        .order_by_asc(name)
        .order_by_asc(id)
        .limit(args.first + 1)
        .all(db)
        .await
        .map_err(AppError::from)?;
    let total = if wants_total(ctx) {
        Some(
            E::find()
                .filter(cond)
                .count(db)
                .await
                .map_err(AppError::from)? as i64,
        )
    } else {
        None
    };
    let key = |m: &E::Model| {
        let text = |c: E::Column| match m.get(c) {
            sea_orm::Value::String(Some(s)) => serde_json::Value::String(s.to_string()),
            _ => serde_json::Value::Null,
        };
        vec![text(name), text(id)]
    };
    Ok(connection(args, rows, total, key, node))
}
