use crate::auth::SignedIn;
use crate::error::GqlResult;
use crate::loaders::{OrganizationById, load_one};
use crate::pagination::{Conn, PageArgs, page_complexity};
use crate::region_code::parse_code;
use crate::schema::enums::{Helix, OrganizationKind};
use crate::schema::types::organization::Organization;
use crate::services::contributions::{like_escape, region_condition};
use crate::text::check_text;
use async_graphql::{Context, ID, InputObject, Object};
use sea_orm::ColumnTrait;
use sea_orm::sea_query::Condition;

#[derive(Default)]
pub struct OrganizationQuery;

/// Narrows the root `organizations` list.
#[derive(InputObject, Default)]
pub struct OrganizationFilter {
    /// Home region inside this one (code prefix).
    pub region: Option<String>,
    /// Any of these helixes.
    pub helixes: Option<Vec<Helix>>,
    /// Any of these kinds.
    pub kinds: Option<Vec<OrganizationKind>>,
    /// Units of this organization.
    pub parent_id: Option<ID>,
    /// Text the name must contain (case- and accent-insensitive).
    pub text: Option<String>,
}

#[Object]
impl OrganizationQuery {
    /// One organization by id.
    #[graphql(guard = "SignedIn")]
    async fn organization(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Option<Organization>> {
        Ok(load_one(ctx, OrganizationById(id.0))
            .await?
            .map(Organization))
    }

    /// Organizations by name.
    #[graphql(
        guard = "SignedIn",
        complexity = "page_complexity(first, child_complexity)"
    )]
    async fn organizations(
        &self,
        ctx: &Context<'_>,
        filter: Option<OrganizationFilter>,
        #[graphql(desc = "Page size (default and maximum are set by the server).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Cursor of the last row of the previous page.")] after: Option<String>,
    ) -> GqlResult<Conn<Organization>> {
        use entity::organization::{Column, Entity};
        let args = PageArgs::from_ctx(ctx, first, after)?;
        let f = filter.unwrap_or_default();
        let mut cond = Condition::all();
        if let Some(r) = &f.region {
            cond = cond.add(region_condition(
                Column::RegionCode,
                &parse_code("filter.region", r)?,
            ));
        }
        if let Some(h) = f.helixes.filter(|h| !h.is_empty()) {
            cond = cond.add(Column::Helix.is_in(h.into_iter().map(entity::enums::Helix::from)));
        }
        if let Some(k) = f.kinds.filter(|k| !k.is_empty()) {
            cond = cond
                .add(Column::Kind.is_in(k.into_iter().map(entity::enums::OrganizationKind::from)));
        }
        if let Some(p) = f.parent_id {
            cond = cond.add(Column::ParentId.eq(p.0));
        }
        if let Some(t) = check_text("filter.text", f.text)? {
            cond = cond.add(Column::SearchName.like(format!("%{}%", like_escape(&t))));
        }
        super::page_by_name::<Entity, _>(ctx, &args, cond, (Column::Name, Column::Id), Organization)
            .await
    }
}
