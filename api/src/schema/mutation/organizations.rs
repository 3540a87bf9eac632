use super::{actor, begin};
use crate::error::{AppError, AppResult, GqlResult};
use crate::region_code::parse_code;
use crate::schema::enums::{Helix, OrganizationKind, Role};
use crate::schema::types::organization::Organization;
use crate::schema::types::user::{User, user_by_id};
use crate::services::writes::{
    check_client_key, check_version, finish_create, lock_version, remember, remembered, replayed,
    save_update, text,
};
use crate::services::{audit, new_id, passwords};
use async_graphql::{Context, ID, InputObject, Object};
use chrono::Utc;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
};

#[derive(Default)]
pub struct OrganizationMutation;

/// A new organization.
#[derive(InputObject)]
pub struct OrganizationInput {
    /// Name (at most 200 characters).
    name: String,
    /// Helix.
    helix: Helix,
    /// Kind.
    kind: OrganizationKind,
    /// Home region code.
    region_code: String,
    /// The body it belongs to.
    parent_id: Option<ID>,
}

/// Changes to an organization; absent fields stay as they are.
#[derive(InputObject, Default)]
pub struct OrganizationPatch {
    /// New name.
    name: Option<String>,
    /// New helix.
    helix: Option<Helix>,
    /// New kind.
    kind: Option<OrganizationKind>,
    /// New home region.
    region_code: Option<String>,
    /// New parent.
    parent_id: Option<ID>,
}

/// A new user.
#[derive(InputObject)]
pub struct UserInput {
    /// Sign-in e-mail (unique).
    email: String,
    /// Display name.
    name: String,
    /// Initial password (at least 10 characters).
    password: String,
    /// Role.
    role: Role,
    /// Organization it acts for (required for members and coordinators).
    organization_id: Option<ID>,
    /// For coordinators: the region prefix it manages.
    region_scope: Option<String>,
}

/// Changes to a user; absent fields stay as they are.
#[derive(InputObject, Default)]
pub struct UserPatch {
    /// New display name.
    name: Option<String>,
    /// New role.
    role: Option<Role>,
    /// New organization.
    organization_id: Option<ID>,
    /// New coordinator region.
    region_scope: Option<String>,
    /// Allow or stop sign-in.
    active: Option<bool>,
    /// New password.
    password: Option<String>,
}

async fn region_exists(db: &impl ConnectionTrait, field: &str, code: &str) -> AppResult<String> {
    let code = parse_code(field, code)?;
    entity::region::Entity::find_by_id(code.to_string())
        .one(db)
        .await?
        .map(|r| r.code)
        .ok_or_else(|| AppError::bad_input(field, format!("no region {code} in the hub")))
}

async fn org_exists(
    db: &impl ConnectionTrait,
    field: &str,
    id: &str,
) -> AppResult<entity::organization::Model> {
    entity::organization::Entity::find_by_id(id.to_string())
        .one(db)
        .await?
        .ok_or_else(|| AppError::bad_input(field, "no such organization"))
}

fn check_password(field: &str, p: &str) -> AppResult<()> {
    if p.chars().count() < 10 || p.len() > 1024 {
        return Err(AppError::bad_input(field, "between 10 and 1024 characters"));
    }
    Ok(())
}

fn check_email(e: &str) -> AppResult<String> {
    let e = text("input.email", e, 254)?.to_lowercase();
    let ok = e.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && domain.contains('.') && !e.contains(' ')
    });
    if ok {
        Ok(e)
    } else {
        Err(AppError::bad_input("input.email", "not an e-mail address"))
    }
}

/// A role's shape: coordinators need a region and an organization, members an organization.
fn check_role_shape(
    role: entity::enums::Role,
    org: &Option<String>,
    scope: &Option<String>,
) -> AppResult<()> {
    use entity::enums::Role as R;
    match role {
        R::Coordinator if scope.is_none() => Err(AppError::bad_input(
            "input.regionScope",
            "a coordinator needs a region",
        )),
        R::Coordinator | R::Member if org.is_none() => Err(AppError::bad_input(
            "input.organizationId",
            "a member or coordinator acts for an organization",
        )),
        _ => Ok(()),
    }
}

/// Who may manage users: an admin anyone; a coordinator members and viewers of organizations in its
/// region (never admins or other coordinators).
fn may_manage_user(
    actor: &crate::services::authz::Actor<'_>,
    role: entity::enums::Role,
    org_region: Option<&str>,
) -> AppResult<()> {
    if actor.is_admin() {
        return Ok(());
    }
    let plain = matches!(
        role,
        entity::enums::Role::Member | entity::enums::Role::Viewer
    );
    match org_region {
        Some(r) if plain && actor.coordinates(r) => Ok(()),
        _ => Err(AppError::Forbidden(
            "only an admin, or a coordinator for members and viewers of organizations in its region, may manage this user".into(),
        )),
    }
}

