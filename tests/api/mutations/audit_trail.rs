//! The happy path of the mutations, each step checked against the audit row it leaves and who
//! may read that trail.

use super::*;

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
