//! End-to-end tests of the hub: each starts the real server on port 0 with a fresh database and talks
//! HTTP. Run against SQLite by default and against PostgreSQL with `SINERGI_TEST_POSTGRES` set.

mod analytics;
mod auth;
#[allow(dead_code)] // used by the console and GraphiQL browser tests
mod browser;
mod changes;
mod complaints;
mod console;
mod console_audit;
mod console_trust;
mod console_writes;
mod csv_round_trip;
mod demo;
mod documents;
mod drills;
mod entities;
mod exports;
mod graphiql;
mod hardening;
mod helpers;
mod http;
mod import;
mod import_races;
mod imports;
mod limits;
mod live;
mod migrations;
mod mutations;
mod observability;
mod paging;
mod partners;
mod permissions;
mod query_counts;
mod region_cache;
mod regions;
mod response_cache;
mod rules;
mod schema_file;
mod search;
mod security;
mod seed;
mod users;
mod verification;
mod work_lists;
