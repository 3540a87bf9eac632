//! The stable key a spreadsheet import matches rows on (issue 6): a contribution's `external_key` is
//! the contributing organization's own row id, unique per contributor, so re-importing the same file
//! finds the rows it stored the first time instead of adding them again. Contributions made through
//! GraphQL have none (NULL, which a unique index does not compare).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEX: &str = "idx_contributions_contributor_external_key";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("contributions"))
                    .add_column(
                        ColumnDef::new(Alias::new("external_key"))
                            .string_len(128)
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(Alias::new("contributions"))
                    .col(Alias::new("contributor_id"))
                    .col(Alias::new("external_key"))
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(INDEX)
                    .table(Alias::new("contributions"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("contributions"))
                    .drop_column(Alias::new("external_key"))
                    .to_owned(),
            )
            .await
    }
}
