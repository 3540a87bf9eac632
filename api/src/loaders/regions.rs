//! Regions by code and a region's children: from the region cache when it holds them, otherwise
//! one statement for the whole batch, whose rows the cache then keeps (`region_cache`).

use super::{DbLoader, LoadError};
use async_graphql::dataloader::Loader;
use entity::region::{Column, Entity, Model};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// A region, by code.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RegionByCode(pub String);

impl Loader<RegionByCode> for DbLoader {
    type Value = Model;
    type Error = LoadError;

    async fn load(&self, keys: &[RegionByCode]) -> Result<HashMap<RegionByCode, Model>, LoadError> {
        let cache = self.region_cache();
        // Taken before reading: a drop while the statement runs makes the put below a no-op.
        let generation = cache.map(|c| c.generation());
        let mut out: HashMap<RegionByCode, Model> = cache
            .map(|c| c.regions(keys.iter().map(|k| k.0.as_str())))
            .unwrap_or_default()
            .into_iter()
            .map(|(code, r)| (RegionByCode(code), r))
            .collect();
        let missing: Vec<String> = keys
            .iter()
            .filter(|k| !out.contains_key(*k))
            .map(|k| k.0.clone())
            .collect();
        if missing.is_empty() {
            return Ok(out);
        }
        let rows = Entity::find()
            .filter(Column::Code.is_in(missing))
            .all(&self.db)
            .await?;
        if let (Some(c), Some(g)) = (cache, generation) {
            c.put_regions(g, &rows);
        }
        out.extend(rows.into_iter().map(|r| (RegionByCode(r.code.clone()), r)));
        Ok(out)
    }
}

/// Direct children of a region, in code order.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ChildrenOfRegion(pub String);

impl Loader<ChildrenOfRegion> for DbLoader {
    type Value = Vec<Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[ChildrenOfRegion],
    ) -> Result<HashMap<ChildrenOfRegion, Vec<Model>>, LoadError> {
        let cache = self.region_cache();
        let generation = cache.map(|c| c.generation());
        let mut out: HashMap<ChildrenOfRegion, Vec<Model>> = HashMap::new();
        let mut missing = Vec::new();
        for k in keys {
            match cache.and_then(|c| c.children(&k.0)) {
                Some(rows) => {
                    out.insert(k.clone(), rows);
                }
                None => missing.push(k.0.clone()),
            }
        }
        if missing.is_empty() {
            return Ok(out);
        }
        let mut found: HashMap<String, Vec<Model>> = HashMap::new();
        for row in Entity::find()
            .filter(Column::ParentCode.is_in(missing.clone()))
            .order_by_asc(Column::Code)
            .all(&self.db)
            .await?
        {
            found
                .entry(row.parent_code.clone().unwrap_or_default())
                .or_default()
                .push(row);
        }
        for parent in missing {
            let rows = found.remove(&parent).unwrap_or_default();
            // The keys are codes of regions already read (a region's `children`): kept even when
            // empty, a village's included, so a list never costs a statement twice.
            if let (Some(c), Some(g)) = (cache, generation) {
                c.put_children(g, &parent, &rows);
            }
            if !rows.is_empty() {
                out.insert(ChildrenOfRegion(parent), rows);
            }
        }
        Ok(out)
    }
}
