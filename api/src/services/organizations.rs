//! Every write of an organization. The GraphQL mutations call these; the spreadsheet import checks
//! its rows with the same [`rules::organization_name`]. Errors name the public API's input fields.

use crate::error::{AppError, AppResult};
use crate::region_code::parse_code;
use crate::services::audit::AuditEntity;
use crate::services::authz::Actor;
use crate::services::writes::{self, Change};
use crate::services::{new_id, rules};
use chrono::Utc;
use entity::enums::{Helix, OrganizationKind};
use entity::organization::{ActiveModel, Entity, Model};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel};

/// A new organization.
#[derive(Debug, Clone)]
pub struct NewOrganization {
    /// Name.
    pub name: String,
    /// Helix.
    pub helix: Helix,
    /// Kind.
    pub kind: OrganizationKind,
    /// Home region code.
    pub region_code: String,
    /// The body it belongs to.
    pub parent_id: Option<String>,
}

/// Changes to an organization; `None` leaves a value as it is.
#[derive(Debug, Clone, Default)]
pub struct OrganizationPatch {
    /// New name.
    pub name: Option<String>,
    /// New helix.
    pub helix: Option<Helix>,
    /// New kind.
    pub kind: Option<OrganizationKind>,
    /// New home region.
    pub region_code: Option<String>,
    /// New parent.
    pub parent_id: Option<String>,
}

/// The region `code` names, which the hub must have.
pub async fn region_exists(
    db: &impl ConnectionTrait,
    field: &str,
    code: &str,
) -> AppResult<String> {
    let code = parse_code(field, code)?;
    entity::region::Entity::find_by_id(code.to_string())
        .one(db)
        .await?
        .map(|r| r.code)
        .ok_or_else(|| AppError::bad_input(field, format!("no region {code} in the hub")))
}

/// The organization `id` names, which the hub must have.
pub async fn org_exists(db: &impl ConnectionTrait, field: &str, id: &str) -> AppResult<Model> {
    Entity::find_by_id(id.to_string())
        .one(db)
        .await?
        .ok_or_else(|| AppError::bad_input(field, "no such organization"))
}

fn name(field: &str, raw: &str) -> AppResult<String> {
    rules::organization_name(raw).map_err(|m| AppError::bad_input(field, m))
}

/// Registers an organization (admins; coordinators inside their region). With a client key, a
/// retried create returns the first result instead of a duplicate.
pub async fn create(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    input: NewOrganization,
    key: Option<&str>,
) -> AppResult<Model> {
    if let Some(found) =
        writes::replayed::<Entity>(db, actor, key, AuditEntity::Organization).await?
    {
        return Ok(found);
    }
    let name = name("input.name", &input.name)?;
    let region = region_exists(db, "input.regionCode", &input.region_code).await?;
    actor.require_coordinator_of(&region, "register organizations here")?;
    if let Some(p) = &input.parent_id {
        org_exists(db, "input.parentId", p).await?;
    }
    let now = Utc::now();
    let model = ActiveModel {
        id: Set(new_id()),
        search_name: Set(crate::text::fold(&name)),
        name: Set(name),
        helix: Set(input.helix),
        kind: Set(input.kind),
        region_code: Set(region),
        parent_id: Set(input.parent_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    writes::created(
        db,
        actor,
        key,
        (AuditEntity::Organization, &model.id),
        &model,
    )
    .await?;
    Ok(model)
}

/// Changes an organization (admins; coordinators of its region, and of the new region if it moves).
pub async fn update(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    (id, version): (&str, i32),
    patch: OrganizationPatch,
) -> AppResult<Model> {
    let change = Change::new(id, version, "update");
    let authorize =
        |o: &Model| actor.require_coordinator_of(&o.region_code, "change this organization");
    writes::update(db, actor, change, authorize, async |before: &Model| {
        let mut am = before.clone().into_active_model();
        if let Some(n) = &patch.name {
            let n = name("input.name", n)?;
            am.search_name = Set(crate::text::fold(&n));
            am.name = Set(n);
        }
        if let Some(h) = patch.helix {
            am.helix = Set(h);
        }
        if let Some(k) = patch.kind {
            am.kind = Set(k);
        }
        if let Some(r) = &patch.region_code {
            let r = region_exists(db, "input.regionCode", r).await?;
            actor.require_coordinator_of(&r, "move an organization there")?;
            am.region_code = Set(r);
        }
        if let Some(p) = patch.parent_id {
            if p == before.id {
                return Err(AppError::bad_input(
                    "input.parentId",
                    "an organization cannot belong to itself",
                ));
            }
            org_exists(db, "input.parentId", &p).await?;
            am.parent_id = Set(Some(p));
        }
        Ok(am)
    })
    .await
}
