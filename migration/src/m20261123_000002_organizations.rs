//! Organizations (every actor of every helix) and the users who act for them.

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
pub enum Organizations {
    Table,
    Id,
    Name,
    SearchName,
    Helix,
    Kind,
    RegionCode,
    ParentId,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
pub enum Users {
    Table,
    Id,
    Email,
    Name,
    PasswordHash,
    Role,
    OrganizationId,
    RegionScope,
    Active,
    Version,
    CreatedAt,
    UpdatedAt,
}

pub const HELIXES: &[&str] = &[
    "GOVERNMENT",
    "VILLAGE",
    "BUSINESS",
    "ACADEMIA",
    "COMMUNITY",
    "MEDIA",
];
pub const ORG_KINDS: &[&str] = &[
    "PROVINCIAL_GOVERNMENT",
    "REGENCY_GOVERNMENT",
    "BAPPEDA",
    "SKPD",
    "VILLAGE_GOVERNMENT",
    "COMPANY",
    "STATE_OWNED_ENTERPRISE",
    "UNIVERSITY",
    "COMMUNITY_GROUP",
    "NGO",
    "MEDIA",
    "OTHER",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_database_backend();
        manager
            .create_table(
                Table::create()
                    .table(Organizations::Table)
                    .col(id_pk(Organizations::Id))
                    .col(text_required(Organizations::Name, 200))
                    .col(
                        ColumnDef::new(Organizations::SearchName)
                            .string_len(200)
                            .not_null(),
                    )
                    .col(enum_col(Organizations::Helix, HELIXES, false))
                    .col(enum_col(Organizations::Kind, ORG_KINDS, false))
                    .col(region_code(db, Organizations::RegionCode, false))
                    .col(id_ref_null(Organizations::ParentId))
                    .col(version(Organizations::Version))
                    .col(timestamp(Organizations::CreatedAt))
                    .col(timestamp(Organizations::UpdatedAt))
                    .check(Expr::col(Organizations::ParentId).ne(Expr::col(Organizations::Id)))
                    .foreign_key(&mut fk(
                        Organizations::Table,
                        Organizations::RegionCode,
                        Regions::Table,
                        Regions::Code,
                    ))
                    .foreign_key(&mut fk(
                        Organizations::Table,
                        Organizations::ParentId,
                        Organizations::Table,
                        Organizations::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(Organizations::Table, "region", &["region_code"]))
            .await?;
        manager
            .create_index(index(Organizations::Table, "parent", &["parent_id"]))
            .await?;
        manager
            .create_index(index(Organizations::Table, "name", &["name", "id"]))
            .await?;
        manager
            .create_index(index(Organizations::Table, "search", &["search_name"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(id_pk(Users::Id))
                    .col(text_required(Users::Email, 254))
                    .col(text_required(Users::Name, 200))
                    .col(text_required(Users::PasswordHash, 200))
                    .col(enum_col(
                        Users::Role,
                        &["ADMIN", "COORDINATOR", "MEMBER", "VIEWER"],
                        false,
                    ))
                    .col(id_ref_null(Users::OrganizationId))
                    .col(region_code(db, Users::RegionScope, true))
                    .col(
                        ColumnDef::new(Users::Active)
                            .boolean()
                            .not_null()
                            .default(true),
                    )
                    .col(version(Users::Version))
                    .col(timestamp(Users::CreatedAt))
                    .col(timestamp(Users::UpdatedAt))
                    // A coordinator is always scoped to a region; a member always acts for an organization.
                    .check(
                        Expr::col(Users::Role)
                            .ne("COORDINATOR")
                            .or(Expr::col(Users::RegionScope).is_not_null()),
                    )
                    .check(
                        Expr::col(Users::Role)
                            .ne("MEMBER")
                            .or(Expr::col(Users::OrganizationId).is_not_null()),
                    )
                    .foreign_key(&mut fk(
                        Users::Table,
                        Users::OrganizationId,
                        Organizations::Table,
                        Organizations::Id,
                    ))
                    .foreign_key(&mut fk(
                        Users::Table,
                        Users::RegionScope,
                        Regions::Table,
                        Regions::Code,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(Users::Table, "email", &["email"]).unique().to_owned())
            .await?;
        manager
            .create_index(index(Users::Table, "organization", &["organization_id"]))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["users", "organizations"]).await
    }
}
