//! The demo dataset: real places and programs (Kabupaten Pekalongan's poverty laboratory in Desa
//! Botosari, the Lampung rakor of 1 November 2016, Kawasan Mandiri Pangan's 2015–2019 targets, DASHAT in
//! Desa Duwet) with contributions from every helix in 2024–2026. Amounts, indicators and company names
//! are illustrative, not official figures.
//!
//! The records are data files in `api/data/demo/` (see its README), compiled into the binary and read by
//! `data`; `records` and `meetings` turn them into rows. Every id is a UUIDv5 of a fixed name and
//! every insert skips rows already present, so loading the demo twice (or after a crash halfway) adds
//! nothing twice. It runs in one transaction.

mod data;
mod meetings;
mod records;

use crate::services::{passwords, regions};
use chrono::{DateTime, TimeZone, Utc};
use sea_orm::{
    ActiveModelTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait, TransactionTrait,
};
use uuid::Uuid;

/// The region rows the demo needs, shipped with the binary so the demo works without `../shared`.
pub const DEMO_REGIONS: &str = include_str!("../../../data/demo_regions.csv");

/// Password of every demo user.
pub const DEMO_PASSWORD: &str = "sinergi-demo";

/// What the demo loader added.
#[derive(Debug, Default)]
pub struct DemoReport {
    /// Rows inserted (0 when the demo was already loaded).
    pub inserted: u64,
}

const NS: Uuid = Uuid::from_u128(0x5f1e_6a2b_73c4_4d0e_9b1a_2c3d_4e5f_6071);

/// The stable id of a demo record named `name`.
pub fn demo_id(name: &str) -> String {
    Uuid::new_v5(&NS, name.as_bytes()).to_string()
}

/// The demo's creation instant: fixed, so reloading does not change anything.
fn stamp() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 5, 1, 0, 0)
        .single()
        .expect("valid demo instant")
}

/// Inserts `rows`, skipping those already present; returns how many were new.
async fn put<A>(txn: &DatabaseTransaction, rows: Vec<A>) -> Result<u64, DbErr>
where
    A: ActiveModelTrait + Send,
{
    if rows.is_empty() {
        return Ok(0);
    }
    let res = <A::Entity as EntityTrait>::insert_many(rows)
        .on_conflict_do_nothing()
        .exec_without_returning(txn)
        .await?;
    Ok(match res {
        sea_orm::TryInsertResult::Inserted(n) => n,
        _ => 0,
    })
}

/// Loads the demo into `db` (creating the regions it needs), idempotently.
pub async fn load(db: &DatabaseConnection) -> anyhow::Result<DemoReport> {
    regions::import(db, DEMO_REGIONS.as_bytes()).await?;
    let demo = data::Demo::parse()?;
    let mut hashes = Vec::new();
    for _ in &demo.users {
        hashes.push(passwords::hash(DEMO_PASSWORD.to_string()).await?);
    }
    let txn = db.begin().await?;
    let mut n = 0;
    // Governments first: an SKPD's row names its parent.
    let (roots, children): (Vec<_>, Vec<_>) =
        demo.organizations.iter().partition(|o| o.parent.is_none());
    n += put(&txn, roots.into_iter().map(records::organization).collect()).await?;
    n += put(
        &txn,
        children.into_iter().map(records::organization).collect(),
    )
    .await?;
    n += put(&txn, records::users(&demo.users, hashes)).await?;
    n += records::load_programs(&txn, &demo).await?;
    n += records::load_contributions(&txn, &demo.contributions).await?;
    n += put(&txn, records::indicators(&demo.indicators)).await?;
    n += meetings::load(&txn, &demo.meetings).await?;
    n += put(&txn, records::synergies(&demo.synergies)).await?;
    txn.commit().await?;
    Ok(DemoReport { inserted: n })
}
