//! The GraphQL schema: root types, limits, and the SDL export.

pub mod enums;
pub mod mutation;
pub mod query;
pub mod scalars;
pub mod subscription;
pub mod types;

use crate::config::Config;
use async_graphql::Schema;
use subscription::Subscription;

/// The hub's schema type.
pub type AppSchema = Schema<query::Query, mutation::Mutation, Subscription>;

/// Builds the schema with every limit in one place (async-graphql sets none by default). Per-request
/// data (database handle, loaders, viewer) is attached by the HTTP handler, not here.
pub fn build(config: &Config) -> AppSchema {
    finish(
        builder(config)
            .limit_depth(config.max_depth)
            .limit_complexity(config.max_complexity),
        config,
    )
}

fn builder(
    config: &Config,
) -> async_graphql::SchemaBuilder<query::Query, mutation::Mutation, Subscription> {
    Schema::build(
        query::Query::default(),
        mutation::Mutation::default(),
        Subscription,
    )
    .limit_recursive_depth(32)
    .limit_directives(16)
    .data(crate::pagination::PageLimits {
        default_size: config.default_page_size,
        max_size: config.max_page_size,
    })
}

/// Finishes a builder, with the test-only panic probe when the hidden setting asks for it.
fn finish(
    builder: async_graphql::SchemaBuilder<query::Query, mutation::Mutation, Subscription>,
    config: &Config,
) -> AppSchema {
    if config.panic_probe {
        builder.extension(query::PanicProbe).finish()
    } else {
        builder.finish()
    }
}

/// The schema in the three forms a request may need, built once at start-up.
#[derive(Clone)]
pub struct Schemas {
    /// With introspection and "Did you mean" suggestions: for callers who may introspect.
    pub open: AppSchema,
    /// Without introspection and without suggestions: for callers who may not introspect.
    pub closed: AppSchema,
    /// Introspection only, without the depth and complexity limits: graphql-js's standard
    /// introspection query nests `ofType` nine levels deep, deeper than any data query needs, and
    /// `limits::is_introspection_only` routes only documents that read nothing but the schema here.
    pub introspection: AppSchema,
}

/// Builds the three forms of the schema.
pub fn build_all(config: &Config) -> Schemas {
    Schemas {
        open: build(config),
        closed: finish(
            builder(config)
                .limit_depth(config.max_depth)
                .limit_complexity(config.max_complexity)
                .disable_introspection()
                .disable_suggestions(),
            config,
        ),
        introspection: builder(config).introspection_only().finish(),
    }
}

/// The SDL written to `schema.graphql`.
pub fn sdl() -> String {
    build(&Config::default()).sdl()
}
