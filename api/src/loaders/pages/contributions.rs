//! A region's, an organization's or a program's contributions, paged and counted per parent.

use super::{ancestor, code_len, counted, windowed};
use crate::loaders::{DbLoader, LoadError};
use crate::region_code::RegionCode;
use crate::services::contributions::{self, ContributionFilter, region_condition};
use async_graphql::dataloader::Loader;
use entity::enums::RegionLevel;
use sea_orm::ColumnTrait;
use sea_orm::sea_query::{Condition, Expr, Order};
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
