//! The verification life cycle, its permissions and the queue.

use super::*;
use crate::helpers::error_code;

#[tokio::test]
async fn a_members_contribution_waits_is_returned_fixed_and_verified_by_its_regions_coordinator() {
    let app = demo().await;
    let (id, v) = contribution(&app, MEMBER, "33.26.02.2008", 50_000_000).await;
    assert_eq!(stored(&app, "contributions", &id).await.0, "SUBMITTED");

    // Neither the member itself nor a coordinator of another region may decide.
    for who in [MEMBER, LAMPUNG] {
        let res = as_user(&app, who, VERIFY, json!({ "id": id, "v": v })).await;
        assert_eq!(error_code(&res), "FORBIDDEN", "{who}: {res}");
        let res = as_user(&app, who, RETURN, json!({ "id": id, "v": v, "n": "Salah" })).await;
        assert_eq!(error_code(&res), "FORBIDDEN", "{who}: {res}");
    }
    let viewer = as_user(
        &app,
        "pemantau@sinergi.demo",
        VERIFY,
        json!({ "id": id, "v": v }),
    )
    .await;
    assert_eq!(error_code(&viewer), "FORBIDDEN");
    assert_eq!(
        stored(&app, "contributions", &id).await,
        ("SUBMITTED".into(), None)
    );

    // A return needs a note saying what to fix.
    let blank = as_user(&app, COORD, RETURN, json!({ "id": id, "v": v, "n": "  " })).await;
    assert_eq!(error_code(&blank), "BAD_USER_INPUT");
    assert_eq!(blank["errors"][0]["extensions"]["field"], "note");
    let long = as_user(
        &app,
        COORD,
        RETURN,
        json!({ "id": id, "v": v, "n": "x".repeat(1001) }),
    )
    .await;
    assert_eq!(long["errors"][0]["extensions"]["field"], "note");
    assert_eq!(
        stored(&app, "contributions", &id).await,
        ("SUBMITTED".into(), None)
    );
    assert_eq!(audited(&app, &id, "return").await, 0);

    let note = "Nilai komitmen belum sesuai DPA: periksa kembali";
    let res = as_user(&app, COORD, RETURN, json!({ "id": id, "v": v, "n": note })).await;
    let returned = &ok(&res, "return")["returnContribution"];
    assert_eq!(returned["verification"], "RETURNED");
    assert_eq!(returned["verificationNote"], note);
    let v = returned["version"].as_i64().unwrap() as i32;

    // The member sees the note on its record; a returned record is not verified as it is.
    let seen = as_user(
        &app,
        MEMBER,
        r#"query($id: ID!) { contribution(id: $id) { verification verificationNote } }"#,
        json!({ "id": id }),
    )
    .await;
    assert_eq!(ok(&seen, "read")["contribution"]["verificationNote"], note);
    let res = as_user(&app, COORD, VERIFY, json!({ "id": id, "v": v })).await;
    assert_eq!(error_code(&res), "BAD_USER_INPUT");
    assert_eq!(res["errors"][0]["extensions"]["field"], "id");

    // Editing it resubmits it, and the note goes (the audit trail keeps it).
    let res = as_user(
        &app,
        MEMBER,
        UPDATE,
        json!({ "id": id, "v": v, "i": { "amountCommitted": 45_000_000 } }),
    )
    .await;
    let fixed = &ok(&res, "edit")["updateContribution"];
    assert_eq!(fixed["verification"], "SUBMITTED");
    assert_eq!(fixed["verificationNote"], Value::Null);
    let v = fixed["version"].as_i64().unwrap() as i32;

    // A stale version is refused.
    let stale = as_user(&app, COORD, VERIFY, json!({ "id": id, "v": v - 1 })).await;
    assert_eq!(error_code(&stale), "CONFLICT");
    let res = as_user(&app, COORD, VERIFY, json!({ "id": id, "v": v })).await;
    let verified = &ok(&res, "verify")["verifyContribution"];
    assert_eq!(verified["verification"], "VERIFIED");
    assert_eq!(
        stored(&app, "contributions", &id).await,
        ("VERIFIED".into(), None)
    );
    // Every step is audited.
    assert_eq!(audited(&app, &id, "return").await, 1);
    assert_eq!(audited(&app, &id, "verify").await, 1);
}

