//! Every write of a program (with its strategies, target groups, phases, targets and villages) and
//! of a synergy between two programs. The GraphQL mutations call these; the spreadsheet import
//! checks its rows with the same [`rules::program`]. Errors name the public API's input fields.

use crate::error::{AppError, AppResult};
use crate::region_code::parse_code;
use crate::services::authz::Actor;
use crate::services::writes::{self, Change, opt_text, text};
use crate::services::{new_id, rules};
use chrono::Utc;
use entity::enums::{Cluster, RegionLevel, Strategy, SynergyRelation, SynergyStatus, TargetGroup};
use entity::program::{ActiveModel, Model};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use std::collections::{BTreeSet, HashSet};

/// Longest phase name, in characters.
pub const PHASE_NAME_MAX: usize = 100;
/// Longest phase description and synergy note, in characters.
pub const NOTE_MAX: usize = 2000;

/// A phase of a program.
#[derive(Debug, Clone)]
pub struct Phase {
    /// Name, e.g. "Kemandirian".
    pub name: String,
    /// Fiscal year, inside the program's years.
    pub fiscal_year: i32,
    /// What happens in it.
    pub description: Option<String>,
}

/// A yearly target, and what was realised.
#[derive(Debug, Clone)]
pub struct Target {
    /// Fiscal year, inside the program's years.
    pub fiscal_year: i32,
    /// Unit counted.
    pub unit: String,
    /// Target.
    pub target: f64,
    /// Realised so far.
    pub realised: Option<f64>,
}

/// A program's lists; `None` leaves a list as it is, a given list replaces it.
#[derive(Debug, Clone, Default)]
pub struct Parts {
    /// Strategies it serves.
    pub strategies: Option<Vec<Strategy>>,
    /// Groups it targets.
    pub target_groups: Option<Vec<TargetGroup>>,
    /// Phases.
    pub phases: Option<Vec<Phase>>,
    /// Yearly targets.
    pub targets: Option<Vec<Target>>,
    /// Codes of the villages it targets.
    pub village_codes: Option<Vec<String>>,
}

/// A new program.
#[derive(Debug, Clone)]
pub struct NewProgram {
    /// The owner's own code (unique).
    pub code: Option<String>,
    /// Name.
    pub name: String,
    /// What it does.
    pub description: Option<String>,
    /// Owner organization.
    pub owner_id: String,
    /// Cluster.
    pub cluster: Cluster,
    /// First fiscal year.
    pub start_year: i32,
    /// Last fiscal year.
    pub end_year: i32,
    /// Its lists.
    pub parts: Parts,
}

/// Changes to a program; `None` leaves a value as it is.
#[derive(Debug, Clone, Default)]
pub struct ProgramPatch {
    /// New name.
    pub name: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// New cluster.
    pub cluster: Option<Cluster>,
    /// New first year.
    pub start_year: Option<i32>,
    /// New last year.
    pub end_year: Option<i32>,
    /// New lists.
    pub parts: Parts,
}

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

/// The input field a program rule speaks about.
pub fn input_field(field: rules::ProgramField) -> &'static str {
    use rules::ProgramField as F;
    match field {
        F::Name => "input.name",
        F::Code => "input.code",
        F::Description => "input.description",
        F::StartYear => "input.startYear",
        F::EndYear => "input.endYear",
    }
}

fn check_rules(p: &Model) -> AppResult<()> {
    rules::program(p).map_err(|(f, m)| AppError::bad_input(input_field(f), m))
}

/// Trims a description; blank becomes absent (its length is a rule).
fn tidy(description: Option<&str>) -> Option<String> {
    description
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_string)
}

/// Owner's home region: where the coordinator's scope must reach.
async fn owner_region(db: &impl ConnectionTrait, owner: &str) -> AppResult<String> {
    entity::organization::Entity::find_by_id(owner.to_string())
        .one(db)
        .await?
        .map(|o| o.region_code)
        .ok_or_else(|| AppError::bad_input("input.ownerId", "no such organization"))
}

