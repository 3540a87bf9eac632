//! The region hierarchy held in memory while generating: every other table points at regions, and
//! picking "a village of Kabupaten Pekalongan" must not cost a query.

use anyhow::{Context, bail};
use entity::enums::{RegionLevel, VillageKind};
use entity::region::{Column, Entity};
use rand::Rng;
use rand::rngs::SmallRng;
use rand::seq::IndexedRandom;
use sea_orm::{DatabaseConnection, EntityTrait, QuerySelect};
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::time::Instant;

use super::Timings;

/// The regency the data is concentrated on (Kabupaten Pekalongan, the "Laboratorium Kemiskinan").
pub const FOCUS_REGENCY: &str = "33.26";

/// Provinces that get village indicators and extra activity: Jawa Tengah, Lampung, Jawa Timur.
pub const FOCUS_PROVINCES: &[&str] = &["33", "18", "35"];

/// Where national bodies (ministries) are based: DKI Jakarta.
pub const CAPITAL_PROVINCE: &str = "31";

/// A province, regency or district.
#[derive(Debug, Clone)]
pub struct Area {
    /// Dotted Kemendagri code.
    pub code: String,
    /// Official name.
    pub name: String,
    /// Index of the parent area one level up (0 for provinces).
    pub parent: usize,
}

/// A village (desa or kelurahan).
#[derive(Debug, Clone)]
pub struct Village {
    /// Dotted code, e.g. `33.26.02.2008`.
    pub code: String,
    /// Official name.
    pub name: String,
    /// Desa (has a village government and APBDes) rather than kelurahan.
    pub desa: bool,
    /// Index into [`Catalog::regencies`].
    pub regency: usize,
    /// Index into [`Catalog::provinces`].
    pub province: usize,
}

/// Every region, in code order, with contiguous index ranges per parent (code order keeps a
/// regency's villages next to each other).
#[derive(Debug, Default)]
pub struct Catalog {
    /// Provinces.
    pub provinces: Vec<Area>,
    /// Regencies and cities; `parent` is the province.
    pub regencies: Vec<Area>,
    /// Districts; `parent` is the regency.
    pub districts: Vec<Area>,
    /// Villages.
    pub villages: Vec<Village>,
    /// Villages of each regency, as a range of [`Catalog::villages`].
    pub regency_villages: Vec<Range<usize>>,
    /// Villages of each province.
    pub province_villages: Vec<Range<usize>>,
    /// Regencies of each province.
    pub province_regencies: Vec<Range<usize>>,
    /// Districts of each regency.
    pub regency_districts: Vec<Range<usize>>,
    province_index: HashMap<String, usize>,
    regency_index: HashMap<String, usize>,
}

impl Catalog {
    /// Index of a province by code.
    pub fn province(&self, code: &str) -> Option<usize> {
        self.province_index.get(code).copied()
    }

    /// Index of a regency by code.
    pub fn regency(&self, code: &str) -> Option<usize> {
        self.regency_index.get(code).copied()
    }

    /// A regency for a busy actor or meeting: a tenth in the focus regency, a quarter in the focus
    /// provinces, the rest anywhere, so that the focus areas have rich data of every kind.
    pub fn skewed_regency(&self, rng: &mut SmallRng) -> usize {
        let roll: f64 = rng.random();
        if roll < 0.10
            && let Some(r) = self.regency(FOCUS_REGENCY)
        {
            return r;
        }
        if roll < 0.35 {
            let provinces: Vec<usize> = FOCUS_PROVINCES
                .iter()
                .filter_map(|p| self.province(p))
                .filter(|&p| !self.province_regencies[p].is_empty())
                .collect();
            if let Some(&p) = provinces.choose(rng) {
                return rng.random_range(self.province_regencies[p].clone());
            }
        }
        rng.random_range(0..self.regencies.len())
    }

    /// A province, two in five times one of the focus provinces.
    pub fn skewed_province(&self, rng: &mut SmallRng) -> usize {
        let focus: Vec<usize> = FOCUS_PROVINCES
            .iter()
            .filter_map(|p| self.province(p))
            .collect();
        match focus.choose(rng) {
            Some(&p) if rng.random_bool(0.4) => p,
            _ => rng.random_range(0..self.provinces.len()),
        }
    }

