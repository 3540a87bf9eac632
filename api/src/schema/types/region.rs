use crate::auth::SignedIn;
use crate::error::{AppError, AppResult, GqlResult};
use crate::loaders::joined::Joins;
use crate::loaders::{
    ChildrenOfRegion, ContributionCount, ContributionPage, ContributionParent, IndicatorsOfVillage,
    MeetingPage, ProgramById, ProgramsOfVillage, RegionByCode, VillageCount, VillageFilter,
    VillagePage, load_list, load_many, load_one,
};
use crate::pagination::{
    Conn, PageArgs, connection, connection_from_list, page_complexity, wants_total,
};
use crate::region_code::RegionCode;
use crate::schema::enums::{RegionLevel, VillageKind};
use crate::schema::types::contribution::{Contribution, ContributionFilter, check_filter};
use crate::schema::types::meeting::Meeting;
use crate::schema::types::program::Program;
use async_graphql::{Context, InputObject, Object};
// The indicators were first written here; their path stays valid.
pub use crate::schema::types::village_indicators::VillageIndicators;

/// A region of Indonesia's administrative hierarchy (Kemendagri): province, regency or city, district
/// (kecamatan), or village (desa or kelurahan). Public reference data: readable without signing in.
pub struct Region(pub entity::region::Model);

impl Region {
    fn region_code(&self) -> RegionCode {
        RegionCode::parse(&self.0.code).expect("stored codes are valid")
    }
}

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

    /// Every region above this one, province first (empty for a province).
    async fn ancestors(&self, ctx: &Context<'_>) -> GqlResult<Vec<Region>> {
        let mut lineage = self.region_code().lineage();
        lineage.pop();
        let keys = lineage
            .into_iter()
            .map(|c| RegionByCode(c.to_string()))
            .collect();
        Ok(load_many(ctx, keys)
            .await?
            .into_iter()
            .map(Region)
            .collect())
    }

    /// The regions directly below this one, in code order.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn children(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size (default and maximum are set by the server).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Cursor of the last row of the previous page.")] after: Option<String>,
    ) -> GqlResult<Conn<Region>> {
        let args = PageArgs::from_ctx(ctx, first, after)?;
        let rows = load_list(ctx, ChildrenOfRegion(self.0.code.clone())).await?;
        Ok(connection_from_list(
            &args,
            rows,
            |r| r.code.clone(),
            Region,
        )?)
    }

    /// Every village below this region (all of a regency's villages, for a regency), in code order.
    #[graphql(complexity = "page_complexity(first, child_complexity)")]
    async fn villages(
        &self,
        ctx: &Context<'_>,
        filter: Option<VillageFilterInput>,
        #[graphql(desc = "Page size (default and maximum are set by the server).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Cursor of the last row of the previous page.")] after: Option<String>,
    ) -> GqlResult<Conn<Region>> {
        let args = PageArgs::from_ctx(ctx, first, after)?;
        let filter = filter.unwrap_or_default().check()?;
        let key = VillagePage {
            region: self.region_code(),
            filter: filter.clone(),
            first: args.first,
            after: args.after_str(0)?,
        };
        let rows = load_list(ctx, key).await?;
        let total = if wants_total(ctx) {
            load_one(
                ctx,
                VillageCount {
                    region: self.region_code(),
                    filter,
                },
            )
            .await?
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

    /// Indicators of this village for a fiscal year; the latest year when none is given. Null above
    /// village level or when none are recorded.
    #[graphql(guard = "SignedIn")]
    async fn indicators(
        &self,
        ctx: &Context<'_>,
        fiscal_year: Option<i32>,
    ) -> GqlResult<Option<VillageIndicators>> {
        let rows = load_list(ctx, IndicatorsOfVillage(self.0.code.clone())).await?;
        let found = match fiscal_year {
            Some(y) => rows.into_iter().find(|r| r.fiscal_year == y),
            None => rows.into_iter().last(),
        };
        Ok(found.map(VillageIndicators))
    }

    /// Every year's indicators of this village, oldest first: a village leaving the red list shows here.
    #[graphql(guard = "SignedIn")]
    async fn indicator_history(&self, ctx: &Context<'_>) -> GqlResult<Vec<VillageIndicators>> {
        Ok(load_list(ctx, IndicatorsOfVillage(self.0.code.clone()))
            .await?
            .into_iter()
            .map(VillageIndicators)
            .collect())
    }

    /// Contributions to this region or anywhere inside it, in record order.
    #[graphql(
        guard = "SignedIn",
        complexity = "page_complexity(first, child_complexity)"
    )]
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
            ContributionParent::Region(self.region_code()),
            filter,
            first,
            after,
        )
        .await
    }

    /// Programs that target at least one village in this region, by name.
    #[graphql(
        guard = "SignedIn",
        complexity = "page_complexity(first, child_complexity)"
    )]
    async fn programs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size (default and maximum are set by the server).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Cursor of the last row of the previous page.")] after: Option<String>,
    ) -> GqlResult<Conn<Program>> {
        let args = PageArgs::from_ctx(ctx, first, after)?;
        let ids: Vec<String> = if self.0.level == entity::enums::RegionLevel::Village {
            load_list(ctx, ProgramsOfVillage(self.0.code.clone()))
                .await?
                .into_iter()
                .map(|l| l.program_id)
                .collect()
        } else {
            let db = ctx.data_unchecked::<sea_orm::DatabaseConnection>();
            crate::services::programs::ids_targeting_region(db, &self.region_code()).await?
        };
        let mut programs = load_many(ctx, ids.into_iter().map(ProgramById).collect()).await?;
        programs.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
        Ok(connection_from_list(
            &args,
            programs,
            |p| format!("{}\u{1f}{}", p.name, p.id),
            Program,
        )?)
    }

    /// Coordination meetings held in this region or below it, newest first.
    #[graphql(
        guard = "SignedIn",
        complexity = "page_complexity(first, child_complexity)"
    )]
    async fn meetings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size (default and maximum are set by the server).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Cursor of the last row of the previous page.")] after: Option<String>,
    ) -> GqlResult<Conn<Meeting>> {
        let args = PageArgs::from_ctx(ctx, first, after)?;
        let after = match &args.after {
            None => None,
            Some(_) => Some((
                args.after_str(0)?.unwrap_or_default(),
                args.after_str(1)?.unwrap_or_default(),
            )),
        };
        let rows = load_list(
            ctx,
            MeetingPage {
                region: self.region_code(),
                first: args.first,
                after,
            },
        )
        .await?;
        Ok(connection(
            &args,
            rows,
            None,
            |m| {
                vec![
                    m.held_on.format("%Y-%m-%d").to_string().into(),
                    m.id.clone().into(),
                ]
            },
            Meeting,
        ))
    }
}

