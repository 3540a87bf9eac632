//! Every validation rule: the error names the field, and no table or version moves.

use super::*;

/// Runs a mutation that must fail validation and checks the field it names and that nothing moved.
async fn invalid(app: &TestApp, token: &str, q: &str, vars: Value, field: &str) {
    let tables = [
        "organizations",
        "users",
        "programs",
        "program_targets",
        "program_phases",
        "program_villages",
        "contributions",
        "contribution_transactions",
        "meetings",
        "decisions",
        "action_items",
        "village_indicators",
        "audit_log",
    ];
    let mut before = Vec::new();
    for t in tables {
        before.push(count_rows(&app.db, t).await);
    }
    let versions = "SELECT CAST(SUM(version) AS BIGINT) AS n FROM contributions";
    let backend = app.db.get_database_backend();
    let v_before = app
        .db
        .query_one_raw(Statement::from_string(backend, versions))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    let res = app.gql_as(Some(token), q, vars).await;
    assert_eq!(error_code(&res), "BAD_USER_INPUT", "{field}: {res}");
    assert_eq!(res["errors"][0]["extensions"]["field"], field, "{res}");
    for (t, n) in tables.iter().zip(before) {
        assert_eq!(count_rows(&app.db, t).await, n, "{field}: {t} changed");
    }
    let v_after = app
        .db
        .query_one_raw(Statement::from_string(backend, versions))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    assert_eq!(v_before, v_after, "{field}: a contribution was changed");
}

