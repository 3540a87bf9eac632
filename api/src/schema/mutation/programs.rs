use super::{actor, begin};
use crate::error::{AppError, AppResult, GqlResult};
use crate::region_code::parse_code;
use crate::schema::enums::{Cluster, Strategy, SynergyRelation, TargetGroup};
use crate::schema::types::program::{Program, ProgramSynergy};
use crate::services::authz::Actor;
use crate::services::writes::{
    check_client_key, check_version, finish_create, lock_version, opt_text, replayed, save_update,
    text,
};
use crate::services::{FISCAL_YEARS, new_id};
use async_graphql::{Context, ID, InputObject, Object};
use chrono::Utc;
use entity::enums::{RegionLevel, SynergyStatus};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
};

#[derive(Default)]
pub struct ProgramMutation;

/// A phase of a program.
#[derive(InputObject, Clone)]
pub struct PhaseInput {
    /// Name, e.g. "Kemandirian".
    name: String,
    /// Fiscal year, inside the program's years.
    fiscal_year: i32,
    /// What happens in it.
    description: Option<String>,
}

/// A yearly target, and what was realised.
#[derive(InputObject, Clone)]
pub struct TargetInput {
    /// Fiscal year, inside the program's years.
    fiscal_year: i32,
    /// Unit counted, e.g. "kawasan".
    unit: String,
    /// Target, never negative.
    target: f64,
    /// Realised so far, never negative.
    realised: Option<f64>,
}

/// A new program.
#[derive(InputObject)]
pub struct ProgramInput {
    /// The owner's own code (unique).
    code: Option<String>,
    /// Name.
    name: String,
    /// What it does.
    description: Option<String>,
    /// Owner organization.
    owner_id: ID,
    /// Cluster.
    cluster: Cluster,
    /// First fiscal year.
    start_year: i32,
    /// Last fiscal year.
    end_year: i32,
    /// Strategies it serves.
    #[graphql(default)]
    strategies: Vec<Strategy>,
    /// Groups it targets.
    #[graphql(default)]
    target_groups: Vec<TargetGroup>,
    /// Phases.
    #[graphql(default)]
    phases: Vec<PhaseInput>,
    /// Yearly targets.
    #[graphql(default)]
    targets: Vec<TargetInput>,
    /// Codes of the villages it targets.
    #[graphql(default)]
    village_codes: Vec<String>,
}

/// Changes to a program; absent fields stay, given lists replace the old ones.
#[derive(InputObject, Default)]
pub struct ProgramPatch {
    /// New name.
    name: Option<String>,
    /// New description.
    description: Option<String>,
    /// New cluster.
    cluster: Option<Cluster>,
    /// New first year.
    start_year: Option<i32>,
    /// New last year.
    end_year: Option<i32>,
    /// New strategies.
    strategies: Option<Vec<Strategy>>,
    /// New target groups.
    target_groups: Option<Vec<TargetGroup>>,
    /// New phases.
    phases: Option<Vec<PhaseInput>>,
    /// New targets.
    targets: Option<Vec<TargetInput>>,
    /// New target villages.
    village_codes: Option<Vec<String>>,
}

/// A proposed synergy between two programs.
#[derive(InputObject)]
pub struct SynergyInput {
    /// First program.
    program_a_id: ID,
    /// Second program.
    program_b_id: ID,
    /// How they relate.
    relation: SynergyRelation,
    /// Cluster it works in.
    cluster: Cluster,
    /// Notes.
    note: Option<String>,
}

fn year(field: &str, y: i32) -> AppResult<i32> {
    if FISCAL_YEARS.contains(&y) {
        Ok(y)
    } else {
        Err(AppError::bad_input(
            field,
            "a fiscal year between 2000 and 2100",
        ))
    }
}

/// Owner's home region: where the coordinator's scope must reach.
async fn owner_region(db: &impl ConnectionTrait, owner: &str) -> AppResult<String> {
    entity::organization::Entity::find_by_id(owner.to_string())
        .one(db)
        .await?
        .map(|o| o.region_code)
        .ok_or_else(|| AppError::bad_input("input.ownerId", "no such organization"))
}