/// The shared body of every nested `contributions` field: one windowed statement per nesting level,
/// which also reads the selected to-one relations of the rows and, on a first page, `totalCount`.
pub async fn nested_contributions(
    ctx: &Context<'_>,
    parent: ContributionParent,
    filter: Option<ContributionFilter>,
    first: Option<i32>,
    after: Option<String>,
) -> GqlResult<Conn<Contribution>> {
    let args = PageArgs::from_ctx(ctx, first, after)?;
    let filter = check_filter(filter)?;
    let wants_total = wants_total(ctx);
    // After a cursor the page's statement sees only the rows past it, so the whole list's count needs
    // its own statement.
    let folded_total = wants_total && args.after.is_none();
    let key = ContributionPage {
        parent: parent.clone(),
        filter: filter.clone(),
        first: args.first,
        after: args.after_str(0)?,
        joins: Joins::selected_in_connection(&ctx.look_ahead()),
        with_total: folded_total,
    };
    let page = load_one(ctx, key).await?.unwrap_or_default();
    let total = if folded_total {
        page.total
    } else if wants_total {
        load_one(ctx, ContributionCount { parent, filter }).await?
    } else {
        None
    };
    Ok(connection(
        &args,
        page.rows,
        total,
        |r| vec![r.0.id.clone().into()],
        Contribution::from,
    ))
}

/// Narrows the villages below a region.
#[derive(InputObject, Default)]
pub struct VillageFilterInput {
    /// Only villages flagged priority (desa merah / lokus) in this fiscal year.
    pub priority_in: Option<i32>,
    /// Only desa, or only kelurahan.
    pub village_kind: Option<VillageKind>,
    /// Text the name must contain (case- and accent-insensitive).
    pub text: Option<String>,
}

impl VillageFilterInput {
    fn check(self) -> AppResult<VillageFilter> {
        if let Some(y) = self.priority_in
            && !crate::services::FISCAL_YEARS.contains(&y)
        {
            return Err(AppError::bad_input(
                "filter.priorityIn",
                crate::services::rules::FISCAL_YEAR_MESSAGE,
            ));
        }
        Ok(VillageFilter {
            priority_in: self.priority_in,
            village_kind: self.village_kind.map(Into::into),
            text: crate::text::check_text("filter.text", self.text)?,
        })
    }
}
