//! Contributions (commitments of resources to a region for a fiscal year) and their transactions.

use crate::common::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone)]
enum Regions {
    Table,
    Code,
}

#[derive(DeriveIden, Clone)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden, Clone)]
enum Programs {
    Table,
    Id,
}

#[derive(DeriveIden, Clone)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden, Clone)]
enum Contributions {
    Table,
    Id,
    ContributorId,
    Source,
    Kind,
    RegionCode,
    ProgramId,
    FiscalYear,
    Title,
    Description,
    TargetGroup,
    Beneficiaries,
    AmountPlanned,
    AmountCommitted,
    AmountDisbursed,
    AmountRealised,
    Status,
    Version,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum ContributionTransactions {
    Table,
    Id,
    ContributionId,
    Type,
    Amount,
    OccurredOn,
    Note,
    CreatedBy,
    CreatedAt,
}

const SOURCES: &[&str] = &[
    "APBN",
    "APBD_PROVINCE",
    "APBD_REGENCY",
    "APBDES",
    "CSR",
    "UNIVERSITY",
    "COMMUNITY",
    "OTHER",
];
const TARGET_GROUPS: &[&str] = &[
    "POOR_HOUSEHOLDS",
    "STUNTING_RISK_FAMILIES",
    "MOTHERS_AND_INFANTS",
    "TODDLERS",
    "FARMERS_AND_FISHERS",
    "WOMEN",
    "MICRO_ENTERPRISES",
    "STUDENTS",
    "ELDERLY_AND_DISABLED",
    "GENERAL",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_database_backend();
        manager
            .create_table(
                Table::create()
                    .table(Contributions::Table)
                    .col(id_pk(Contributions::Id))
                    .col(id_ref(Contributions::ContributorId))
                    .col(enum_col(Contributions::Source, SOURCES, false))
                    .col(enum_col(
                        Contributions::Kind,
                        &["CASH", "IN_KIND", "EXPERTISE", "VOLUNTEER_LABOUR"],
                        false,
                    ))
                    .col(region_code(db, Contributions::RegionCode, false))
                    .col(id_ref_null(Contributions::ProgramId))
                    .col(year(Contributions::FiscalYear))
                    .col(text_required(Contributions::Title, 200))
                    .col(
                        ColumnDef::new(Contributions::Description)
                            .string_len(4000)
                            .null(),
                    )
                    .col(enum_col(Contributions::TargetGroup, TARGET_GROUPS, true))
                    .col(count_null(Contributions::Beneficiaries))
                    .col(money(Contributions::AmountPlanned))
                    .col(money(Contributions::AmountCommitted))
                    // Disbursed and realised follow from the transactions; they are kept on the row, in
                    // the same transaction that records a movement, so that lists and totals over a
                    // million contributions need no join.
                    .col(money(Contributions::AmountDisbursed))
                    .col(money(Contributions::AmountRealised))
                    .col(enum_col(
                        Contributions::Status,
                        &[
                            "PLANNED",
                            "COMMITTED",
                            "IN_PROGRESS",
                            "COMPLETED",
                            "CANCELLED",
                        ],
                        false,
                    ))
                    .col(version(Contributions::Version))
                    .col(id_ref_null(Contributions::CreatedBy))
                    .col(timestamp(Contributions::CreatedAt))
                    .col(timestamp(Contributions::UpdatedAt))
                    .check(
                        Expr::col(Contributions::AmountDisbursed)
                            .lte(Expr::col(Contributions::AmountCommitted)),
                    )
                    .foreign_key(&mut fk(
                        Contributions::Table,
                        Contributions::ContributorId,
                        Organizations::Table,
                        Organizations::Id,
                    ))
                    .foreign_key(&mut fk(
                        Contributions::Table,
                        Contributions::RegionCode,
                        Regions::Table,
                        Regions::Code,
                    ))
                    .foreign_key(&mut fk(
                        Contributions::Table,
                        Contributions::ProgramId,
                        Programs::Table,
                        Programs::Id,
                    ))
                    .foreign_key(&mut fk(
                        Contributions::Table,
                        Contributions::CreatedBy,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        // Access paths: a region prefix (optionally for a year), a year then a region prefix, one
        // contributor's commitments, one program's contributions.
        manager
            .create_index(index(
                Contributions::Table,
                "region_year",
                &["region_code", "fiscal_year"],
            ))
            .await?;
        manager
            .create_index(index(
                Contributions::Table,
                "year_region",
                &["fiscal_year", "region_code"],
            ))
            .await?;
        manager
            .create_index(index(
                Contributions::Table,
                "contributor_year",
                &["contributor_id", "fiscal_year"],
            ))
            .await?;
        manager
            .create_index(index(
                Contributions::Table,
                "program_year",
                &["program_id", "fiscal_year"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ContributionTransactions::Table)
                    .col(id_pk(ContributionTransactions::Id))
                    .col(id_ref(ContributionTransactions::ContributionId))
                    .col(enum_col(
                        ContributionTransactions::Type,
                        &["COMMITMENT", "DISBURSEMENT", "EXPENDITURE"],
                        false,
                    ))
                    .col(
                        ColumnDef::new(ContributionTransactions::Amount)
                            .big_integer()
                            .not_null()
                            .check(Expr::col(ContributionTransactions::Amount).gt(0)),
                    )
                    .col(
                        ColumnDef::new(ContributionTransactions::OccurredOn)
                            .date()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ContributionTransactions::Note)
                            .string_len(1000)
                            .null(),
                    )
                    .col(id_ref_null(ContributionTransactions::CreatedBy))
                    .col(timestamp(ContributionTransactions::CreatedAt))
                    .foreign_key(&mut fk(
                        ContributionTransactions::Table,
                        ContributionTransactions::ContributionId,
                        Contributions::Table,
                        Contributions::Id,
                    ))
                    .foreign_key(&mut fk(
                        ContributionTransactions::Table,
                        ContributionTransactions::CreatedBy,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                ContributionTransactions::Table,
                "contribution",
                &["contribution_id", "occurred_on"],
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["contribution_transactions", "contributions"]).await
    }
}
