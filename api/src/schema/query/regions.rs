use crate::error::GqlResult;
use crate::schema::types::region::{Region, parse_code};
use crate::services::regions;
use async_graphql::{Context, Object};
use sea_orm::DatabaseConnection;

#[derive(Default)]
pub struct RegionQuery;

#[Object]
impl RegionQuery {
    /// One region by Kemendagri code, dotted (`33.26.02.2008`) or not (`3326022008`); null when the hub
    /// has no such region. No sign-in needed.
    async fn region(&self, ctx: &Context<'_>, code: String) -> GqlResult<Option<Region>> {
        let code = parse_code("code", &code)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        Ok(regions::get(db, &code).await?.map(Region))
    }
}