/// Replaces a program's lists that were given, checking years, amounts and villages.
#[allow(clippy::too_many_arguments)]
async fn write_parts(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    program: &entity::program::Model,
    strategies: Option<Vec<Strategy>>,
    groups: Option<Vec<TargetGroup>>,
    phases: Option<Vec<PhaseInput>>,
    targets: Option<Vec<TargetInput>>,
    villages: Option<Vec<String>>,
) -> AppResult<()> {
    use entity::*;
    let years = program.start_year..=program.end_year;
    if let Some(list) = strategies {
        program_strategy::Entity::delete_many()
            .filter(program_strategy::Column::ProgramId.eq(program.id.clone()))
            .exec(db)
            .await?;
        let mut list: Vec<entity::enums::Strategy> = list.into_iter().map(Into::into).collect();
        list.sort_by_key(|s| *s as u8);
        list.dedup();
        for s in list {
            program_strategy::ActiveModel {
                program_id: Set(program.id.clone()),
                strategy: Set(s),
            }
            .insert(db)
            .await?;
        }
    }
    if let Some(list) = groups {
        program_target_group::Entity::delete_many()
            .filter(program_target_group::Column::ProgramId.eq(program.id.clone()))
            .exec(db)
            .await?;
        let mut list: Vec<entity::enums::TargetGroup> = list.into_iter().map(Into::into).collect();
        list.sort_by_key(|g| *g as u8);
        list.dedup();
        for g in list {
            program_target_group::ActiveModel {
                program_id: Set(program.id.clone()),
                target_group: Set(g),
            }
            .insert(db)
            .await?;
        }
    }
    if let Some(list) = phases {
        program_phase::Entity::delete_many()
            .filter(program_phase::Column::ProgramId.eq(program.id.clone()))
            .exec(db)
            .await?;
        let mut seen = std::collections::HashSet::new();
        for (i, p) in list.into_iter().enumerate() {
            let name = text(&format!("input.phases.{i}.name"), &p.name, 100)?;
            if !years.contains(&p.fiscal_year) {
                return Err(AppError::bad_input(
                    format!("input.phases.{i}.fiscalYear"),
                    "outside the program's years",
                ));
            }
            if !seen.insert((p.fiscal_year, name.clone())) {
                return Err(AppError::bad_input(
                    format!("input.phases.{i}"),
                    "the same phase twice in one year",
                ));
            }
            program_phase::ActiveModel {
                id: Set(new_id()),
                program_id: Set(program.id.clone()),
                name: Set(name),
                fiscal_year: Set(p.fiscal_year),
                description: Set(opt_text(
                    &format!("input.phases.{i}.description"),
                    p.description.as_deref(),
                    2000,
                )?),
            }
            .insert(db)
            .await?;
        }
    }
    if let Some(list) = targets {
        program_target::Entity::delete_many()
            .filter(program_target::Column::ProgramId.eq(program.id.clone()))
            .exec(db)
            .await?;
        let mut seen = std::collections::HashSet::new();
        for (i, t) in list.into_iter().enumerate() {
            let unit = text(&format!("input.targets.{i}.unit"), &t.unit, 64)?;
            if !years.contains(&t.fiscal_year) {
                return Err(AppError::bad_input(
                    format!("input.targets.{i}.fiscalYear"),
                    "outside the program's years",
                ));
            }
            if !t.target.is_finite() || t.target < 0.0 {
                return Err(AppError::bad_input(
                    format!("input.targets.{i}.target"),
                    "never negative",
                ));
            }
            if t.realised.is_some_and(|r| !r.is_finite() || r < 0.0) {
                return Err(AppError::bad_input(
                    format!("input.targets.{i}.realised"),
                    "never negative",
                ));
            }
            if !seen.insert((t.fiscal_year, unit.clone())) {
                return Err(AppError::bad_input(
                    format!("input.targets.{i}"),
                    "the same year and unit twice",
                ));
            }
            program_target::ActiveModel {
                id: Set(new_id()),
                program_id: Set(program.id.clone()),
                fiscal_year: Set(t.fiscal_year),
                unit: Set(unit),
                target: Set(t.target),
                realised: Set(t.realised),
            }
            .insert(db)
            .await?;
        }
    }
    if let Some(list) = villages {
        program_village::Entity::delete_many()
            .filter(program_village::Column::ProgramId.eq(program.id.clone()))
            .exec(db)
            .await?;
        let mut codes = std::collections::BTreeSet::new();
        for (i, v) in list.iter().enumerate() {
            let field = format!("input.villageCodes.{i}");
            let code = parse_code(&field, v)?;
            let r = region::Entity::find_by_id(code.to_string()).one(db).await?;
            if r.as_ref().map(|r| r.level) != Some(RegionLevel::Village) {
                return Err(AppError::bad_input(
                    field,
                    format!("{code} is not a village in the hub"),
                ));
            }
            if !actor.is_admin() && !actor.coordinates(code.as_str()) {
                return Err(AppError::Forbidden(format!(
                    "village {code} is outside your region"
                )));
            }
            codes.insert(code.to_string());
        }
        for c in codes {
            program_village::ActiveModel {
                program_id: Set(program.id.clone()),
                village_code: Set(c),
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

async fn bump_program(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    before: &entity::program::Model,
    am: entity::program::ActiveModel,
    action: &str,
) -> AppResult<entity::program::Model> {
    save_update(db, actor, (&before.id, before.version), before, am, action).await
}

#[Object]
impl ProgramMutation {
    /// Registers a program with its phases, targets and villages (admins; coordinators of the owner's
    /// region).
    async fn create_program(
        &self,
        ctx: &Context<'_>,
        input: ProgramInput,
        client_key: Option<String>,
    ) -> GqlResult<Program> {
        use entity::program::{ActiveModel, Column, Entity};
        let actor = actor(ctx)?;
        let key = check_client_key(&client_key)?;
        let w = begin(ctx).await?;
        if let Some(found) = replayed::<Entity>(&w.txn, actor.id(), key, "program").await? {
            return Ok(Program(found));
        }
        let region = owner_region(&w.txn, &input.owner_id).await?;
        actor.require_coordinator_of(&region, "manage this organization's programs")?;
        let name = text("input.name", &input.name, 200)?;
        let code = opt_text("input.code", input.code.as_deref(), 64)?;
        let (start, end) = (
            year("input.startYear", input.start_year)?,
            year("input.endYear", input.end_year)?,
        );
        if start > end {
            return Err(
                AppError::bad_input("input.endYear", "must not be before startYear").into(),
            );
        }
        if let Some(c) = &code
            && Entity::find()
                .filter(Column::Code.eq(c.clone()))
                .one(&w.txn)
                .await
                .map_err(AppError::from)?
                .is_some()
        {
            return Err(AppError::bad_input("input.code", "another program has this code").into());
        }
        let now = Utc::now();
        let model = ActiveModel {
            id: Set(new_id()),
            code: Set(code),
            search_name: Set(crate::text::fold(&name)),
            name: Set(name),
            description: Set(opt_text(
                "input.description",
                input.description.as_deref(),
                4000,
            )?),
            owner_id: Set(input.owner_id.0),
            cluster: Set(input.cluster.into()),
            start_year: Set(start),
            end_year: Set(end),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&w.txn)
        .await
        .map_err(AppError::from)?;
        write_parts(
            &w.txn,
            &actor,
            &model,
            Some(input.strategies),
            Some(input.target_groups),
            Some(input.phases),
            Some(input.targets),
            Some(input.village_codes),
        )
        .await?;
        finish_create(w, &actor, key, "program", &model.id, &model).await?;
        Ok(Program(model))
    }

    /// Changes a program; given lists (phases, targets and realisations, villages, ...) replace the old.
    async fn update_program(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        input: ProgramPatch,
    ) -> GqlResult<Program> {
        let actor = actor(ctx)?;
        let w = begin(ctx).await?;
        let found = entity::program::Entity::find_by_id(id.0.clone())
            .one(&w.txn)
            .await
            .map_err(AppError::from)?;
        if let Some(p) = &found {
            let region = owner_region(&w.txn, &p.owner_id).await?;
            actor.require_coordinator_of(&region, "manage this organization's programs")?;
        }
        let before = check_version(found, version, "program", |p| p.version)?;
        lock_version::<entity::program::Entity>(&w.txn, &before.id, version).await?;
        let mut am = before.clone().into_active_model();
        let mut next = before.clone();
        if let Some(n) = &input.name {
            let n = text("input.name", n, 200)?;
            am.search_name = Set(crate::text::fold(&n));
            am.name = Set(n);
        }
        if input.description.is_some() {
            am.description = Set(opt_text(
                "input.description",
                input.description.as_deref(),
                4000,
            )?);
        }
        if let Some(c) = input.cluster {
            am.cluster = Set(c.into());
        }
        if let Some(y) = input.start_year {
            next.start_year = year("input.startYear", y)?;
        }
        if let Some(y) = input.end_year {
            next.end_year = year("input.endYear", y)?;
        }
        if next.start_year > next.end_year {
            return Err(
                AppError::bad_input("input.endYear", "must not be before startYear").into(),
            );
        }
        am.start_year = Set(next.start_year);
        am.end_year = Set(next.end_year);
        write_parts(
            &w.txn,
            &actor,
            &next,
            input.strategies,
            input.target_groups,
            input.phases,
            input.targets,
            input.village_codes,
        )
        .await?;
        let after = bump_program(&w.txn, &actor, &before, am, "update").await?;
        w.commit().await?;
        Ok(Program(after))
    }

    /// Proposes a synergy between two programs (admins; coordinators covering either program's owner).
    async fn propose_synergy(
        &self,
        ctx: &Context<'_>,
        input: SynergyInput,
        client_key: Option<String>,
    ) -> GqlResult<ProgramSynergy> {
        use entity::program_synergy::{ActiveModel, Column, Entity};
        let actor = actor(ctx)?;
        let key = check_client_key(&client_key)?;
        if input.program_a_id == input.program_b_id {
            return Err(AppError::bad_input(
                "input.programBId",
                "a program cannot be in synergy with itself",
            )
            .into());
        }
        let w = begin(ctx).await?;
        if let Some(found) = replayed::<Entity>(&w.txn, actor.id(), key, "synergy").await? {
            return Ok(ProgramSynergy(found));
        }
        let mut regions = Vec::new();
        for (field, pid) in [
            ("input.programAId", &input.program_a_id),
            ("input.programBId", &input.program_b_id),
        ] {
            let p = entity::program::Entity::find_by_id(pid.0.clone())
                .one(&w.txn)
                .await
                .map_err(AppError::from)?
                .ok_or_else(|| AppError::bad_input(field, "no such program"))?;
            regions.push(owner_region(&w.txn, &p.owner_id).await?);
        }
        if !actor.is_admin() && !regions.iter().any(|r| actor.coordinates(r)) {
            return Err(AppError::Forbidden("only an admin or a coordinator of either program's region may propose this synergy".into()).into());
        }
        let (a, b) = (input.program_a_id.0.clone(), input.program_b_id.0.clone());
        let exists = Entity::find()
            .filter(
                sea_orm::Condition::any()
                    .add(
                        sea_orm::Condition::all()
                            .add(Column::ProgramAId.eq(a.clone()))
                            .add(Column::ProgramBId.eq(b.clone())),
                    )
                    .add(
                        sea_orm::Condition::all()
                            .add(Column::ProgramAId.eq(b.clone()))
                            .add(Column::ProgramBId.eq(a.clone())),
                    ),
            )
            .one(&w.txn)
            .await
            .map_err(AppError::from)?;
        if exists.is_some() {
            return Err(AppError::Conflict(
                "these two programs already have a synergy: change that one".into(),
            )
            .into());
        }
        let now = Utc::now();
        let model = ActiveModel {
            id: Set(new_id()),
            program_a_id: Set(a),
            program_b_id: Set(b),
            relation: Set(input.relation.into()),
            cluster: Set(input.cluster.into()),
            status: Set(SynergyStatus::Proposed),
            note: Set(opt_text("input.note", input.note.as_deref(), 2000)?),
            meeting_id: Set(None),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&w.txn)
        .await
        .map_err(AppError::from)?;
        finish_create(w, &actor, key, "synergy", &model.id, &model).await?;
        Ok(ProgramSynergy(model))
    }

    /// Marks a synergy agreed, optionally at a meeting.
    async fn agree_synergy(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        meeting_id: Option<ID>,
    ) -> GqlResult<ProgramSynergy> {
        set_synergy_status(ctx, id, version, SynergyStatus::Agreed, meeting_id, None).await
    }

    /// Drops a synergy (it stays on record, DROPPED).
    async fn drop_synergy(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        note: Option<String>,
    ) -> GqlResult<ProgramSynergy> {
        set_synergy_status(ctx, id, version, SynergyStatus::Dropped, None, note).await
    }
}

async fn set_synergy_status(
    ctx: &Context<'_>,
    id: ID,
    version: i32,
    status: SynergyStatus,
    meeting: Option<ID>,
    note: Option<String>,
) -> GqlResult<ProgramSynergy> {
    let actor = actor(ctx)?;
    let w = begin(ctx).await?;
    let found = entity::program_synergy::Entity::find_by_id(id.0.clone())
        .one(&w.txn)
        .await
        .map_err(AppError::from)?;
    if let Some(s) = &found {
        let mut regions = Vec::new();
        for pid in [&s.program_a_id, &s.program_b_id] {
            if let Some(p) = entity::program::Entity::find_by_id(pid.clone())
                .one(&w.txn)
                .await
                .map_err(AppError::from)?
            {
                regions.push(owner_region(&w.txn, &p.owner_id).await?);
            }
        }
        if !actor.is_admin() && !regions.iter().any(|r| actor.coordinates(r)) {
            return Err(AppError::Forbidden(
                "only an admin or a coordinator of either program's region may change this synergy"
                    .into(),
            )
            .into());
        }
    }
    let before = check_version(found, version, "synergy", |s| s.version)?;
    lock_version::<entity::program_synergy::Entity>(&w.txn, &before.id, version).await?;
    let mut am = before.clone().into_active_model();
    am.status = Set(status);
    if let Some(m) = meeting {
        if entity::meeting::Entity::find_by_id(m.0.clone())
            .one(&w.txn)
            .await
            .map_err(AppError::from)?
            .is_none()
        {
            return Err(AppError::bad_input("meetingId", "no such meeting").into());
        }
        am.meeting_id = Set(Some(m.0));
    }
    if note.is_some() {
        am.note = Set(opt_text("note", note.as_deref(), 2000)?);
    }
    let action = if status == SynergyStatus::Agreed {
        "agree"
    } else {
        "drop"
    };
    let after = save_update(
        &w.txn,
        &actor,
        (&before.id, before.version),
        &before,
        am,
        action,
    )
    .await?;
    w.commit().await?;
    Ok(ProgramSynergy(after))
}