#[tokio::test]
async fn every_validation_rule_names_the_field_and_stores_nothing() {
    let app = demo().await;
    let member = app.token_for("skpd@pekalongan.demo").await;
    let village_gov = app.token_for("desa@botosari.demo").await;
    let coord = app.token_for("koordinator@pekalongan.demo").await;
    let create = r#"mutation($i: ContributionInput!) { createContribution(input: $i) { id } }"#;
    let base = json!({ "source": "APBD_REGENCY", "kind": "CASH", "regionCode": "33.26.02.2008", "fiscalYear": 2026, "title": "Uji", "amountPlanned": "1000" });
    let with = |k: &str, v: Value| {
        let mut i = base.clone();
        i[k] = v;
        json!({ "i": i })
    };
    invalid(
        &app,
        &member,
        create,
        with("amountPlanned", json!("-5")),
        "input.amountPlanned",
    )
    .await;
    invalid(
        &app,
        &member,
        create,
        with("amountCommitted", json!(-1)),
        "input.amountCommitted",
    )
    .await;
    invalid(
        &app,
        &member,
        create,
        with("regionCode", json!("33.26.99")),
        "input.regionCode",
    )
    .await;
    invalid(
        &app,
        &member,
        create,
        with("fiscalYear", json!(1999)),
        "input.fiscalYear",
    )
    .await;
    invalid(
        &app,
        &member,
        create,
        with("title", json!("x".repeat(201))),
        "input.title",
    )
    .await;
    invalid(
        &app,
        &member,
        create,
        with("title", json!("   ")),
        "input.title",
    )
    .await;
    let mut outside = base.clone();
    outside["programId"] = json!(demo_id("rtlh"));
    outside["fiscalYear"] = json!(2023);
    invalid(
        &app,
        &member,
        create,
        json!({ "i": outside }),
        "input.fiscalYear",
    )
    .await;
    // A village government's money goes to a village; APBDes never to a kelurahan.
    let mut regency = base.clone();
    regency["source"] = json!("APBDES");
    regency["regionCode"] = json!("33.26");
    invalid(
        &app,
        &village_gov,
        create,
        json!({ "i": regency }),
        "input.regionCode",
    )
    .await;
    let mut kelurahan = base.clone();
    kelurahan["source"] = json!("APBDES");
    kelurahan["regionCode"] = json!("33.26.08.1016");
    invalid(
        &app,
        &member,
        create,
        json!({ "i": kelurahan }),
        "input.source",
    )
    .await;

    // Disbursed never above committed; spent never above disbursed.
    let id = demo_id("dinsos-rtlh-botosari-2026");
    let tx = r#"mutation($id: ID!, $a: Rupiah!, $t: TransactionType!) { addContributionTransaction(contributionId: $id, version: 1, input: {type: $t, amount: $a, date: "2026-05-01"}) { id } }"#;
    invalid(
        &app,
        &member,
        tx,
        json!({ "id": id, "a": "999999999999", "t": "DISBURSEMENT" }),
        "input.amount",
    )
    .await;
    invalid(
        &app,
        &member,
        tx,
        json!({ "id": id, "a": "1", "t": "EXPENDITURE" }),
        "input.amount",
    )
    .await;
    invalid(
        &app,
        &member,
        tx,
        json!({ "id": id, "a": "-3", "t": "DISBURSEMENT" }),
        "input.amount",
    )
    .await;
    let late = r#"mutation($id: ID!) { addContributionTransaction(contributionId: $id, version: 1, input: {type: DISBURSEMENT, amount: "5", date: "2030-01-01"}) { id } }"#;
    invalid(&app, &member, late, json!({ "id": id }), "input.date").await;
    let spent = demo_id("dinsos-rtlh-botosari-2024");
    let below = r#"mutation($id: ID!) { updateContribution(id: $id, version: 1, input: {amountCommitted: "1"}) { id } }"#;
    invalid(
        &app,
        &member,
        below,
        json!({ "id": spent }),
        "input.amountCommitted",
    )
    .await;

    // Dates in order, owners that exist, years inside the program, villages that are villages.
    let item = r#"mutation($d: ID!, $o: ID!) { addActionItem(decisionId: $d, input: {text: "Terlambat", ownerId: $o, dueOn: "2024-01-01"}) { id } }"#;
    let decision = demo_id("rakor-pekalongan-2025-decision-0");
    invalid(
        &app,
        &coord,
        item,
        json!({ "d": decision, "o": demo_id("dinsos-pekalongan") }),
        "input.dueOn",
    )
    .await;
    invalid(
        &app,
        &coord,
        item.replace("2024-01-01", "2025-12-01").as_str(),
        json!({ "d": decision, "o": "00000000-0000-0000-0000-000000000000" }),
        "input.ownerId",
    )
    .await;
    let program = r#"mutation($o: ID!) { createProgram(input: {name: "Uji", ownerId: $o, cluster: PRO_PEOPLE, startYear: 2026, endYear: 2025}) { id } }"#;
    invalid(
        &app,
        &coord,
        program,
        json!({ "o": demo_id("dinsos-pekalongan") }),
        "input.endYear",
    )
    .await;
    let phase = r#"mutation($o: ID!) { createProgram(input: {name: "Uji", ownerId: $o, cluster: PRO_PEOPLE, startYear: 2025, endYear: 2026, phases: [{name: "Lanjut", fiscalYear: 2027}]}) { id } }"#;
    invalid(
        &app,
        &coord,
        phase,
        json!({ "o": demo_id("dinsos-pekalongan") }),
        "input.phases.0.fiscalYear",
    )
    .await;
    let target = r#"mutation($o: ID!) { createProgram(input: {name: "Uji", ownerId: $o, cluster: PRO_PEOPLE, startYear: 2025, endYear: 2026, targets: [{fiscalYear: 2025, unit: "rumah", target: -1}]}) { id } }"#;
    invalid(
        &app,
        &coord,
        target,
        json!({ "o": demo_id("dinsos-pekalongan") }),
        "input.targets.0.target",
    )
    .await;
    let not_village = r#"mutation($o: ID!) { createProgram(input: {name: "Uji", ownerId: $o, cluster: PRO_PEOPLE, startYear: 2025, endYear: 2026, villageCodes: ["33.26.02"]}) { id } }"#;
    invalid(
        &app,
        &coord,
        not_village,
        json!({ "o": demo_id("dinsos-pekalongan") }),
        "input.villageCodes.0",
    )
    .await;
    let indicators = r#"mutation { setVillageIndicators(input: {villageCode: "33.26.02.2008", fiscalYear: 2028, source: "BPS", asOf: "2028-01-01", households: 10, poorHouseholds: 20}) { fiscalYear } }"#;
    invalid(&app, &coord, indicators, json!({}), "input.poorHouseholds").await;
    let user = r#"mutation($o: ID!) { createUser(input: {email: "bukan-email", name: "X", password: "panjang-sekali-1", role: MEMBER, organizationId: $o}) { id } }"#;
    invalid(
        &app,
        &coord,
        user,
        json!({ "o": demo_id("dinsos-pekalongan") }),
        "input.email",
    )
    .await;
}
