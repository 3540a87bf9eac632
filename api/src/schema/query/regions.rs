use crate::error::{AppError, GqlResult};
use crate::loaders::{OrganizationById, ProgramById, RegionByCode, load_many, load_one};
use crate::pagination::{Conn, PageArgs, connection, page_complexity, wants_total};
use crate::region_code::parse_code;
use crate::schema::enums::{RegionLevel, VillageKind};
use crate::schema::types::organization::Organization;
use crate::schema::types::program::Program;
use crate::schema::types::region::Region;
use crate::schema::types::search::SearchResult;
use crate::services::search;
use crate::text::check_text;
use async_graphql::{Context, InputObject, Object};
use sea_orm::sea_query::{Condition, Query};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::collections::HashMap;

#[derive(Default)]
pub struct RegionQuery;

/// Narrows the root `regions` list.
#[derive(InputObject, Default)]
pub struct RegionFilter {
    /// Only regions inside this one (code prefix, dotted or not).
    pub within: Option<String>,
    /// Only this level.
    pub level: Option<RegionLevel>,
    /// Only desa, or only kelurahan.
    pub village_kind: Option<VillageKind>,
    /// Only villages flagged priority (desa merah / lokus) in this fiscal year.
    pub priority_in: Option<i32>,
    /// Text the name must contain (case- and accent-insensitive).
    pub text: Option<String>,
}

#[Object]
impl RegionQuery {
    /// One region by Kemendagri code, dotted (`33.26.02.2008`) or not (`3326022008`); null when the hub
    /// has no such region. No sign-in needed.
    async fn region(&self, ctx: &Context<'_>, code: String) -> GqlResult<Option<Region>> {
        let code = parse_code("code", &code)?;
        Ok(load_one(ctx, RegionByCode(code.to_string()))
            .await?
            .map(Region))
    }

    /// Regions in code order. No sign-in needed.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn regions(
        &self,
        ctx: &Context<'_>,
        filter: Option<RegionFilter>,
        #[graphql(desc = "Page size (default and maximum are set by the server).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Cursor of the last row of the previous page.")] after: Option<String>,
    ) -> GqlResult<Conn<Region>> {
        use entity::region::{Column, Entity};
        let args = PageArgs::from_ctx(ctx, first, after)?;
        let f = filter.unwrap_or_default();
        let mut cond = Condition::all();
        if let Some(w) = &f.within {
            let code = parse_code("filter.within", w)?;
            let (lo, hi) = code.descendant_range();
            cond = cond.add(Column::Code.gte(lo)).add(Column::Code.lt(hi));
        }
        if let Some(level) = f.level {
            cond = cond.add(Column::Level.eq(entity::enums::RegionLevel::from(level)));
        }
        if let Some(kind) = f.village_kind {
            cond = cond.add(Column::VillageKind.eq(entity::enums::VillageKind::from(kind)));
        }
        if let Some(text) = check_text("filter.text", f.text)? {
            cond = cond.add(Column::SearchName.like(format!(
                "%{}%",
                crate::services::contributions::like_escape(&text)
            )));
        }
        if let Some(year) = f.priority_in {
            if !crate::services::FISCAL_YEARS.contains(&year) {
                return Err(AppError::bad_input(
                    "filter.priorityIn",
                    crate::services::rules::FISCAL_YEAR_MESSAGE,
                )
                .into());
            }
            use entity::village_indicator as vi;
            cond = cond.add(
                Column::Code.in_subquery(
                    Query::select()
                        .column(vi::Column::VillageCode)
                        .from(vi::Entity)
                        .and_where(vi::Column::FiscalYear.eq(year))
                        .and_where(vi::Column::Priority.eq(true))
                        .to_owned(),
                ),
            );
        }
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let mut q = Entity::find().filter(cond.clone());
        if let Some(a) = args.after_str(0)? {
            q = q.filter(Column::Code.gt(a));
        }
        let rows = q
            .order_by_asc(Column::Code)
            .limit(args.first + 1)
            .all(db)
            .await
            .map_err(AppError::from)?;
        let total = if wants_total(ctx) {
            Some(
                Entity::find()
                    .filter(cond)
                    .count(db)
                    .await
                    .map_err(AppError::from)? as i64,
            )
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

    /// Regions, organizations and programs whose name contains `text` (case- and accent-insensitive;
    /// regions only for a caller who is not signed in),
    /// best matches first: the exact name, then names starting with it, then names with a word starting
    /// with it, then the rest; shorter names first within each.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn search(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to look for: at least 2 characters.")] text: String,
        #[graphql(desc = "Page size (default and maximum are set by the server).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Cursor of the last row of the previous page.")] after: Option<String>,
    ) -> GqlResult<Conn<SearchResult>> {
        let args = PageArgs::from_ctx(ctx, first, after)?;
        let q = check_text("text", Some(text))?.unwrap_or_default();
        let q = crate::services::contributions::like_escape(&q);
        if q.chars().count() < 2 {
            return Err(AppError::bad_input("text", "search for at least 2 characters").into());
        }
        let after = match &args.after {
            None => None,
            Some(k) => Some(search::Hit {
                rank: k.first().and_then(|v| v.as_i64()).unwrap_or(0) as i32,
                name_len: k.get(1).and_then(|v| v.as_i64()).unwrap_or(0) as i32,
                kind: args.after_str(2)?.unwrap_or_default(),
                id: args.after_str(3)?.unwrap_or_default(),
            }),
        };
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let regions_only = ctx.data_unchecked::<crate::auth::Viewer>().user().is_err();
        let hits = search::page(db, &q, regions_only, after.as_ref(), args.first + 1).await?;
        let total = if wants_total(ctx) {
            Some(search::count(db, &q, regions_only).await?)
        } else {
            None
        };
        let ids = |kind: &str| {
            hits.iter()
                .filter(|h| h.kind == kind)
                .map(|h| h.id.clone())
                .collect::<Vec<_>>()
        };
        let mut regions: HashMap<String, _> =
            load_many(ctx, ids("REGION").into_iter().map(RegionByCode).collect())
                .await?
                .into_iter()
                .map(|r| (r.code.clone(), r))
                .collect();
        let mut orgs: HashMap<String, _> = load_many(
            ctx,
            ids("ORGANIZATION")
                .into_iter()
                .map(OrganizationById)
                .collect(),
        )
        .await?
        .into_iter()
        .map(|o| (o.id.clone(), o))
        .collect();
        let mut programs: HashMap<String, _> =
            load_many(ctx, ids("PROGRAM").into_iter().map(ProgramById).collect())
                .await?
                .into_iter()
                .map(|p| (p.id.clone(), p))
                .collect();
        let resolved: Vec<(search::Hit, SearchResult)> = hits
            .into_iter()
            .filter_map(|h| {
                let node = match h.kind.as_str() {
                    "REGION" => regions
                        .remove(&h.id)
                        .map(|r| SearchResult::Region(Region(r))),
                    "ORGANIZATION" => orgs
                        .remove(&h.id)
                        .map(|o| SearchResult::Organization(Organization(o))),
                    _ => programs
                        .remove(&h.id)
                        .map(|p| SearchResult::Program(Program(p))),
                }?;
                Some((h, node))
            })
            .collect();
        Ok(connection(
            &args,
            resolved,
            total,
            |(h, _)| h.key(),
            |(_, n)| n,
        ))
    }
}
