use crate::error::GqlResult;
use crate::loaders::{
    ContributionParent, MeetingById, MembersOfOrganization, OrganizationById,
    ParticipationsOfOrganization, ProgramsOfOwner, RegionByCode, UnitsOfOrganization, load_list,
    load_many, load_one,
};
use crate::pagination::{Conn, PageArgs, connection_from_list, page_complexity};
use crate::schema::enums::{Helix, OrganizationKind, Role};
use crate::schema::types::contribution::{Contribution, ContributionFilter};
use crate::schema::types::meeting::{
    ActionItem, ActionItemFilter, Meeting, meeting_sort_key, owner_action_items,
};
use crate::schema::types::program::Program;
use crate::schema::types::region::{Region, nested_contributions};
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

    /// Version for optimistic concurrency: send it back with an update.
    async fn version(&self) -> i32 {
        self.0.version
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

    /// The body it belongs to (an SKPD's regional government), if any.
    async fn parent(&self, ctx: &Context<'_>) -> GqlResult<Option<Organization>> {
        let Some(id) = &self.0.parent_id else {
            return Ok(None);
        };
        Ok(load_one(ctx, OrganizationById(id.clone()))
            .await?
            .map(Organization))
    }

    /// Bodies that belong to it (a regional government's SKPDs), by name.
    async fn units(&self, ctx: &Context<'_>) -> GqlResult<Vec<Organization>> {
        Ok(load_list(ctx, UnitsOfOrganization(self.0.id.clone()))
            .await?
            .into_iter()
            .map(Organization)
            .collect())
    }

    /// People who act for it in the hub, by name.
    async fn members(&self, ctx: &Context<'_>) -> GqlResult<Vec<Member>> {
        Ok(load_list(ctx, MembersOfOrganization(self.0.id.clone()))
            .await?
            .into_iter()
            .map(Member)
            .collect())
    }

    /// Its commitments everywhere, in record order.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn contributions(
        &self,
        ctx: &Context<'_>,
        filter: Option<ContributionFilter>,
        #[graphql(desc = "Page size (default and maximum are set by the server).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Cursor of the last row of the previous page.")] after: Option<String>,
    ) -> GqlResult<Conn<Contribution>> {
        nested_contributions(
            ctx,
            ContributionParent::Organization(self.0.id.clone()),
            filter,
            first,
            after,
        )
        .await
    }

    /// Programs it owns, by name.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn programs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size (default and maximum are set by the server).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Cursor of the last row of the previous page.")] after: Option<String>,
    ) -> GqlResult<Conn<Program>> {
        let args = PageArgs::from_ctx(ctx, first, after)?;
        let rows = load_list(ctx, ProgramsOfOwner(self.0.id.clone())).await?;
        Ok(connection_from_list(
            &args,
            rows,
            |p| format!("{}\u{1f}{}", p.name, p.id),
            Program,
        )?)
    }

    /// Coordination meetings it took part in, newest first.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn meetings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size (default and maximum are set by the server).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Cursor of the last row of the previous page.")] after: Option<String>,
    ) -> GqlResult<Conn<Meeting>> {
        let args = PageArgs::from_ctx(ctx, first, after)?;
        let mut ids: Vec<String> = load_list(ctx, ParticipationsOfOrganization(self.0.id.clone()))
            .await?
            .into_iter()
            .map(|p| p.meeting_id)
            .collect();
        ids.dedup();
        let mut meetings = load_many(ctx, ids.into_iter().map(MeetingById).collect()).await?;
        meetings.sort_by_key(meeting_sort_key);
        Ok(connection_from_list(
            &args,
            meetings,
            meeting_sort_key,
            Meeting,
        )?)
    }

    /// Action items it owns, in record order.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn action_items(
        &self,
        ctx: &Context<'_>,
        filter: Option<ActionItemFilter>,
        #[graphql(desc = "Page size (default and maximum are set by the server).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Cursor of the last row of the previous page.")] after: Option<String>,
    ) -> GqlResult<Conn<ActionItem>> {
        owner_action_items(ctx, self.0.id.clone(), filter, first, after).await
    }
}

/// A person acting for an organization in the hub (no contact details are published).
pub struct Member(pub entity::user::Model);

#[Object]
impl Member {
    /// Stable id.
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    /// Display name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Role in the hub.
    async fn role(&self) -> Role {
        self.0.role.into()
    }
}
