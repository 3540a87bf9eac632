//! GraphQL object types, one file per domain. Each wraps a database row but chooses its own fields, so
//! a new column never leaks into the schema.

/// Follow-up tasks of meeting decisions.
pub mod action_item;
pub mod analytics;
pub mod audit;
pub mod complaint;
pub mod contribution;
/// What subscriptions send.
pub mod live;
pub mod meeting;
pub mod organization;
pub mod program;
pub mod region;
pub mod search;
pub mod user;
pub mod village_indicators;
