//! Mutations: the happy path of each with the audit row it leaves, validation that names the field and
//! stores nothing, stale versions, retried creates, drafts, and an internal error that leaks nothing.

use crate::helpers::{TestApp, count_rows, error_code, spawn_app};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use sinergi::services::demo::demo_id;

async fn demo() -> TestApp {
    let app = spawn_app().await;
    app.load_demo().await;
    app
}

async fn audit_rows(
    app: &TestApp,
    entity: &str,
    id: &str,
) -> Vec<(String, Option<String>, Option<String>)> {
    let backend = app.db.get_database_backend();
    let rows = app
        .db
        .query_all_raw(Statement::from_string(
            backend,
            format!("SELECT action, before, after FROM audit_log WHERE entity = '{entity}' AND entity_id = '{id}' ORDER BY at, id"),
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|r| {
            (
                r.try_get("", "action").unwrap(),
                r.try_get("", "before").unwrap(),
                r.try_get("", "after").unwrap(),
            )
        })
        .collect()
}

fn ok(res: &Value, what: &str) -> Value {
    assert!(res.get("errors").is_none(), "{what}: {res}");
    res["data"].clone()
}

#[tokio::test]
async fn a_member_records_a_contribution_through_its_whole_life_and_each_step_is_audited() {
    let app = demo().await;
    let member = app.token_for("skpd@pekalongan.demo").await;
    let t = Some(member.as_str());
    let created = ok(
        &app.gql_as(
            t,
            r#"mutation($i: ContributionInput!) { createContribution(input: $i) { id version status amountPlanned contributor { name } } }"#,
            json!({ "i": { "source": "APBD_REGENCY", "kind": "CASH", "regionCode": "3326022008", "programId": demo_id("rtlh"),
                           "fiscalYear": 2026, "title": "Bedah rumah tahap II", "amountPlanned": 75000000, "targetGroup": "POOR_HOUSEHOLDS" } }),
        )
        .await,
        "create",
    );
    let c = &created["createContribution"];
    assert_eq!(c["status"], "PLANNED", "new contributions start as drafts");
    assert_eq!(
        c["amountPlanned"], "75000000",
        "integer input, string output"
    );
    assert_eq!(
        c["contributor"]["name"], "Dinas Sosial Kabupaten Pekalongan",
        "defaults to the caller's organization"
    );
    let id = c["id"].as_str().unwrap().to_string();

    let steps = [
        (
            "updateContribution",
            r#"mutation($id: ID!, $v: Int!) { updateContribution(id: $id, version: $v, input: {amountCommitted: "70000000", beneficiaries: 14}) { version } }"#,
        ),
        (
            "setContributionStatus",
            r#"mutation($id: ID!, $v: Int!) { setContributionStatus(id: $id, version: $v, status: COMMITTED) { version } }"#,
        ),
        (
            "addContributionTransaction",
            r#"mutation($id: ID!, $v: Int!) { addContributionTransaction(contributionId: $id, version: $v, input: {type: DISBURSEMENT, amount: "40000000", date: "2026-04-01"}) { version } }"#,
        ),
        (
            "addContributionTransaction",
            r#"mutation($id: ID!, $v: Int!) { addContributionTransaction(contributionId: $id, version: $v, input: {type: EXPENDITURE, amount: "25000000", date: "2026-06-01", note: "SPJ tahap 1"}) { version } }"#,
        ),
        (
            "cancelContribution",
            r#"mutation($id: ID!, $v: Int!) { cancelContribution(id: $id, version: $v) { version } }"#,
        ),
    ];
    let mut version = 1;
    for (name, q) in steps {
        let d = ok(
            &app.gql_as(t, q, json!({ "id": id, "v": version })).await,
            name,
        );
        let new_version = d[name]["version"].as_i64().unwrap() as i32;
        assert_eq!(new_version, version + 1, "{name} bumps the version");
        version = new_version;
    }
    let read = ok(
        &app.gql_as(t, r#"query($id: ID!) { contribution(id: $id) { status amountCommitted amountDisbursed amountRealised transactions { type amount } } }"#, json!({ "id": id })).await,
        "read",
    );
    let c = &read["contribution"];
    assert_eq!(c["status"], "CANCELLED", "cancelled, never deleted");
    assert_eq!(
        (c["amountDisbursed"].as_str(), c["amountRealised"].as_str()),
        (Some("40000000"), Some("25000000"))
    );
    assert_eq!(c["transactions"].as_array().unwrap().len(), 2);

    let trail = audit_rows(&app, "contribution", &id).await;
    let actions: Vec<&str> = trail.iter().map(|(a, _, _)| a.as_str()).collect();
    assert_eq!(
        actions,
        [
            "create",
            "update",
            "status",
            "transaction",
            "transaction",
            "cancel"
        ]
    );
    assert!(
        trail[0].1.is_none() && trail[0].2.is_some(),
        "a create has only an after image"
    );
    assert!(
        trail[1]
            .1
            .as_deref()
            .unwrap()
            .contains("\"amount_committed\":0")
    );
    assert!(
        trail[1]
            .2
            .as_deref()
            .unwrap()
            .contains("\"amount_committed\":70000000")
    );

    // The trail is shown to the organization and to the region's coordinator, not to others.
    let q = r#"query($id: ID!) { auditTrail(entity: "contribution", id: $id) { action actor { name } organization { name } } }"#;
    let own = ok(&app.gql_as(t, q, json!({ "id": id })).await, "own trail");
    assert_eq!(own["auditTrail"].as_array().unwrap().len(), 6);
    assert_eq!(
        own["auditTrail"][0]["organization"]["name"],
        "Dinas Sosial Kabupaten Pekalongan"
    );
    let coordinator = app.token_for("koordinator@pekalongan.demo").await;
    assert_eq!(
        ok(
            &app.gql_as(Some(&coordinator), q, json!({ "id": id })).await,
            "coordinator"
        )["auditTrail"]
            .as_array()
            .unwrap()
            .len(),
        6
    );
    let other = app.token_for("csr@pekalongan.demo").await;
    assert_eq!(
        error_code(&app.gql_as(Some(&other), q, json!({ "id": id })).await),
        "FORBIDDEN"
    );
    let outside = app.token_for("koordinator@lampung.demo").await;
    assert_eq!(
        error_code(&app.gql_as(Some(&outside), q, json!({ "id": id })).await),
        "FORBIDDEN"
    );
}

#[tokio::test]
async fn coordinator_mutations_leave_their_audit_rows() {
    let app = demo().await;
    let token = app.token_for("koordinator@pekalongan.demo").await;
    let t = Some(token.as_str());
    let org = ok(&app.gql_as(t, r#"mutation { createOrganization(input: {name: "Kelompok Wanita Tani Botosari", helix: COMMUNITY, kind: COMMUNITY_GROUP, regionCode: "33.26.02.2008"}) { id name helix } }"#, json!({})).await, "org");
    let org_id = org["createOrganization"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let updated = ok(&app.gql_as(t, r#"mutation($id: ID!) { updateOrganization(id: $id, version: 1, input: {name: "KWT Mekar Botosari"}) { name version } }"#, json!({ "id": org_id })).await, "org update");
    assert_eq!(updated["updateOrganization"]["version"], 2);
    let user = ok(&app.gql_as(t, r#"mutation($o: ID!) { createUser(input: {email: "Ketua.KWT@botosari.demo", name: "Ketua KWT", password: "rahasia-panjang-sekali", role: MEMBER, organizationId: $o}) { id email role } }"#, json!({ "o": org_id })).await, "user");
    assert_eq!(
        user["createUser"]["email"], "ketua.kwt@botosari.demo",
        "e-mails are stored lower-case"
    );
    let user_id = user["createUser"]["id"].as_str().unwrap().to_string();
    ok(&app.gql_as(t, r#"mutation($id: ID!) { updateUser(id: $id, version: 1, input: {active: false}) { active } }"#, json!({ "id": user_id })).await, "user update");

    let program = ok(&app.gql_as(t, r#"mutation($o: ID!) { createProgram(input: {code: "KWT-1", name: "Pekarangan Pangan Lestari", ownerId: $o, cluster: COMMUNITY_EMPOWERMENT,
        startYear: 2025, endYear: 2027, strategies: [RAISE_CAPABILITY_AND_INCOME], targetGroups: [WOMEN],
        phases: [{name: "Penumbuhan", fiscalYear: 2025}, {name: "Pengembangan", fiscalYear: 2026}],
        targets: [{fiscalYear: 2025, unit: "kelompok", target: 5, realised: 4}], villageCodes: ["33.26.02.2008", "33.26.02.2014"]}) {
        id phases { name } targets { target realised } villages { totalCount } strategies targetGroups } }"#, json!({ "o": org_id })).await, "program");
    let p = &program["createProgram"];
    assert_eq!(p["villages"]["totalCount"], 2);
    assert_eq!(p["phases"].as_array().unwrap().len(), 2);
    let program_id = p["id"].as_str().unwrap().to_string();
    let p2 = ok(&app.gql_as(t, r#"mutation($id: ID!) { updateProgram(id: $id, version: 1, input: {targets: [{fiscalYear: 2025, unit: "kelompok", target: 5, realised: 5}, {fiscalYear: 2026, unit: "kelompok", target: 8}]}) { version targets { fiscalYear realised } } }"#, json!({ "id": program_id })).await, "program update");
    assert_eq!(p2["updateProgram"]["targets"].as_array().unwrap().len(), 2);

    let syn = ok(&app.gql_as(t, r#"mutation($a: ID!, $b: ID!) { proposeSynergy(input: {programAId: $a, programBId: $b, relation: COMPLEMENTS, cluster: COMMUNITY_EMPOWERMENT}) { id status } }"#, json!({ "a": program_id, "b": demo_id("labkemis") })).await, "synergy");
    let syn_id = syn["proposeSynergy"]["id"].as_str().unwrap().to_string();
    assert_eq!(syn["proposeSynergy"]["status"], "PROPOSED");

    let meeting = ok(&app.gql_as(t, r#"mutation($h: ID!, $o: ID!, $p: ID!) { createMeeting(input: {title: "Rakor TKPK Semester I 2026", level: REGENCY, regionCode: "33.26", heldOn: "2026-03-02",
        hostId: $h, agenda: ["Capaian", "Rencana"], participants: [{organizationId: $o, representative: "Ketua KWT", role: "peserta"}], programIds: [$p], regionCodes: ["33.26.02.2008"]}) {
        id agenda participants { representative } programs { name } regions { code } } }"#, json!({ "h": demo_id("bappeda-pekalongan"), "o": org_id, "p": program_id })).await, "meeting");
    let meeting_id = meeting["createMeeting"]["id"].as_str().unwrap().to_string();
    ok(&app.gql_as(t, r#"mutation($id: ID!) { updateMeeting(id: $id, version: 1, input: {minutes: "Sepakat memperluas pekarangan pangan."}) { version } }"#, json!({ "id": meeting_id })).await, "meeting update");
    let agreed = ok(&app.gql_as(t, r#"mutation($id: ID!, $m: ID!) { agreeSynergy(id: $id, version: 1, meetingId: $m) { status agreedAt { title } } }"#, json!({ "id": syn_id, "m": meeting_id })).await, "agree");
    assert_eq!(agreed["agreeSynergy"]["status"], "AGREED");

    let decision = ok(&app.gql_as(t, r#"mutation($m: ID!, $o: ID!) { addDecision(meetingId: $m, text: "Perluasan ke Desa Tenogo", actionItems: [{text: "Survei lahan", ownerId: $o, dueOn: "2026-04-30", regionCodes: ["33.26.02.2014"]}]) { id actionItems { id owner { name } regions { code } } } }"#, json!({ "m": meeting_id, "o": org_id })).await, "decision");
    let decision_id = decision["addDecision"]["id"].as_str().unwrap().to_string();
    let item_id = decision["addDecision"]["actionItems"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let item2 = ok(&app.gql_as(t, r#"mutation($d: ID!, $o: ID!) { addActionItem(decisionId: $d, input: {text: "Bibit sayur", ownerId: $o}) { id } }"#, json!({ "d": decision_id, "o": demo_id("dinpertan-pekalongan") })).await, "item");
    assert!(item2["addActionItem"]["id"].is_string());
    ok(&app.gql_as(t, r#"mutation($id: ID!, $o: ID!) { updateActionItem(id: $id, version: 1, input: {ownerId: $o, dueOn: "2026-05-31"}) { owner { name } } }"#, json!({ "id": item_id, "o": demo_id("dinpertan-pekalongan") })).await, "assign");
    let progressed = ok(&app.gql_as(t, r#"mutation($id: ID!) { addActionItemProgress(id: $id, version: 2, note: "Survei 50% selesai", status: IN_PROGRESS) { status version updates { note status by { name } } } }"#, json!({ "id": item_id })).await, "progress");
    assert_eq!(
        progressed["addActionItemProgress"]["updates"][0]["by"]["name"],
        "Bappeda Kabupaten Pekalongan"
    );
    ok(&app.gql_as(t, r#"mutation($id: ID!) { setActionItemStatus(id: $id, version: 3, status: DONE) { status } }"#, json!({ "id": item_id })).await, "done");
    let dropped = ok(&app.gql_as(t, r#"mutation($id: ID!) { dropSynergy(id: $id, version: 2, note: "Digabung") { status } }"#, json!({ "id": syn_id })).await, "drop");
    assert_eq!(dropped["dropSynergy"]["status"], "DROPPED");
    let ind = ok(&app.gql_as(t, r#"mutation { setVillageIndicators(input: {villageCode: "33.26.02.2014", fiscalYear: 2027, source: "DTKS/P3KE", asOf: "2027-01-31", households: 880, poorHouseholds: 200, householdsByDecile: [80, 60, 40, 20], priority: true}) { fiscalYear priority } }"#, json!({})).await, "indicators");
    assert_eq!(ind["setVillageIndicators"]["priority"], true);

    for (entity, id, actions) in [
        ("organization", org_id.as_str(), vec!["create", "update"]),
        ("user", user_id.as_str(), vec!["create", "update"]),
        ("program", program_id.as_str(), vec!["create", "update"]),
        ("synergy", syn_id.as_str(), vec!["create", "agree", "drop"]),
        ("meeting", meeting_id.as_str(), vec!["create", "update"]),
        ("decision", decision_id.as_str(), vec!["create"]),
        (
            "action_item",
            item_id.as_str(),
            vec!["create", "update", "status", "status"],
        ),
    ] {
        let got: Vec<String> = audit_rows(&app, entity, id)
            .await
            .into_iter()
            .map(|r| r.0)
            .collect();
        assert_eq!(got, actions, "audit trail of the {entity}");
    }
    let user_trail = audit_rows(&app, "user", &user_id).await;
    assert!(
        !user_trail[0].2.as_deref().unwrap().contains("argon2"),
        "password hashes never reach the audit log"
    );
}

#[tokio::test]
async fn the_owner_organization_reports_progress_on_its_action_item() {
    let app = demo().await;
    let token = app.token_for("skpd@pekalongan.demo").await;
    let id = demo_id("rakor-pekalongan-2025-action-rtlh-2025");
    let res = ok(
        &app.gql_as(Some(&token), r#"mutation($id: ID!) { addActionItemProgress(id: $id, version: 1, note: "25 rumah selesai") { version updates { note by { name } } } }"#, json!({ "id": id })).await,
        "progress",
    );
    let updates = res["addActionItemProgress"]["updates"].as_array().unwrap();
    assert_eq!(
        updates.last().unwrap()["by"]["name"],
        "Dinas Sosial Kabupaten Pekalongan"
    );
    // Re-assigning it stays with the coordinator.
    let res = app.gql_as(Some(&token), r#"mutation($id: ID!) { updateActionItem(id: $id, version: 2, input: {dueOn: "2026-01-31"}) { id } }"#, json!({ "id": id })).await;
    assert_eq!(error_code(&res), "FORBIDDEN");
}

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

#[tokio::test]
async fn a_stale_version_gets_conflict_and_changes_nothing() {
    let app = demo().await;
    let member = app.token_for("skpd@pekalongan.demo").await;
    let id = demo_id("dinsos-rtlh-botosari-2026");
    let q = r#"mutation($id: ID!, $v: Int!, $t: String!) { updateContribution(id: $id, version: $v, input: {title: $t}) { version title } }"#;
    ok(
        &app.gql_as(
            Some(&member),
            q,
            json!({ "id": id, "v": 1, "t": "Versi pertama" }),
        )
        .await,
        "first writer",
    );
    let res = app
        .gql_as(
            Some(&member),
            q,
            json!({ "id": id, "v": 1, "t": "Versi kedua yang basi" }),
        )
        .await;
    assert_eq!(error_code(&res), "CONFLICT");
    let read = ok(
        &app.gql_as(
            Some(&member),
            r#"query($id: ID!) { contribution(id: $id) { title version } }"#,
            json!({ "id": id }),
        )
        .await,
        "read",
    );
    assert_eq!(read["contribution"]["title"], "Versi pertama");
    assert_eq!(read["contribution"]["version"], 2);

    // Concurrent writers with the same version: exactly one wins.
    let q = r#"mutation($id: ID!, $t: String!) { updateContribution(id: $id, version: 2, input: {title: $t}) { version } }"#;
    let (a, b) = tokio::join!(
        app.gql_as(Some(&member), q, json!({ "id": id, "t": "Penulis A" })),
        app.gql_as(Some(&member), q, json!({ "id": id, "t": "Penulis B" })),
    );
    let codes = [error_code(&a), error_code(&b)];
    assert_eq!(
        codes.iter().filter(|c| **c == "CONFLICT").count(),
        1,
        "{a} {b}"
    );
    assert_eq!(
        audit_rows(&app, "contribution", &id).await.len(),
        2,
        "one audit row per successful write"
    );
}

#[tokio::test]
async fn a_retried_create_with_the_same_client_key_yields_one_row() {
    let app = demo().await;
    let member = app.token_for("skpd@pekalongan.demo").await;
    let q = r#"mutation($k: String) { createContribution(clientKey: $k, input: {source: APBD_REGENCY, kind: CASH, regionCode: "33.26.02.2009",
        fiscalYear: 2026, title: "Jamban sehat", amountPlanned: "20000000"}) { id } }"#;
    let before = count_rows(&app.db, "contributions").await;
    let first = ok(
        &app.gql_as(Some(&member), q, json!({ "k": "spreadsheet-row-17" }))
            .await,
        "first",
    );
    let again = ok(
        &app.gql_as(Some(&member), q, json!({ "k": "spreadsheet-row-17" }))
            .await,
        "retry",
    );
    assert_eq!(
        first["createContribution"]["id"],
        again["createContribution"]["id"]
    );
    assert_eq!(count_rows(&app.db, "contributions").await, before + 1);
    // Two retries at once still make one row.
    let (a, b) = tokio::join!(
        app.gql_as(Some(&member), q, json!({ "k": "row-18" })),
        app.gql_as(Some(&member), q, json!({ "k": "row-18" })),
    );
    assert_eq!(
        ok(&a, "a")["createContribution"]["id"],
        ok(&b, "b")["createContribution"]["id"]
    );
    assert_eq!(count_rows(&app.db, "contributions").await, before + 2);
    // Without a key, a repeat is a new record.
    ok(
        &app.gql_as(Some(&member), q, json!({ "k": null })).await,
        "no key",
    );
    assert_eq!(count_rows(&app.db, "contributions").await, before + 3);
}

#[tokio::test]
async fn a_draft_is_invisible_to_another_organization_on_every_path() {
    let app = demo().await;
    let csr = app.token_for("csr@pekalongan.demo").await;
    let dinsos = app.token_for("skpd@pekalongan.demo").await;
    let created = ok(
        &app.gql_as(Some(&dinsos), r#"mutation { createContribution(input: {source: APBD_REGENCY, kind: CASH, regionCode: "33.26.02.2015",
            fiscalYear: 2026, title: "Rencana rahasia", amountPlanned: "123456789"}) { id status } }"#, json!({})).await,
        "draft",
    );
    assert_eq!(created["createContribution"]["status"], "PLANNED");
    let id = created["createContribution"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let q = r#"query($id: ID!) {
        root: contribution(id: $id) { id }
        list: contributions(filter: {region: "33.26.02.2015"}) { totalCount edges { node { id } } }
        a1: contributions(filter: {region: "33.26.02.2015", fiscalYear: 2026}) { totalCount }
        a2: contributions(filter: {text: "rahasia"}) { totalCount }
        nested: region(code: "33.26.02.2015") { contributions { totalCount edges { node { id } } } }
        viaRegency: region(code: "33.26") { villages(first: 100) { edges { node { code contributions { totalCount edges { node { id } } } } } } }
        org: organization(id: "ORG") { contributions { totalCount edges { node { id } } } }
        sum: contributionTotals(filter: {region: "33.26.02.2015"}) { count planned } }"#
        .replace("ORG", &demo_id("dinsos-pekalongan"));
    let seen_by = |token: String| {
        let app = &app;
        let q = q.clone();
        let id = id.clone();
        async move {
            ok(
                &app.gql_as(Some(&token), &q, json!({ "id": id })).await,
                "read",
            )
        }
    };
    let other = seen_by(csr).await;
    assert!(other["root"].is_null());
    assert_eq!(other["list"]["totalCount"], 0);
    assert_eq!(other["a1"]["totalCount"], 0);
    assert_eq!(other["a2"]["totalCount"], 0);
    assert_eq!(other["nested"]["contributions"]["totalCount"], 0);
    assert_eq!(other["sum"]["count"], 0);
    assert_eq!(other["sum"]["planned"], "0");
    assert!(
        !other.to_string().contains(&id),
        "the draft's id appears nowhere"
    );
    let own = seen_by(dinsos).await;
    assert_eq!(own["root"]["id"], id);
    assert_eq!(own["list"]["totalCount"], 1);
    assert_eq!(own["a2"]["totalCount"], 1);
    assert_eq!(own["nested"]["contributions"]["totalCount"], 1);
    assert_eq!(own["sum"]["planned"], "123456789");
    assert!(
        own["org"]["contributions"]["edges"]
            .to_string()
            .contains(&id)
    );
    let coordinator = seen_by(app.token_for("koordinator@pekalongan.demo").await).await;
    assert_eq!(
        coordinator["sum"]["count"], 1,
        "the region's coordinator sees drafts"
    );
    let outside = seen_by(app.token_for("koordinator@lampung.demo").await).await;
    assert_eq!(outside["sum"]["count"], 0);
    // Another organization cannot even learn it exists by writing to it.
    let res = app
        .gql_as(
            Some(&app.token_for("csr@pekalongan.demo").await),
            r#"mutation($id: ID!) { cancelContribution(id: $id, version: 1) { id } }"#,
            json!({ "id": id }),
        )
        .await;
    assert_eq!(error_code(&res), "NOT_FOUND");
}

#[tokio::test]
async fn a_database_error_inside_a_mutation_is_internal_and_leaks_nothing() {
    let app = demo().await;
    let member = app.token_for("skpd@pekalongan.demo").await;
    let backend = app.db.get_database_backend();
    app.db
        .execute_raw(Statement::from_string(backend, "DROP TABLE client_keys"))
        .await
        .unwrap();
    let before = count_rows(&app.db, "contributions").await;
    let res = app
        .gql_as(Some(&member), r#"mutation { createContribution(clientKey: "k1", input: {source: APBD_REGENCY, kind: CASH, regionCode: "33.26.02.2008",
            fiscalYear: 2026, title: "Uji", amountPlanned: "1"}) { id } }"#, json!({}))
        .await;
    assert_eq!(error_code(&res), "INTERNAL");
    let text = res.to_string().to_lowercase();
    for leak in [
        "client_keys",
        "select",
        "sqlite",
        "postgres",
        "relation",
        "no such table",
        "panicked",
        ".rs:",
    ] {
        assert!(!text.contains(leak), "the response leaks `{leak}`: {res}");
    }
    assert_eq!(
        count_rows(&app.db, "contributions").await,
        before,
        "the transaction rolled back"
    );
    // The server keeps serving.
    let still = app
        .gql_as(
            Some(&member),
            r#"{ region(code: "33.26") { name } }"#,
            json!({}),
        )
        .await;
    assert_eq!(still["data"]["region"]["name"], "Kabupaten Pekalongan");
}
