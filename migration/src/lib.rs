//! Database migrations for the Sinergi hub, one file per domain area, applied in name order.
//!
//! Migrations never import the `entity` crate: a migration describes the schema as it was on the day
//! it was written, and must keep compiling when entities move on.

pub use sea_orm_migration::prelude::*;

mod common;
mod m20261123_000001_regions;
mod m20261123_000002_organizations;
mod m20261123_000003_programs;
mod m20261123_000004_contributions;
mod m20261123_000005_meetings;
mod m20261123_000006_audit;
mod m20261123_000007_settings;
mod m20261123_000008_keyset_indexes;
mod m20261123_000009_import_keys;
mod m20261129_000020_verification;
mod m20261129_000021_complaints;
mod m20261129_000022_password_change;
mod m20261129_000023_search_indexes;
mod m20261129_000024_change_notify;
mod m20261207_000025_sessions;

/// The hub's migrator: `Migrator::up(&db, None)` brings any database to the current schema.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_regions::Migration),
            Box::new(m20261123_000002_organizations::Migration),
            Box::new(m20261123_000003_programs::Migration),
            Box::new(m20261123_000004_contributions::Migration),
            Box::new(m20261123_000005_meetings::Migration),
            Box::new(m20261123_000006_audit::Migration),
            Box::new(m20261123_000007_settings::Migration),
            Box::new(m20261123_000008_keyset_indexes::Migration),
            Box::new(m20261123_000009_import_keys::Migration),
            Box::new(m20261129_000020_verification::Migration),
            Box::new(m20261129_000021_complaints::Migration),
            Box::new(m20261129_000022_password_change::Migration),
            Box::new(m20261129_000023_search_indexes::Migration),
            Box::new(m20261129_000024_change_notify::Migration),
            Box::new(m20261207_000025_sessions::Migration),
        ]
    }
}