    /// Loads every region from the database (the file plus anything imported earlier).
    pub async fn load(db: &DatabaseConnection) -> anyhow::Result<Self> {
        let mut rows: Vec<(String, String, RegionLevel, Option<VillageKind>)> = Entity::find()
            .select_only()
            .column(Column::Code)
            .column(Column::Name)
            .column(Column::Level)
            .column(Column::VillageKind)
            .into_tuple()
            .all(db)
            .await
            .context("cannot read the regions back")?;
        rows.sort_by(|a, b| a.0.cmp(&b.0));

        let mut c = Catalog::default();
        let mut district_index: HashMap<String, usize> = HashMap::new();
        for (code, name, level, kind) in rows {
            // Parents sort before children, so each lookup finds an area already pushed.
            let parent_of = |len: usize, index: &HashMap<String, usize>| {
                code.get(..len).and_then(|p| index.get(p).copied())
            };
            match level {
                RegionLevel::Province => {
                    c.province_index.insert(code.clone(), c.provinces.len());
                    c.provinces.push(Area {
                        code,
                        name,
                        parent: 0,
                    });
                }
                RegionLevel::Regency => {
                    let Some(parent) = parent_of(2, &c.province_index) else {
                        bail!("region {code} has no province in the hub");
                    };
                    c.regency_index.insert(code.clone(), c.regencies.len());
                    c.regencies.push(Area { code, name, parent });
                }
                RegionLevel::District => {
                    let Some(parent) = parent_of(5, &c.regency_index) else {
                        bail!("region {code} has no regency in the hub");
                    };
                    district_index.insert(code.clone(), c.districts.len());
                    c.districts.push(Area { code, name, parent });
                }
                RegionLevel::Village => {
                    let Some(regency) = parent_of(5, &c.regency_index) else {
                        bail!("village {code} has no regency in the hub");
                    };
                    c.villages.push(Village {
                        code,
                        name,
                        desa: kind == Some(VillageKind::Desa),
                        regency,
                        province: c.regencies[regency].parent,
                    });
                }
            }
        }
        if c.villages.is_empty() || c.regencies.is_empty() {
            bail!("the region list holds no villages: the benchmark needs the full official list");
        }
        c.regency_villages = ranges(c.regencies.len(), c.villages.iter().map(|v| v.regency));
        c.province_villages = ranges(c.provinces.len(), c.villages.iter().map(|v| v.province));
        c.province_regencies = ranges(c.provinces.len(), c.regencies.iter().map(|r| r.parent));
        c.regency_districts = ranges(c.regencies.len(), c.districts.iter().map(|d| d.parent));
        Ok(c)
    }
}

/// For children listed grouped by parent, the range of children of each parent (empty when none).
fn ranges(parents: usize, child_parents: impl Iterator<Item = usize>) -> Vec<Range<usize>> {
    let mut out = vec![0..0; parents];
    for (i, p) in child_parents.enumerate() {
        if out[p].is_empty() {
            out[p] = i..i + 1;
        } else {
            out[p].end = i + 1;
        }
    }
    out
}

/// Imports the official list through the hub's own importer (the same code path as
/// `sinergi import regions`), then loads the hierarchy into memory.
pub async fn import_and_load(
    db: &DatabaseConnection,
    file: &Path,
    timings: &mut Timings,
) -> anyhow::Result<Catalog> {
    let started = Instant::now();
    let reader = std::fs::File::open(file)
        .with_context(|| format!("cannot open the region list {}", file.display()))?;
    let report = sinergi::services::regions::import(db, std::io::BufReader::new(reader))
        .await
        .with_context(|| format!("cannot import the region list {}", file.display()))?;
    timings.record(
        "regions (import)",
        report.inserted as u64,
        started.elapsed(),
    );
    println!(
        "    {} rows read: {} added, {} renamed, {} unchanged",
        report.rows, report.inserted, report.updated, report.unchanged
    );
    let catalog = Catalog::load(db).await?;
    println!(
        "    hierarchy: {} provinces, {} regencies, {} districts, {} villages ({} desa)",
        catalog.provinces.len(),
        catalog.regencies.len(),
        catalog.districts.len(),
        catalog.villages.len(),
        catalog.villages.iter().filter(|v| v.desa).count()
    );
    Ok(catalog)
}
