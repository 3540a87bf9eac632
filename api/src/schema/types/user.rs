//! The signed-in user and user accounts.

use crate::error::{AppError, AppResult, GqlResult};
use crate::loaders::{OrganizationById, load_one};
use crate::schema::enums::Role;
use crate::schema::types::organization::Organization;
use async_graphql::{Context, ID, Object};
use sea_orm::EntityTrait;

/// The signed-in user.
pub struct Me(pub entity::user::Model);

#[Object]
impl Me {
    /// The user.
    async fn user(&self) -> User {
        User(self.0.clone())
    }
    /// True when someone else set the password: every mutation but `changeOwnPassword` is FORBIDDEN
    /// until the user chooses a new one (reads work).
    async fn must_change_password(&self) -> bool {
        self.0.must_change_password
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
    /// True after someone else set its password, until its owner chooses a new one.
    async fn must_change_password(&self) -> bool {
        self.0.must_change_password
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

/// Re-reads a user for a response.
pub async fn user_by_id(db: &impl sea_orm::ConnectionTrait, id: &str) -> AppResult<User> {
    entity::user::Entity::find_by_id(id.to_string())
        .one(db)
        .await?
        .map(User)
        .ok_or_else(|| AppError::NotFound("no such user".into()))
}
