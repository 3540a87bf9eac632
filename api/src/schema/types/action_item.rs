//! Action items: the follow-up tasks of meeting decisions, their progress notes, and the lists of
//! them (an organization's, and the root `actionItems`).

use crate::error::{AppError, AppResult, GqlResult};
use crate::loaders::{
    ActionItemPage, DecisionById, MeetingById, OrganizationById, ProgramById, ProgramsOfActionItem,
    RegionByCode, RegionsOfActionItem, UpdatesOfActionItem, load_linked, load_list, load_one,
};
use crate::pagination::{Conn, PageArgs, connection, wants_total};
use crate::region_code::parse_code;
use crate::schema::enums::ActionItemStatus;
use crate::schema::scalars::{Date, DateTime};
use crate::schema::types::meeting::{Decision, Meeting};
use crate::schema::types::organization::Organization;
use crate::schema::types::program::Program;
use crate::schema::types::region::Region;
use crate::services::meetings::{self as svc, is_overdue, today};
use async_graphql::{Context, ID, InputObject, Object};
use sea_orm::{
    DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

/// A follow-up task from a decision, owned by one organization.
pub struct ActionItem(pub entity::action_item::Model);

#[Object]
impl ActionItem {
    /// Stable id.
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    /// Version for optimistic concurrency: send it back with an update.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// The decision it carries out.
    async fn decision(&self, ctx: &Context<'_>) -> GqlResult<Option<Decision>> {
        Ok(load_one(ctx, DecisionById(self.0.decision_id.clone()))
            .await?
            .map(Decision))
    }
    /// The meeting that decided it.
    async fn meeting(&self, ctx: &Context<'_>) -> GqlResult<Option<Meeting>> {
        Ok(load_one(ctx, MeetingById(self.0.meeting_id.clone()))
            .await?
            .map(Meeting))
    }
    /// What has to be done.
    async fn text(&self) -> &str {
        &self.0.text
    }
    /// Who has to do it.
    async fn owner(&self, ctx: &Context<'_>) -> GqlResult<Option<Organization>> {
        Ok(load_one(ctx, OrganizationById(self.0.owner_id.clone()))
            .await?
            .map(Organization))
    }
    /// By when.
    async fn due_on(&self) -> Option<Date> {
        self.0.due_on.map(Date)
    }
    /// Where it stands.
    async fn status(&self) -> ActionItemStatus {
        self.0.status.into()
    }
    /// Open or in progress past its due date (dates in WIB, UTC+7).
    async fn overdue(&self) -> bool {
        is_overdue(self.0.status, self.0.due_on, today())
    }
    /// Progress notes, oldest first.
    async fn updates(&self, ctx: &Context<'_>) -> GqlResult<Vec<ActionItemUpdate>> {
        Ok(load_list(ctx, UpdatesOfActionItem(self.0.id.clone()))
            .await?
            .into_iter()
            .map(ActionItemUpdate)
            .collect())
    }
    /// Programs it concerns.
    async fn programs(&self, ctx: &Context<'_>) -> GqlResult<Vec<Program>> {
        Ok(
            load_linked(ctx, ProgramsOfActionItem(self.0.id.clone()), |l| {
                ProgramById(l.program_id)
            })
            .await?
            .into_iter()
            .map(Program)
            .collect(),
        )
    }
    /// Regions it concerns.
    async fn regions(&self, ctx: &Context<'_>) -> GqlResult<Vec<Region>> {
        Ok(
            load_linked(ctx, RegionsOfActionItem(self.0.id.clone()), |l| {
                RegionByCode(l.region_code)
            })
            .await?
            .into_iter()
            .map(Region)
            .collect(),
        )
    }
}

/// A progress note on an action item.
pub struct ActionItemUpdate(pub entity::action_item_update::Model);

#[Object]
impl ActionItemUpdate {
    /// When it was written.
    async fn at(&self) -> DateTime {
        DateTime(self.0.at)
    }
    /// The organization reporting.
    async fn by(&self, ctx: &Context<'_>) -> GqlResult<Option<Organization>> {
        Ok(
            load_one(ctx, OrganizationById(self.0.by_organization_id.clone()))
                .await?
                .map(Organization),
        )
    }
    /// The note.
    async fn note(&self) -> &str {
        &self.0.note
    }
    /// The status it set, if it changed it.
    async fn status(&self) -> Option<ActionItemStatus> {
        self.0.status.map(Into::into)
    }
}

/// Narrows a list of action items.
#[derive(InputObject, Default, Debug, Clone)]
pub struct ActionItemFilter {
    /// Items of meetings held in this region or below (code prefix).
    pub region: Option<String>,
    /// Owned by any of these organizations.
    pub owner_ids: Option<Vec<ID>>,
    /// In any of these statuses.
    pub statuses: Option<Vec<ActionItemStatus>>,
    /// Only overdue items (true) or only items not overdue (false).
    pub overdue: Option<bool>,
    /// Items of this meeting.
    pub meeting_id: Option<ID>,
    /// Due on or before this date.
    pub due_before: Option<Date>,
}

impl ActionItemFilter {
    /// Checks it, naming the offending field.
    pub fn check(self) -> AppResult<svc::ActionItemFilter> {
        let owner_ids: Vec<String> = self
            .owner_ids
            .unwrap_or_default()
            .into_iter()
            .map(|i| i.0)
            .collect();
        if owner_ids.len() > 500 {
            return Err(AppError::bad_input("filter.ownerIds", "at most 500 ids"));
        }
        Ok(svc::ActionItemFilter {
            region: self
                .region
                .as_deref()
                .map(|r| parse_code("filter.region", r))
                .transpose()?,
            owner_ids,
            statuses: self
                .statuses
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            overdue: self.overdue,
            meeting_id: self.meeting_id.map(|i| i.0),
            due_before: self.due_before.map(|d| d.0),
        })
    }
}

/// An organization's action items, through the request's loader (one statement for a whole list of
/// organizations).
pub async fn owner_action_items(
    ctx: &Context<'_>,
    owner_id: String,
    filter: Option<ActionItemFilter>,
    first: Option<i32>,
    after: Option<String>,
) -> GqlResult<Conn<ActionItem>> {
    let args = PageArgs::from_ctx(ctx, first, after)?;
    let mut filter = filter.unwrap_or_default().check()?;
    filter.owner_ids.clear();
    let key = ActionItemPage {
        owner_id: owner_id.clone(),
        filter: filter.clone(),
        first: args.first,
        after: args.after_str(0)?,
    };
    let rows = load_list(ctx, key).await?;
    let total = if wants_total(ctx) {
        load_one(ctx, crate::loaders::ActionItemCount { owner_id, filter }).await?
    } else {
        None
    };
    Ok(connection(
        &args,
        rows,
        total,
        |r| vec![r.id.clone().into()],
        ActionItem,
    ))
}

async fn count_action_items(ctx: &Context<'_>, filter: &svc::ActionItemFilter) -> AppResult<i64> {
    let db = ctx.data_unchecked::<DatabaseConnection>();
    Ok(entity::action_item::Entity::find()
        .filter(svc::action_item_condition(filter, today()))
        .count(db)
        .await? as i64)
}

/// The root `actionItems` list, in record order.
pub async fn action_items_page(
    ctx: &Context<'_>,
    filter: Option<ActionItemFilter>,
    first: Option<i32>,
    after: Option<String>,
) -> GqlResult<Conn<ActionItem>> {
    use entity::action_item::{Column, Entity};
    use sea_orm::ColumnTrait;
    let args = PageArgs::from_ctx(ctx, first, after)?;
    let filter = filter.unwrap_or_default().check()?;
    let db = ctx.data_unchecked::<DatabaseConnection>();
    let mut q = Entity::find().filter(svc::action_item_condition(&filter, today()));
    if let Some(after) = args.after_str(0)? {
        q = q.filter(Column::Id.gt(after));
    }
    let rows = q
        .order_by_asc(Column::Id)
        .limit(args.first + 1)
        .all(db)
        .await
        .map_err(AppError::from)?;
    let total = if wants_total(ctx) {
        Some(count_action_items(ctx, &filter).await?)
    } else {
        None
    };
    Ok(connection(
        &args,
        rows,
        total,
        |r| vec![r.id.clone().into()],
        ActionItem,
    ))
}
