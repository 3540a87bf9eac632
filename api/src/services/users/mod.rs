//! Every write of a user account: `createUser` and `updateUser`, and `sinergi user create` on the
//! command line (where the first admin is made), all through [`add`] and [`update`].
//!
//! A password is checked and hashed by [`check_new`] before the write transaction opens, so the
//! slow argon2 hash never holds SQLite's single writer.

mod own_password;
mod scope;

pub use own_password::{
    OwnPassword, change_own_password, check_own_password, require_own_password,
};
pub use scope::{filtered, manageable};

use crate::error::{AppError, AppResult};
use crate::region_code::parse_code;
use crate::services::audit::AuditEntity;
use crate::services::authz::Actor;
use crate::services::organizations::{org_exists, region_exists};
use crate::services::writes::{self, Change, text};
use crate::services::{audit, new_id, passwords};
use chrono::Utc;
use entity::enums::Role;
use entity::user::{ActiveModel, Column, Entity, Model};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
};

/// Longest e-mail address, in characters.
pub const EMAIL_MAX: usize = 254;
/// Longest display name, in characters.
pub const NAME_MAX: usize = 200;
/// Shortest password, in characters.
pub const PASSWORD_MIN: usize = 10;
/// Longest password, in bytes.
pub const PASSWORD_MAX: usize = 1024;

/// A new user.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Sign-in e-mail (unique, stored lower-case).
    pub email: String,
    /// Display name.
    pub name: String,
    /// Initial password.
    pub password: String,
    /// Role.
    pub role: Role,
    /// Organization it acts for (required for members and coordinators).
    pub organization_id: Option<String>,
    /// For coordinators: the region prefix it manages.
    pub region_scope: Option<String>,
}

/// A new user whose own values passed their rules, with its password hashed.
pub struct Checked {
    email: String,
    name: String,
    password_hash: String,
    role: Role,
    organization_id: Option<String>,
    region_scope: Option<String>,
}

/// Changes to a user; `None` leaves a value as it is.
#[derive(Debug, Clone, Default)]
pub struct UserPatch {
    /// New display name.
    pub name: Option<String>,
    /// New role.
    pub role: Option<Role>,
    /// New organization.
    pub organization_id: Option<String>,
    /// New coordinator region.
    pub region_scope: Option<String>,
    /// Allow or stop sign-in.
    pub active: Option<bool>,
    /// New password, already hashed by [`hash_password`].
    pub password_hash: Option<String>,
}

fn check_password(field: &str, p: &str) -> AppResult<()> {
    if p.chars().count() < PASSWORD_MIN || p.len() > PASSWORD_MAX {
        return Err(AppError::bad_input(
            field,
            format!("between {PASSWORD_MIN} and {PASSWORD_MAX} characters"),
        ));
    }
    Ok(())
}

/// Checks a new password and hashes it (off the async runtime).
pub async fn hash_password(field: &str, password: String) -> AppResult<String> {
    check_password(field, &password)?;
    Ok(passwords::hash(password).await?)
}

