//! The GraphQL schema: root types, limits, and the SDL export.

pub mod enums;
pub mod mutation;
pub mod query;
pub mod scalars;
pub mod types;

use crate::config::Config;
use async_graphql::{EmptySubscription, Schema};

/// The hub's schema type.
pub type AppSchema = Schema<query::Query, mutation::Mutation, EmptySubscription>;

/// Builds the schema with every limit in one place (async-graphql sets none by default). Per-request
/// data (database handle, loaders, viewer) is attached by the HTTP handler, not here.
pub fn build(config: &Config) -> AppSchema {
    Schema::build(
        query::Query::default(),
        mutation::Mutation::default(),
        EmptySubscription,
    )
    .limit_depth(config.max_depth)
    .limit_complexity(config.max_complexity)
    .limit_recursive_depth(32)
    .limit_directives(16)
    .data(crate::pagination::PageLimits {
        default_size: config.default_page_size,
        max_size: config.max_page_size,
    })
    .finish()
}

/// The SDL written to `schema.graphql`.
pub fn sdl() -> String {
    build(&Config::default()).sdl()
}
