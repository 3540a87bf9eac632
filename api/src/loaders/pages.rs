//! Paged relations (a region's contributions, an organization's commitments, the villages below a
//! regency, ...): the first page of every parent in the batch comes from ONE windowed statement,
//! `ROW_NUMBER() OVER (PARTITION BY parent ORDER BY key)`, so a dashboard listing fifty villages with
//! their contributions costs one statement for all fifty, whatever the row counts.

use super::{DbLoader, LoadError};
use crate::region_code::RegionCode;
use crate::services::analytics::code_prefix;
use crate::services::contributions::{self, ContributionFilter, region_condition};
use async_graphql::dataloader::Loader;
use entity::enums::RegionLevel;
use sea_orm::sea_query::{
    Asterisk, Condition, Expr, ExprTrait, Func, IntoColumnRef, Order, OverStatement, Query,
    WindowStatement,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
};
use std::collections::HashMap;

/// Length of a dotted code at each level: a row's ancestor at that level is this long prefix.
fn code_len(level: RegionLevel) -> usize {
    match level {
        RegionLevel::Province => 2,
        RegionLevel::Regency => 5,
        RegionLevel::District => 8,
        RegionLevel::Village => 13,
    }
}

/// The ancestor code at `level` of `column` (a fixed-width prefix: codes are zero-padded).
fn ancestor(column: impl IntoColumnRef, level: RegionLevel) -> Expr {
    match level {
        RegionLevel::Village => Expr::col(column),
        l => code_prefix(column, code_len(l) as i32),
    }
}

/// The rows of `E` matching `cond`, at most `limit` per partition, ordered by `order` inside each.
async fn windowed<E: EntityTrait>(
    db: &impl ConnectionTrait,
    cond: Condition,
    partition: Expr,
    order: &[(E::Column, Order)],
    limit: u64,
) -> Result<Vec<E::Model>, DbErr>
where
    E::Model: FromQueryResult,
{
    // `add_partition_by` is the one way to partition by an expression (a code prefix) rather than a
    // column.
    let mut window = WindowStatement::new();
    window.add_partition_by(partition);
    for (col, dir) in order {
        window.order_by(*col, dir.clone());
    }
    let inner = Query::select()
        .column(Asterisk)
        .expr_window_as(Func::cust("ROW_NUMBER"), window, "rn")
        .from(E::default())
        .cond_where(cond)
        .to_owned();
    let mut outer = Query::select()
        .column(Asterisk)
        .from_subquery(inner, "paged")
        .and_where(Expr::col("rn").lte(limit))
        .to_owned();
    for (col, dir) in order {
        outer.order_by(*col, dir.clone());
    }
    let stmt = db.get_database_backend().build(&outer);
    E::find().from_raw_sql(stmt).all(db).await
}

/// `(parent, COUNT(*))` of the rows of `E` matching `cond`, grouped by `parent`.
async fn counted<E: EntityTrait>(
    db: &impl ConnectionTrait,
    cond: Condition,
    parent: Expr,
) -> Result<HashMap<String, i64>, DbErr> {
    // Grouped by the output name: PostgreSQL would not match two copies of a prefix expression whose
    // lengths are separate parameters.
    Ok(E::find()
        .select_only()
        .expr_as(parent, "parent")
        .expr_as(Expr::col(Asterisk).count(), "n")
        .filter(cond)
        .group_by(Expr::col("parent"))
        .into_tuple::<(String, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// Whose contributions: a region (itself and everything inside), an organization, a program.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ContributionParent {
    /// Contributions to this region or inside it.
    Region(RegionCode),
    /// Contributions by this organization.
    Organization(String),
    /// Contributions under this program.
    Program(String),
}

/// Parents that can share one statement: same kind, and for regions the same level.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum ParentGroup {
    Region(RegionLevel),
    Organization,
    Program,
}

impl ContributionParent {
    fn group(&self) -> ParentGroup {
        match self {
            Self::Region(c) => ParentGroup::Region(c.level()),
            Self::Organization(_) => ParentGroup::Organization,
            Self::Program(_) => ParentGroup::Program,
        }
    }

    /// The parent key of a row, given the group.
    fn of_row(group: &ParentGroup, row: &entity::contribution::Model) -> Option<String> {
        match group {
            ParentGroup::Region(level) => {
                row.region_code.get(..code_len(*level)).map(str::to_string)
            }
            ParentGroup::Organization => Some(row.contributor_id.clone()),
            ParentGroup::Program => row.program_id.clone(),
        }
    }

    fn key(&self) -> String {
        match self {
            Self::Region(c) => c.to_string(),
            Self::Organization(id) | Self::Program(id) => id.clone(),
        }
    }
}

fn parents_condition(group: &ParentGroup, parents: &[&ContributionParent]) -> (Condition, Expr) {
    use entity::contribution::Column;
    match group {
        ParentGroup::Region(RegionLevel::Village) => (
            Condition::all().add(Column::RegionCode.is_in(parents.iter().map(|p| p.key()))),
            Expr::col(Column::RegionCode),
        ),
        ParentGroup::Region(level) => {
            let mut any = Condition::any();
            for p in parents {
                if let ContributionParent::Region(code) = p {
                    any = any.add(region_condition(Column::RegionCode, code));
                }
            }
            (any, ancestor(Column::RegionCode, *level))
        }
        ParentGroup::Organization => (
            Condition::all().add(Column::ContributorId.is_in(parents.iter().map(|p| p.key()))),
            Expr::col(Column::ContributorId),
        ),
        ParentGroup::Program => (
            Condition::all().add(Column::ProgramId.is_in(parents.iter().map(|p| p.key()))),
            Expr::col(Column::ProgramId),
        ),
    }
}

/// A page of one parent's contributions, in id order; `first + 1` rows are fetched to tell whether a
/// next page exists.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ContributionPage {
    /// Whose contributions.
    pub parent: ContributionParent,
    /// Narrowed by.
    pub filter: ContributionFilter,
    /// Rows wanted (the loader fetches one more).
    pub first: u64,
    /// Id of the last row already seen.
    pub after: Option<String>,
}

