//! The audit log (who changed what, when, before and after) and the client keys that make creates
//! safe to retry.

use crate::common::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden, Clone)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorUserId,
    ActorOrganizationId,
    Entity,
    EntityId,
    Action,
    Before,
    After,
}

#[derive(DeriveIden, Clone)]
enum ClientKeys {
    Table,
    UserId,
    ClientKey,
    Entity,
    EntityId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(id_pk(AuditLog::Id))
                    .col(timestamp(AuditLog::At))
                    // Nullable: command-line imports and the demo loader act without a signed-in user.
                    .col(id_ref_null(AuditLog::ActorUserId))
                    .col(id_ref_null(AuditLog::ActorOrganizationId))
                    .col(text_required(AuditLog::Entity, 64))
                    .col(text_required(AuditLog::EntityId, 64))
                    .col(text_required(AuditLog::Action, 32))
                    // JSON documents of the record before and after the change (null on create / delete).
                    .col(ColumnDef::new(AuditLog::Before).text().null())
                    .col(ColumnDef::new(AuditLog::After).text().null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                AuditLog::Table,
                "entity",
                &["entity", "entity_id", "at"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ClientKeys::Table)
                    .col(id_ref(ClientKeys::UserId))
                    .col(text_required(ClientKeys::ClientKey, 128))
                    .col(text_required(ClientKeys::Entity, 64))
                    .col(text_required(ClientKeys::EntityId, 64))
                    .col(timestamp(ClientKeys::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(ClientKeys::UserId)
                            .col(ClientKeys::ClientKey),
                    )
                    .foreign_key(&mut fk(
                        ClientKeys::Table,
                        ClientKeys::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["client_keys", "audit_log"]).await
    }
}