#[tokio::test]
async fn a_new_transaction_or_an_edit_submits_a_verified_contribution_again() {
    let app = demo().await;
    let (id, v) = contribution(&app, MEMBER, "33.26.02.2008", 50_000_000).await;
    let res = as_user(&app, COORD, VERIFY, json!({ "id": id, "v": v })).await;
    let v = ok(&res, "verify")["verifyContribution"]["version"]
        .as_i64()
        .unwrap() as i32;

    // A new money movement changes the figures: the contribution waits again, and verifying it
    // verifies the movement with it.
    let res = as_user(
        &app,
        MEMBER,
        r#"mutation($id: ID!, $v: Int!) { addContributionTransaction(contributionId: $id, version: $v, input: {type: DISBURSEMENT, amount: 20000000, date: "2025-04-01"}) { version verification transactions { id verification } } }"#,
        json!({ "id": id, "v": v }),
    )
    .await;
    let moved = &ok(&res, "transaction")["addContributionTransaction"];
    assert_eq!(moved["verification"], "SUBMITTED");
    assert_eq!(moved["transactions"][0]["verification"], "SUBMITTED");
    let tx_id = moved["transactions"][0]["id"].as_str().unwrap().to_string();
    let v = moved["version"].as_i64().unwrap() as i32;
    let res = as_user(&app, COORD, VERIFY, json!({ "id": id, "v": v })).await;
    let verified = &ok(&res, "verify again")["verifyContribution"];
    assert_eq!(verified["transactions"][0]["verification"], "VERIFIED");
    assert_eq!(stored_tx(&app, &tx_id).await, "VERIFIED");
    let v = verified["version"].as_i64().unwrap() as i32;

    // Editing a verified record makes it submitted again.
    let res = as_user(
        &app,
        MEMBER,
        UPDATE,
        json!({ "id": id, "v": v, "i": { "title": "Bedah rumah susulan tahap I" } }),
    )
    .await;
    assert_eq!(
        ok(&res, "edit verified")["updateContribution"]["verification"],
        "SUBMITTED"
    );
    assert_eq!(stored(&app, "contributions", &id).await.0, "SUBMITTED");
    assert_eq!(audited(&app, &id, "verify").await, 2);
}

#[tokio::test]
async fn records_of_coordinators_and_existing_rows_count_as_verified() {
    let app = demo().await;
    let unverified = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT (SELECT COUNT(*) FROM contributions WHERE verification <> 'VERIFIED') + (SELECT COUNT(*) FROM village_indicators WHERE verification <> 'VERIFIED') AS n",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    assert_eq!(
        unverified, 0,
        "the demo (written by the system) is verified"
    );
    let res = as_user(
        &app,
        "admin@sinergi.demo",
        CREATE,
        json!({ "i": { "contributorId": demo_id("dinsos-pekalongan"), "source": "APBD_REGENCY", "kind": "CASH",
                       "regionCode": "33.26.02.2008", "fiscalYear": 2025, "title": "Koreksi admin", "amountPlanned": 10000000 } }),
    )
    .await;
    let id = ok(&res, "admin's")["createContribution"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(stored(&app, "contributions", &id).await.0, "VERIFIED");
    // The Bappeda's own contribution, in its coordinator's region.
    let res = as_user(
        &app,
        COORD,
        CREATE,
        json!({ "i": { "source": "APBD_REGENCY", "kind": "EXPERTISE", "regionCode": "33.26.02.2008",
                       "fiscalYear": 2025, "title": "Pendampingan", "amountPlanned": 5000000 } }),
    )
    .await;
    assert_eq!(
        ok(&res, "coordinator's own")["createContribution"]["verification"],
        "VERIFIED"
    );
}

#[tokio::test]
async fn a_villages_own_indicators_wait_for_its_coordinator() {
    let app = demo().await;
    let res = as_user(
        &app,
        VILLAGE,
        SET_INDICATORS,
        json!({ "i": indicators(210) }),
    )
    .await;
    let row = &ok(&res, "village submits")["setVillageIndicators"];
    assert_eq!(row["verification"], "SUBMITTED");
    let id = row["id"].as_str().unwrap().to_string();
    let v = row["version"].as_i64().unwrap();
    // A village government may not write another village's figures.
    let mut other = indicators(10);
    other["villageCode"] = json!("33.26.02.2014");
    let res = as_user(&app, VILLAGE, SET_INDICATORS, json!({ "i": other })).await;
    assert_eq!(error_code(&res), "FORBIDDEN");

    let verify = r#"mutation($id: ID!, $v: Int!) { verifyVillageIndicators(id: $id, version: $v) { version verification } }"#;
    let ret = r#"mutation($id: ID!, $v: Int!) { returnVillageIndicators(id: $id, version: $v, note: "Jumlah RTM tidak cocok dengan DTKS") { version verification verificationNote } }"#;
    for who in [VILLAGE, MEMBER, LAMPUNG] {
        let res = as_user(&app, who, verify, json!({ "id": id, "v": v })).await;
        assert_eq!(error_code(&res), "FORBIDDEN", "{who}");
    }
    let res = as_user(&app, COORD, ret, json!({ "id": id, "v": v })).await;
    let returned = &ok(&res, "return")["returnVillageIndicators"];
    assert_eq!(returned["verification"], "RETURNED");
    let v = returned["version"].as_i64().unwrap();
    let res = as_user(
        &app,
        VILLAGE,
        SET_INDICATORS,
        json!({ "i": indicators(205), "v": v }),
    )
    .await;
    let again = &ok(&res, "resubmit")["setVillageIndicators"];
    assert_eq!(again["verification"], "SUBMITTED");
    assert_eq!(again["verificationNote"], Value::Null);
    let v = again["version"].as_i64().unwrap();
    let res = as_user(&app, COORD, verify, json!({ "id": id, "v": v })).await;
    assert_eq!(
        ok(&res, "verify")["verifyVillageIndicators"]["verification"],
        "VERIFIED"
    );
    assert_eq!(
        stored(&app, "village_indicators", &id).await,
        ("VERIFIED".into(), None)
    );
    assert_eq!(audited(&app, &id, "verify").await, 1);
    assert_eq!(audited(&app, &id, "return").await, 1);
}

