//! Synergies between two programs: proposed, agreed at a meeting, or dropped.

use super::write::{NOTE_MAX, owner_region};
use crate::error::{AppError, AppResult};
use crate::services::audit::AuditEntity;
use crate::services::authz::Actor;
use crate::services::new_id;
use crate::services::writes::{self, Change, opt_text};
use chrono::Utc;
use entity::enums::{Cluster, SynergyRelation, SynergyStatus};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
};

/// A proposed synergy between two programs.
#[derive(Debug, Clone)]
pub struct NewSynergy {
    /// First program.
    pub program_a_id: String,
    /// Second program.
    pub program_b_id: String,
    /// How they relate.
    pub relation: SynergyRelation,
    /// Cluster it works in.
    pub cluster: Cluster,
    /// Notes.
    pub note: Option<String>,
}

/// The home regions of a synergy's programs' owners (a missing program is skipped).
async fn synergy_regions(
    db: &impl ConnectionTrait,
    programs: [(&str, &str); 2],
    missing_is_error: bool,
) -> AppResult<Vec<String>> {
    let mut regions = Vec::new();
    for (field, id) in programs {
        match entity::program::Entity::find_by_id(id.to_string())
            .one(db)
            .await?
        {
            Some(p) => regions.push(owner_region(db, &p.owner_id).await?),
            None if missing_is_error => {
                return Err(AppError::bad_input(field, "no such program"));
            }
            None => {}
        }
    }
    Ok(regions)
}

/// Proposes a synergy between two programs (admins; coordinators covering either program's owner).
pub async fn propose_synergy(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    input: NewSynergy,
    key: Option<&str>,
) -> AppResult<entity::program_synergy::Model> {
    use entity::program_synergy::{ActiveModel, Column, Entity};
    use sea_orm::Condition;
    if input.program_a_id == input.program_b_id {
        return Err(AppError::bad_input(
            "input.programBId",
            "a program cannot be in synergy with itself",
        ));
    }
    if let Some(found) = writes::replayed::<Entity>(db, actor, key, AuditEntity::Synergy).await? {
        return Ok(found);
    }
    let (a, b) = (input.program_a_id, input.program_b_id);
    let programs = [
        ("input.programAId", a.as_str()),
        ("input.programBId", b.as_str()),
    ];
    let regions = synergy_regions(db, programs, true).await?;
    if !actor.is_admin() && !regions.iter().any(|r| actor.coordinates(r)) {
        return Err(AppError::Forbidden(
            "only an admin or a coordinator of either program's region may propose this synergy"
                .into(),
        ));
    }
    let pair = |x: &str, y: &str| {
        Condition::all()
            .add(Column::ProgramAId.eq(x))
            .add(Column::ProgramBId.eq(y))
    };
    let exists = Entity::find()
        .filter(Condition::any().add(pair(&a, &b)).add(pair(&b, &a)))
        .one(db)
        .await?;
    if exists.is_some() {
        return Err(AppError::Conflict(
            "these two programs already have a synergy: change that one".into(),
        ));
    }
    let now = Utc::now();
    let model = ActiveModel {
        id: Set(new_id()),
        program_a_id: Set(a),
        program_b_id: Set(b),
        relation: Set(input.relation),
        cluster: Set(input.cluster),
        status: Set(SynergyStatus::Proposed),
        note: Set(opt_text("input.note", input.note.as_deref(), NOTE_MAX)?),
        meeting_id: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    writes::created(db, actor, key, (AuditEntity::Synergy, &model.id), &model).await?;
    Ok(model)
}

/// Agrees (optionally naming the meeting) or drops a synergy; it stays on record either way.
pub async fn set_synergy_status(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    (id, version): (&str, i32),
    status: SynergyStatus,
    (meeting, note): (Option<String>, Option<String>),
) -> AppResult<entity::program_synergy::Model> {
    let regions = match entity::program_synergy::Entity::find_by_id(id.to_string())
        .one(db)
        .await?
    {
        Some(s) => {
            let programs = [("", s.program_a_id.as_str()), ("", s.program_b_id.as_str())];
            Some(synergy_regions(db, programs, false).await?)
        }
        None => None,
    };
    let authorize = |_: &entity::program_synergy::Model| match &regions {
        Some(r) if !actor.is_admin() && !r.iter().any(|r| actor.coordinates(r)) => {
            Err(AppError::Forbidden(
                "only an admin or a coordinator of either program's region may change this synergy"
                    .into(),
            ))
        }
        _ => Ok(()),
    };
    let action = if status == SynergyStatus::Agreed {
        "agree"
    } else {
        "drop"
    };
    let change = Change::new(id, version, action);
    writes::update(
        db,
        actor,
        change,
        authorize,
        async |before: &entity::program_synergy::Model| {
            let mut am = before.clone().into_active_model();
            am.status = Set(status);
            if let Some(m) = meeting {
                if entity::meeting::Entity::find_by_id(m.clone())
                    .one(db)
                    .await?
                    .is_none()
                {
                    return Err(AppError::bad_input("meetingId", "no such meeting"));
                }
                am.meeting_id = Set(Some(m));
            }
            if note.is_some() {
                am.note = Set(opt_text("note", note.as_deref(), NOTE_MAX)?);
            }
            Ok(am)
        },
    )
    .await
}
