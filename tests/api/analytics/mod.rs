//! Analytics checked against totals computed here, independently, from generated data: funding
//! summaries by several groupings (with cancelled contributions, drafts, empty groups and villages
//! without indicators), coverage gaps, overlaps and follow-up.

mod coverage;
mod follow_up;
mod funding;

use crate::helpers::{TestApp, spawn_app};
use crate::seed;
use chrono::{NaiveDate, Utc};
use entity::enums::*;
use sea_orm::ActiveValue::Set;
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// What the test generated, kept to compute expectations.
pub(super) struct World {
    villages: Vec<String>,
    orgs: Vec<(String, Helix)>,
    programs: Vec<(String, Cluster)>,
    rows: Vec<entity::contribution::Model>,
    /// village -> (poor households, population) in 2025
    indicators: BTreeMap<String, (i32, i32, bool, f64)>,
}

/// A small deterministic generator (no external randomness: the figures must be reproducible).
pub(super) struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

pub(super) async fn world(app: &TestApp) -> World {
    let villages = seed::regency(&app.db, "98.01", 2, 4).await;
    let orgs = vec![
        (
            seed::organization(
                &app.db,
                "Dinas Sosial Uji",
                Helix::Government,
                OrganizationKind::Skpd,
                "98.01",
            )
            .await,
            Helix::Government,
        ),
        (
            seed::organization(
                &app.db,
                "PT Uji",
                Helix::Business,
                OrganizationKind::Company,
                "98.01",
            )
            .await,
            Helix::Business,
        ),
        (
            seed::organization(
                &app.db,
                "Universitas Uji",
                Helix::Academia,
                OrganizationKind::University,
                "98",
            )
            .await,
            Helix::Academia,
        ),
        (
            seed::organization(
                &app.db,
                "Pemdes Uji",
                Helix::Village,
                OrganizationKind::VillageGovernment,
                &villages[0],
            )
            .await,
            Helix::Village,
        ),
    ];
    let programs = vec![
        (
            seed::program(&app.db, "Bansos Uji", &orgs[0].0, Cluster::SocialAssistance).await,
            Cluster::SocialAssistance,
        ),
        (
            seed::program(
                &app.db,
                "UMKM Uji",
                &orgs[1].0,
                Cluster::MicroSmallEnterprise,
            )
            .await,
            Cluster::MicroSmallEnterprise,
        ),
        (
            seed::program(
                &app.db,
                "Kampus Peduli",
                &orgs[2].0,
                Cluster::SocialAssistance,
            )
            .await,
            Cluster::SocialAssistance,
        ),
        (
            seed::program(&app.db, "Dapur Desa", &orgs[3].0, Cluster::SocialAssistance).await,
            Cluster::SocialAssistance,
        ),
    ];
    // An agreed synergy between the SKPD's and the university's social-assistance programs only.
    entity::program_synergy::Entity::insert(entity::program_synergy::ActiveModel {
        id: Set(sinergi::services::new_id()),
        program_a_id: Set(programs[0].0.clone()),
        program_b_id: Set(programs[2].0.clone()),
        relation: Set(SynergyRelation::Complements),
        cluster: Set(Cluster::SocialAssistance),
        status: Set(SynergyStatus::Agreed),
        note: Set(None),
        meeting_id: Set(None),
        version: Set(1),
        created_at: Set(Utc::now()),
        updated_at: Set(Utc::now()),
    })
    .exec_without_returning(&app.db)
    .await
    .unwrap();

    let mut rng = Lcg(2026);
    let sources = [
        FundingSource::ApbdRegency,
        FundingSource::Csr,
        FundingSource::University,
        FundingSource::Apbdes,
    ];
    let statuses = [
        ContributionStatus::Committed,
        ContributionStatus::InProgress,
        ContributionStatus::Completed,
        ContributionStatus::Cancelled,
        ContributionStatus::Planned,
    ];
    let mut rows = Vec::new();
    for _ in 0..150 {
        let o = rng.next(4) as usize;
        let village = villages[rng.next(villages.len() as u64) as usize].clone();
        let program = match rng.next(3) {
            0 => None,
            _ => Some(if rng.next(2) == 0 {
                programs[o].0.clone()
            } else {
                programs[0].0.clone()
            }),
        };
        let mut m = seed::contribution(
            &orgs[o].0,
            &village,
            program.as_deref(),
            2024 + rng.next(3) as i32,
            1_000_000 * (1 + rng.next(500) as i64),
        );
        m.source = Set(sources[o]);
        let status = statuses[rng.next(5) as usize];
        m.status = Set(status);
        let committed = m.amount_committed.clone().unwrap();
        m.amount_disbursed = Set(committed / 2);
        m.amount_realised = Set(committed / 3);
        rows.push(m);
    }
    seed::insert_contributions(&app.db, rows.clone()).await;
    let rows: Vec<entity::contribution::Model> = entity::contribution::Entity::find()
        .all(&app.db)
        .await
        .unwrap();

    // Indicators for the first five villages only; the last three have none.
    let mut indicators = BTreeMap::new();
    for (i, v) in villages.iter().take(5).enumerate() {
        let (poor, pop, priority, stunting) = [
            (300, 4000, true, 10.0),
            (120, 2500, true, 8.0),
            (500, 5200, false, 12.0),
            (90, 1800, false, 31.0),
            (60, 1500, false, 5.0),
        ][i];
        indicators.insert(v.clone(), (poor, pop, priority, stunting));
        entity::village_indicator::Entity::insert(entity::village_indicator::ActiveModel {
            id: Set(sinergi::services::new_id()),
            village_code: Set(v.clone()),
            fiscal_year: Set(2025),
            source: Set("DTKS".into()),
            as_of: Set(NaiveDate::from_ymd_opt(2025, 1, 31).unwrap()),
            population: Set(Some(pop)),
            poor_households: Set(Some(poor)),
            stunting_prevalence: Set(Some(stunting)),
            priority: Set(priority),
            version: Set(1),
            created_at: Set(Utc::now()),
            updated_at: Set(Utc::now()),
            ..Default::default()
        })
        .exec_without_returning(&app.db)
        .await
        .unwrap();
    }
    World {
        villages,
        orgs,
        programs,
        rows,
        indicators,
    }
}

/// What a signed-in viewer without an organization counts: no drafts, no cancelled contributions.
pub(super) fn counted(w: &World) -> impl Iterator<Item = &entity::contribution::Model> {
    w.rows.iter().filter(|r| {
        !matches!(
            r.status,
            ContributionStatus::Planned | ContributionStatus::Cancelled
        )
    })
}

pub(super) fn s(v: &Value) -> i64 {
    v.as_str().unwrap().parse().unwrap()
}
