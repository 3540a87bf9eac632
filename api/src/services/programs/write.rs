//! Every write of a program (with its strategies, target groups, phases, targets and villages) and
//! of a synergy between two programs. The GraphQL mutations call these; the spreadsheet import
//! checks its rows with the same [`rules::program`]. Errors name the public API's input fields.

use crate::error::{AppError, AppResult};
use crate::services::audit::AuditEntity;
use crate::services::authz::Actor;
use crate::services::writes::{self, Change};
use crate::services::{new_id, rules};
use chrono::Utc;
use entity::enums::{Cluster, Strategy, TargetGroup};
use entity::program::{ActiveModel, Model};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
};

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
pub(super) async fn owner_region(db: &impl ConnectionTrait, owner: &str) -> AppResult<String> {
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
    if let Some(found) = writes::replayed::<Entity>(db, actor, key, AuditEntity::Program).await? {
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
    writes::created(db, actor, key, (AuditEntity::Program, &model.id), &model).await?;
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
    let change = Change::new(id, version, "update");
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

pub use super::parts::write_parts;
pub use super::synergy::{NewSynergy, propose_synergy, set_synergy_status};