impl Loader<ContributionPage> for DbLoader {
    type Value = Vec<entity::contribution::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[ContributionPage],
    ) -> Result<HashMap<ContributionPage, Self::Value>, Self::Error> {
        use entity::contribution::{Column, Entity};
        let mut groups: HashMap<
            (ParentGroup, &ContributionFilter, u64, &Option<String>),
            Vec<&ContributionPage>,
        > = HashMap::new();
        for k in keys {
            groups
                .entry((k.parent.group(), &k.filter, k.first, &k.after))
                .or_default()
                .push(k);
        }
        let mut out = HashMap::new();
        for ((group, filter, first, after), members) in groups {
            let parents: Vec<&ContributionParent> = members.iter().map(|k| &k.parent).collect();
            let (parent_cond, partition) = parents_condition(&group, &parents);
            let mut cond = contributions::condition(filter, &self.visibility).add(parent_cond);
            if let Some(after) = after {
                cond = cond.add(Column::Id.gt(after.as_str()));
            }
            let rows = windowed::<Entity>(
                &self.db,
                cond,
                partition,
                &[(Column::Id, Order::Asc)],
                first + 1,
            )
            .await?;
            let mut by_parent: HashMap<String, Vec<entity::contribution::Model>> = HashMap::new();
            for row in rows {
                if let Some(p) = ContributionParent::of_row(&group, &row) {
                    by_parent.entry(p).or_default().push(row);
                }
            }
            for k in members {
                out.insert(
                    k.clone(),
                    by_parent.remove(&k.parent.key()).unwrap_or_default(),
                );
            }
        }
        Ok(out)
    }
}

/// How many contributions a parent has under a filter.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ContributionCount {
    /// Whose contributions.
    pub parent: ContributionParent,
    /// Narrowed by.
    pub filter: ContributionFilter,
}

impl Loader<ContributionCount> for DbLoader {
    type Value = i64;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[ContributionCount],
    ) -> Result<HashMap<ContributionCount, i64>, Self::Error> {
        use entity::contribution::Entity;
        let mut groups: HashMap<(ParentGroup, &ContributionFilter), Vec<&ContributionCount>> =
            HashMap::new();
        for k in keys {
            groups
                .entry((k.parent.group(), &k.filter))
                .or_default()
                .push(k);
        }
        let mut out = HashMap::new();
        for ((group, filter), members) in groups {
            let parents: Vec<&ContributionParent> = members.iter().map(|k| &k.parent).collect();
            let (parent_cond, partition) = parents_condition(&group, &parents);
            let cond = contributions::condition(filter, &self.visibility).add(parent_cond);
            let counts = counted::<Entity>(&self.db, cond, partition).await?;
            for k in members {
                out.insert(k.clone(), counts.get(&k.parent.key()).copied().unwrap_or(0));
            }
        }
        Ok(out)
    }
}

/// Narrows the villages below a region.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct VillageFilter {
    /// Only villages flagged priority (desa merah / lokus) in this fiscal year.
    pub priority_in: Option<i32>,
    /// Only desa or only kelurahan.
    pub village_kind: Option<entity::enums::VillageKind>,
    /// Folded text that must appear in the name.
    pub text: Option<String>,
}

