use crate::auth::{Auth, Viewer};
use crate::error::{AppError, AppResult, GqlResult};
use crate::loaders::{OrganizationById, UserById, load_one};
use crate::schema::enums::Role;
use crate::schema::scalars::DateTime;
use crate::schema::types::organization::Organization;
use crate::services::{audit_access, passwords};
use async_graphql::{Context, ID, Object, SimpleObject};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::sync::Arc;

#[derive(Default)]
pub struct SessionMutation;

/// What `login` returns.
#[derive(SimpleObject)]
pub struct LoginPayload {
    /// Send it as `Authorization: Bearer <token>`.
    token: String,
    /// When it stops working; sign in again after.
    expires_at: DateTime,
    /// Who signed in.
    viewer: Me,
}

#[Object]
impl SessionMutation {
    /// Signs in with e-mail and password. A wrong e-mail and a wrong password get the same
    /// UNAUTHENTICATED answer.
    async fn login(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
    ) -> GqlResult<LoginPayload> {
        use entity::user::{Column, Entity};
        if email.len() > 254 || password.len() > 1024 {
            return Err(AppError::Unauthenticated.into());
        }
        crate::rate_limit::check_sign_in(ctx, &email)?;
        let db = super::db(ctx);
        let user = Entity::find()
            .filter(Column::Email.eq(email.trim().to_lowercase()))
            .one(db)
            .await
            .map_err(AppError::from)?;
        // An unknown e-mail is checked against a stand-in hash, so that it takes as long as a wrong
        // password and gets the same answer.
        let auth = ctx.data_unchecked::<Arc<Auth>>();
        let stored = user
            .as_ref()
            .map(|u| u.password_hash.clone())
            .unwrap_or_else(|| auth.dummy_hash().to_string());
        let ok = passwords::verify(password, stored)
            .await
            .map_err(AppError::from)?;
        let user = match user {
            Some(u) if ok && u.active => u,
            _ => return Err(AppError::Unauthenticated.into()),
        };
        let (token, expires) = auth.issue(&user)?;
        Ok(LoginPayload {
            token,
            expires_at: DateTime(expires),
            viewer: Me(user),
        })
    }
}

/// The signed-in user.
pub struct Me(pub entity::user::Model);

#[Object]
impl Me {
    /// The user.
    async fn user(&self) -> User {
        User(self.0.clone())
    }
    /// The organization the user acts for.
    async fn organization(&self, ctx: &Context<'_>) -> GqlResult<Option<Organization>> {
        let Some(id) = &self.0.organization_id else {
            return Ok(None);
        };
        Ok(load_one(ctx, OrganizationById(id.clone()))
            .await?
            .map(Organization))
    }
}

/// A user account, as its owner and administrators see it.
pub struct User(pub entity::user::Model);

#[Object]
impl User {
    /// Stable id.
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    /// Version for optimistic concurrency.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Sign-in e-mail.
    async fn email(&self) -> &str {
        &self.0.email
    }
    /// Display name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Role.
    async fn role(&self) -> Role {
        self.0.role.into()
    }
    /// For a coordinator: the region prefix it manages.
    async fn region_scope(&self) -> Option<&str> {
        self.0.region_scope.as_deref()
    }
    /// Whether it may sign in.
    async fn active(&self) -> bool {
        self.0.active
    }
    /// Organization it acts for.
    async fn organization(&self, ctx: &Context<'_>) -> GqlResult<Option<Organization>> {
        let Some(id) = &self.0.organization_id else {
            return Ok(None);
        };
        Ok(load_one(ctx, OrganizationById(id.clone()))
            .await?
            .map(Organization))
    }
}

#[derive(Default)]
pub struct SessionQuery;

/// One audited change.
pub struct AuditEntry(pub entity::audit_log::Model);

#[Object]
impl AuditEntry {
    /// When.
    async fn at(&self) -> DateTime {
        DateTime(self.0.at)
    }
    /// Who (null for command-line loads).
    async fn actor(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Option<crate::schema::types::organization::Member>> {
        let Some(id) = &self.0.actor_user_id else {
            return Ok(None);
        };
        Ok(load_one(ctx, UserById(id.clone()))
            .await?
            .map(crate::schema::types::organization::Member))
    }
    /// For which organization the actor acted.
    async fn organization(&self, ctx: &Context<'_>) -> GqlResult<Option<Organization>> {
        let Some(id) = &self.0.actor_organization_id else {
            return Ok(None);
        };
        Ok(load_one(ctx, OrganizationById(id.clone()))
            .await?
            .map(Organization))
    }
    /// Entity type, e.g. `contribution`.
    async fn entity(&self) -> &str {
        &self.0.entity
    }
    /// Record id.
    async fn entity_id(&self) -> &str {
        &self.0.entity_id
    }
    /// What happened: create, update, status, cancel, ...
    async fn action(&self) -> &str {
        &self.0.action
    }
    /// The record before, as JSON (null on create).
    async fn before(&self) -> Option<&str> {
        self.0.before.as_deref()
    }
    /// The record after, as JSON.
    async fn after(&self) -> Option<&str> {
        self.0.after.as_deref()
    }
}

#[Object]
impl SessionQuery {
    /// The signed-in user and organization; null when not signed in.
    async fn me(&self, ctx: &Context<'_>) -> Option<Me> {
        match ctx.data_unchecked::<Viewer>() {
            Viewer::User(u) => Some(Me((**u).clone())),
            Viewer::Anonymous => None,
        }
    }

    /// Every audited change of one record, oldest first. Visible to admins, to coordinators whose
    /// region covers the record, and to the record's own organization.
    async fn audit_trail(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "contribution, program, meeting, action_item, synergy, organization, user or village_indicator"
        )]
        entity: String,
        id: ID,
    ) -> GqlResult<Vec<AuditEntry>> {
        let user = ctx.data_unchecked::<Viewer>().user()?;
        let db = super::db(ctx);
        audit_access::check(db, user, &entity, &id).await?;
        use entity::audit_log::{Column, Entity};
        let rows = Entity::find()
            .filter(Column::Entity.eq(entity))
            .filter(Column::EntityId.eq(id.0))
            .order_by_asc(Column::At)
            .order_by_asc(Column::Id)
            .all(db)
            .await
            .map_err(AppError::from)?;
        Ok(rows.into_iter().map(AuditEntry).collect())
    }
}

/// Re-reads a user for a response.
pub(crate) async fn user_by_id(db: &impl sea_orm::ConnectionTrait, id: &str) -> AppResult<User> {
    entity::user::Entity::find_by_id(id.to_string())
        .one(db)
        .await?
        .map(User)
        .ok_or_else(|| AppError::NotFound("no such user".into()))
}
