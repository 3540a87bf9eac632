//! Every write of a contribution: create, update, status, cancel, and its money movements. The
//! GraphQL mutations (and through them the console) call these; the spreadsheet import checks its
//! rows with the same [`rules::contribution`] and saves through the same [`writes`] path.
//!
//! Errors name the public API's input fields (`input.amountPlanned`), which is what partners and
//! the console see.

use crate::error::{AppError, AppResult};
use crate::region_code::parse_code;
use crate::services::audit::AuditEntity;
use crate::services::authz::Actor;
use crate::services::writes::{self, Change};
use crate::services::{new_id, rules, verification};
use chrono::Utc;
use entity::contribution::{ActiveModel, Entity, Model};
use entity::enums::{
    ContributionKind as Kind, ContributionStatus as Status, FundingSource as Source, TargetGroup,
};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel};

/// A new contribution.
#[derive(Debug, Clone)]
pub struct NewContribution {
    /// The contributing organization; `None` is the actor's own.
    pub contributor_id: Option<String>,
    /// Funding source.
    pub source: Source,
    /// Form.
    pub kind: Kind,
    /// Region code, dotted or not.
    pub region_code: String,
    /// Program it belongs to.
    pub program_id: Option<String>,
    /// Fiscal year.
    pub fiscal_year: i32,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Target group.
    pub target_group: Option<TargetGroup>,
    /// Number of beneficiaries.
    pub beneficiaries: Option<i32>,
    /// Planned amount, whole Rupiah.
    pub amount_planned: i64,
    /// Committed amount (0 when absent).
    pub amount_committed: Option<i64>,
    /// PLANNED (the default) or COMMITTED.
    pub status: Option<Status>,
}

/// Changes to a contribution; `None` leaves a value as it is.
#[derive(Debug, Clone, Default)]
pub struct ContributionPatch {
    /// New region.
    pub region_code: Option<String>,
    /// New program.
    pub program_id: Option<String>,
    /// New fiscal year.
    pub fiscal_year: Option<i32>,
    /// New title.
    pub title: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// New target group.
    pub target_group: Option<TargetGroup>,
    /// New number of beneficiaries.
    pub beneficiaries: Option<i32>,
    /// New planned amount.
    pub amount_planned: Option<i64>,
    /// New committed amount.
    pub amount_committed: Option<i64>,
    /// New source.
    pub source: Option<Source>,
    /// New kind.
    pub kind: Option<Kind>,
}

/// The input field a contribution rule speaks about.
pub fn input_field(field: rules::Field) -> &'static str {
    use rules::Field as F;
    match field {
        F::FiscalYear => "input.fiscalYear",
        F::Beneficiaries => "input.beneficiaries",
        F::AmountPlanned => "input.amountPlanned",
        F::AmountCommitted => "input.amountCommitted",
        F::Title => "input.title",
        F::Description => "input.description",
        F::Region => "input.regionCode",
        F::Source => "input.source",
        F::Program => "input.programId",
    }
}

/// Loads what `c` points at and applies [`rules::contribution`].
async fn check_rules(db: &impl ConnectionTrait, c: &Model) -> AppResult<()> {
    let contributor = entity::organization::Entity::find_by_id(c.contributor_id.clone())
        .one(db)
        .await?
        .ok_or_else(|| AppError::bad_input("input.contributorId", "no such organization"))?;
    let region = entity::region::Entity::find_by_id(c.region_code.clone())
        .one(db)
        .await?;
    let program = match &c.program_id {
        Some(id) => {
            entity::program::Entity::find_by_id(id.clone())
                .one(db)
                .await?
        }
        None => None,
    };
    let related = rules::Related {
        contributor: &contributor,
        region: region.as_ref(),
        program: program.as_ref(),
        program_found: c.program_id.is_none() || program.is_some(),
    };
    rules::contribution(c, related).map_err(|(f, m)| AppError::bad_input(input_field(f), m))
}

/// Trims a title and a description (blank descriptions become absent); their lengths are rules.
fn tidy(title: &str, description: Option<&str>) -> (String, Option<String>) {
    let description = description
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_string);
    (title.trim().to_string(), description)
}

/// Records a contribution of the actor's organization (an admin: of any). With a client key, a
/// retried create returns the first result instead of a duplicate.
pub async fn create(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    input: NewContribution,
    key: Option<&str>,
) -> AppResult<Model> {
    if let Some(found) =
        writes::replayed::<Entity>(db, actor, key, AuditEntity::Contribution).await?
    {
        return Ok(found);
    }
    let contributor_id = input
        .contributor_id
        .or_else(|| actor.organization_id().map(str::to_string))
        .ok_or_else(|| {
            AppError::bad_input("input.contributorId", "name the contributing organization")
        })?;
    actor.require_acting_for(
        &contributor_id,
        "record contributions for this organization",
    )?;
    let status = input.status.unwrap_or(Status::Planned);
    if !matches!(status, Status::Planned | Status::Committed) {
        return Err(AppError::bad_input(
            "input.status",
            "a new contribution is PLANNED or COMMITTED",
        ));
    }
    let region = parse_code("input.regionCode", &input.region_code)?;
    let (title, description) = tidy(&input.title, input.description.as_deref());
    let now = Utc::now();
    let model = Model {
        id: new_id(),
        contributor_id,
        source: input.source,
        kind: input.kind,
        region_code: region.to_string(),
        program_id: input.program_id,
        fiscal_year: input.fiscal_year,
        title,
        description,
        target_group: input.target_group,
        beneficiaries: input.beneficiaries,
        amount_planned: input.amount_planned,
        amount_committed: input.amount_committed.unwrap_or(0),
        amount_disbursed: 0,
        amount_realised: 0,
        status,
        version: 1,
        created_by: actor.user_id().map(str::to_string),
        created_at: now,
        updated_at: now,
        external_key: None,
        verification: verification::after_write(actor, &region.to_string()),
        verification_note: None,
    };
    check_rules(db, &model).await?;
    let model = ActiveModel::from(model).insert(db).await?;
    writes::created(
        db,
        actor,
        key,
        (AuditEntity::Contribution, &model.id),
        &model,
    )
    .await?;
    Ok(model)
}

