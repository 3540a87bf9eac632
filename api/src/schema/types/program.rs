use crate::error::GqlResult;
use crate::loaders::{OrganizationById, load_one};
use crate::schema::enums::Cluster;
use crate::schema::types::organization::Organization;
use async_graphql::{Context, ID, Object};

/// A named poverty-reduction intervention (Kawasan Mandiri Pangan, DASHAT, Bedah Rumah, ...) owned by
/// one organization.
pub struct Program(pub entity::program::Model);

#[Object]
impl Program {
    /// Stable id.
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }

    /// The owner's own program code, when it has one.
    async fn code(&self) -> Option<&str> {
        self.0.code.as_deref()
    }

    /// Name of the program.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Poverty-reduction cluster (Perpres 15/2010).
    async fn cluster(&self) -> Cluster {
        self.0.cluster.into()
    }

    /// First fiscal year.
    async fn start_year(&self) -> i32 {
        self.0.start_year
    }

    /// Last fiscal year.
    async fn end_year(&self) -> i32 {
        self.0.end_year
    }

    /// The organization that owns it.
    async fn owner(&self, ctx: &Context<'_>) -> GqlResult<Option<Organization>> {
        Ok(load_one(ctx, OrganizationById(self.0.owner_id.clone()))
            .await?
            .map(Organization))
    }
}
