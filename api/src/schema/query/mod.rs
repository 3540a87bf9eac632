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
mod verification;

pub use probe::PanicProbe;

use async_graphql::MergedObject;
use sea_orm::ColumnTrait;
use sea_orm::sea_query::Condition;

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
);

/// Keyset condition "after (name, id)" for lists sorted by name with the id breaking ties.
pub(crate) fn after_name_id(
    name_col: impl ColumnTrait,
    id_col: impl ColumnTrait,
    name: String,
    id: String,
) -> Condition {
    Condition::any()
        .add(name_col.gt(name.clone()))
        .add(Condition::all().add(name_col.eq(name)).add(id_col.gt(id)))
}
