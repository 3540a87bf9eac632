//! Programs with their strategies, target groups, phases, yearly targets and target villages.

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
    Code,
    Name,
    SearchName,
    Description,
    OwnerId,
    Cluster,
    StartYear,
    EndYear,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum ProgramStrategies {
    Table,
    ProgramId,
    Strategy,
}

#[derive(DeriveIden, Clone)]
enum ProgramTargetGroups {
    Table,
    ProgramId,
    TargetGroup,
}

#[derive(DeriveIden, Clone)]
enum ProgramPhases {
    Table,
    Id,
    ProgramId,
    Name,
    FiscalYear,
    Description,
}

#[derive(DeriveIden, Clone)]
enum ProgramTargets {
    Table,
    Id,
    ProgramId,
    FiscalYear,
    Unit,
    Target,
    Realised,
}

#[derive(DeriveIden, Clone)]
enum ProgramVillages {
    Table,
    ProgramId,
    VillageCode,
}

pub const CLUSTERS: &[&str] = &[
    "SOCIAL_ASSISTANCE",
    "COMMUNITY_EMPOWERMENT",
    "MICRO_SMALL_ENTERPRISE",
    "PRO_PEOPLE",
];
pub const TARGET_GROUPS: &[&str] = &[
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
                    .table(Programs::Table)
                    .col(id_pk(Programs::Id))
                    .col(ColumnDef::new(Programs::Code).string_len(64).null())
                    .col(text_required(Programs::Name, 200))
                    .col(
                        ColumnDef::new(Programs::SearchName)
                            .string_len(200)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Programs::Description)
                            .string_len(4000)
                            .null(),
                    )
                    .col(id_ref(Programs::OwnerId))
                    .col(enum_col(Programs::Cluster, CLUSTERS, false))
                    .col(year(Programs::StartYear))
                    .col(year(Programs::EndYear))
                    .col(version(Programs::Version))
                    .col(timestamp(Programs::CreatedAt))
                    .col(timestamp(Programs::UpdatedAt))
                    .check(Expr::col(Programs::StartYear).lte(Expr::col(Programs::EndYear)))
                    .foreign_key(&mut fk(
                        Programs::Table,
                        Programs::OwnerId,
                        Organizations::Table,
                        Organizations::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(Programs::Table, "owner", &["owner_id"]))
            .await?;
        manager
            .create_index(
                index(Programs::Table, "code", &["code"])
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(Programs::Table, "name", &["name", "id"]))
            .await?;
        manager
            .create_index(index(Programs::Table, "search", &["search_name"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ProgramStrategies::Table)
                    .col(id_ref(ProgramStrategies::ProgramId))
                    .col(enum_col(
                        ProgramStrategies::Strategy,
                        &[
                            "REDUCE_SPENDING_BURDEN",
                            "RAISE_CAPABILITY_AND_INCOME",
                            "DEVELOP_MSME",
                            "SYNERGISE_PROGRAMS",
                        ],
                        false,
                    ))
                    .primary_key(
                        Index::create()
                            .col(ProgramStrategies::ProgramId)
                            .col(ProgramStrategies::Strategy),
                    )
                    .foreign_key(&mut fk_part(
                        ProgramStrategies::Table,
                        ProgramStrategies::ProgramId,
                        Programs::Table,
                        Programs::Id,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ProgramTargetGroups::Table)
                    .col(id_ref(ProgramTargetGroups::ProgramId))
                    .col(enum_col(
                        ProgramTargetGroups::TargetGroup,
                        TARGET_GROUPS,
                        false,
                    ))
                    .primary_key(
                        Index::create()
                            .col(ProgramTargetGroups::ProgramId)
                            .col(ProgramTargetGroups::TargetGroup),
                    )
                    .foreign_key(&mut fk_part(
                        ProgramTargetGroups::Table,
                        ProgramTargetGroups::ProgramId,
                        Programs::Table,
                        Programs::Id,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ProgramPhases::Table)
                    .col(id_pk(ProgramPhases::Id))
                    .col(id_ref(ProgramPhases::ProgramId))
                    .col(text_required(ProgramPhases::Name, 100))
                    .col(year(ProgramPhases::FiscalYear))
                    .col(
                        ColumnDef::new(ProgramPhases::Description)
                            .string_len(2000)
                            .null(),
                    )
                    .foreign_key(&mut fk_part(
                        ProgramPhases::Table,
                        ProgramPhases::ProgramId,
                        Programs::Table,
                        Programs::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    ProgramPhases::Table,
                    "program_year_name",
                    &["program_id", "fiscal_year", "name"],
                )
                .unique()
                .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ProgramTargets::Table)
                    .col(id_pk(ProgramTargets::Id))
                    .col(id_ref(ProgramTargets::ProgramId))
                    .col(year(ProgramTargets::FiscalYear))
                    .col(text_required(ProgramTargets::Unit, 64))
                    .col(
                        ColumnDef::new(ProgramTargets::Target)
                            .double()
                            .not_null()
                            .check(Expr::col(ProgramTargets::Target).gte(0)),
                    )
                    .col(
                        ColumnDef::new(ProgramTargets::Realised)
                            .double()
                            .null()
                            .check(Expr::col(ProgramTargets::Realised).gte(0)),
                    )
                    .foreign_key(&mut fk_part(
                        ProgramTargets::Table,
                        ProgramTargets::ProgramId,
                        Programs::Table,
                        Programs::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    ProgramTargets::Table,
                    "program_year_unit",
                    &["program_id", "fiscal_year", "unit"],
                )
                .unique()
                .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ProgramVillages::Table)
                    .col(id_ref(ProgramVillages::ProgramId))
                    .col(region_code(db, ProgramVillages::VillageCode, false))
                    .primary_key(
                        Index::create()
                            .col(ProgramVillages::ProgramId)
                            .col(ProgramVillages::VillageCode),
                    )
                    .foreign_key(&mut fk_part(
                        ProgramVillages::Table,
                        ProgramVillages::ProgramId,
                        Programs::Table,
                        Programs::Id,
                    ))
                    .foreign_key(&mut fk(
                        ProgramVillages::Table,
                        ProgramVillages::VillageCode,
                        Regions::Table,
                        Regions::Code,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                ProgramVillages::Table,
                "village",
                &["village_code", "program_id"],
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "program_villages",
                "program_targets",
                "program_phases",
                "program_target_groups",
                "program_strategies",
                "programs",
            ],
        )
        .await
    }
}
