//! A region's, an organization's or a program's contributions, paged and counted per parent.

use super::{ancestor, code_len, counted, windowed_statement};
use crate::loaders::joined::{self, JoinedRow, Joins};
use crate::loaders::{DbLoader, LoadError};
use crate::region_code::RegionCode;
use crate::services::contributions::{self, ContributionFilter, region_condition};
use async_graphql::dataloader::Loader;
use entity::enums::RegionLevel;
use sea_orm::sea_query::{Condition, Expr, Order};
use sea_orm::{ColumnTrait, ConnectionTrait};
use std::collections::HashMap;

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
    /// To-one relations to read with the rows.
    pub joins: Joins,
    /// Count the parent's rows in the same statement (only meaningful without `after`, which would
    /// leave the rows before the cursor out of the count).
    pub with_total: bool,
}

/// One parent's page: its rows with their relations, and its row count when asked for.
#[derive(Clone, Debug, Default)]
pub struct ContributionRows {
    /// The rows, in id order (one more than asked for when a next page exists).
    pub rows: Vec<JoinedRow>,
    /// How many rows the parent has under the filter, when the key asked for it.
    pub total: Option<i64>,
}

impl Loader<ContributionPage> for DbLoader {
    type Value = ContributionRows;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[ContributionPage],
    ) -> Result<HashMap<ContributionPage, Self::Value>, Self::Error> {
        use entity::contribution::{Column, Entity};
        type Group<'a> = (
            ParentGroup,
            &'a ContributionFilter,
            u64,
            &'a Option<String>,
            Joins,
            bool,
        );
        let mut groups: HashMap<Group, Vec<&ContributionPage>> = HashMap::new();
        for k in keys {
            groups
                .entry((
                    k.parent.group(),
                    &k.filter,
                    k.first,
                    &k.after,
                    k.joins,
                    k.with_total,
                ))
                .or_default()
                .push(k);
        }
        let mut out = HashMap::new();
        for ((group, filter, first, after, joins, with_total), members) in groups {
            let parents: Vec<&ContributionParent> = members.iter().map(|k| &k.parent).collect();
            let (parent_cond, partition) = parents_condition(&group, &parents);
            let mut cond = contributions::condition(filter, &self.visibility).add(parent_cond);
            if let Some(after) = after {
                cond = cond.add(Column::Id.gt(after.as_str()));
            }
            let order = [(Column::Id, Order::Asc)];
            let rows = windowed_statement::<Entity>(
                cond,
                partition,
                &order,
                first + 1,
                with_total,
                Some(Column::Id),
            );
            let select = joined::select(rows, joins, &order);
            let mut by_parent: HashMap<String, ContributionRows> = HashMap::new();
            for result in self.db.query_all(&select).await? {
                let row = joined::decode(&result, joins)?;
                if let Some(p) = ContributionParent::of_row(&group, &row.0) {
                    let page = by_parent.entry(p).or_default();
                    if with_total && page.total.is_none() {
                        page.total = Some(result.try_get::<i64>("", "total")?);
                    }
                    page.rows.push(row);
                }
            }
            for k in members {
                let mut page = by_parent.remove(&k.parent.key()).unwrap_or_default();
                if with_total {
                    // A parent without rows has none to carry its count.
                    page.total.get_or_insert(0);
                }
                out.insert(k.clone(), page);
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
