//! The villages below a region, paged and counted per region.

use super::{ancestor, code_len, counted, windowed};
use crate::loaders::{DbLoader, LoadError};
use crate::region_code::RegionCode;
use crate::services::contributions;
use async_graphql::dataloader::Loader;
use entity::enums::RegionLevel;
use sea_orm::ColumnTrait;
use sea_orm::sea_query::{Condition, Order, Query};
use std::collections::HashMap;

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
                    .entry(
                        row.code
                            .get(..code_len(level))
                            .unwrap_or(&row.code)
                            .to_string(),
                    )
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
