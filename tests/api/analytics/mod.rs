//! Analytics checked against totals computed here, independently, from generated data: funding
//! summaries by several groupings (with cancelled contributions, drafts, empty groups and villages
//! without indicators), coverage gaps, overlaps and follow-up.

use crate::helpers::{TestApp, spawn_app};
use crate::seed;
use chrono::{NaiveDate, Utc};
use entity::enums::*;
use sea_orm::ActiveValue::Set;
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// What the test generated, kept to compute expectations.
struct World {
    villages: Vec<String>,
    orgs: Vec<(String, Helix)>,
    programs: Vec<(String, Cluster)>,
    rows: Vec<entity::contribution::Model>,
    /// village -> (poor households, population) in 2025
    indicators: BTreeMap<String, (i32, i32, bool, f64)>,
}

/// A small deterministic generator (no external randomness: the figures must be reproducible).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

async fn world(app: &TestApp) -> World {
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
fn counted(w: &World) -> impl Iterator<Item = &entity::contribution::Model> {
    w.rows.iter().filter(|r| {
        !matches!(
            r.status,
            ContributionStatus::Planned | ContributionStatus::Cancelled
        )
    })
}

fn s(v: &Value) -> i64 {
    v.as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn funding_summary_matches_totals_computed_independently() {
    let app = spawn_app().await;
    app.sign_in_new_viewer().await;
    let w = world(&app).await;
    // One statement for the summary: the signed-in user, read by a first request, is kept.
    app.data("{ me { user { email } } }", json!({})).await;
    let before = app.statements.get();
    app.data(r#"{ fundingSummary(filter: {region: "98.01", fiscalYear: 2025}, groupBy: [VILLAGE, SOURCE, FISCAL_YEAR]) { count } }"#, json!({})).await;
    assert_eq!(app.statements.get() - before, 1);
    let q = r#"query($f: ContributionFilter, $g: [FundingDimension!]!) { fundingSummary(filter: $f, groupBy: $g) {
        key { source helix cluster fiscalYear program { id } organization { id } region { code } } count planned committed realised perPoorHousehold perCapita } }"#;
    let run = |f: Value, g: Value| {
        let app = &app;
        async move {
            app.data(q, json!({ "f": f, "g": g })).await["fundingSummary"]
                .as_array()
                .unwrap()
                .clone()
        }
    };

    // Grand total.
    let total = run(json!({ "region": "98.01" }), json!([])).await;
    assert_eq!(total.len(), 1);
    assert_eq!(
        total[0]["count"].as_i64().unwrap(),
        counted(&w).count() as i64
    );
    assert_eq!(
        s(&total[0]["committed"]),
        counted(&w).map(|r| r.amount_committed).sum::<i64>()
    );
    assert_eq!(
        s(&total[0]["realised"]),
        counted(&w).map(|r| r.amount_realised).sum::<i64>()
    );

    // By helix and year.
    let mut expected: BTreeMap<(String, i32), (i64, i64, i64)> = BTreeMap::new();
    for r in counted(&w) {
        let helix = w
            .orgs
            .iter()
            .find(|(id, _)| *id == r.contributor_id)
            .unwrap()
            .1;
        let e = expected
            .entry((format!("{helix:?}"), r.fiscal_year))
            .or_default();
        e.0 += 1;
        e.1 += r.amount_planned;
        e.2 += r.amount_committed;
    }
    let got = run(json!({ "region": "98" }), json!(["HELIX", "FISCAL_YEAR"])).await;
    assert_eq!(got.len(), expected.len());
    for b in &got {
        let helix = b["key"]["helix"]
            .as_str()
            .unwrap()
            .replace('_', "")
            .to_lowercase();
        let year = b["key"]["fiscalYear"].as_i64().unwrap() as i32;
        let (_, e) = expected
            .iter()
            .find(|((h, y), _)| h.to_lowercase() == helix && *y == year)
            .expect("a computed group");
        assert_eq!(
            (
                b["count"].as_i64().unwrap(),
                s(&b["planned"]),
                s(&b["committed"])
            ),
            *e
        );
        assert!(
            b["key"]["source"].is_null(),
            "ungrouped dimensions are null"
        );
    }

    // By cluster: contributions without a program form the group with no cluster.
    let cluster_of = |r: &entity::contribution::Model| {
        r.program_id
            .as_ref()
            .map(|p| w.programs.iter().find(|(id, _)| id == p).unwrap().1)
    };
    let got = run(
        json!({ "region": "98.01", "fiscalYear": 2024 }),
        json!(["CLUSTER"]),
    )
    .await;
    for b in &got {
        let want: Vec<_> = counted(&w)
            .filter(|r| r.fiscal_year == 2024)
            .filter(|r| {
                cluster_of(r).map(|c| format!("{c:?}"))
                    == b["key"]["cluster"]
                        .as_str()
                        .map(|c| c.replace('_', "").to_lowercase())
                        .and_then(|c| {
                            [Cluster::SocialAssistance, Cluster::MicroSmallEnterprise]
                                .into_iter()
                                .map(|x| format!("{x:?}"))
                                .find(|x| x.to_lowercase() == c)
                        })
            })
            .collect();
        assert_eq!(
            b["count"].as_i64().unwrap(),
            want.len() as i64,
            "cluster {}",
            b["key"]["cluster"]
        );
    }
    assert!(
        got.iter().any(|b| b["key"]["cluster"].is_null()),
        "a group without program"
    );

    // By village for 2025, with per-household figures where indicators exist.
    let got = run(
        json!({ "region": "98.01", "fiscalYear": 2025 }),
        json!(["VILLAGE"]),
    )
    .await;
    let mut by_village: BTreeMap<String, i64> = BTreeMap::new();
    for r in counted(&w).filter(|r| r.fiscal_year == 2025) {
        *by_village.entry(r.region_code.clone()).or_default() += r.amount_committed;
    }
    assert_eq!(got.len(), by_village.len());
    for b in &got {
        let code = b["key"]["region"]["code"].as_str().unwrap();
        assert_eq!(s(&b["committed"]), by_village[code]);
        match w.indicators.get(code) {
            Some((poor, pop, _, _)) => {
                assert_eq!(
                    s(&b["perPoorHousehold"]),
                    by_village[code] / i64::from(*poor)
                );
                assert_eq!(s(&b["perCapita"]), by_village[code] / i64::from(*pop));
            }
            None => assert!(b["perPoorHousehold"].is_null(), "{code} has no indicators"),
        }
    }

    // By district and source, and by program and organization.
    let got = run(json!({ "region": "98.01" }), json!(["DISTRICT", "SOURCE"])).await;
    let mut want: BTreeMap<(String, String), i64> = BTreeMap::new();
    for r in counted(&w) {
        *want
            .entry((r.region_code[..8].to_string(), format!("{:?}", r.source)))
            .or_default() += r.amount_committed;
    }
    assert_eq!(got.len(), want.len());
    assert_eq!(
        got.iter().map(|b| s(&b["committed"])).sum::<i64>(),
        want.values().sum::<i64>()
    );
    let got = run(
        json!({ "region": "98.01" }),
        json!(["PROGRAM", "ORGANIZATION"]),
    )
    .await;
    let pairs: std::collections::BTreeSet<(Option<String>, String)> = counted(&w)
        .map(|r| (r.program_id.clone(), r.contributor_id.clone()))
        .collect();
    assert_eq!(got.len(), pairs.len());

    // Cancelled ones only when asked for by status; an empty selection is an empty group.
    let cancelled = run(
        json!({ "region": "98.01", "statuses": ["CANCELLED"] }),
        json!(["SOURCE"]),
    )
    .await;
    let n: i64 = cancelled.iter().map(|b| b["count"].as_i64().unwrap()).sum();
    assert_eq!(
        n,
        w.rows
            .iter()
            .filter(|r| r.status == ContributionStatus::Cancelled)
            .count() as i64
    );
    assert!(
        run(json!({ "region": "98.02" }), json!(["SOURCE"]))
            .await
            .is_empty()
    );
    let nothing = run(json!({ "region": "98.02" }), json!([])).await;
    assert_eq!(
        (nothing[0]["count"].as_i64(), s(&nothing[0]["committed"])),
        (Some(0), 0)
    );
}

#[tokio::test]
async fn coverage_gaps_and_overlaps_match_independent_counts() {
    let app = spawn_app().await;
    app.sign_in_new_viewer().await;
    let w = world(&app).await;
    let mut committed: BTreeMap<&str, i64> = BTreeMap::new();
    for r in counted(&w).filter(|r| r.fiscal_year == 2025) {
        *committed.entry(r.region_code.as_str()).or_default() += r.amount_committed;
    }
    let q = r#"query($t: Int, $s: Float) { coverageGaps(region: "98.01", fiscalYear: 2025, minPoorHouseholds: $t, minStuntingPrevalence: $s) {
        edges { node { village { code } priority poorHouseholds committed } } } }"#;
    let flagged = app.data(q, json!({})).await;
    let codes: Vec<&str> = flagged["coverageGaps"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["village"]["code"].as_str().unwrap())
        .collect();
    let mut want: Vec<&str> = w
        .indicators
        .iter()
        .filter(|(_, i)| i.2)
        .map(|(c, _)| c.as_str())
        .collect();
    want.sort();
    let mut got_sorted = codes.clone();
    got_sorted.sort();
    assert_eq!(got_sorted, want, "flagged villages only");
    let wider = app.data(q, json!({ "t": 400, "s": 30.0 })).await;
    let edges = wider["coverageGaps"]["edges"].as_array().unwrap();
    assert_eq!(
        edges.len(),
        4,
        "flagged, plus 500 poor households, plus 31% stunting"
    );
    for e in edges {
        let code = e["node"]["village"]["code"].as_str().unwrap();
        assert_eq!(
            s(&e["node"]["committed"]),
            committed.get(code).copied().unwrap_or(0),
            "{code}"
        );
    }
    // Least covered first: committed per poor household never decreases down the list (nothing
    // committed first).
    let per: Vec<f64> = edges
        .iter()
        .map(|e| s(&e["node"]["committed"]) as f64 / e["node"]["poorHouseholds"].as_f64().unwrap())
        .collect();
    assert!(per.windows(2).all(|p| p[0] <= p[1]), "{per:?}");
    assert!(!w.villages.is_empty());

    // Overlaps: two or more organizations on the same cluster, or program, in a village.
    let got = app.data(r#"{ overlaps(region: "98.01", fiscalYear: 2025) { edges { node { village { code } cluster program { id }
        organizations { id } committed coveredBySynergy } } } }"#, json!({})).await;
    let mut want_cluster: BTreeMap<(String, String), std::collections::BTreeSet<String>> =
        BTreeMap::new();
    let mut want_program: BTreeMap<(String, String), std::collections::BTreeSet<String>> =
        BTreeMap::new();
    let mut programs_in: BTreeMap<(String, String), std::collections::BTreeSet<String>> =
        BTreeMap::new();
    for r in counted(&w).filter(|r| r.fiscal_year == 2025) {
        let Some(p) = &r.program_id else { continue };
        let cluster = format!("{:?}", w.programs.iter().find(|(id, _)| id == p).unwrap().1);
        want_cluster
            .entry((r.region_code.clone(), cluster.clone()))
            .or_default()
            .insert(r.contributor_id.clone());
        programs_in
            .entry((r.region_code.clone(), cluster))
            .or_default()
            .insert(p.clone());
        want_program
            .entry((r.region_code.clone(), p.clone()))
            .or_default()
            .insert(r.contributor_id.clone());
    }
    want_cluster.retain(|_, orgs| orgs.len() >= 2);
    want_program.retain(|_, orgs| orgs.len() >= 2);
    let edges = got["overlaps"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), want_cluster.len() + want_program.len());
    let (a, c) = (&w.programs[0].0, &w.programs[2].0);
    for e in edges {
        let n = &e["node"];
        let village = n["village"]["code"].as_str().unwrap().to_string();
        let orgs: std::collections::BTreeSet<String> = n["organizations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_str().unwrap().to_string())
            .collect();
        if let Some(p) = n["program"]["id"].as_str() {
            assert_eq!(orgs, want_program[&(village, p.to_string())]);
            assert_eq!(
                n["coveredBySynergy"], true,
                "one program is coordinated by itself"
            );
        } else {
            let cluster = n["cluster"].as_str().unwrap();
            let key = want_cluster
                .keys()
                .find(|(v, c2)| {
                    *v == village && c2.to_lowercase() == cluster.replace('_', "").to_lowercase()
                })
                .unwrap()
                .clone();
            assert_eq!(orgs, want_cluster[&key]);
            let progs = &programs_in[&key];
            let covered = progs.len() == 1 || (progs.contains(a) && progs.contains(c));
            assert_eq!(
                n["coveredBySynergy"].as_bool().unwrap(),
                covered,
                "{key:?} with programs {progs:?}"
            );
        }
    }
}

