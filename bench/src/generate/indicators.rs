//! Village indicators (poverty, deciles, stunting, IDM status, priority flag) for every village of the
//! focus provinces, 2024–2026. About 15% of villages are priority ("desa merah") in a year; most stay
//! on the list from one year to the next and a few graduate, as Desa Botosari does in 2026.

use super::catalog::{Catalog, FOCUS_PROVINCES};
use super::time::{at_midnight, date};
use super::{Timings, bulk, new_id, thousands, weighted};
use entity::enums::IdmStatus;
use entity::village_indicator::ActiveModel;
use rand::Rng;
use rand::rngs::SmallRng;
use sea_orm::{ActiveValue::Set, DatabaseConnection, TransactionTrait};
use std::time::Instant;

/// Years with indicators.
const YEARS: [i32; 3] = [2024, 2025, 2026];

/// The village whose graduation from the priority list in 2026 is the hub's showcase.
const BOTOSARI: &str = "33.26.02.2008";

/// Generates and inserts the indicators, one transaction per year.
pub async fn generate(
    db: &DatabaseConnection,
    catalog: &Catalog,
    rng: &mut SmallRng,
    timings: &mut Timings,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let villages: Vec<usize> = FOCUS_PROVINCES
        .iter()
        .filter_map(|p| catalog.province(p))
        .flat_map(|p| catalog.province_villages[p].clone())
        .collect();
    let mut per_year: Vec<Vec<ActiveModel>> = YEARS
        .iter()
        .map(|_| Vec::with_capacity(villages.len()))
        .collect();
    for &v in &villages {
        add_village(&mut per_year, rng, &catalog.villages[v].code);
    }
    let mut written = 0;
    let mut priority = 0;
    for mut rows in per_year {
        // Ids are handed out here, in insertion order, so that they stay time-ordered.
        for row in &mut rows {
            row.id = Set(new_id());
        }
        priority += rows
            .iter()
            .filter(|r| matches!(r.priority, Set(true)))
            .count();
        let txn = db.begin().await?;
        written += bulk::insert_all(&txn, rows).await?;
        txn.commit().await?;
    }
    println!(
        "    {} villages of provinces {} x {} years, {} priority rows ({:.1}%)",
        thousands(villages.len() as u64),
        FOCUS_PROVINCES.join(", "),
        YEARS.len(),
        thousands(priority as u64),
        100.0 * priority as f64 / (written.max(1)) as f64
    );
    timings.record("village_indicators", written, started.elapsed());
    Ok(())
}

/// One row per year for one village, evolving from year to year.
fn add_village(per_year: &mut [Vec<ActiveModel>], rng: &mut SmallRng, code: &str) {
    let households: i32 = (300.0 * (4_000.0f64 / 300.0).powf(rng.random::<f64>())) as i32;
    let mut priority = rng.random_bool(0.15);
    let mut poor_rate: f64 = if priority {
        rng.random_range(0.25..0.45)
    } else {
        rng.random_range(0.05..0.30)
    };
    for (k, &year) in YEARS.iter().enumerate() {
        if k > 0 {
            // Most priority villages stay on the list; a few others join it.
            priority = if priority {
                rng.random_bool(0.85)
            } else {
                rng.random_bool(0.025)
            };
            poor_rate *= rng.random_range(0.90..1.0);
        }
        if code == BOTOSARI {
            priority = year < 2026;
        }
        let poor = (households as f64 * poor_rate) as i32;
        let d1 = (poor as f64 * rng.random_range(0.4..0.6)) as i32;
        let d2 = poor - d1;
        let d3 = (households as f64 * rng.random_range(0.05..0.12)) as i32;
        let d4 = (households as f64 * rng.random_range(0.05..0.12)) as i32;
        let prevalence: f64 = if priority {
            rng.random_range(15.0..35.0)
        } else {
            rng.random_range(3.0..20.0)
        };
        let idm = if priority {
            weighted(
                rng,
                &[
                    (IdmStatus::VeryUnderdeveloped, 30),
                    (IdmStatus::Underdeveloped, 50),
                    (IdmStatus::Developing, 20),
                ],
            )
        } else {
            weighted(
                rng,
                &[
                    (IdmStatus::Underdeveloped, 10),
                    (IdmStatus::Developing, 40),
                    (IdmStatus::Advanced, 35),
                    (IdmStatus::Independent, 15),
                ],
            )
        };
        let at = at_midnight(date(year, 7, 15));
        per_year[k].push(ActiveModel {
            id: Set(String::new()),
            village_code: Set(code.to_owned()),
            fiscal_year: Set(year),
            source: Set("DTKS/P3KE, e-PPGBM, IDM".to_owned()),
            as_of: Set(date(year, 6, 30)),
            households: Set(Some(households)),
            population: Set(Some(
                (households as f64 * rng.random_range(3.2..3.9)) as i32,
            )),
            poor_households: Set(Some(poor)),
            households_decile1: Set(Some(d1)),
            households_decile2: Set(Some(d2)),
            households_decile3: Set(Some(d3)),
            households_decile4: Set(Some(d4)),
            stunting_risk_families: Set(Some(
                (households as f64 * rng.random_range(0.05..0.20)) as i32,
            )),
            stunting_cases: Set(rng.random_bool(0.95).then(|| rng.random_range(0..60))),
            stunting_prevalence: Set(Some((prevalence * 10.0).round() / 10.0)),
            idm_status: Set(Some(idm)),
            priority: Set(priority),
            version: Set(1),
            created_at: Set(at),
            updated_at: Set(at),
            verification: Set(entity::enums::Verification::Verified),
            verification_note: Set(None),
        });
    }
}
