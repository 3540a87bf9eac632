use crate::error::{AppError, AppResult, GqlResult};
use crate::loaders::{RegionByCode, load_one};
use crate::pagination::{Conn, PageArgs, connection, wants_total};
use crate::schema::enums::{RegionLevel, VillageKind};
use crate::services::regions;
use async_graphql::{Context, Object};
use sea_orm::DatabaseConnection;

/// A region of Indonesia's administrative hierarchy (Kemendagri): province, regency or city, district
/// (kecamatan), or village (desa or kelurahan). Public reference data: readable without signing in.
pub struct Region(pub entity::region::Model);

#[Object]
impl Region {
    /// Kemendagri code, dotted: `33` province, `33.26` regency, `33.26.02` district, `33.26.02.2008`
    /// village.
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// Official name, as published.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Level in the hierarchy.
    async fn level(&self) -> RegionLevel {
        self.0.level.into()
    }

    /// For villages: desa or kelurahan (a kelurahan has no village budget, APBDes). Null above village.
    async fn village_kind(&self) -> Option<VillageKind> {
        self.0.village_kind.map(Into::into)
    }

    /// The region this one belongs to; null for a province.
    async fn parent(&self, ctx: &Context<'_>) -> GqlResult<Option<Region>> {
        let Some(code) = &self.0.parent_code else {
            return Ok(None);
        };
        Ok(load_one(ctx, RegionByCode(code.clone())).await?.map(Region))
    }

    /// The regions directly below this one, in code order.
    async fn children(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size (default and maximum are set by the server).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Cursor of the last row of the previous page.")] after: Option<String>,
    ) -> GqlResult<Conn<Region>> {
        let args = PageArgs::from_ctx(ctx, first, after)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let after_code = args.after_str(0)?;
        let rows = regions::children_page(db, &self.0.code, after_code, args.first + 1).await?;
        let total = if wants_total(ctx) {
            Some(regions::children_count(db, &self.0.code).await?)
        } else {
            None
        };
        Ok(connection(
            &args,
            rows,
            total,
            |r| vec![r.code.clone().into()],
            Region,
        ))
    }
}

/// Parses a region argument, naming `field` when it is not a code.
pub fn parse_code(field: &str, raw: &str) -> AppResult<crate::region_code::RegionCode> {
    crate::region_code::RegionCode::parse(raw).map_err(|m| AppError::bad_input(field, m))
}
