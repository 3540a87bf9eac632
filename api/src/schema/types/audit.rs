//! Audit rows as the API shows them.

use crate::error::GqlResult;
use crate::loaders::{OrganizationById, UserById, load_one};
use crate::schema::scalars::DateTime;
use crate::schema::types::organization::{Member, Organization};
use async_graphql::{Context, Object};

/// One audited change.
pub struct AuditEntry(pub entity::audit_log::Model);

#[Object]
impl AuditEntry {
    /// Stable id: what a resolved complaint links its correction by.
    async fn id(&self) -> async_graphql::ID {
        async_graphql::ID(self.0.id.clone())
    }
    /// When.
    async fn at(&self) -> DateTime {
        DateTime(self.0.at)
    }
    /// Who (null for command-line loads).
    async fn actor(&self, ctx: &Context<'_>) -> GqlResult<Option<Member>> {
        let Some(id) = &self.0.actor_user_id else {
            return Ok(None);
        };
        Ok(load_one(ctx, UserById(id.clone())).await?.map(Member))
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
