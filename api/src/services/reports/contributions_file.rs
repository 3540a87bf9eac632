//! The contributions CSV: the spreadsheet import's own columns (`CONTRIBUTION_COLUMNS`), in
//! Indonesian labels, then the columns a reader wants and an import skips
//! (`CONTRIBUTION_DERIVED`). So a downloaded file, edited or not, imports back: unchanged rows stay
//! unchanged.

use crate::error::{AppError, AppResult};
use crate::labels::{self, Kind};
use crate::services::contributions::{ContributionFilter, DraftVisibility, condition};
use crate::services::imports::{CONTRIBUTION_COLUMNS, CONTRIBUTION_DERIVED};
use entity::contribution::{Column, Entity, Model};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::{BTreeSet, HashMap};

// `References::line` writes its cells in this order; a column added to the import is a line there.
const _: () = assert!(CONTRIBUTION_COLUMNS.len() == 15 && CONTRIBUTION_DERIVED.len() == 7);

/// The contributions a filter selects, as CSV (UTF-8, header row), oldest record first.
pub async fn contributions_csv(
    db: &impl ConnectionTrait,
    filter: &ContributionFilter,
    vis: &DraftVisibility,
) -> AppResult<Vec<u8>> {
    let rows = Entity::find()
        .filter(condition(filter, vis))
        .order_by_asc(Column::Id)
        .all(db)
        .await?;
    let refs = References::load(db, &rows).await?;
    let mut w = crate::cell_escape::CsvWriter::default();
    let csv_err = |e: csv::Error| AppError::Internal(anyhow::anyhow!("cannot write CSV: {e}"));
    let header = CONTRIBUTION_COLUMNS
        .iter()
        .map(|c| c.id)
        .chain(CONTRIBUTION_DERIVED);
    w.row(header).map_err(csv_err)?;
    for r in &rows {
        w.row(refs.line(r)).map_err(csv_err)?;
    }
    w.finish().map_err(csv_err)
}

/// The organizations, regions and programs the rows point at, read once.
struct References {
    orgs: HashMap<String, entity::organization::Model>,
    /// Folded names that more than one organization has: their rows name the contributor by id.
    shared_names: BTreeSet<String>,
    regions: HashMap<String, String>,
    programs: HashMap<String, entity::program::Model>,
}

impl References {
    async fn load(db: &impl ConnectionTrait, rows: &[Model]) -> AppResult<Self> {
        let ids =
            |f: fn(&Model) -> Option<String>| rows.iter().filter_map(f).collect::<BTreeSet<_>>();
        let orgs: HashMap<String, entity::organization::Model> =
            entity::organization::Entity::find()
                .filter(
                    entity::organization::Column::Id.is_in(ids(|r| Some(r.contributor_id.clone()))),
                )
                .all(db)
                .await?
                .into_iter()
                .map(|o| (o.id.clone(), o))
                .collect();
        let names: BTreeSet<String> = orgs.values().map(|o| o.search_name.clone()).collect();
        let mut seen = BTreeSet::new();
        let mut shared_names = BTreeSet::new();
        for name in entity::organization::Entity::find()
            .filter(entity::organization::Column::SearchName.is_in(names))
            .all(db)
            .await?
            .into_iter()
            .map(|o| o.search_name)
        {
            if !seen.insert(name.clone()) {
                shared_names.insert(name);
            }
        }
        let regions = entity::region::Entity::find()
            .filter(entity::region::Column::Code.is_in(ids(|r| Some(r.region_code.clone()))))
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.code, r.name))
            .collect();
        let programs = entity::program::Entity::find()
            .filter(entity::program::Column::Id.is_in(ids(|r| r.program_id.clone())))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id.clone(), p))
            .collect();
        Ok(Self {
            orgs,
            shared_names,
            regions,
            programs,
        })
    }

    /// One row: the import's columns, then the derived ones, in the order of the header.
    fn line(&self, r: &Model) -> Vec<String> {
        let org = self.orgs.get(&r.contributor_id);
        let program = r.program_id.as_ref().and_then(|p| self.programs.get(p));
        let contributor = match org {
            Some(o) if !self.shared_names.contains(&o.search_name) => o.name.clone(),
            _ => r.contributor_id.clone(),
        };
        vec![
            // kunci: the organization's key, or the record's id when it was made in the hub.
            r.external_key.clone().unwrap_or_else(|| r.id.clone()),
            contributor,
            labels::of(Kind::Source, &r.source),
            labels::of(Kind::ContributionKind, &r.kind),
            r.region_code.clone(),
            String::new(),
            program
                .map(|p| p.code.clone().unwrap_or_else(|| p.id.clone()))
                .unwrap_or_default(),
            r.fiscal_year.to_string(),
            r.title.clone(),
            r.description.clone().unwrap_or_default(),
            r.target_group
                .map(|g| labels::of(Kind::TargetGroup, &g))
                .unwrap_or_default(),
            r.beneficiaries.map(|b| b.to_string()).unwrap_or_default(),
            r.amount_planned.to_string(),
            r.amount_committed.to_string(),
            labels::of(Kind::ContributionStatus, &r.status),
            // Derived, for readers.
            r.id.clone(),
            self.regions
                .get(&r.region_code)
                .cloned()
                .unwrap_or_default(),
            org.map(|o| labels::of(Kind::Helix, &o.helix))
                .unwrap_or_default(),
            program.map(|p| p.name.clone()).unwrap_or_default(),
            program
                .map(|p| labels::of(Kind::Cluster, &p.cluster))
                .unwrap_or_default(),
            r.amount_disbursed.to_string(),
            r.amount_realised.to_string(),
        ]
    }
}