/// Registers a program with its phases, targets and villages (admins; coordinators of the owner's
/// region).
pub async fn create(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    input: NewProgram,
    key: Option<&str>,
) -> AppResult<Model> {
    use entity::program::{Column, Entity};
    if let Some(found) = writes::replayed::<Entity>(db, actor, key, "program").await? {
        return Ok(found);
    }
    let region = owner_region(db, &input.owner_id).await?;
    actor.require_coordinator_of(&region, "manage this organization's programs")?;
    let name = input.name.trim().to_string();
    let now = Utc::now();
    let model = Model {
        id: new_id(),
        code: tidy(input.code.as_deref()),
        search_name: crate::text::fold(&name),
        name,
        description: tidy(input.description.as_deref()),
        owner_id: input.owner_id,
        cluster: input.cluster,
        start_year: input.start_year,
        end_year: input.end_year,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    check_rules(&model)?;
    if let Some(c) = &model.code
        && Entity::find()
            .filter(Column::Code.eq(c.clone()))
            .one(db)
            .await?
            .is_some()
    {
        return Err(AppError::bad_input(
            "input.code",
            "another program has this code",
        ));
    }
    let model = ActiveModel::from(model).insert(db).await?;
    let parts = Parts {
        strategies: input.parts.strategies.or_else(|| Some(vec![])),
        target_groups: input.parts.target_groups.or_else(|| Some(vec![])),
        phases: input.parts.phases.or_else(|| Some(vec![])),
        targets: input.parts.targets.or_else(|| Some(vec![])),
        village_codes: input.parts.village_codes.or_else(|| Some(vec![])),
    };
    write_parts(db, actor, &model, parts).await?;
    writes::created(db, actor, key, ("program", &model.id), &model).await?;
    Ok(model)
}

/// Changes a program; given lists (phases, targets and realisations, villages, ...) replace the old.
pub async fn update(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    (id, version): (&str, i32),
    patch: ProgramPatch,
) -> AppResult<Model> {
    let region = match entity::program::Entity::find_by_id(id.to_string())
        .one(db)
        .await?
    {
        Some(p) => Some(owner_region(db, &p.owner_id).await?),
        None => None,
    };
    let authorize = |_: &Model| match &region {
        Some(r) => actor.require_coordinator_of(r, "manage this organization's programs"),
        None => Ok(()),
    };
    let change = Change {
        id,
        version,
        action: "update",
    };
    writes::update(db, actor, change, authorize, async |before: &Model| {
        let mut next = before.clone();
        if let Some(n) = &patch.name {
            next.name = n.trim().to_string();
            next.search_name = crate::text::fold(&next.name);
        }
        if patch.description.is_some() {
            next.description = tidy(patch.description.as_deref());
        }
        next.cluster = patch.cluster.unwrap_or(before.cluster);
        next.start_year = patch.start_year.unwrap_or(before.start_year);
        next.end_year = patch.end_year.unwrap_or(before.end_year);
        check_rules(&next)?;
        write_parts(db, actor, &next, patch.parts).await?;
        let mut am = before.clone().into_active_model();
        am.name = Set(next.name);
        am.search_name = Set(next.search_name);
        am.description = Set(next.description);
        am.cluster = Set(next.cluster);
        am.start_year = Set(next.start_year);
        am.end_year = Set(next.end_year);
        Ok(am)
    })
    .await
}

/// Replaces a program's lists that were given, checking years, amounts and villages.
async fn write_parts(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    program: &Model,
    parts: Parts,
) -> AppResult<()> {
    if let Some(list) = parts.strategies {
        write_strategies(db, &program.id, list).await?;
    }
    if let Some(list) = parts.target_groups {
        write_target_groups(db, &program.id, list).await?;
    }
    if let Some(list) = parts.phases {
        write_phases(db, program, list).await?;
    }
    if let Some(list) = parts.targets {
        write_targets(db, program, list).await?;
    }
    if let Some(list) = parts.village_codes {
        write_villages(db, actor, &program.id, list).await?;
    }
    Ok(())
}

async fn write_strategies(
    db: &impl ConnectionTrait,
    program: &str,
    mut list: Vec<Strategy>,
) -> AppResult<()> {
    use entity::program_strategy::{ActiveModel, Column, Entity};
    Entity::delete_many()
        .filter(Column::ProgramId.eq(program))
        .exec(db)
        .await?;
    list.sort_by_key(|s| *s as u8);
    list.dedup();
    for s in list {
        ActiveModel {
            program_id: Set(program.to_string()),
            strategy: Set(s),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

async fn write_target_groups(
    db: &impl ConnectionTrait,
    program: &str,
    mut list: Vec<TargetGroup>,
) -> AppResult<()> {
    use entity::program_target_group::{ActiveModel, Column, Entity};
    Entity::delete_many()
        .filter(Column::ProgramId.eq(program))
        .exec(db)
        .await?;
    list.sort_by_key(|g| *g as u8);
    list.dedup();
    for g in list {
        ActiveModel {
            program_id: Set(program.to_string()),
            target_group: Set(g),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

fn inside_years(program: &Model, field: String, year: i32) -> AppResult<()> {
    if (program.start_year..=program.end_year).contains(&year) {
        Ok(())
    } else {
        Err(AppError::bad_input(field, "outside the program's years"))
    }
}

async fn write_phases(
    db: &impl ConnectionTrait,
    program: &Model,
    list: Vec<Phase>,
) -> AppResult<()> {
    use entity::program_phase::{ActiveModel, Column, Entity};
    Entity::delete_many()
        .filter(Column::ProgramId.eq(program.id.clone()))
        .exec(db)
        .await?;
    let mut seen = HashSet::new();
    for (i, p) in list.into_iter().enumerate() {
        let field = format!("input.phases.{i}");
        let name = text(&format!("{field}.name"), &p.name, PHASE_NAME_MAX)?;
        inside_years(program, format!("{field}.fiscalYear"), p.fiscal_year)?;
        if !seen.insert((p.fiscal_year, name.clone())) {
            return Err(AppError::bad_input(
                field,
                "the same phase twice in one year",
            ));
        }
        let description = opt_text(
            &format!("{field}.description"),
            p.description.as_deref(),
            NOTE_MAX,
        )?;
        ActiveModel {
            id: Set(new_id()),
            program_id: Set(program.id.clone()),
            name: Set(name),
            fiscal_year: Set(p.fiscal_year),
            description: Set(description),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

async fn write_targets(
    db: &impl ConnectionTrait,
    program: &Model,
    list: Vec<Target>,
) -> AppResult<()> {
    use entity::program_target::{ActiveModel, Column, Entity};
    Entity::delete_many()
        .filter(Column::ProgramId.eq(program.id.clone()))
        .exec(db)
        .await?;
    let mut seen = HashSet::new();
    for (i, t) in list.into_iter().enumerate() {
        let field = format!("input.targets.{i}");
        let unit = text(&format!("{field}.unit"), &t.unit, rules::TARGET_UNIT_MAX)?;
        inside_years(program, format!("{field}.fiscalYear"), t.fiscal_year)?;
        rules::target_value(t.target)
            .map_err(|m| AppError::bad_input(format!("{field}.target"), m))?;
        if let Some(r) = t.realised {
            rules::target_value(r)
                .map_err(|m| AppError::bad_input(format!("{field}.realised"), m))?;
        }
        if !seen.insert((t.fiscal_year, unit.clone())) {
            return Err(AppError::bad_input(field, "the same year and unit twice"));
        }
        ActiveModel {
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
    Ok(())
}

async fn write_villages(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    program: &str,
    list: Vec<String>,
) -> AppResult<()> {
    use entity::program_village::{ActiveModel, Column, Entity};
    Entity::delete_many()
        .filter(Column::ProgramId.eq(program))
        .exec(db)
        .await?;
    let mut codes = BTreeSet::new();
    for (i, v) in list.iter().enumerate() {
        let field = format!("input.villageCodes.{i}");
        let code = parse_code(&field, v)?;
        let r = entity::region::Entity::find_by_id(code.to_string())
            .one(db)
            .await?;
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
        ActiveModel {
            program_id: Set(program.to_string()),
            village_code: Set(c),
        }
        .insert(db)
        .await?;
    }
    Ok(())
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
    if let Some(found) = writes::replayed::<Entity>(db, actor, key, "synergy").await? {
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
    writes::created(db, actor, key, ("synergy", &model.id), &model).await?;
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
    let change = Change {
        id,
        version,
        action,
    };
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