/// The villages below a region, in code order.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct VillagePage {
    /// The region (province, regency or district; a village has none below it).
    pub region: RegionCode,
    /// Narrowed by.
    pub filter: VillageFilter,
    /// Rows wanted (the loader fetches one more).
    pub first: u64,
    /// Code of the last village already seen.
    pub after: Option<String>,
}

/// The WHERE clause of "villages below these regions".
pub fn village_condition(regions: &[&RegionCode], filter: &VillageFilter) -> Condition {
    use entity::region::Column;
    let mut any = Condition::any();
    for code in regions {
        let (lo, hi) = code.descendant_range();
        any = any.add(
            Condition::all()
                .add(Column::Code.gte(lo))
                .add(Column::Code.lt(hi)),
        );
    }
    let mut cond = Condition::all()
        .add(Column::Level.eq(RegionLevel::Village))
        .add(any);
    if let Some(kind) = filter.village_kind {
        cond = cond.add(Column::VillageKind.eq(kind));
    }
    if let Some(text) = &filter.text {
        cond = cond.add(Column::SearchName.like(format!("%{}%", contributions::like_escape(text))));
    }
    if let Some(year) = filter.priority_in {
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
    cond
}

impl Loader<VillagePage> for DbLoader {
    type Value = Vec<entity::region::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[VillagePage],
    ) -> Result<HashMap<VillagePage, Self::Value>, Self::Error> {
        use entity::region::{Column, Entity};
        let mut groups: HashMap<
            (RegionLevel, &VillageFilter, u64, &Option<String>),
            Vec<&VillagePage>,
        > = HashMap::new();
        for k in keys {
            groups
                .entry((k.region.level(), &k.filter, k.first, &k.after))
                .or_default()
                .push(k);
        }
        let mut out = HashMap::new();
        for ((level, filter, first, after), members) in groups {
            if level == RegionLevel::Village {
                for k in members {
                    out.insert(k.clone(), Vec::new());
                }
                continue;
            }
            let regions: Vec<&RegionCode> = members.iter().map(|k| &k.region).collect();
            let mut cond = village_condition(&regions, filter);
            if let Some(after) = after {
                cond = cond.add(Column::Code.gt(after.as_str()));
            }
            let rows = windowed::<Entity>(
                &self.db,
                cond,
                ancestor(Column::Code, level),
                &[(Column::Code, Order::Asc)],
                first + 1,
            )
            .await?;
            let mut by_parent: HashMap<String, Vec<entity::region::Model>> = HashMap::new();
            for row in rows {
                by_parent
                    .entry(row.code[..code_len(level)].to_string())
                    .or_default()
                    .push(row);
            }
            for k in members {
                out.insert(
                    k.clone(),
                    by_parent.remove(k.region.as_str()).unwrap_or_default(),
                );
            }
        }
        Ok(out)
    }
}

/// How many villages lie below a region under a filter.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct VillageCount {
    /// The region.
    pub region: RegionCode,
    /// Narrowed by.
    pub filter: VillageFilter,
}

impl Loader<VillageCount> for DbLoader {
    type Value = i64;
    type Error = LoadError;

    async fn load(&self, keys: &[VillageCount]) -> Result<HashMap<VillageCount, i64>, Self::Error> {
        use entity::region::{Column, Entity};
        let mut groups: HashMap<(RegionLevel, &VillageFilter), Vec<&VillageCount>> = HashMap::new();
        for k in keys {
            groups
                .entry((k.region.level(), &k.filter))
                .or_default()
                .push(k);
        }
        let mut out = HashMap::new();
        for ((level, filter), members) in groups {
            if level == RegionLevel::Village {
                for k in members {
                    out.insert(k.clone(), 0);
                }
                continue;
            }
            let regions: Vec<&RegionCode> = members.iter().map(|k| &k.region).collect();
            let counts = counted::<Entity>(
                &self.db,
                village_condition(&regions, filter),
                ancestor(Column::Code, level),
            )
            .await?;
            for k in members {
                out.insert(
                    k.clone(),
                    counts.get(k.region.as_str()).copied().unwrap_or(0),
                );
            }
        }
        Ok(out)
    }
}

/// Meetings held in a region or below it, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MeetingPage {
    /// The region.
    pub region: RegionCode,
    /// Rows wanted (the loader fetches one more).
    pub first: u64,
    /// (held on, id) of the last meeting already seen.
    pub after: MeetingAfter,
}

/// Keyset position in a newest-first meeting list: (held on, id) of the last meeting seen.
pub type MeetingAfter = Option<(String, String)>;

