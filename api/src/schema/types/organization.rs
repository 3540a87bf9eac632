use crate::error::GqlResult;
use crate::loaders::{RegionByCode, load_one};
use crate::schema::enums::{Helix, OrganizationKind};
use crate::schema::types::region::Region;
use async_graphql::{Context, ID, Object};

/// An actor of any helix: an SKPD or Bappeda, a village government, a company, a university, a community
/// group, an NGO, local media.
pub struct Organization(pub entity::organization::Model);

#[Object]
impl Organization {
    /// Stable id.
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }

    /// Name, e.g. "Dinas Sosial Kabupaten Pekalongan".
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The side it comes from.
    async fn helix(&self) -> Helix {
        self.0.helix.into()
    }

    /// What kind of body it is.
    async fn kind(&self) -> OrganizationKind {
        self.0.kind.into()
    }

    /// Its home region.
    async fn region(&self, ctx: &Context<'_>) -> GqlResult<Option<Region>> {
        Ok(load_one(ctx, RegionByCode(self.0.region_code.clone()))
            .await?
            .map(Region))
    }
}
