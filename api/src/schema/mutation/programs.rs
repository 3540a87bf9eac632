//! The program and synergy mutations: each parses its input, calls one function of
//! `services::programs::write` in one transaction, and returns the record.

use super::{actor, begin};
use crate::error::GqlResult;
use crate::schema::enums::{Cluster, Strategy, SynergyRelation, TargetGroup};
use crate::schema::types::program::{Program, ProgramSynergy};
use crate::services::programs::write as service;
use crate::services::writes::check_client_key;
use async_graphql::{Context, ID, InputObject, Object};
use entity::enums::SynergyStatus;

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

fn list<A, B: From<A>>(l: Vec<A>) -> Vec<B> {
    l.into_iter().map(Into::into).collect()
}

impl From<PhaseInput> for service::Phase {
    fn from(p: PhaseInput) -> Self {
        Self {
            name: p.name,
            fiscal_year: p.fiscal_year,
            description: p.description,
        }
    }
}

impl From<TargetInput> for service::Target {
    fn from(t: TargetInput) -> Self {
        Self {
            fiscal_year: t.fiscal_year,
            unit: t.unit,
            target: t.target,
            realised: t.realised,
        }
    }
}

impl From<ProgramInput> for service::NewProgram {
    fn from(i: ProgramInput) -> Self {
        Self {
            code: i.code,
            name: i.name,
            description: i.description,
            owner_id: i.owner_id.0,
            cluster: i.cluster.into(),
            start_year: i.start_year,
            end_year: i.end_year,
            parts: service::Parts {
                strategies: Some(list(i.strategies)),
                target_groups: Some(list(i.target_groups)),
                phases: Some(list(i.phases)),
                targets: Some(list(i.targets)),
                village_codes: Some(i.village_codes),
            },
        }
    }
}

impl From<ProgramPatch> for service::ProgramPatch {
    fn from(p: ProgramPatch) -> Self {
        Self {
            name: p.name,
            description: p.description,
            cluster: p.cluster.map(Into::into),
            start_year: p.start_year,
            end_year: p.end_year,
            parts: service::Parts {
                strategies: p.strategies.map(list),
                target_groups: p.target_groups.map(list),
                phases: p.phases.map(list),
                targets: p.targets.map(list),
                village_codes: p.village_codes,
            },
        }
    }
}

impl From<SynergyInput> for service::NewSynergy {
    fn from(i: SynergyInput) -> Self {
        Self {
            program_a_id: i.program_a_id.0,
            program_b_id: i.program_b_id.0,
            relation: i.relation.into(),
            cluster: i.cluster.into(),
            note: i.note,
        }
    }
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
        let actor = actor(ctx)?;
        let key = check_client_key(&client_key)?;
        let w = begin(ctx).await?;
        let p = service::create(&w.txn, &actor, input.into(), key).await?;
        w.commit().await?;
        Ok(Program(p))
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
        let p = service::update(&w.txn, &actor, (&id, version), input.into()).await?;
        w.commit().await?;
        Ok(Program(p))
    }

    /// Proposes a synergy between two programs (admins; coordinators covering either program's owner).
    async fn propose_synergy(
        &self,
        ctx: &Context<'_>,
        input: SynergyInput,
        client_key: Option<String>,
    ) -> GqlResult<ProgramSynergy> {
        let actor = actor(ctx)?;
        let key = check_client_key(&client_key)?;
        let w = begin(ctx).await?;
        let s = service::propose_synergy(&w.txn, &actor, input.into(), key).await?;
        w.commit().await?;
        Ok(ProgramSynergy(s))
    }

    /// Marks a synergy agreed, optionally at a meeting.
    async fn agree_synergy(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        meeting_id: Option<ID>,
    ) -> GqlResult<ProgramSynergy> {
        let why = (meeting_id.map(|m| m.0), None);
        set_synergy_status(ctx, (id, version), SynergyStatus::Agreed, why).await
    }

    /// Drops a synergy (it stays on record, DROPPED).
    async fn drop_synergy(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        note: Option<String>,
    ) -> GqlResult<ProgramSynergy> {
        set_synergy_status(ctx, (id, version), SynergyStatus::Dropped, (None, note)).await
    }
}

async fn set_synergy_status(
    ctx: &Context<'_>,
    (id, version): (ID, i32),
    status: SynergyStatus,
    why: (Option<String>, Option<String>),
) -> GqlResult<ProgramSynergy> {
    let actor = actor(ctx)?;
    let w = begin(ctx).await?;
    let s = service::set_synergy_status(&w.txn, &actor, (&id, version), status, why).await?;
    w.commit().await?;
    Ok(ProgramSynergy(s))
}