#[Object]
impl OrganizationMutation {
    /// Registers an organization (admins; coordinators inside their region). With a `clientKey`, a
    /// retried call returns the first result instead of creating a duplicate.
    async fn create_organization(
        &self,
        ctx: &Context<'_>,
        input: OrganizationInput,
        client_key: Option<String>,
    ) -> GqlResult<Organization> {
        use entity::organization::{ActiveModel, Entity};
        let actor = actor(ctx)?;
        let key = check_client_key(&client_key)?;
        let w = begin(ctx).await?;
        if let Some(found) = replayed::<Entity>(&w.txn, actor.id(), key, "organization").await? {
            return Ok(Organization(found));
        }
        let name = text("input.name", &input.name, 200)?;
        let region = region_exists(&w.txn, "input.regionCode", &input.region_code).await?;
        actor.require_coordinator_of(&region, "register organizations here")?;
        if let Some(p) = &input.parent_id {
            org_exists(&w.txn, "input.parentId", p).await?;
        }
        let now = Utc::now();
        let model = ActiveModel {
            id: Set(new_id()),
            search_name: Set(crate::text::fold(&name)),
            name: Set(name),
            helix: Set(input.helix.into()),
            kind: Set(input.kind.into()),
            region_code: Set(region),
            parent_id: Set(input.parent_id.map(|p| p.0)),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&w.txn)
        .await
        .map_err(AppError::from)?;
        finish_create(w, &actor, key, "organization", &model.id, &model).await?;
        Ok(Organization(model))
    }

    /// Changes an organization (admins; coordinators of its region, and of the new region if it moves).
    async fn update_organization(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        input: OrganizationPatch,
    ) -> GqlResult<Organization> {
        use entity::organization::Entity;
        let actor = actor(ctx)?;
        let w = begin(ctx).await?;
        let found = Entity::find_by_id(id.0.clone())
            .one(&w.txn)
            .await
            .map_err(AppError::from)?;
        if let Some(o) = &found {
            actor.require_coordinator_of(&o.region_code, "change this organization")?;
        }
        let before = check_version(found, version, "organization", |o| o.version)?;
        lock_version::<entity::organization::Entity>(&w.txn, &before.id, version).await?;
        let mut am = before.clone().into_active_model();
        if let Some(n) = &input.name {
            let n = text("input.name", n, 200)?;
            am.search_name = Set(crate::text::fold(&n));
            am.name = Set(n);
        }
        if let Some(h) = input.helix {
            am.helix = Set(h.into());
        }
        if let Some(k) = input.kind {
            am.kind = Set(k.into());
        }
        if let Some(r) = &input.region_code {
            let r = region_exists(&w.txn, "input.regionCode", r).await?;
            actor.require_coordinator_of(&r, "move an organization there")?;
            am.region_code = Set(r);
        }
        if let Some(p) = &input.parent_id {
            if p.0 == before.id {
                return Err(AppError::bad_input(
                    "input.parentId",
                    "an organization cannot belong to itself",
                )
                .into());
            }
            org_exists(&w.txn, "input.parentId", p).await?;
            am.parent_id = Set(Some(p.0.clone()));
        }
        let after = save_update(
            &w.txn,
            &actor,
            (&before.id, before.version),
            &before,
            am,
            "update",
        )
        .await?;
        w.commit().await?;
        Ok(Organization(after))
    }

