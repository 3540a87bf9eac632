//! The funding summary by each grouping, against totals summed here from the generated rows.

use super::*;

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
