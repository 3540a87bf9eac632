use crate::auth::SignedIn;
use crate::error::{AppError, GqlResult};
use crate::loaders::{MeetingById, load_one};
use crate::pagination::{Conn, PageArgs, connection, page_complexity, wants_total};
use crate::region_code::parse_code;
use crate::schema::enums::MeetingLevel;
use crate::schema::scalars::Date;
use crate::schema::types::meeting::{ActionItem, ActionItemFilter, Meeting, action_items_page};
use crate::services::meetings::{MeetingFilter, meeting_condition};
use crate::text::check_text;
use async_graphql::{Context, ID, InputObject, Object};
use sea_orm::sea_query::Condition;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

#[derive(Default)]
pub struct MeetingQuery;

/// Narrows the root `meetings` list.
#[derive(InputObject, Default)]
pub struct MeetingFilterInput {
    /// Held in this region or below (code prefix).
    pub region: Option<String>,
    /// At any of these levels.
    pub levels: Option<Vec<MeetingLevel>>,
    /// Held on or after this date.
    pub held_from: Option<Date>,
    /// Held on or before this date.
    pub held_to: Option<Date>,
    /// Hosted by any of these organizations.
    pub host_ids: Option<Vec<ID>>,
    /// Attended by any of these organizations.
    pub participant_ids: Option<Vec<ID>>,
    /// Text the title must contain (case-insensitive).
    pub text: Option<String>,
}

#[Object]
impl MeetingQuery {
    /// One meeting by id.
    #[graphql(guard = "SignedIn")]
    async fn meeting(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Option<Meeting>> {
        Ok(load_one(ctx, MeetingById(id.0)).await?.map(Meeting))
    }

    /// Coordination meetings, newest first.
    #[graphql(
        guard = "SignedIn",
        complexity = "page_complexity(first, child_complexity)"
    )]
    async fn meetings(
        &self,
        ctx: &Context<'_>,
        filter: Option<MeetingFilterInput>,
        #[graphql(desc = "Page size (default and maximum are set by the server).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Cursor of the last row of the previous page.")] after: Option<String>,
    ) -> GqlResult<Conn<Meeting>> {
        use entity::meeting::{Column, Entity};
        let args = PageArgs::from_ctx(ctx, first, after)?;
        let f = filter.unwrap_or_default();
        if let (Some(a), Some(b)) = (f.held_from, f.held_to)
            && a.0 > b.0
        {
            return Err(AppError::bad_input("filter.heldTo", "must not be before heldFrom").into());
        }
        let filter = MeetingFilter {
            region: f
                .region
                .as_deref()
                .map(|r| parse_code("filter.region", r))
                .transpose()?,
            levels: f
                .levels
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            held_from: f.held_from.map(|d| d.0),
            held_to: f.held_to.map(|d| d.0),
            host_ids: f
                .host_ids
                .unwrap_or_default()
                .into_iter()
                .map(|i| i.0)
                .collect(),
            participant_ids: f
                .participant_ids
                .unwrap_or_default()
                .into_iter()
                .map(|i| i.0)
                .collect(),
            text: check_text("filter.text", f.text)?,
        };
        let cond = meeting_condition(&filter);
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let mut q = Entity::find().filter(cond.clone());
        if let (Some(day), Some(id)) = (args.after_str(0)?, args.after_str(1)?) {
            let day = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                .map_err(|_| AppError::bad_input("after", "not a cursor this API issued"))?;
            q = q.filter(
                Condition::any().add(Column::HeldOn.lt(day)).add(
                    Condition::all()
                        .add(Column::HeldOn.eq(day))
                        .add(Column::Id.lt(id)),
                ),
            );
        }
        let rows = q
            .order_by_desc(Column::HeldOn)
            .order_by_desc(Column::Id)
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
            |m| {
                vec![
                    m.held_on.format("%Y-%m-%d").to_string().into(),
                    m.id.clone().into(),
                ]
            },
            Meeting,
        ))
    }

    /// Action items from meetings, in record order: "open and overdue by owner" is
    /// `actionItems(filter: {ownerIds: [...], overdue: true})`.
    #[graphql(
        guard = "SignedIn",
        complexity = "page_complexity(first, child_complexity)"
    )]
    async fn action_items(
        &self,
        ctx: &Context<'_>,
        filter: Option<ActionItemFilter>,
        #[graphql(desc = "Page size (default and maximum are set by the server).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Cursor of the last row of the previous page.")] after: Option<String>,
    ) -> GqlResult<Conn<ActionItem>> {
        action_items_page(ctx, filter, first, after).await
    }
}
