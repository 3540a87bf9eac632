//! Analytics and the workbook with and without `verifiedOnly`, against sums of the stored rows.

use super::*;

/// Committed per (source) and per village of the visible, not cancelled 2025 contributions in
/// Kabupaten Pekalongan, summed here from the stored rows.
async fn expected_committed(
    app: &TestApp,
    verified_only: bool,
) -> (BTreeMap<String, i64>, BTreeMap<String, i64>) {
    let rows = app
        .db
        .query_all_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT source, region_code, amount_committed, status, verification FROM contributions WHERE fiscal_year = 2025",
        ))
        .await
        .unwrap();
    let mut by_source = BTreeMap::new();
    let mut by_village = BTreeMap::new();
    for r in rows {
        let region: String = r.try_get("", "region_code").unwrap();
        let status: String = r.try_get("", "status").unwrap();
        let state: String = r.try_get("", "verification").unwrap();
        if !region.starts_with("33.26.")
            || status == "CANCELLED"
            || (verified_only && state != "VERIFIED")
        {
            continue;
        }
        let committed: i64 = r.try_get("", "amount_committed").unwrap();
        *by_source
            .entry(r.try_get::<String>("", "source").unwrap())
            .or_insert(0) += committed;
        *by_village.entry(region).or_insert(0) += committed;
    }
    (by_source, by_village)
}

