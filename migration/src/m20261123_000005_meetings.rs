//! Coordination meetings (rakor) with agenda, participants, decisions, action items and their progress,
//! and the program synergies such meetings agree.

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
enum Meetings {
    Table,
    Id,
    Title,
    Level,
    RegionCode,
    HeldOn,
    HostId,
    Location,
    Minutes,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum MeetingAgendaItems {
    Table,
    MeetingId,
    Position,
    Text,
}

#[derive(DeriveIden, Clone)]
enum MeetingParticipants {
    Table,
    Id,
    MeetingId,
    OrganizationId,
    Representative,
    Role,
}

#[derive(DeriveIden, Clone)]
enum MeetingPrograms {
    Table,
    MeetingId,
    ProgramId,
}

#[derive(DeriveIden, Clone)]
enum MeetingRegions {
    Table,
    RegionCode,
}

#[derive(DeriveIden, Clone)]
enum Decisions {
    Table,
    Id,
    MeetingId,
    Position,
    Text,
}

#[derive(DeriveIden, Clone)]
enum ActionItems {
    Table,
    Id,
    DecisionId,
    MeetingId,
    Text,
    OwnerId,
    DueOn,
    Status,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum ActionItemUpdates {
    Table,
    Id,
    ActionItemId,
    At,
    ByOrganizationId,
    ByUserId,
    Note,
    Status,
}

#[derive(DeriveIden, Clone)]
enum ActionItemPrograms {
    Table,
    ActionItemId,
    ProgramId,
}

#[derive(DeriveIden, Clone)]
enum ActionItemRegions {
    Table,
    RegionCode,
}

#[derive(DeriveIden, Clone)]
enum ProgramSynergies {
    Table,
    Id,
    ProgramAId,
    ProgramBId,
    Relation,
    Cluster,
    Status,
    Note,
    MeetingId,
    Version,
    CreatedAt,
    UpdatedAt,
}

const ACTION_STATUSES: &[&str] = &["OPEN", "IN_PROGRESS", "DONE", "DROPPED"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_database_backend();
        manager
            .create_table(
                Table::create()
                    .table(Meetings::Table)
                    .col(id_pk(Meetings::Id))
                    .col(text_required(Meetings::Title, 300))
                    .col(enum_col(
                        Meetings::Level,
                        &["NATIONAL", "PROVINCE", "REGENCY", "DISTRICT", "VILLAGE"],
                        false,
                    ))
                    .col(region_code(db, Meetings::RegionCode, false))
                    .col(ColumnDef::new(Meetings::HeldOn).date().not_null())
                    .col(id_ref(Meetings::HostId))
                    .col(ColumnDef::new(Meetings::Location).string_len(300).null())
                    .col(ColumnDef::new(Meetings::Minutes).text().null())
                    .col(version(Meetings::Version))
                    .col(timestamp(Meetings::CreatedAt))
                    .col(timestamp(Meetings::UpdatedAt))
                    .foreign_key(&mut fk(
                        Meetings::Table,
                        Meetings::RegionCode,
                        Regions::Table,
                        Regions::Code,
                    ))
                    .foreign_key(&mut fk(
                        Meetings::Table,
                        Meetings::HostId,
                        Organizations::Table,
                        Organizations::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                Meetings::Table,
                "region_held",
                &["region_code", "held_on"],
            ))
            .await?;
        manager
            .create_index(index(Meetings::Table, "held", &["held_on", "id"]))
            .await?;
        manager
            .create_index(index(Meetings::Table, "host", &["host_id"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MeetingAgendaItems::Table)
                    .col(id_ref(MeetingAgendaItems::MeetingId))
                    .col(
                        ColumnDef::new(MeetingAgendaItems::Position)
                            .integer()
                            .not_null()
                            .check(Expr::col(MeetingAgendaItems::Position).gte(0)),
                    )
                    .col(text_required(MeetingAgendaItems::Text, 1000))
                    .primary_key(
                        Index::create()
                            .col(MeetingAgendaItems::MeetingId)
                            .col(MeetingAgendaItems::Position),
                    )
                    .foreign_key(&mut fk_part(
                        MeetingAgendaItems::Table,
                        MeetingAgendaItems::MeetingId,
                        Meetings::Table,
                        Meetings::Id,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MeetingParticipants::Table)
                    .col(id_pk(MeetingParticipants::Id))
                    .col(id_ref(MeetingParticipants::MeetingId))
                    .col(id_ref(MeetingParticipants::OrganizationId))
                    .col(
                        ColumnDef::new(MeetingParticipants::Representative)
                            .string_len(200)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(MeetingParticipants::Role)
                            .string_len(100)
                            .null(),
                    )
                    .foreign_key(&mut fk_part(
                        MeetingParticipants::Table,
                        MeetingParticipants::MeetingId,
                        Meetings::Table,
                        Meetings::Id,
                    ))
                    .foreign_key(&mut fk(
                        MeetingParticipants::Table,
                        MeetingParticipants::OrganizationId,
                        Organizations::Table,
                        Organizations::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                MeetingParticipants::Table,
                "meeting",
                &["meeting_id"],
            ))
            .await?;
        manager
            .create_index(index(
                MeetingParticipants::Table,
                "organization",
                &["organization_id", "meeting_id"],
            ))
            .await?;

        for (table, col, target_tbl, target_col, is_region) in [
            (
                MeetingPrograms::Table.into_iden(),
                MeetingPrograms::ProgramId.into_iden(),
                Programs::Table.into_iden(),
                Programs::Id.into_iden(),
                false,
            ),
            (
                MeetingRegions::Table.into_iden(),
                MeetingRegions::RegionCode.into_iden(),
                Regions::Table.into_iden(),
                Regions::Code.into_iden(),
                true,
            ),
        ] {
            let link_col = if is_region {
                region_code(db, col.clone(), false)
            } else {
                id_ref(col.clone())
            };
            manager
                .create_table(
                    Table::create()
                        .table(table.clone())
                        .col(id_ref(MeetingPrograms::MeetingId))
                        .col(link_col)
                        .primary_key(
                            Index::create()
                                .col(MeetingPrograms::MeetingId)
                                .col(col.clone()),
                        )
                        .foreign_key(&mut fk_part(
                            table.clone(),
                            MeetingPrograms::MeetingId,
                            Meetings::Table,
                            Meetings::Id,
                        ))
                        .foreign_key(&mut fk(table.clone(), col.clone(), target_tbl, target_col))
                        .to_owned(),
                )
                .await?;
            let name = table.to_string();
            manager
                .create_index(
                    Index::create()
                        .name(format!("idx_{name}_target"))
                        .table(table)
                        .col(col)
                        .col(MeetingPrograms::MeetingId)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Decisions::Table)
                    .col(id_pk(Decisions::Id))
                    .col(id_ref(Decisions::MeetingId))
                    .col(
                        ColumnDef::new(Decisions::Position)
                            .integer()
                            .not_null()
                            .check(Expr::col(Decisions::Position).gte(0)),
                    )
                    .col(text_required(Decisions::Text, 2000))
                    .foreign_key(&mut fk(
                        Decisions::Table,
                        Decisions::MeetingId,
                        Meetings::Table,
                        Meetings::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    Decisions::Table,
                    "meeting_position",
                    &["meeting_id", "position"],
                )
                .unique()
                .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ActionItems::Table)
                    .col(id_pk(ActionItems::Id))
                    .col(id_ref(ActionItems::DecisionId))
                    // Denormalised from the decision so that "open items of this meeting" needs no join.
                    .col(id_ref(ActionItems::MeetingId))
                    .col(text_required(ActionItems::Text, 2000))
                    .col(id_ref(ActionItems::OwnerId))
                    .col(ColumnDef::new(ActionItems::DueOn).date().null())
                    .col(enum_col(ActionItems::Status, ACTION_STATUSES, false))
                    .col(version(ActionItems::Version))
                    .col(timestamp(ActionItems::CreatedAt))
                    .col(timestamp(ActionItems::UpdatedAt))
                    .foreign_key(&mut fk(
                        ActionItems::Table,
                        ActionItems::DecisionId,
                        Decisions::Table,
                        Decisions::Id,
                    ))
                    .foreign_key(&mut fk(
                        ActionItems::Table,
                        ActionItems::MeetingId,
                        Meetings::Table,
                        Meetings::Id,
                    ))
                    .foreign_key(&mut fk(
                        ActionItems::Table,
                        ActionItems::OwnerId,
                        Organizations::Table,
                        Organizations::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(ActionItems::Table, "decision", &["decision_id"]))
            .await?;
        manager
            .create_index(index(
                ActionItems::Table,
                "meeting",
                &["meeting_id", "status"],
            ))
            .await?;
        manager
            .create_index(index(
                ActionItems::Table,
                "owner_status",
                &["owner_id", "status", "due_on"],
            ))
            .await?;
        manager
            .create_index(index(
                ActionItems::Table,
                "status_due",
                &["status", "due_on"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ActionItemUpdates::Table)
                    .col(id_pk(ActionItemUpdates::Id))
                    .col(id_ref(ActionItemUpdates::ActionItemId))
                    .col(timestamp(ActionItemUpdates::At))
                    .col(id_ref(ActionItemUpdates::ByOrganizationId))
                    .col(id_ref_null(ActionItemUpdates::ByUserId))
                    .col(text_required(ActionItemUpdates::Note, 2000))
                    .col(enum_col(ActionItemUpdates::Status, ACTION_STATUSES, true))
                    .foreign_key(&mut fk_part(
                        ActionItemUpdates::Table,
                        ActionItemUpdates::ActionItemId,
                        ActionItems::Table,
                        ActionItems::Id,
                    ))
                    .foreign_key(&mut fk(
                        ActionItemUpdates::Table,
                        ActionItemUpdates::ByOrganizationId,
                        Organizations::Table,
                        Organizations::Id,
                    ))
                    .foreign_key(&mut fk(
                        ActionItemUpdates::Table,
                        ActionItemUpdates::ByUserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                ActionItemUpdates::Table,
                "item_at",
                &["action_item_id", "at"],
            ))
            .await?;

        for (table, col, target_tbl, target_col, is_region) in [
            (
                ActionItemPrograms::Table.into_iden(),
                ActionItemPrograms::ProgramId.into_iden(),
                Programs::Table.into_iden(),
                Programs::Id.into_iden(),
                false,
            ),
            (
                ActionItemRegions::Table.into_iden(),
                ActionItemRegions::RegionCode.into_iden(),
                Regions::Table.into_iden(),
                Regions::Code.into_iden(),
                true,
            ),
        ] {
            let link_col = if is_region {
                region_code(db, col.clone(), false)
            } else {
                id_ref(col.clone())
            };
            manager
                .create_table(
                    Table::create()
                        .table(table.clone())
                        .col(id_ref(ActionItemPrograms::ActionItemId))
                        .col(link_col)
                        .primary_key(
                            Index::create()
                                .col(ActionItemPrograms::ActionItemId)
                                .col(col.clone()),
                        )
                        .foreign_key(&mut fk_part(
                            table.clone(),
                            ActionItemPrograms::ActionItemId,
                            ActionItems::Table,
                            ActionItems::Id,
                        ))
                        .foreign_key(&mut fk(table.clone(), col.clone(), target_tbl, target_col))
                        .to_owned(),
                )
                .await?;
            let name = table.to_string();
            manager
                .create_index(
                    Index::create()
                        .name(format!("idx_{name}_target"))
                        .table(table)
                        .col(col)
                        .col(ActionItemPrograms::ActionItemId)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(ProgramSynergies::Table)
                    .col(id_pk(ProgramSynergies::Id))
                    .col(id_ref(ProgramSynergies::ProgramAId))
                    .col(id_ref(ProgramSynergies::ProgramBId))
                    .col(enum_col(
                        ProgramSynergies::Relation,
                        &["COMPLEMENTS", "CO_FINANCES", "CONTINUES", "OVERLAPS"],
                        false,
                    ))
                    .col(enum_col(
                        ProgramSynergies::Cluster,
                        &[
                            "SOCIAL_ASSISTANCE",
                            "COMMUNITY_EMPOWERMENT",
                            "MICRO_SMALL_ENTERPRISE",
                            "PRO_PEOPLE",
                        ],
                        false,
                    ))
                    .col(enum_col(
                        ProgramSynergies::Status,
                        &["PROPOSED", "AGREED", "DROPPED"],
                        false,
                    ))
                    .col(
                        ColumnDef::new(ProgramSynergies::Note)
                            .string_len(2000)
                            .null(),
                    )
                    .col(id_ref_null(ProgramSynergies::MeetingId))
                    .col(version(ProgramSynergies::Version))
                    .col(timestamp(ProgramSynergies::CreatedAt))
                    .col(timestamp(ProgramSynergies::UpdatedAt))
                    .check(
                        Expr::col(ProgramSynergies::ProgramAId)
                            .ne(Expr::col(ProgramSynergies::ProgramBId)),
                    )
                    .foreign_key(&mut fk(
                        ProgramSynergies::Table,
                        ProgramSynergies::ProgramAId,
                        Programs::Table,
                        Programs::Id,
                    ))
                    .foreign_key(&mut fk(
                        ProgramSynergies::Table,
                        ProgramSynergies::ProgramBId,
                        Programs::Table,
                        Programs::Id,
                    ))
                    .foreign_key(&mut fk(
                        ProgramSynergies::Table,
                        ProgramSynergies::MeetingId,
                        Meetings::Table,
                        Meetings::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    ProgramSynergies::Table,
                    "pair",
                    &["program_a_id", "program_b_id"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                ProgramSynergies::Table,
                "program_b",
                &["program_b_id"],
            ))
            .await?;
        manager
            .create_index(index(ProgramSynergies::Table, "meeting", &["meeting_id"]))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "program_synergies",
                "action_item_regions",
                "action_item_programs",
                "action_item_updates",
                "action_items",
                "decisions",
                "meeting_regions",
                "meeting_programs",
                "meeting_participants",
                "meeting_agenda_items",
                "meetings",
            ],
        )
        .await
    }
}
