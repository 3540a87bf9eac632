//! Verification by the TKPK secretariat (issue 14): contributions, their transactions and village
//! indicators carry a state, SUBMITTED, VERIFIED or RETURNED (with a note saying what to fix).
//!
//! Rows already stored become VERIFIED: they were entered before verification existed and already
//! count in every total and report the regions have sent up; starting them SUBMITTED would empty
//! every verified-only figure overnight and bury each coordinator's queue under the whole history.
//! The column default exists only to fill those rows; the hub always writes the state explicitly.

use crate::common::{enum_col, index};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const STATES: &[&str] = &["SUBMITTED", "VERIFIED", "RETURNED"];

fn state() -> ColumnDef {
    enum_col(Alias::new("verification"), STATES, false)
        .default("VERIFIED")
        .to_owned()
}

fn note() -> ColumnDef {
    ColumnDef::new(Alias::new("verification_note"))
        .string_len(1000)
        .null()
        .to_owned()
}

/// The queue reads a region's SUBMITTED rows oldest first.
const QUEUES: &[(&str, &str, &str)] = &[
    ("contributions", "verification_queue", "region_code"),
    ("village_indicators", "verification_queue", "village_code"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "contributions",
            "contribution_transactions",
            "village_indicators",
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .add_column(state())
                        .to_owned(),
                )
                .await?;
        }
        for table in ["contributions", "village_indicators"] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .add_column(note())
                        .to_owned(),
                )
                .await?;
        }
        for (table, suffix, region) in QUEUES {
            manager
                .create_index(index(
                    Alias::new(*table),
                    suffix,
                    &["verification", region, "updated_at"],
                ))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, suffix, _) in QUEUES {
            manager
                .drop_index(
                    Index::drop()
                        .name(format!("idx_{table}_{suffix}"))
                        .table(Alias::new(*table))
                        .to_owned(),
                )
                .await?;
        }
        for table in ["contributions", "village_indicators"] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .drop_column(Alias::new("verification_note"))
                        .to_owned(),
                )
                .await?;
        }
        for table in [
            "contributions",
            "contribution_transactions",
            "village_indicators",
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .drop_column(Alias::new("verification"))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
