//! The user accounts the caller may manage, for picking one to change.

use crate::auth::{SignedIn, Viewer};
use crate::error::GqlResult;
use crate::pagination::{Conn, PageArgs, page_complexity};
use crate::schema::types::user::User;
use crate::services::authz::Actor;
use crate::services::users;
use async_graphql::{Context, ID, InputObject, Object};

#[derive(Default)]
pub struct UserQuery;

/// Narrows the root `users` list.
#[derive(InputObject, Default)]
pub struct UserFilter {
    /// Users acting for this organization.
    pub organization_id: Option<ID>,
    /// Users of organizations whose home region lies inside this one (code prefix).
    pub region: Option<String>,
}

#[Object]
impl UserQuery {
    /// One user account the caller may manage (null otherwise, as for an unknown id); members and
    /// viewers are FORBIDDEN, as for `users`.
    #[graphql(guard = "SignedIn")]
    async fn user(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Option<User>> {
        use entity::user::{Column, Entity};
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let user = ctx.data_unchecked::<Viewer>().user()?;
        let cond = users::manageable(&Actor::User(user))?.add(Column::Id.eq(id.0));
        let db = crate::schema::mutation::db(ctx);
        let found = Entity::find()
            .filter(cond)
            .one(db)
            .await
            .map_err(crate::error::AppError::from)?;
        Ok(found.map(User))
    }

    /// User accounts by name, limited to those the caller may manage with `updateUser`: an admin
    /// sees everyone, a coordinator the members and viewers of organizations in its region. Others
    /// are FORBIDDEN.
    #[graphql(
        guard = "SignedIn",
        complexity = "page_complexity(first, child_complexity)"
    )]
    async fn users(
        &self,
        ctx: &Context<'_>,
        filter: Option<UserFilter>,
        #[graphql(desc = "Page size (default and maximum are set by the server).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Cursor of the last row of the previous page.")] after: Option<String>,
    ) -> GqlResult<Conn<User>> {
        use entity::user::{Column, Entity};
        let user = ctx.data_unchecked::<Viewer>().user()?;
        let args = PageArgs::from_ctx(ctx, first, after)?;
        let f = filter.unwrap_or_default();
        let cond = users::manageable(&Actor::User(user))?.add(users::filtered(
            f.organization_id.map(|o| o.0),
            f.region.as_deref(),
        )?);
        super::page_by_name::<Entity, _>(ctx, &args, cond, (Column::Name, Column::Id), User).await
    }
}
