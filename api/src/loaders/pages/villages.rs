//! The villages below a region, paged and counted per region.

use super::{ancestor, code_len, counted, windowed};
use crate::loaders::{DbLoader, LoadError};
use crate::region_cache::Row;
use crate::region_code::RegionCode;
use crate::services::contributions;
use async_graphql::dataloader::Loader;
use entity::enums::RegionLevel;
use sea_orm::sea_query::{Condition, Order, Query};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;
use std::sync::Arc;

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

impl VillageFilter {
    /// Whether a page under this filter can be cut from a cached list of every village below the
    /// region: the kind is a plain comparison, but the text filter (SQL `LIKE` on the folded name)
    /// and the priority filter (a subquery on indicators) stay on SQL.
    fn in_memory(&self) -> bool {
        self.text.is_none() && self.priority_in.is_none()
    }

    fn keeps(&self, row: &entity::region::Model) -> bool {
        self.village_kind
            .is_none_or(|k| row.village_kind == Some(k))
    }
}

/// Lists of every village below the given regions (code order), from the region cache or, for those
/// it lacks, from one statement for all of them, which the cache then keeps.
async fn village_lists(
    loader: &DbLoader,
    regions: Vec<&RegionCode>,
) -> Result<HashMap<String, Arc<Vec<Row>>>, LoadError> {
    use entity::region::{Column, Entity};
    let Some(cache) = loader.region_cache() else {
        return Ok(HashMap::new());
    };
    let generation = cache.generation();
    let mut lists = HashMap::new();
    let mut missing: Vec<&RegionCode> = Vec::new();
    for r in regions {
        if lists.contains_key(r.as_str()) || missing.contains(&r) {
            continue;
        }
        match cache.villages(r.as_str()) {
            Some(list) => {
                lists.insert(r.as_str().to_string(), list);
            }
            None => missing.push(r),
        }
    }
    if missing.is_empty() {
        return Ok(lists);
    }
    let rows = Entity::find()
        .filter(village_condition(&missing, &VillageFilter::default()))
        .order_by_asc(Column::Code)
        .all(&loader.db)
        .await?;
    // A village belongs to the list of each requested region above it (a province and one of its
    // regencies may both be asked for).
    let mut found: HashMap<&str, Vec<entity::region::Model>> =
        missing.iter().map(|r| (r.as_str(), Vec::new())).collect();
    for row in rows {
        for level in [
            RegionLevel::Province,
            RegionLevel::Regency,
            RegionLevel::District,
        ] {
            if let Some(list) = row
                .code
                .get(..code_len(level))
                .and_then(|prefix| found.get_mut(prefix))
            {
                list.push(row.clone());
            }
        }
    }
    for (region, rows) in found {
        lists.insert(
            region.to_string(),
            cache.put_villages(generation, region, rows),
        );
    }
    Ok(lists)
}

/// The page of `key` cut from the list of every village below its region: the rows the windowed
/// statement would return (the filter's kind, codes after the cursor, `first + 1` of them).
fn page_of(list: &[Row], key: &VillagePage) -> Vec<entity::region::Model> {
    let start = match &key.after {
        Some(after) => list.partition_point(|r| r.code.as_str() <= after.as_str()),
        None => 0,
    };
    list[start..]
        .iter()
        .filter(|r| key.filter.keeps(r))
        .take(key.first as usize + 1)
        .map(|r| (**r).clone())
        .collect()
}

impl Loader<VillagePage> for DbLoader {
    type Value = Vec<entity::region::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[VillagePage],
    ) -> Result<HashMap<VillagePage, Self::Value>, Self::Error> {
        use entity::region::{Column, Entity};
        let mut out = HashMap::new();
        // Pages the region cache can answer, with identical rows, order and cursors.
        let cached = village_lists(
            self,
            keys.iter()
                .filter(|k| k.filter.in_memory() && k.region.level() != RegionLevel::Village)
                .map(|k| &k.region)
                .collect(),
        )
        .await?;
        let mut groups: HashMap<
            (RegionLevel, &VillageFilter, u64, &Option<String>),
            Vec<&VillagePage>,
        > = HashMap::new();
        for k in keys {
            if k.filter.in_memory()
                && let Some(list) = cached.get(k.region.as_str())
            {
                out.insert(k.clone(), page_of(list, k));
                continue;
            }
            groups
                .entry((k.region.level(), &k.filter, k.first, &k.after))
                .or_default()
                .push(k);
        }
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
        let mut out = HashMap::new();
        let mut groups: HashMap<(RegionLevel, &VillageFilter), Vec<&VillageCount>> = HashMap::new();
        for k in keys {
            // The page of the same field read the list just before (`Region.villages`): when the
            // cache kept it, the count is the list's.
            if k.filter.in_memory()
                && let Some(list) = self
                    .region_cache()
                    .and_then(|c| c.villages(k.region.as_str()))
            {
                let n = list.iter().filter(|r| k.filter.keeps(r)).count();
                out.insert(k.clone(), n as i64);
                continue;
            }
            groups
                .entry((k.region.level(), &k.filter))
                .or_default()
                .push(k);
        }
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