#[tokio::test]
async fn follow_up_counts_match_independent_counts() {
    let app = spawn_app().await;
    app.sign_in_new_viewer().await;
    let w = world(&app).await;
    let meeting = sinergi::services::new_id();
    entity::meeting::Entity::insert(entity::meeting::ActiveModel {
        id: Set(meeting.clone()),
        title: Set("Rakor Uji".into()),
        level: Set(MeetingLevel::Regency),
        region_code: Set("98.01".into()),
        held_on: Set(NaiveDate::from_ymd_opt(2024, 2, 1).unwrap()),
        host_id: Set(w.orgs[0].0.clone()),
        location: Set(None),
        minutes: Set(None),
        version: Set(1),
        created_at: Set(Utc::now()),
        updated_at: Set(Utc::now()),
    })
    .exec_without_returning(&app.db)
    .await
    .unwrap();
    let decision = sinergi::services::new_id();
    entity::decision::Entity::insert(entity::decision::ActiveModel {
        id: Set(decision.clone()),
        meeting_id: Set(meeting.clone()),
        position: Set(0),
        text: Set("Uji".into()),
    })
    .exec_without_returning(&app.db)
    .await
    .unwrap();
    let statuses = [
        ActionItemStatus::Open,
        ActionItemStatus::InProgress,
        ActionItemStatus::Done,
        ActionItemStatus::Dropped,
    ];
    let mut rng = Lcg(7);
    let mut want: BTreeMap<String, [i64; 5]> = BTreeMap::new();
    let today = (Utc::now() + chrono::Duration::hours(7)).date_naive();
    for _ in 0..40 {
        let owner = w.orgs[rng.next(4) as usize].0.clone();
        let status = statuses[rng.next(4) as usize];
        let due = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap()
            + chrono::Duration::days(rng.next(2000) as i64);
        let e = want.entry(owner.clone()).or_default();
        e[status as usize] += 1;
        if matches!(
            status,
            ActionItemStatus::Open | ActionItemStatus::InProgress
        ) && due < today
        {
            e[4] += 1;
        }
        entity::action_item::Entity::insert(entity::action_item::ActiveModel {
            id: Set(sinergi::services::new_id()),
            decision_id: Set(decision.clone()),
            meeting_id: Set(meeting.clone()),
            text: Set("Tugas".into()),
            owner_id: Set(owner),
            due_on: Set(Some(due)),
            status: Set(status),
            version: Set(1),
            created_at: Set(Utc::now()),
            updated_at: Set(Utc::now()),
        })
        .exec_without_returning(&app.db)
        .await
        .unwrap();
    }
    let d = app.data(r#"{ followUpByOwner(region: "98.01") { owner { id } actionItems { open inProgress done dropped overdue } }
        followUpByMeeting(region: "98") { meeting { id } decisions decisionsDone actionItems { open inProgress done dropped overdue } } }"#, json!({})).await;
    let owners = d["followUpByOwner"].as_array().unwrap();
    assert_eq!(owners.len(), want.len());
    for o in owners {
        let c = &o["actionItems"];
        let got = [
            c["open"].as_i64().unwrap(),
            c["inProgress"].as_i64().unwrap(),
            c["done"].as_i64().unwrap(),
            c["dropped"].as_i64().unwrap(),
            c["overdue"].as_i64().unwrap(),
        ];
        assert_eq!(got, want[o["owner"]["id"].as_str().unwrap()]);
    }
    let overdue: Vec<i64> = owners
        .iter()
        .map(|o| o["actionItems"]["overdue"].as_i64().unwrap())
        .collect();
    assert!(
        overdue.windows(2).all(|p| p[0] >= p[1]),
        "most overdue first"
    );
    let meetings = d["followUpByMeeting"].as_array().unwrap();
    assert_eq!(meetings.len(), 1);
    assert_eq!(
        meetings[0]["actionItems"]["done"].as_i64().unwrap(),
        want.values().map(|v| v[2]).sum::<i64>()
    );
    assert_eq!(meetings[0]["decisions"], 1);
    let all_finished = want.values().all(|v| v[0] == 0 && v[1] == 0);
    assert_eq!(
        meetings[0]["decisionsDone"],
        if all_finished { 1 } else { 0 }
    );

    // On the demo data: the Lampung rakor's six decisions, one of which (the BDT) is done.
    app.load_demo().await;
    let d = app
        .data(
            r#"{ followUpByMeeting(region: "18") { decisions decisionsDone } }"#,
            json!({}),
        )
        .await;
    assert_eq!(d["followUpByMeeting"][0]["decisions"], 6);
    assert_eq!(d["followUpByMeeting"][0]["decisionsDone"], 1);
}
