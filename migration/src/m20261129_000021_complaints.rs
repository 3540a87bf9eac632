//! Data complaints (pengaduan, issue 14): anyone may report that a figure about a village or a record
//! is wrong, and follows it with a tracking code; the region's coordinators triage it.
//!
//! The table holds no personal data but the optional `contact`, which the hub erases when the
//! complaint closes (UU 27/2022): no filer id, no address, no name.

use crate::common::{
    enum_col, fk, id_pk, id_ref_null, index, region_code, text_required, timestamp, version,
};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone)]
enum Complaints {
    Table,
    Id,
    TrackingCode,
    RegionCode,
    ContributionId,
    FiscalYear,
    What,
    Reason,
    Contact,
    Status,
    Resolution,
    Corrections,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Regions {
    Table,
    Code,
}

#[derive(DeriveIden)]
enum Contributions {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        manager
            .create_table(
                Table::create()
                    .table(Complaints::Table)
                    .col(id_pk(Complaints::Id))
                    .col(
                        ColumnDef::new(Complaints::TrackingCode)
                            .string_len(16)
                            .not_null()
                            .unique_key(),
                    )
                    .col(region_code(backend, Complaints::RegionCode, false))
                    .col(id_ref_null(Complaints::ContributionId))
                    .col(ColumnDef::new(Complaints::FiscalYear).integer().null())
                    .col(text_required(Complaints::What, 200))
                    .col(text_required(Complaints::Reason, 2000))
                    .col(ColumnDef::new(Complaints::Contact).string_len(200).null())
                    .col(enum_col(
                        Complaints::Status,
                        &["RECEIVED", "IN_REVIEW", "RESOLVED", "REJECTED"],
                        false,
                    ))
                    .col(
                        ColumnDef::new(Complaints::Resolution)
                            .string_len(1000)
                            .null(),
                    )
                    // The audit rows of the correction, as a JSON array of ids.
                    .col(ColumnDef::new(Complaints::Corrections).text().null())
                    .col(version(Complaints::Version))
                    .col(timestamp(Complaints::CreatedAt))
                    .col(timestamp(Complaints::UpdatedAt))
                    // A closed complaint keeps no contact.
                    .check(
                        Expr::col(Complaints::Status)
                            .is_in(["RECEIVED", "IN_REVIEW"])
                            .or(Expr::col(Complaints::Contact).is_null()),
                    )
                    .foreign_key(&mut fk(
                        Complaints::Table,
                        Complaints::RegionCode,
                        Regions::Table,
                        Regions::Code,
                    ))
                    .foreign_key(&mut fk(
                        Complaints::Table,
                        Complaints::ContributionId,
                        Contributions::Table,
                        Contributions::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        // The coordinators' inbox: a region's open complaints, oldest first.
        manager
            .create_index(index(
                Complaints::Table,
                "inbox",
                &["status", "region_code", "created_at"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::common::drop_tables(manager, &["complaints"]).await
    }
}
