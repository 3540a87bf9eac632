//! The Sinergi hub: a GraphQL API over every actor's contributions to villages and programs.

/// Sign-in: tokens, the request's viewer, read guards.
pub mod auth;
/// CSV cells that cannot run as formulas, and the imports' inverse.
pub mod cell_escape;
/// Subcommand dispatch for the `sinergi` binary.
pub mod commands;
/// Configuration: one struct, from flags and environment variables.
pub mod config;
/// The web console (Konsol): server-rendered pages over the GraphQL API, in Bahasa Indonesia.
pub mod console;
/// One GraphQL request as every door runs it: the caller, its per-request data, the executor.
pub mod context;
/// Database connection (SQLite or PostgreSQL), migrations and the SQL statement counter.
pub mod db;
/// The one error type, with the stable `extensions.code` clients match on.
pub mod error;
/// Live changes from every hub process: subscriptions and cache invalidation.
pub mod events;
/// Properties over every parser of client text (tests only).
#[cfg(test)]
mod fuzz;
/// HTTP answers and readings the routes and the console share (downloads, HTTPS behind a proxy).
pub mod http;
/// The slots and limits every spreadsheet upload passes, through the API or the console.
pub mod import_door;
/// Indonesian labels of every enum value: console, exports and imports share them.
pub mod labels;
/// Query limits checked before execution (size, aliases, fields).
pub mod limits;
/// DataLoaders, built per request.
pub mod loaders;
/// Prometheus metrics and the per-request statistics behind them.
pub mod metrics;
/// Relay connections: page-size rules and opaque keyset cursors.
pub mod pagination;
/// Automatic persisted queries and trusted documents.
pub mod persisted;
/// Token buckets for requests and sign-in attempts.
pub mod rate_limit;
/// Regions kept in memory, dropped when an import changes them.
pub mod region_cache;
/// Kemendagri region codes: parsing, normalising, prefix ranges.
pub mod region_code;
/// The signed-in user kept between requests, dropped when it changes.
pub mod response_cache;
/// The axum router: GraphQL over HTTP, GraphiQL, health and readiness.
pub mod routes;
/// The GraphQL schema: types, queries and limits.
pub mod schema;
/// Domain rules and database work, free of GraphQL.
pub mod services;
/// Building and running the HTTP server.
pub mod startup;
/// What every door of the hub is handed.
pub mod state;
/// Logging (text or JSON), the panic hook, and OpenTelemetry export when configured.
pub mod telemetry;
/// Text folding for case- and accent-insensitive search.
pub mod text;
pub mod user_cache;
