use crate::schema::types::{organization::Organization, program::Program, region::Region};
use async_graphql::Union;

/// Something whose name matched a search.
#[derive(Union)]
pub enum SearchResult {
    /// A region.
    Region(Region),
    /// An organization.
    Organization(Organization),
    /// A program.
    Program(Program),
}