/// Who may change a contribution: a draft of another organization is not even acknowledged (NOT
/// FOUND); otherwise the contributor itself or an admin.
pub(super) fn may_change<'a>(actor: &'a Actor<'a>) -> impl FnOnce(&Model) -> AppResult<()> + 'a {
    move |c| {
        if c.status == Status::Planned
            && !actor.is_admin()
            && actor.organization_id() != Some(c.contributor_id.as_str())
            && !actor.coordinates(&c.region_code)
        {
            return Err(AppError::NotFound("no such contribution".into()));
        }
        actor.require_acting_for(&c.contributor_id, "change this contribution")
    }
}

/// Changes a contribution's values; `version` is the one the caller read.
pub async fn update(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    (id, version): (&str, i32),
    patch: ContributionPatch,
) -> AppResult<Model> {
    let change = Change::new(id, version, "update");
    writes::update(
        db,
        actor,
        change,
        may_change(actor),
        async |before: &Model| {
            if before.status == Status::Cancelled {
                return Err(AppError::bad_input(
                    "id",
                    "a cancelled contribution cannot be changed",
                ));
            }
            let next = patched(before, patch)?;
            check_rules(db, &next).await?;
            let am = with_values(before, &next);
            Ok(resubmitted(actor, am, &next.region_code))
        },
    )
    .await
}

/// The verification state a change by `actor` leaves (see `services::verification`): a member's
/// change makes the contribution SUBMITTED again, a verified or returned one included.
pub(super) fn resubmitted(actor: &Actor<'_>, mut am: ActiveModel, region: &str) -> ActiveModel {
    am.verification = Set(verification::after_write(actor, region));
    am.verification_note = Set(None);
    am
}

/// The contribution as it would be with `patch` applied.
fn patched(before: &Model, p: ContributionPatch) -> AppResult<Model> {
    let mut next = before.clone();
    if let Some(r) = &p.region_code {
        next.region_code = parse_code("input.regionCode", r)?.to_string();
    }
    if let Some(id) = p.program_id {
        next.program_id = Some(id);
    }
    if let Some(y) = p.fiscal_year {
        next.fiscal_year = y;
    }
    let (title, description) = tidy(
        p.title.as_deref().unwrap_or(&before.title),
        p.description.as_deref().or(before.description.as_deref()),
    );
    next.title = title;
    if p.description.is_some() {
        next.description = description;
    }
    next.target_group = p.target_group.or(before.target_group);
    next.beneficiaries = p.beneficiaries.or(before.beneficiaries);
    next.amount_planned = p.amount_planned.unwrap_or(before.amount_planned);
    next.amount_committed = p.amount_committed.unwrap_or(before.amount_committed);
    next.source = p.source.unwrap_or(before.source);
    next.kind = p.kind.unwrap_or(before.kind);
    Ok(next)
}

/// Moves a contribution along its life cycle (PLANNED → COMMITTED → IN_PROGRESS → COMPLETED);
/// cancelling is [`cancel`].
pub async fn set_status(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    (id, version): (&str, i32),
    status: Status,
) -> AppResult<Model> {
    if status == Status::Cancelled {
        return Err(AppError::bad_input(
            "status",
            "use cancelContribution to cancel",
        ));
    }
    let change = Change::new(id, version, "status");
    writes::update(
        db,
        actor,
        change,
        may_change(actor),
        async |before: &Model| {
            if before.status == Status::Cancelled {
                return Err(AppError::bad_input(
                    "status",
                    "a cancelled contribution stays cancelled",
                ));
            }
            let mut next = before.clone();
            next.status = status;
            check_rules(db, &next).await?;
            let mut am = before.clone().into_active_model();
            am.status = Set(status);
            Ok(resubmitted(actor, am, &before.region_code))
        },
    )
    .await
}

/// The stored row with `next`'s editable values (region, program, year, texts, target group,
/// beneficiaries, amounts, source, kind): what `updateContribution` and a re-import both change.
pub fn with_values(before: &Model, next: &Model) -> ActiveModel {
    let mut am = before.clone().into_active_model();
    am.region_code = Set(next.region_code.clone());
    am.program_id = Set(next.program_id.clone());
    am.fiscal_year = Set(next.fiscal_year);
    am.title = Set(next.title.clone());
    am.description = Set(next.description.clone());
    am.target_group = Set(next.target_group);
    am.beneficiaries = Set(next.beneficiaries);
    am.amount_planned = Set(next.amount_planned);
    am.amount_committed = Set(next.amount_committed);
    am.source = Set(next.source);
    am.kind = Set(next.kind);
    am
}

/// Cancels a contribution. Nothing is ever deleted: it stays, CANCELLED, with its history.
pub async fn cancel(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    (id, version): (&str, i32),
) -> AppResult<Model> {
    let change = Change::new(id, version, "cancel");
    writes::update(
        db,
        actor,
        change,
        may_change(actor),
        async |before: &Model| {
            let mut am = before.clone().into_active_model();
            am.status = Set(Status::Cancelled);
            Ok(resubmitted(actor, am, &before.region_code))
        },
    )
    .await
}

pub use super::money::{NewTransaction, TRANSACTION_NOTE_MAX, add_transaction};
