//! The coordinators' side of complaints: the inbox of a region and the triage steps, each through
//! [`writes::update`] (version checked, audit rows `review`, `resolve`, `reject`).

use crate::error::{AppError, AppResult};
use crate::region_code::RegionCode;
use crate::services::audit::AuditEntity;
use crate::services::authz::Actor;
use crate::services::contributions::region_condition;
use crate::services::oldest_first::{After, Page, after};
use crate::services::writes::{self, Change, text};
use entity::complaint::{Column, Entity, Model};
use entity::enums::ComplaintStatus as Status;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

/// Longest resolution note or rejection reason, in characters.
pub const RESOLUTION_MAX: usize = 1000;
/// Most audit rows one resolution links.
pub const CORRECTIONS_MAX: usize = 50;

/// A triage step.
#[derive(Debug, Clone)]
pub enum Triage {
    /// RECEIVED → IN_REVIEW: a coordinator takes it up.
    Review,
    /// IN_REVIEW → RESOLVED: the figure was corrected by these audit rows; what was done.
    Resolve {
        /// Audit row ids of the correction.
        corrections: Vec<String>,
        /// What was corrected.
        note: String,
    },
    /// RECEIVED or IN_REVIEW → REJECTED, with the reason.
    Reject(String),
}

impl Triage {
    fn action(&self) -> &'static str {
        match self {
            Triage::Review => "review",
            Triage::Resolve { .. } => "resolve",
            Triage::Reject(_) => "reject",
        }
    }
}

/// Takes a triage step on a complaint (coordinators of its region, admins). Closing it (RESOLVED or
/// REJECTED) erases the contact.
pub async fn triage(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    (id, version): (&str, i32),
    step: Triage,
) -> AppResult<Model> {
    let change = Change::new(id, version, step.action());
    let authorize =
        |c: &Model| actor.require_coordinator_of(&c.region_code, "triage this complaint");
    writes::update(db, actor, change, authorize, async |before: &Model| {
        let mut am = before.clone().into_active_model();
        let next = match (&step, before.status) {
            (Triage::Review, Status::Received) => Status::InReview,
            (Triage::Resolve { corrections, note }, Status::InReview) => {
                let note = text("note", note, RESOLUTION_MAX)?;
                let ids = checked_corrections(db, before, corrections).await?;
                am.resolution = Set(Some(note));
                am.corrections = Set(Some(serde_json::to_string(&ids).unwrap_or_default()));
                Status::Resolved
            }
            (Triage::Reject(reason), Status::Received | Status::InReview) => {
                am.resolution = Set(Some(text("reason", reason, RESOLUTION_MAX)?));
                Status::Rejected
            }
            (_, now) => {
                return Err(AppError::bad_input(
                    "id",
                    format!(
                        "a complaint that is {now:?} cannot be {}",
                        match step {
                            Triage::Review => "taken into review (it is not RECEIVED)",
                            Triage::Resolve { .. } => "resolved (review it first)",
                            Triage::Reject(_) => "rejected (it is closed)",
                        }
                    ),
                ));
            }
        };
        am.status = Set(next);
        if matches!(next, Status::Resolved | Status::Rejected) {
            am.contact = Set(None);
        }
        Ok(am)
    })
    .await
}

