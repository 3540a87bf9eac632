//! Programs: lookups that cross the program–village link; every write of a program and a synergy
//! in [`write`].

mod parts;
mod synergy;
pub mod write;

use crate::error::AppResult;
use crate::region_code::RegionCode;
use entity::program_village::{Column, Entity};
use sea_orm::{ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

/// Ids of the programs that target at least one village inside `region`.
pub async fn ids_targeting_region(
    db: &impl ConnectionTrait,
    region: &RegionCode,
) -> AppResult<Vec<String>> {
    Ok(Entity::find()
        .select_only()
        .column(Column::ProgramId)
        .distinct()
        .filter(crate::services::contributions::region_condition(
            Column::VillageCode,
            region,
        ))
        .into_tuple::<String>()
        .all(db)
        .await?)
}