fn check_email(e: &str) -> AppResult<String> {
    let e = text("input.email", e, EMAIL_MAX)?.to_lowercase();
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
fn check_role_shape(role: Role, org: &Option<String>, scope: &Option<String>) -> AppResult<()> {
    match role {
        Role::Coordinator if scope.is_none() => Err(AppError::bad_input(
            "input.regionScope",
            "a coordinator needs a region",
        )),
        Role::Coordinator | Role::Member if org.is_none() => Err(AppError::bad_input(
            "input.organizationId",
            "a member or coordinator acts for an organization",
        )),
        _ => Ok(()),
    }
}

/// Checks a new user's own values and hashes its password, before any transaction.
pub async fn check_new(input: NewUser) -> AppResult<Checked> {
    let email = check_email(&input.email)?;
    let name = text("input.name", &input.name, NAME_MAX)?;
    let scope = input
        .region_scope
        .as_deref()
        .map(|s| parse_code("input.regionScope", s))
        .transpose()?
        .map(|c| c.to_string());
    check_password("input.password", &input.password)?;
    check_role_shape(input.role, &input.organization_id, &scope)?;
    Ok(Checked {
        email,
        name,
        password_hash: passwords::hash(input.password).await?,
        role: input.role,
        organization_id: input.organization_id,
        region_scope: scope,
    })
}

/// Who may manage users: an admin anyone; a coordinator members and viewers of organizations in its
/// region (never admins or other coordinators).
pub(crate) fn may_manage_user(
    actor: &Actor<'_>,
    role: Role,
    org_region: Option<&str>,
) -> AppResult<()> {
    if actor.is_admin() {
        return Ok(());
    }
    let plain = matches!(role, Role::Member | Role::Viewer);
    match org_region {
        Some(r) if plain && actor.coordinates(r) => Ok(()),
        _ => Err(AppError::Forbidden(
            "only an admin, or a coordinator for members and viewers of organizations in its region, may manage this user".into(),
        )),
    }
}

async fn region_of_org(db: &impl ConnectionTrait, org: Option<&str>) -> AppResult<Option<String>> {
    Ok(match org {
        Some(o) => entity::organization::Entity::find_by_id(o.to_string())
            .one(db)
            .await?
            .map(|o| o.region_code),
        None => None,
    })
}

/// The user as its audit rows show it: never with its password hash.
pub(crate) fn redacted(u: &Model) -> Model {
    let mut u = u.clone();
    u.password_hash = "<redacted>".into();
    // Session ids are not secrets (a token is signed), but nobody reading the trail needs them.
    u.spared_session = u.spared_session.map(|_| "<redacted>".into());
    u.ended_sessions = None;
    u
}

/// Creates a user account (admins; coordinators for members and viewers of organizations in their
/// region; the system).
pub async fn add(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    input: Checked,
    key: Option<&str>,
) -> AppResult<Model> {
    if let Some(found) = writes::replayed::<Entity>(db, actor, key, AuditEntity::User).await? {
        return Ok(found);
    }
    let org_region = match &input.organization_id {
        Some(o) => Some(org_exists(db, "input.organizationId", o).await?.region_code),
        None => None,
    };
    may_manage_user(actor, input.role, org_region.as_deref())?;
    if let Some(s) = &input.region_scope {
        region_exists(db, "input.regionScope", s).await?;
    }
    let taken = Entity::find()
        .filter(Column::Email.eq(input.email.clone()))
        .one(db)
        .await?;
    if taken.is_some() {
        return Err(AppError::bad_input(
            "input.email",
            "another user has this e-mail",
        ));
    }
    let now = Utc::now();
    let model = ActiveModel {
        id: Set(new_id()),
        email: Set(input.email),
        name: Set(input.name),
        password_hash: Set(input.password_hash),
        role: Set(input.role),
        organization_id: Set(input.organization_id),
        region_scope: Set(input.region_scope),
        active: Set(true),
        // An initial password is not forced to change: accounts made before this rule sign in and
        // write as they always did. A reset by someone else (`update`) is.
        must_change_password: Set(false),
        session_epoch: Set(0),
        spared_session: Set(None),
        ended_sessions: Set(None),
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
        (AuditEntity::User, &model.id),
        &redacted(&model),
    )
    .await?;
    Ok(model)
}

/// Changes a user account (the rule of [`add`], for both the old and the new shape).
pub async fn update(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    (id, version): (&str, i32),
    patch: UserPatch,
) -> AppResult<Model> {
    let change = Change::new(id, version, "update");
    let before = Entity::find_by_id(id.to_string()).one(db).await?;
    if let Some(u) = &before {
        let region = region_of_org(db, u.organization_id.as_deref()).await?;
        may_manage_user(actor, u.role, region.as_deref())?;
    }
    let before = writes::check_version(before, version, "user", |u| u.version)?;
    writes::lock_version::<Entity>(db, id, version).await?;
    let mut am = before.clone().into_active_model();
    let role = patch.role.unwrap_or(before.role);
    let mut org = before.organization_id.clone();
    let mut scope = before.region_scope.clone();
    if let Some(n) = &patch.name {
        am.name = Set(text("input.name", n, NAME_MAX)?);
    }
    if let Some(o) = &patch.organization_id {
        org_exists(db, "input.organizationId", o).await?;
        org = Some(o.clone());
    }
    if let Some(s) = &patch.region_scope {
        scope = Some(region_exists(db, "input.regionScope", s).await?);
    }
    check_role_shape(role, &org, &scope)?;
    let new_region = region_of_org(db, org.as_deref()).await?;
    may_manage_user(actor, role, new_region.as_deref())?;
    am.role = Set(role);
    am.organization_id = Set(org);
    am.region_scope = Set(scope);
    if let Some(a) = patch.active {
        am.active = Set(a);
        if before.active && !a {
            // Deactivated: no token of it counts again, even once it is reactivated.
            crate::services::sessions::end_sessions(&mut am, &before, None);
        }
    }
    if let Some(h) = patch.password_hash {
        am.password_hash = Set(h);
        // Whoever else set it knows it: the owner chooses a new one before doing anything else.
        am.must_change_password = Set(actor.user_id() != Some(id));
        // A reset ends every session of the account: whoever held one signs in with the new one.
        crate::services::sessions::end_sessions(&mut am, &before, None);
    }
    am.version = Set(version + 1);
    am.updated_at = Set(Utc::now());
    let after = am.update(db).await?;
    let (b, a) = (redacted(&before), redacted(&after));
    audit::record(
        db,
        actor,
        AuditEntity::User,
        id,
        change.action,
        Some(&b),
        Some(&a),
    )
    .await?;
    Ok(after)
}

/// `sinergi user create`: the same [`add`] as `createUser`, by the system, with the refusals
/// naming the command's flags (`--region: a coordinator needs a region`).
pub async fn create_from_command_line(
    db: &sea_orm::DatabaseConnection,
    input: NewUser,
) -> anyhow::Result<Model> {
    let flag = |e: AppError| match e {
        AppError::BadInput { field, message } => {
            let flag = match field.as_str() {
                "input.email" => "--email",
                "input.name" => "--name",
                "input.password" => "the password",
                "input.organizationId" => "--organization",
                "input.regionScope" => "--region",
                _ => field.as_str(),
            };
            anyhow::anyhow!("{flag}: {message}")
        }
        other => anyhow::anyhow!(other.to_string()),
    };
    let checked = check_new(input).await.map_err(flag)?;
    let w = writes::begin(db, &writes::WriteGate::default())
        .await
        .map_err(flag)?;
    let user = add(&w.txn, &Actor::System, checked, None)
        .await
        .map_err(flag)?;
    w.commit().await.map_err(flag)?;
    Ok(user)
}

/// The command line's spelling of a role.
pub fn parse_role(role: &str) -> anyhow::Result<Role> {
    Ok(match role.to_ascii_lowercase().as_str() {
        "admin" => Role::Admin,
        "coordinator" => Role::Coordinator,
        "member" => Role::Member,
        "viewer" => Role::Viewer,
        other => anyhow::bail!("--role: `{other}` is not admin, coordinator, member or viewer"),
    })
}

/// Creates a user from the command line's arguments; see [`create_from_command_line`].
pub async fn create(
    db: &sea_orm::DatabaseConnection,
    email: &str,
    name: &str,
    role: &str,
    organization: Option<String>,
    region: Option<String>,
    password: String,
) -> anyhow::Result<Model> {
    let input = NewUser {
        email: email.into(),
        name: name.into(),
        password,
        role: parse_role(role)?,
        organization_id: organization,
        region_scope: region,
    };
    create_from_command_line(db, input).await
}