impl Loader<MeetingPage> for DbLoader {
    type Value = Vec<entity::meeting::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[MeetingPage],
    ) -> Result<HashMap<MeetingPage, Self::Value>, Self::Error> {
        use entity::meeting::{Column, Entity};
        let mut groups: HashMap<(RegionLevel, u64, &MeetingAfter), Vec<&MeetingPage>> =
            HashMap::new();
        for k in keys {
            groups
                .entry((k.region.level(), k.first, &k.after))
                .or_default()
                .push(k);
        }
        let mut out = HashMap::new();
        for ((level, first, after), members) in groups {
            let mut any = Condition::any();
            for k in &members {
                any = any.add(region_condition(Column::RegionCode, &k.region));
            }
            let mut cond = Condition::all().add(any);
            if let Some((held_on, id)) = after {
                let day =
                    chrono::NaiveDate::parse_from_str(held_on, "%Y-%m-%d").unwrap_or_default();
                cond = cond.add(
                    Condition::any().add(Column::HeldOn.lt(day)).add(
                        Condition::all()
                            .add(Column::HeldOn.eq(day))
                            .add(Column::Id.lt(id.as_str())),
                    ),
                );
            }
            let rows = windowed::<Entity>(
                &self.db,
                cond,
                ancestor(Column::RegionCode, level),
                &[(Column::HeldOn, Order::Desc), (Column::Id, Order::Desc)],
                first + 1,
            )
            .await?;
            let mut by_parent: HashMap<String, Vec<entity::meeting::Model>> = HashMap::new();
            for row in rows {
                if let Some(p) = row.region_code.get(..code_len(level)) {
                    by_parent.entry(p.to_string()).or_default().push(row);
                }
            }
            for k in members {
                out.insert(
                    k.clone(),
                    by_parent.remove(k.region.as_str()).unwrap_or_default(),
                );
            }
        }
        Ok(out)
    }
}

/// A page of action items of one owner, in record order.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ActionItemPage {
    /// Owner organization.
    pub owner_id: String,
    /// Narrowed by (its owner list is ignored: the owner is the parent).
    pub filter: crate::services::meetings::ActionItemFilter,
    /// Rows wanted (the loader fetches one more).
    pub first: u64,
    /// Id of the last item already seen.
    pub after: Option<String>,
}

impl Loader<ActionItemPage> for DbLoader {
    type Value = Vec<entity::action_item::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[ActionItemPage],
    ) -> Result<HashMap<ActionItemPage, Self::Value>, Self::Error> {
        use crate::services::meetings::{action_item_condition, today};
        use entity::action_item::{Column, Entity};
        let mut groups: HashMap<
            (
                &crate::services::meetings::ActionItemFilter,
                u64,
                &Option<String>,
            ),
            Vec<&ActionItemPage>,
        > = HashMap::new();
        for k in keys {
            groups
                .entry((&k.filter, k.first, &k.after))
                .or_default()
                .push(k);
        }
        let mut out = HashMap::new();
        for ((filter, first, after), members) in groups {
            let mut cond = action_item_condition(filter, today())
                .add(Column::OwnerId.is_in(members.iter().map(|k| k.owner_id.clone())));
            if let Some(after) = after {
                cond = cond.add(Column::Id.gt(after.as_str()));
            }
            let rows = windowed::<Entity>(
                &self.db,
                cond,
                Expr::col(Column::OwnerId),
                &[(Column::Id, Order::Asc)],
                first + 1,
            )
            .await?;
            let mut by_owner: HashMap<String, Vec<entity::action_item::Model>> = HashMap::new();
            for row in rows {
                by_owner.entry(row.owner_id.clone()).or_default().push(row);
            }
            for k in members {
                out.insert(k.clone(), by_owner.remove(&k.owner_id).unwrap_or_default());
            }
        }
        Ok(out)
    }
}

/// How many action items an owner has under a filter.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ActionItemCount {
    /// Owner organization.
    pub owner_id: String,
    /// Narrowed by (its owner list is ignored: the owner is the parent).
    pub filter: crate::services::meetings::ActionItemFilter,
}

impl Loader<ActionItemCount> for DbLoader {
    type Value = i64;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[ActionItemCount],
    ) -> Result<HashMap<ActionItemCount, i64>, Self::Error> {
        use crate::services::meetings::{action_item_condition, today};
        use entity::action_item::{Column, Entity};
        let mut groups: HashMap<
            &crate::services::meetings::ActionItemFilter,
            Vec<&ActionItemCount>,
        > = HashMap::new();
        for k in keys {
            groups.entry(&k.filter).or_default().push(k);
        }
        let mut out = HashMap::new();
        for (filter, members) in groups {
            let cond = action_item_condition(filter, today())
                .add(Column::OwnerId.is_in(members.iter().map(|k| k.owner_id.clone())));
            let counts = counted::<Entity>(&self.db, cond, Expr::col(Column::OwnerId)).await?;
            for k in members {
                out.insert(k.clone(), counts.get(&k.owner_id).copied().unwrap_or(0));
            }
        }
        Ok(out)
    }
}