    /// Creates a user account (admins; coordinators for members and viewers of organizations in their
    /// region).
    async fn create_user(
        &self,
        ctx: &Context<'_>,
        input: UserInput,
        client_key: Option<String>,
    ) -> GqlResult<User> {
        use entity::user::{ActiveModel, Column, Entity};
        let actor = actor(ctx)?;
        let key = check_client_key(&client_key)?;
        let email = check_email(&input.email)?;
        let name = text("input.name", &input.name, 200)?;
        check_password("input.password", &input.password)?;
        let role: entity::enums::Role = input.role.into();
        let org = input.organization_id.map(|o| o.0);
        let scope = input
            .region_scope
            .as_deref()
            .map(|s| parse_code("input.regionScope", s))
            .transpose()?
            .map(|c| c.to_string());
        check_role_shape(role, &org, &scope)?;
        let hash = passwords::hash(input.password)
            .await
            .map_err(AppError::from)?;
        let w = begin(ctx).await?;
        if let Some(k) = key
            && let Some(id) = remembered(&w.txn, actor.id(), k, "user").await?
        {
            return Ok(user_by_id(&w.txn, &id).await?);
        }
        let org_region = match &org {
            Some(o) => Some(
                org_exists(&w.txn, "input.organizationId", o)
                    .await?
                    .region_code,
            ),
            None => None,
        };
        may_manage_user(&actor, role, org_region.as_deref())?;
        if let Some(s) = &scope {
            region_exists(&w.txn, "input.regionScope", s).await?;
        }
        if Entity::find()
            .filter(Column::Email.eq(email.clone()))
            .one(&w.txn)
            .await
            .map_err(AppError::from)?
            .is_some()
        {
            return Err(AppError::bad_input("input.email", "another user has this e-mail").into());
        }
        let now = Utc::now();
        let model = ActiveModel {
            id: Set(new_id()),
            email: Set(email),
            name: Set(name),
            password_hash: Set(hash),
            role: Set(role),
            organization_id: Set(org),
            region_scope: Set(scope),
            active: Set(true),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&w.txn)
        .await
        .map_err(AppError::from)?;
        let mut logged = model.clone();
        logged.password_hash = "<redacted>".into();
        audit::record(
            &w.txn,
            &actor,
            "user",
            &model.id,
            "create",
            None::<&()>,
            Some(&logged),
        )
        .await
        .map_err(AppError::from)?;
        if let Some(k) = key {
            remember(&w.txn, actor.id(), k, "user", &model.id).await?;
        }
        w.commit().await?;
        Ok(User(model))
    }

    /// Changes a user account (same rule as `createUser`, for both the old and the new shape).
    async fn update_user(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        input: UserPatch,
    ) -> GqlResult<User> {
        use entity::user::Entity;
        let actor = actor(ctx)?;
        if let Some(p) = &input.password {
            check_password("input.password", p)?;
        }
        let hash = match input.password.clone() {
            Some(p) => Some(passwords::hash(p).await.map_err(AppError::from)?),
            None => None,
        };
        let w = begin(ctx).await?;
        let found = Entity::find_by_id(id.0.clone())
            .one(&w.txn)
            .await
            .map_err(AppError::from)?;
        if let Some(u) = &found {
            let region = match &u.organization_id {
                Some(o) => entity::organization::Entity::find_by_id(o.clone())
                    .one(&w.txn)
                    .await
                    .map_err(AppError::from)?
                    .map(|o| o.region_code),
                None => None,
            };
            may_manage_user(&actor, u.role, region.as_deref())?;
        }
        let before = check_version(found, version, "user", |u| u.version)?;
        lock_version::<entity::user::Entity>(&w.txn, &before.id, version).await?;
        let mut am = before.clone().into_active_model();
        let mut role = before.role;
        let mut org = before.organization_id.clone();
        let mut scope = before.region_scope.clone();
        if let Some(n) = &input.name {
            am.name = Set(text("input.name", n, 200)?);
        }
        if let Some(r) = input.role {
            role = r.into();
        }
        if let Some(o) = &input.organization_id {
            org_exists(&w.txn, "input.organizationId", o).await?;
            org = Some(o.0.clone());
        }
        if let Some(s) = &input.region_scope {
            scope = Some(region_exists(&w.txn, "input.regionScope", s).await?);
        }
        check_role_shape(role, &org, &scope)?;
        let new_region = match &org {
            Some(o) => entity::organization::Entity::find_by_id(o.clone())
                .one(&w.txn)
                .await
                .map_err(AppError::from)?
                .map(|o| o.region_code),
            None => None,
        };
        may_manage_user(&actor, role, new_region.as_deref())?;
        am.role = Set(role);
        am.organization_id = Set(org);
        am.region_scope = Set(scope);
        if let Some(a) = input.active {
            am.active = Set(a);
        }
        if let Some(h) = hash {
            am.password_hash = Set(h);
        }
        am.version = Set(before.version + 1);
        am.updated_at = Set(Utc::now());
        let after = am.update(&w.txn).await.map_err(AppError::from)?;
        let (mut b, mut a) = (before.clone(), after.clone());
        b.password_hash = "<redacted>".into();
        a.password_hash = "<redacted>".into();
        audit::record(
            &w.txn,
            &actor,
            "user",
            &after.id,
            "update",
            Some(&b),
            Some(&a),
        )
        .await
        .map_err(AppError::from)?;
        w.commit().await?;
        Ok(User(after))
    }
}