/// The correction's audit rows: at least one, each existing, made since the complaint was filed, and
/// about a record inside the complaint's region (its contribution, when it names one).
async fn checked_corrections(
    db: &impl ConnectionTrait,
    complaint: &Model,
    ids: &[String],
) -> AppResult<Vec<String>> {
    const FIELD: &str = "correctionIds";
    let mut ids: Vec<String> = ids.iter().map(|s| s.trim().to_string()).collect();
    ids.sort();
    ids.dedup();
    if ids.is_empty() || ids.len() > CORRECTIONS_MAX {
        return Err(AppError::bad_input(
            FIELD,
            format!("link the 1 to {CORRECTIONS_MAX} audit rows of the correction"),
        ));
    }
    use entity::audit_log as a;
    let rows = a::Entity::find()
        .filter(a::Column::Id.is_in(ids.clone()))
        .all(db)
        .await?;
    if rows.len() != ids.len() {
        return Err(AppError::bad_input(FIELD, "no such audit row"));
    }
    for r in &rows {
        if r.at < complaint.created_at {
            return Err(AppError::bad_input(
                FIELD,
                "a correction is made after the complaint was filed",
            ));
        }
        let region = audited_region(db, r).await?;
        let inside = region.as_deref().is_some_and(|code| {
            code == complaint.region_code
                || code.starts_with(&format!("{}.", complaint.region_code))
        });
        let same_record = complaint
            .contribution_id
            .as_deref()
            .is_none_or(|c| c == r.entity_id || r.entity != AuditEntity::Contribution.name());
        if !inside || !same_record {
            return Err(AppError::bad_input(
                FIELD,
                "a correction changes a record the complaint is about (inside its region)",
            ));
        }
    }
    Ok(ids)
}

/// The region of the record an audit row is about (contributions, their transactions, village
/// indicators: the records whose figures a complaint can be about).
async fn audited_region(
    db: &impl ConnectionTrait,
    row: &entity::audit_log::Model,
) -> AppResult<Option<String>> {
    let contribution = |id: String| async move {
        AppResult::Ok(
            entity::contribution::Entity::find_by_id(id)
                .one(db)
                .await?
                .map(|c| c.region_code),
        )
    };
    match AuditEntity::from_name(&row.entity) {
        Some(AuditEntity::Contribution) => contribution(row.entity_id.clone()).await,
        Some(AuditEntity::Transaction) => {
            let tx = entity::contribution_transaction::Entity::find_by_id(row.entity_id.clone())
                .one(db)
                .await?;
            match tx {
                Some(t) => contribution(t.contribution_id).await,
                None => Ok(None),
            }
        }
        Some(AuditEntity::VillageIndicator) => Ok(entity::village_indicator::Entity::find_by_id(
            row.entity_id.clone(),
        )
        .one(db)
        .await?
        .map(|v| v.village_code)),
        _ => Ok(None),
    }
}

/// A region's complaints (default: the coordinator's whole region), open ones unless `statuses`
/// says otherwise, oldest first, `limit` of them after `from` (from the start without it); and how
/// many match in all.
pub async fn inbox(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    region: Option<RegionCode>,
    statuses: &[Status],
    limit: u64,
    from: Option<&After>,
) -> AppResult<Page<Model>> {
    let region =
        match (region, actor) {
            (Some(r), _) => {
                actor.require_coordinator_of(r.as_str(), "read this region's complaints")?;
                Some(r)
            }
            (None, _) if actor.is_admin() => None,
            (None, Actor::User(u))
                if u.region_scope
                    .as_deref()
                    .is_some_and(|s| actor.coordinates(s)) =>
            {
                let scope = u.region_scope.as_deref().unwrap_or_default();
                Some(RegionCode::parse(scope).map_err(|e| {
                    AppError::Internal(anyhow::anyhow!("stored scope {scope}: {e}"))
                })?)
            }
            _ => {
                return Err(AppError::Forbidden(
                    "only coordinators and admins read complaints".into(),
                ));
            }
        };
    let statuses = if statuses.is_empty() {
        vec![Status::Received, Status::InReview]
    } else {
        statuses.to_vec()
    };
    let mut q = Entity::find().filter(Column::Status.is_in(statuses));
    if let Some(r) = &region {
        q = q.filter(region_condition(Column::RegionCode, r));
    }
    let total = q.clone().count(db).await? as i64;
    if let Some(place) = from {
        q = q.filter(after(Column::CreatedAt, Column::Id, place));
    }
    let rows = q
        .order_by_asc(Column::CreatedAt)
        .order_by_asc(Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    Ok(Page::from_rows(rows, limit, total))
}
