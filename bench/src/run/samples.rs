//! Inputs the scenarios draw from, read once from the database before the clock starts: real ids,
//! villages that have contributions, words from real region names.

use anyhow::Context;
use entity::enums::{ContributionStatus, RegionLevel};
use entity::{contribution, organization, region};
use rand::SeedableRng;
use rand::rngs::SmallRng;
use rand::seq::IndexedRandom;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

/// Words every search run includes: places every tester knows the answer for.
const KNOWN_WORDS: &[&str] = &["botosari", "pekalongan", "sukamaju", "kedaton", "lampung"];

/// Parts of region names too common to say anything about search.
const STOP_WORDS: &[&str] = &[
    "desa",
    "kota",
    "kabupaten",
    "kelurahan",
    "kecamatan",
    "baru",
];

/// The regency half of the village and regency requests go to.
pub const FOCUS_REGENCY: &str = "33.26";

/// Everything the scenarios pick their variables from.
#[derive(Debug, Default)]
pub struct Samples {
    /// Ids of contributions an anonymous caller may read (not drafts).
    pub contribution_ids: Vec<String>,
    /// Villages that have at least one contribution.
    pub villages: Vec<String>,
    /// Those of them in the focus regency.
    pub focus_villages: Vec<String>,
    /// Every regency code.
    pub regencies: Vec<String>,
    /// Organization ids.
    pub organization_ids: Vec<String>,
    /// Search words: the known ones and words of real region names.
    pub words: Vec<String>,
}

impl Samples {
    /// Reads the samples (a few queries, none of them timed).
    pub async fn load(db: &DatabaseConnection, seed: u64) -> anyhow::Result<Self> {
        let mut rng = SmallRng::seed_from_u64(seed);
        let mut villages: Vec<String> = contribution::Entity::find()
            .select_only()
            .column(contribution::Column::RegionCode)
            .distinct()
            .into_tuple()
            .all(db)
            .await
            .context("cannot list the villages with contributions")?;
        villages.sort();
        let focus_prefix = format!("{FOCUS_REGENCY}.");
        let focus_villages: Vec<String> = villages
            .iter()
            .filter(|c| c.starts_with(&focus_prefix))
            .cloned()
            .collect();

        // Ids from a couple of hundred random villages: real, spread out, and cheap to find.
        let some: Vec<String> = villages.choose_multiple(&mut rng, 200).cloned().collect();
        let contribution_ids: Vec<String> = contribution::Entity::find()
            .select_only()
            .column(contribution::Column::Id)
            .filter(contribution::Column::RegionCode.is_in(some))
            .filter(contribution::Column::Status.ne(ContributionStatus::Planned))
            .limit(5_000)
            .into_tuple()
            .all(db)
            .await
            .context("cannot sample contribution ids")?;

        let organization_ids: Vec<String> = organization::Entity::find()
            .select_only()
            .column(organization::Column::Id)
            .into_tuple()
            .all(db)
            .await
            .context("cannot list the organizations")?;

        let mut regencies: Vec<String> = region::Entity::find()
            .select_only()
            .column(region::Column::Code)
            .filter(region::Column::Level.eq(RegionLevel::Regency))
            .into_tuple()
            .all(db)
            .await
            .context("cannot list the regencies")?;
        regencies.sort();

        let names: Vec<String> = region::Entity::find()
            .select_only()
            .column(region::Column::Name)
            .filter(region::Column::Level.eq(RegionLevel::Village))
            .into_tuple()
            .all(db)
            .await
            .context("cannot list the village names")?;
        let mut words: Vec<String> = KNOWN_WORDS.iter().map(|w| (*w).to_owned()).collect();
        for name in names.choose_multiple(&mut rng, 400) {
            for word in name.split(|c: char| !c.is_alphabetic()) {
                let word = word.to_lowercase();
                if word.chars().count() >= 4 && !STOP_WORDS.contains(&word.as_str()) {
                    words.push(word);
                }
            }
        }
        words.sort();
        words.dedup();

        Ok(Self {
            contribution_ids,
            villages,
            focus_villages,
            regencies,
            organization_ids,
            words,
        })
    }

    /// A village with contributions, half the time one of the focus regency.
    pub fn village(&self, rng: &mut SmallRng) -> Option<&String> {
        if rand::Rng::random_bool(rng, 0.5)
            && let Some(v) = self.focus_villages.choose(rng)
        {
            return Some(v);
        }
        self.villages.choose(rng)
    }

    /// A search word: half the time one of the well-known ones.
    pub fn word(&self, rng: &mut SmallRng) -> Option<String> {
        if rand::Rng::random_bool(rng, 0.5) {
            return KNOWN_WORDS.choose(rng).map(|w| (*w).to_owned());
        }
        self.words.choose(rng).cloned()
    }
}
