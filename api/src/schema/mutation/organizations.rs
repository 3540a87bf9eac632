//! The organization and user mutations: each parses its input, calls one function of
//! `services::organizations` or `services::users` in one transaction, and returns the record.

use super::{actor, begin};
use crate::error::GqlResult;
use crate::schema::enums::{Helix, OrganizationKind, Role};
use crate::schema::types::organization::Organization;
use crate::schema::types::user::User;
use crate::services::writes::check_client_key;
use crate::services::{organizations, users};
use async_graphql::{Context, ID, InputObject, Object};

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
    /// Allow or stop sign-in. Stopping it ends every session of the account for good: its tokens
    /// stay refused even once it is allowed again.
    active: Option<bool>,
    /// New password (a reset): ends every session of the account, on every hub process, and the
    /// owner must choose their own at the next sign-in.
    password: Option<String>,
}

impl From<OrganizationInput> for organizations::NewOrganization {
    fn from(i: OrganizationInput) -> Self {
        Self {
            name: i.name,
            helix: i.helix.into(),
            kind: i.kind.into(),
            region_code: i.region_code,
            parent_id: i.parent_id.map(|p| p.0),
        }
    }
}

impl From<OrganizationPatch> for organizations::OrganizationPatch {
    fn from(p: OrganizationPatch) -> Self {
        Self {
            name: p.name,
            helix: p.helix.map(Into::into),
            kind: p.kind.map(Into::into),
            region_code: p.region_code,
            parent_id: p.parent_id.map(|p| p.0),
        }
    }
}

impl From<UserInput> for users::NewUser {
    fn from(i: UserInput) -> Self {
        Self {
            email: i.email,
            name: i.name,
            password: i.password,
            role: i.role.into(),
            organization_id: i.organization_id.map(|o| o.0),
            region_scope: i.region_scope,
        }
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
        let actor = actor(ctx)?;
        let key = check_client_key(&client_key)?;
        let w = begin(ctx).await?;
        let o = organizations::create(&w.txn, &actor, input.into(), key).await?;
        w.commit().await?;
        Ok(Organization(o))
    }

    /// Changes an organization (admins; coordinators of its region, and of the new region if it moves).
    async fn update_organization(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        input: OrganizationPatch,
    ) -> GqlResult<Organization> {
        let actor = actor(ctx)?;
        let w = begin(ctx).await?;
        let o = organizations::update(&w.txn, &actor, (&id, version), input.into()).await?;
        w.commit().await?;
        Ok(Organization(o))
    }

    /// Creates a user account (admins; coordinators for members and viewers of organizations in their
    /// region).
    async fn create_user(
        &self,
        ctx: &Context<'_>,
        input: UserInput,
        client_key: Option<String>,
    ) -> GqlResult<User> {
        let actor = actor(ctx)?;
        let key = check_client_key(&client_key)?;
        let checked = users::check_new(input.into()).await?;
        let w = begin(ctx).await?;
        let u = users::add(&w.txn, &actor, checked, key).await?;
        w.commit().await?;
        Ok(User(u))
    }

    /// Changes a user account (same rule as `createUser`, for both the old and the new shape).
    async fn update_user(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        input: UserPatch,
    ) -> GqlResult<User> {
        let actor = actor(ctx)?;
        let password_hash = match input.password {
            Some(p) => Some(users::hash_password("input.password", p).await?),
            None => None,
        };
        let patch = users::UserPatch {
            name: input.name,
            role: input.role.map(Into::into),
            organization_id: input.organization_id.map(|o| o.0),
            region_scope: input.region_scope,
            active: input.active,
            password_hash,
        };
        let w = begin(ctx).await?;
        let u = users::update(&w.txn, &actor, (&id, version), patch).await?;
        w.commit().await?;
        // This process's next request already sees the change; others learn it from the feed.
        ctx.data_unchecked::<std::sync::Arc<crate::auth::Auth>>()
            .users
            .forget(&u.id);
        Ok(User(u))
    }
}
