//! Regions (the Kemendagri hierarchy) and per-village, per-year indicators.

use crate::common::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone)]
pub enum Regions {
    Table,
    Code,
    Name,
    Level,
    ParentCode,
    VillageKind,
    SearchName,
}

#[derive(DeriveIden, Clone)]
pub enum VillageIndicators {
    Table,
    Id,
    VillageCode,
    FiscalYear,
    Source,
    AsOf,
    Households,
    Population,
    PoorHouseholds,
    HouseholdsDecile1,
    HouseholdsDecile2,
    HouseholdsDecile3,
    HouseholdsDecile4,
    StuntingRiskFamilies,
    StuntingCases,
    StuntingPrevalence,
    IdmStatus,
    Priority,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_database_backend();
        manager
            .create_table(
                Table::create()
                    .table(Regions::Table)
                    .col(region_code(db, Regions::Code, false).primary_key())
                    .col(text_required(Regions::Name, 200))
                    .col(enum_col(
                        Regions::Level,
                        &["PROVINCE", "REGENCY", "DISTRICT", "VILLAGE"],
                        false,
                    ))
                    .col(region_code(db, Regions::ParentCode, true))
                    .col(enum_col(Regions::VillageKind, &["DESA", "KELURAHAN"], true))
                    // Lower-cased, accent-folded name, kept by the application for case- and
                    // accent-insensitive search that behaves the same on both databases.
                    .col(
                        ColumnDef::new(Regions::SearchName)
                            .string_len(200)
                            .not_null(),
                    )
                    // A village, and only a village, is a desa or a kelurahan.
                    .check(
                        Expr::col(Regions::Level)
                            .eq("VILLAGE")
                            .and(Expr::col(Regions::VillageKind).is_not_null())
                            .or(Expr::col(Regions::Level)
                                .ne("VILLAGE")
                                .and(Expr::col(Regions::VillageKind).is_null())),
                    )
                    // Only provinces lack a parent.
                    .check(
                        Expr::col(Regions::Level)
                            .eq("PROVINCE")
                            .and(Expr::col(Regions::ParentCode).is_null())
                            .or(Expr::col(Regions::Level)
                                .ne("PROVINCE")
                                .and(Expr::col(Regions::ParentCode).is_not_null())),
                    )
                    .foreign_key(&mut fk(
                        Regions::Table,
                        Regions::ParentCode,
                        Regions::Table,
                        Regions::Code,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(Regions::Table, "parent", &["parent_code", "code"]))
            .await?;
        // "Every village below X": a range on code restricted to one level.
        manager
            .create_index(index(Regions::Table, "level_code", &["level", "code"]))
            .await?;
        manager
            .create_index(index(Regions::Table, "search", &["search_name"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(VillageIndicators::Table)
                    .col(id_pk(VillageIndicators::Id))
                    .col(region_code(db, VillageIndicators::VillageCode, false))
                    .col(year(VillageIndicators::FiscalYear))
                    .col(text_required(VillageIndicators::Source, 100))
                    .col(ColumnDef::new(VillageIndicators::AsOf).date().not_null())
                    .col(count_null(VillageIndicators::Households))
                    .col(count_null(VillageIndicators::Population))
                    .col(count_null(VillageIndicators::PoorHouseholds))
                    .col(count_null(VillageIndicators::HouseholdsDecile1))
                    .col(count_null(VillageIndicators::HouseholdsDecile2))
                    .col(count_null(VillageIndicators::HouseholdsDecile3))
                    .col(count_null(VillageIndicators::HouseholdsDecile4))
                    .col(count_null(VillageIndicators::StuntingRiskFamilies))
                    .col(count_null(VillageIndicators::StuntingCases))
                    .col(
                        ColumnDef::new(VillageIndicators::StuntingPrevalence)
                            .double()
                            .null()
                            .check(
                                Expr::col(VillageIndicators::StuntingPrevalence).between(0, 100),
                            ),
                    )
                    .col(enum_col(
                        VillageIndicators::IdmStatus,
                        &[
                            "VERY_UNDERDEVELOPED",
                            "UNDERDEVELOPED",
                            "DEVELOPING",
                            "ADVANCED",
                            "INDEPENDENT",
                        ],
                        true,
                    ))
                    .col(
                        ColumnDef::new(VillageIndicators::Priority)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(version(VillageIndicators::Version))
                    .col(timestamp(VillageIndicators::CreatedAt))
                    .col(timestamp(VillageIndicators::UpdatedAt))
                    .foreign_key(&mut fk(
                        VillageIndicators::Table,
                        VillageIndicators::VillageCode,
                        Regions::Table,
                        Regions::Code,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    VillageIndicators::Table,
                    "village_year",
                    &["village_code", "fiscal_year"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                VillageIndicators::Table,
                "year_priority",
                &["fiscal_year", "priority", "village_code"],
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["village_indicators", "regions"]).await
    }
}
