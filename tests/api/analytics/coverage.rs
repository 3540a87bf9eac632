//! Coverage gaps and overlaps, against villages and organizations counted here from the
//! generated rows.

use super::*;

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
