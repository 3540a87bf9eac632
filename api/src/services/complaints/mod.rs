//! Data complaints (pengaduan, issue 14): anyone, signed in or not, reports that a figure about a
//! village or a record is wrong and follows it with a tracking code; the region's coordinators
//! triage it, RECEIVED → IN_REVIEW → RESOLVED (linking the audit rows of the correction) or
//! REJECTED (with the reason).
//!
//! Personal data (UU 27/2022): a complaint keeps who filed it nowhere (its audit row names no user,
//! even when the reporter was signed in) and holds only the optional contact, which only the
//! region's coordinators (and admins) read, which never reaches an audit row (the model does not
//! serialize it), and which is erased when the complaint closes.

pub mod code;
mod triage;

pub use triage::{Triage, inbox, triage};

use crate::error::{AppError, AppResult};
use crate::region_code::parse_code;
use crate::services::audit::AuditEntity;
use crate::services::authz::Actor;
use crate::services::writes::{opt_text, text};
use crate::services::{audit, new_id};
use entity::complaint::{ActiveModel, Column, Entity, Model};
use entity::enums::{ComplaintStatus, ContributionStatus};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// Longest "what is wrong" (which figure), in characters.
pub const WHAT_MAX: usize = 200;
/// Longest reason, in characters: room for an explanation, not for a document.
pub const REASON_MAX: usize = 2000;
/// Longest contact (a phone number or an e-mail address), in characters.
pub const CONTACT_MAX: usize = 200;

/// A new complaint, as the reporter gives it.
#[derive(Debug, Clone, Default)]
pub struct NewComplaint {
    /// The village (or any region) whose figure is wrong.
    pub region_code: Option<String>,
    /// The contribution whose figure is wrong.
    pub contribution_id: Option<String>,
    /// The year of the village's indicators, when the complaint is about them.
    pub fiscal_year: Option<i32>,
    /// Which figure is wrong.
    pub what: String,
    /// Why it is wrong.
    pub reason: String,
    /// How to reach the reporter (optional).
    pub contact: Option<String>,
}

/// Files a complaint; `reader` is who may see drafts (a draft of another organization cannot be
/// complained about by someone who cannot see it: NOT_FOUND, as everywhere).
pub async fn file(
    db: &impl ConnectionTrait,
    reader: Option<&Actor<'_>>,
    input: NewComplaint,
) -> AppResult<Model> {
    let what = text("input.what", &input.what, WHAT_MAX)?;
    let reason = text("input.reason", &input.reason, REASON_MAX)?;
    let contact = opt_text("input.contact", input.contact.as_deref(), CONTACT_MAX)?;
    if let Some(y) = input.fiscal_year
        && !crate::services::FISCAL_YEARS.contains(&y)
    {
        return Err(AppError::bad_input(
            "input.fiscalYear",
            crate::services::rules::FISCAL_YEAR_MESSAGE,
        ));
    }
    let region = subject(db, reader, &input).await?;
    let now = chrono::Utc::now();
    let mut model = Model {
        id: new_id(),
        tracking_code: code::generate()?,
        region_code: region,
        contribution_id: input.contribution_id,
        fiscal_year: input.fiscal_year,
        what,
        reason,
        contact,
        status: ComplaintStatus::Received,
        resolution: None,
        corrections: None,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    // 60 random bits make a repeat practically impossible; should one happen, draw again.
    while Entity::find()
        .filter(Column::TrackingCode.eq(model.tracking_code.as_str()))
        .one(db)
        .await?
        .is_some()
    {
        model.tracking_code = code::generate()?;
    }
    let model = ActiveModel::from(model).insert(db).await?;
    audit::record(
        db,
        &Actor::System,
        AuditEntity::Complaint,
        &model.id,
        "create",
        None::<&()>,
        Some(&model),
    )
    .await?;
    Ok(model)
}

/// The region a complaint concerns: the contribution's, or the region named (which must exist).
async fn subject(
    db: &impl ConnectionTrait,
    reader: Option<&Actor<'_>>,
    input: &NewComplaint,
) -> AppResult<String> {
    match (&input.contribution_id, &input.region_code) {
        (Some(_), Some(_)) | (None, None) => Err(AppError::bad_input(
            "input.contributionId",
            "name either a contribution or a village (regionCode), not both",
        )),
        (Some(id), None) => {
            let c = entity::contribution::Entity::find_by_id(id.clone())
                .one(db)
                .await?
                .filter(|c| {
                    c.status != ContributionStatus::Planned
                        || reader.is_some_and(|a| {
                            a.is_admin()
                                || a.coordinates(&c.region_code)
                                || a.organization_id() == Some(c.contributor_id.as_str())
                        })
                })
                .ok_or_else(|| {
                    AppError::bad_input("input.contributionId", "no such contribution")
                })?;
            Ok(c.region_code)
        }
        (None, Some(raw)) => {
            let code = parse_code("input.regionCode", raw)?;
            entity::region::Entity::find_by_id(code.to_string())
                .one(db)
                .await?
                .ok_or_else(|| {
                    AppError::bad_input("input.regionCode", "no such region in the hub")
                })?;
            Ok(code.to_string())
        }
    }
}

/// The complaint with this tracking code (as typed), for anyone who has it.
pub async fn track(db: &impl ConnectionTrait, typed: &str) -> AppResult<Option<Model>> {
    let code = code::parse("trackingCode", typed)?;
    Ok(Entity::find()
        .filter(Column::TrackingCode.eq(code))
        .one(db)
        .await?)
}

/// One complaint by id, for the coordinators of its region and admins (who triage it); none for
/// anyone else, as for an unknown id, so that ids of other regions' complaints tell nothing.
pub async fn one(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    id: &str,
) -> AppResult<Option<Model>> {
    Ok(Entity::find_by_id(id.to_string())
        .one(db)
        .await?
        .filter(|c| may_read_contact(actor, c)))
}

/// Whether `actor` may read the complaint's contact: the region's coordinators and admins.
pub fn may_read_contact(actor: &Actor<'_>, c: &Model) -> bool {
    actor.is_admin() || actor.coordinates(&c.region_code)
}