fn rupiah(v: &Value) -> i64 {
    v.as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn analytics_count_verified_figures_only_when_asked() {
    let app = demo().await;
    let coord = app.token_for(COORD).await;
    let before_overlaps = overlap_ids(&app, &coord, true).await;
    // Two submissions in Botosari under the RTLH program: Dinas Sosial's and the university's, a
    // second organization on the program there.
    let (sub, _) = contribution(&app, MEMBER, "33.26.02.2008", 70_000_000).await;
    let res = as_user(
        &app,
        "kampus@pekalongan.demo",
        CREATE,
        json!({ "i": { "source": "UNIVERSITY", "kind": "EXPERTISE", "regionCode": "33.26.02.2008", "programId": demo_id("rtlh"),
                       "fiscalYear": 2025, "title": "KKN tematik RTLH", "amountPlanned": 15000000, "amountCommitted": 15000000, "status": "COMMITTED" } }),
    )
    .await;
    let kampus = ok(&res, "kampus")["createContribution"]["id"]
        .as_str()
        .unwrap()
        .to_string();

    assert_ne!(
        expected_committed(&app, false).await,
        expected_committed(&app, true).await,
        "the submissions make the two answers differ"
    );
    for verified_only in [false, true] {
        let (by_source, by_village) = expected_committed(&app, verified_only).await;
        let res = app
            .gql_as(
                Some(&coord),
                r#"query($v: Boolean!) { fundingSummary(filter: {region: "33.26", fiscalYear: 2025}, groupBy: [SOURCE], verifiedOnly: $v) { key { source } committed } }"#,
                json!({ "v": verified_only }),
            )
            .await;
        let got: BTreeMap<String, i64> = ok(&res, "summary")["fundingSummary"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| {
                (
                    b["key"]["source"].as_str().unwrap().to_string(),
                    rupiah(&b["committed"]),
                )
            })
            .collect();
        assert_eq!(
            got, by_source,
            "fundingSummary, verifiedOnly: {verified_only}"
        );

        let res = app
            .gql_as(
                Some(&coord),
                r#"query($v: Boolean!) { coverageGaps(region: "33.26", fiscalYear: 2025, verifiedOnly: $v) { edges { node { village { code } committed } } } }"#,
                json!({ "v": verified_only }),
            )
            .await;
        let gaps = ok(&res, "gaps")["coverageGaps"]["edges"]
            .as_array()
            .unwrap()
            .clone();
        assert!(!gaps.is_empty());
        for g in &gaps {
            let code = g["node"]["village"]["code"].as_str().unwrap();
            assert_eq!(
                rupiah(&g["node"]["committed"]),
                by_village.get(code).copied().unwrap_or(0),
                "coverageGaps {code}, verifiedOnly: {verified_only}"
            );
        }
    }
    // The submissions made a new overlap that verified figures do not show yet.
    let all = overlap_ids(&app, &coord, false).await;
    assert!(
        all.iter()
            .any(|ids| ids.contains(&sub) && ids.contains(&kampus)),
        "{all:?}"
    );
    assert_eq!(overlap_ids(&app, &coord, true).await, before_overlaps);

    // Indicators waiting for verification leave their village out of verified coverage gaps.
    let v: i64 = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT version FROM village_indicators WHERE village_code = '33.26.02.2008' AND fiscal_year = 2025",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i32>("", "version")
        .unwrap()
        .into();
    let mut i = indicators(180);
    i["fiscalYear"] = json!(2025);
    ok(
        &as_user(&app, VILLAGE, SET_INDICATORS, json!({ "i": i, "v": v })).await,
        "village edits 2025",
    );
    let gap_villages = |verified_only: bool| {
        let coord = coord.clone();
        let app = &app;
        async move {
            let res = app
                .gql_as(Some(&coord), r#"query($v: Boolean!) { coverageGaps(region: "33.26", fiscalYear: 2025, verifiedOnly: $v) { edges { node { village { code } } } } }"#, json!({ "v": verified_only }))
                .await;
            ok(&res, "gaps").to_string()
        }
    };
    assert!(gap_villages(false).await.contains("33.26.02.2008"));
    assert!(!gap_villages(true).await.contains("33.26.02.2008"));
}

async fn overlap_ids(app: &TestApp, token: &str, verified_only: bool) -> Vec<Vec<String>> {
    let res = app
        .gql_as(
            Some(token),
            r#"query($v: Boolean!) { overlaps(region: "33.26", fiscalYear: 2025, verifiedOnly: $v) { edges { node { contributions { id } } } } }"#,
            json!({ "v": verified_only }),
        )
        .await;
    ok(&res, "overlaps")["overlaps"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let mut ids: Vec<String> = e["node"]["contributions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].as_str().unwrap().to_string())
                .collect();
            ids.sort();
            ids
        })
        .collect()
}

#[tokio::test]
async fn the_workbook_says_which_figures_it_counts() {
    use calamine::{Data, Reader, Xlsx};
    let app = demo().await;
    contribution(&app, MEMBER, "33.26.02.2008", 90_000_000).await;
    let coord = app.token_for(COORD).await;
    for (verified, words) in [
        ("true", "hanya data terverifikasi"),
        ("false", "termasuk yang belum diverifikasi"),
    ] {
        let res = app
            .client
            .get(app.url(&format!(
                "/exports/lp2kd.xlsx?region=33.26&year=2025&verified={verified}"
            )))
            .bearer_auth(&coord)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let bytes = res.bytes().await.unwrap().to_vec();
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let sheet = book.worksheet_range("Sumber x Klaster").unwrap();
        let heading = sheet.get_value((0, 0)).unwrap().to_string();
        assert!(heading.contains(words), "{heading}");
        // The grand total (last column of the last source row) is the committed total, from the rows.
        let (by_source, _) = expected_committed(&app, verified == "true").await;
        let expected: i64 = by_source.values().sum();
        let total: f64 = sheet
            .rows()
            .skip(3)
            .filter_map(|r| match r.last() {
                Some(Data::Float(f)) => Some(*f),
                Some(Data::Int(i)) => Some(*i as f64),
                _ => None,
            })
            .sum();
        assert_eq!(
            total as i64,
            expected * 2,
            "source rows and the total row, verified={verified}"
        );
    }
    let res = app
        .client
        .get(app.url("/exports/lp2kd.xlsx?region=33.26&year=2025&verified=ya"))
        .bearer_auth(&coord)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
}
