//! Verification by the TKPK secretariat (issue 14): what a member writes counts as SUBMITTED until a
//! coordinator whose region covers the record marks it VERIFIED, or RETURNED with a note saying
//! what to fix. Each step goes through [`writes::update`] (version checked, audit rows `verify` and
//! `return`).
//!
//! Decisions:
//! - A write by an admin, by the system (command line, demo) or by a coordinator whose region covers
//!   the record leaves it VERIFIED: they are the ones who verify, and a second look by themselves
//!   would add a step and no trust. Every other write (a member's, or a coordinator's outside its
//!   region) leaves it SUBMITTED.
//! - Any change by a member makes the record SUBMITTED again, a verified one included: a new
//!   transaction, a status change or a cancellation change the figures as much as an edit does.
//!   A RETURNED record is resubmitted the same way, by editing it (the note is cleared; the audit
//!   trail keeps it).
//! - A contribution's transactions are verified with it: verifying the contribution verifies every
//!   transaction it has, so "verified figures" never mix a verified contribution with unverified
//!   money movements (a new movement makes the contribution SUBMITTED again).

mod queue;

pub use queue::{QueueItem, queue};

use crate::error::{AppError, AppResult};
use crate::services::authz::Actor;
use crate::services::writes::{self, Change};
use entity::enums::{ContributionStatus, Verification};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter};

/// Longest note on a returned record, in characters.
pub const NOTE_MAX: usize = 1000;

/// The state a write by `actor` leaves a record of `region` in (see the module's decisions).
pub fn after_write(actor: &Actor<'_>, region: &str) -> Verification {
    if actor.is_admin() || actor.coordinates(region) {
        Verification::Verified
    } else {
        Verification::Submitted
    }
}

/// A coordinator's decision on a submitted record.
#[derive(Debug, Clone)]
pub enum Decision {
    /// It is right.
    Verify,
    /// It needs fixing: what to fix.
    Return(String),
}

impl Decision {
    fn action(&self) -> &'static str {
        match self {
            Decision::Verify => "verify",
            Decision::Return(_) => "return",
        }
    }

    /// The state and note it leaves, after checking the note.
    fn outcome(&self) -> AppResult<(Verification, Option<String>)> {
        match self {
            Decision::Verify => Ok((Verification::Verified, None)),
            Decision::Return(note) => Ok((
                Verification::Returned,
                Some(writes::text("note", note, NOTE_MAX)?),
            )),
        }
    }
}

/// Only a submitted record waits for a decision.
fn require_submitted(state: Verification, what: &str) -> AppResult<()> {
    if state == Verification::Submitted {
        return Ok(());
    }
    let now = match state {
        Verification::Verified => "already verified",
        _ => "returned: it comes back when its organization edits it",
    };
    Err(AppError::bad_input(
        "id",
        format!("only a SUBMITTED {what} waits for verification; this one is {now}"),
    ))
}

/// Verifies or returns a contribution (coordinators of its region, admins), with its transactions.
/// A draft of another organization outside the caller's region is not acknowledged (NOT_FOUND), as
/// everywhere.
pub async fn decide_contribution(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    (id, version): (&str, i32),
    decision: Decision,
) -> AppResult<entity::contribution::Model> {
    use entity::contribution::Model;
    use entity::contribution_transaction as tx;
    let (state, note) = decision.outcome()?;
    let change = Change::new(id, version, decision.action());
    let authorize = |c: &Model| {
        if c.status == ContributionStatus::Planned
            && !actor.is_admin()
            && !actor.coordinates(&c.region_code)
            && actor.organization_id() != Some(c.contributor_id.as_str())
        {
            return Err(AppError::NotFound("no such contribution".into()));
        }
        actor.require_coordinator_of(&c.region_code, "verify this contribution")
    };
    writes::update(db, actor, change, authorize, async |before: &Model| {
        require_submitted(before.verification, "contribution")?;
        if state == Verification::Verified {
            tx::Entity::update_many()
                .col_expr(tx::Column::Verification, Expr::value(state))
                .filter(tx::Column::ContributionId.eq(before.id.as_str()))
                .filter(tx::Column::Verification.ne(state))
                .exec(db)
                .await?;
        }
        let mut am = before.clone().into_active_model();
        am.verification = Set(state);
        am.verification_note = Set(note);
        Ok::<_, AppError>(am)
    })
    .await
}

/// Verifies or returns a village's indicators for a year (coordinators of the village, admins).
pub async fn decide_indicators(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    (id, version): (&str, i32),
    decision: Decision,
) -> AppResult<entity::village_indicator::Model> {
    use entity::village_indicator::Model;
    let (state, note) = decision.outcome()?;
    let change = Change::new(id, version, decision.action());
    let authorize =
        |m: &Model| actor.require_coordinator_of(&m.village_code, "verify these indicators");
    writes::update(db, actor, change, authorize, async |before: &Model| {
        require_submitted(before.verification, "set of village indicators")?;
        let mut am = before.clone().into_active_model();
        am.verification = Set(state);
        am.verification_note = Set(note);
        Ok(am)
    })
    .await
}
