//! The meetings of a region and the action items of an owner, paged and counted per parent.

use super::{ancestor, code_len, counted, windowed};
use crate::loaders::{DbLoader, LoadError};
use crate::region_code::RegionCode;
use crate::services::contributions::region_condition;
use async_graphql::dataloader::Loader;
use entity::enums::RegionLevel;
use sea_orm::ColumnTrait;
use sea_orm::sea_query::{Condition, Expr, Order};
use std::collections::HashMap;

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
