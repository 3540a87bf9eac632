use crate::auth::SignedIn;
use crate::error::{AppError, GqlResult};
use crate::loaders::{ProgramById, load_one};
use crate::pagination::{Conn, PageArgs, connection, page_complexity, wants_total};
use crate::region_code::parse_code;
use crate::schema::enums::{Cluster, SynergyRelation, SynergyStatus};
use crate::schema::types::program::{Program, ProgramSynergy};
use crate::services::contributions::{like_escape, region_condition};
use crate::text::check_text;
use async_graphql::{Context, ID, InputObject, Object};
use sea_orm::sea_query::{Condition, Query};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

#[derive(Default)]
pub struct ProgramQuery;

/// Narrows the root `programs` list.
#[derive(InputObject, Default)]
pub struct ProgramFilter {
    /// Any of these clusters.
    pub clusters: Option<Vec<Cluster>>,
    /// Owned by any of these organizations.
    pub owner_ids: Option<Vec<ID>>,
    /// Running in this fiscal year.
    pub active_in: Option<i32>,
    /// Targeting at least one village inside this region (code prefix).
    pub region: Option<String>,
    /// Text the name must contain (case- and accent-insensitive).
    pub text: Option<String>,
}

/// Narrows the root `synergies` list.
#[derive(InputObject, Default)]
pub struct SynergyFilter {
    /// Involving any of these programs, on either side.
    pub program_ids: Option<Vec<ID>>,
    /// In any of these statuses.
    pub statuses: Option<Vec<SynergyStatus>>,
    /// Of any of these relations.
    pub relations: Option<Vec<SynergyRelation>>,
    /// In any of these clusters.
    pub clusters: Option<Vec<Cluster>>,
    /// Agreed at this meeting.
    pub meeting_id: Option<ID>,
}

#[Object]
impl ProgramQuery {
    /// One program by id.
    #[graphql(guard = "SignedIn")]
    async fn program(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Option<Program>> {
        Ok(load_one(ctx, ProgramById(id.0)).await?.map(Program))
    }

    /// Programs by name.
    #[graphql(
        guard = "SignedIn",
        complexity = "page_complexity(first, child_complexity)"
    )]
    async fn programs(
        &self,
        ctx: &Context<'_>,
        filter: Option<ProgramFilter>,
        #[graphql(desc = "Page size (default and maximum are set by the server).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Cursor of the last row of the previous page.")] after: Option<String>,
    ) -> GqlResult<Conn<Program>> {
        use entity::program::{Column, Entity};
        let args = PageArgs::from_ctx(ctx, first, after)?;
        let f = filter.unwrap_or_default();
        let mut cond = Condition::all();
        if let Some(c) = f.clusters.filter(|c| !c.is_empty()) {
            cond = cond.add(Column::Cluster.is_in(c.into_iter().map(entity::enums::Cluster::from)));
        }
        if let Some(o) = f.owner_ids.filter(|o| !o.is_empty()) {
            cond = cond.add(Column::OwnerId.is_in(o.into_iter().map(|i| i.0)));
        }
        if let Some(y) = f.active_in {
            if !crate::services::FISCAL_YEARS.contains(&y) {
                return Err(AppError::bad_input(
                    "filter.activeIn",
                    crate::services::rules::FISCAL_YEAR_MESSAGE,
                )
                .into());
            }
            cond = cond
                .add(Column::StartYear.lte(y))
                .add(Column::EndYear.gte(y));
        }
        if let Some(r) = &f.region {
            use entity::program_village as pv;
            let code = parse_code("filter.region", r)?;
            cond = cond.add(
                Column::Id.in_subquery(
                    Query::select()
                        .column(pv::Column::ProgramId)
                        .from(pv::Entity)
                        .cond_where(region_condition(pv::Column::VillageCode, &code))
                        .to_owned(),
                ),
            );
        }
        if let Some(t) = check_text("filter.text", f.text)? {
            cond = cond.add(Column::SearchName.like(format!("%{}%", like_escape(&t))));
        }
        super::page_by_name::<Entity, _>(ctx, &args, cond, (Column::Name, Column::Id), Program)
            .await
    }

    /// Program synergies in record order.
    #[graphql(
        guard = "SignedIn",
        complexity = "page_complexity(first, child_complexity)"
    )]
    async fn synergies(
        &self,
        ctx: &Context<'_>,
        filter: Option<SynergyFilter>,
        #[graphql(desc = "Page size (default and maximum are set by the server).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Cursor of the last row of the previous page.")] after: Option<String>,
    ) -> GqlResult<Conn<ProgramSynergy>> {
        use entity::program_synergy::{Column, Entity};
        let args = PageArgs::from_ctx(ctx, first, after)?;
        let f = filter.unwrap_or_default();
        let mut cond = Condition::all();
        if let Some(p) = f.program_ids.filter(|p| !p.is_empty()) {
            let ids: Vec<String> = p.into_iter().map(|i| i.0).collect();
            cond = cond.add(
                Condition::any()
                    .add(Column::ProgramAId.is_in(ids.clone()))
                    .add(Column::ProgramBId.is_in(ids)),
            );
        }
        if let Some(s) = f.statuses.filter(|s| !s.is_empty()) {
            cond = cond
                .add(Column::Status.is_in(s.into_iter().map(entity::enums::SynergyStatus::from)));
        }
        if let Some(r) = f.relations.filter(|r| !r.is_empty()) {
            cond = cond.add(
                Column::Relation.is_in(r.into_iter().map(entity::enums::SynergyRelation::from)),
            );
        }
        if let Some(c) = f.clusters.filter(|c| !c.is_empty()) {
            cond = cond.add(Column::Cluster.is_in(c.into_iter().map(entity::enums::Cluster::from)));
        }
        if let Some(m) = f.meeting_id {
            cond = cond.add(Column::MeetingId.eq(m.0));
        }
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let mut q = Entity::find().filter(cond.clone());
        if let Some(a) = args.after_str(0)? {
            q = q.filter(Column::Id.gt(a));
        }
        let rows = q
            .order_by_asc(Column::Id)
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
            |r| vec![r.id.clone().into()],
            ProgramSynergy,
        ))
    }
}
