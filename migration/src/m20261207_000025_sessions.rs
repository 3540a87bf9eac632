//! Sessions that end (issue 25): three columns on `users`, so that the account the hub already
//! keeps for every signed-in request also says which of its tokens still count.
//!
//! - `session_epoch`: every token carries the epoch it was issued in; a password change, an
//!   administrator's reset or a deactivation adds one, and tokens of an older epoch stop working.
//! - `spared_session`: the one session the last bump spared (the caller of `changeOwnPassword`,
//!   whose own session keeps working).
//! - `ended_sessions`: the sessions signed out since, with their expiry (a JSON array, pruned on
//!   each sign-out; a token past its expiry needs no entry).
//!
//! NOT NULL with a default (and NULLs), so existing accounts keep their rows as they were.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    SessionEpoch,
    SparedSession,
    EndedSessions,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        let columns = [
            ColumnDef::new(Users::SessionEpoch)
                .integer()
                .not_null()
                .default(0)
                .to_owned(),
            ColumnDef::new(Users::SparedSession)
                .string_len(64)
                .null()
                .to_owned(),
            ColumnDef::new(Users::EndedSessions)
                .text()
                .null()
                .to_owned(),
        ];
        for mut column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Users::SessionEpoch,
            Users::SparedSession,
            Users::EndedSessions,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
