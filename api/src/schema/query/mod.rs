//! Root query fields, one object per domain, merged into `Query`.

mod contributions;
mod regions;

use async_graphql::MergedObject;

/// Every root query field.
#[derive(MergedObject, Default)]
pub struct Query(regions::RegionQuery, contributions::ContributionQuery);
