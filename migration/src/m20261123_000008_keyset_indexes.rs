//! Indexes that end in `id`, so that keyset pages in id order (a village's, an organization's or a
//! program's contributions, and the windowed batches of the dashboards) read in index order instead of
//! sorting every matching row. Found by the national-scale benchmark: an SKPD with 10,000
//! contributions sorted all of them for each page.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [(&str, [&str; 2]); 3] = [
    ("idx_contributions_region_id", ["region_code", "id"]),
    ("idx_contributions_contributor_id", ["contributor_id", "id"]),
    ("idx_contributions_program_id", ["program_id", "id"]),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, cols) in INDEXES {
            let mut idx = Index::create();
            idx.name(name).table(Alias::new("contributions"));
            for c in cols {
                idx.col(Alias::new(c));
            }
            manager.create_index(idx.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, _) in INDEXES {
            manager
                .drop_index(
                    Index::drop()
                        .name(name)
                        .table(Alias::new("contributions"))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