const QUEUE: &str = r#"query($r: String) { verificationQueue(region: $r) { totalCount items { waitingSince record { __typename ... on Contribution { id region { code } } ... on VillageIndicators { id villageCode } } } } }"#;

fn queue_ids(res: &Value) -> Vec<String> {
    ok(res, "queue")["verificationQueue"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["record"]["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_queue_lists_the_coordinators_region_oldest_first() {
    let app = demo().await;
    let (a, va) = contribution(&app, MEMBER, "33.26.02.2008", 1_000_000).await;
    let (b, _) = contribution(&app, MEMBER, "33.26.02.2014", 2_000_000).await;
    let res = as_user(
        &app,
        VILLAGE,
        SET_INDICATORS,
        json!({ "i": indicators(210) }),
    )
    .await;
    let ind = ok(&res, "indicators")["setVillageIndicators"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    // A Lampung village government's member records in Lampung.
    let lampung_member = app
        .user(
            "desa@hajimena.test",
            entity::enums::Role::Member,
            Some(&demo_id("pemdes-hajimena")),
            None,
        )
        .await;
    let res = app
        .gql_as(
            Some(&lampung_member),
            CREATE,
            json!({ "i": { "source": "APBDES", "kind": "CASH", "regionCode": "18.01.04.2001", "fiscalYear": 2025,
                           "title": "Padat karya", "amountPlanned": 3000000, "amountCommitted": 3000000, "status": "COMMITTED" } }),
        )
        .await;
    let l = ok(&res, "lampung")["createContribution"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    // Editing the oldest sends it to the back: it waits since its last change.
    let res = as_user(
        &app,
        MEMBER,
        UPDATE,
        json!({ "id": a, "v": va, "i": { "beneficiaries": 12 } }),
    )
    .await;
    ok(&res, "edit");

    let res = as_user(&app, COORD, QUEUE, json!({})).await;
    assert_eq!(queue_ids(&res), [b.clone(), ind.clone(), a.clone()]);
    assert_eq!(res["data"]["verificationQueue"]["totalCount"], 3);
    let res = as_user(&app, LAMPUNG, QUEUE, json!({})).await;
    assert_eq!(queue_ids(&res), [l]);
    // A narrower region inside the scope; nothing outside it.
    let res = as_user(&app, COORD, QUEUE, json!({ "r": "33.26.02.2014" })).await;
    assert_eq!(queue_ids(&res), std::slice::from_ref(&b));
    let res = as_user(&app, COORD, QUEUE, json!({ "r": "18" })).await;
    assert_eq!(error_code(&res), "FORBIDDEN");
    let res = as_user(&app, MEMBER, QUEUE, json!({})).await;
    assert_eq!(error_code(&res), "FORBIDDEN");
    let res = app.gql_as(None, QUEUE, json!({})).await;
    assert_eq!(error_code(&res), "UNAUTHENTICATED");

    // Verified records leave the queue.
    let v = as_user(
        &app,
        COORD,
        r#"query($id: ID!) { contribution(id: $id) { version } }"#,
        json!({ "id": b }),
    )
    .await;
    let v = v["data"]["contribution"]["version"].as_i64().unwrap();
    ok(
        &as_user(&app, COORD, VERIFY, json!({ "id": b, "v": v })).await,
        "verify b",
    );
    let res = as_user(&app, COORD, QUEUE, json!({})).await;
    assert_eq!(queue_ids(&res), [ind, a]);
}
