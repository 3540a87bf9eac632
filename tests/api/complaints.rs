//! Data complaints (pengaduan, issue 14): filed by anyone, followed with a tracking code, triaged by
//! the region's coordinators; the contact is seen by them only and erased when the complaint closes.

use crate::helpers::{TestApp, count_rows, error_code, spawn_app, spawn_app_with};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use sinergi::services::demo::demo_id;

const COORD: &str = "koordinator@pekalongan.demo";
const LAMPUNG: &str = "koordinator@lampung.demo";
const MEMBER: &str = "skpd@pekalongan.demo";

const FILE: &str = r#"mutation($i: ComplaintInput!) { fileComplaint(input: $i) { trackingCode status regionCode what } }"#;
const TRACK: &str = r#"query($c: String!) { complaintByTrackingCode(trackingCode: $c) { trackingCode status what resolution correctionIds } }"#;
const INBOX: &str = r#"query($s: [ComplaintStatus!]) { complaints(statuses: $s) { totalCount items { id version trackingCode what reason contact status resolution correctionIds region { code } } } }"#;

async fn demo() -> TestApp {
    let app = spawn_app().await;
    app.load_demo().await;
    app
}

async fn as_user(app: &TestApp, email: &str, q: &str, vars: Value) -> Value {
    let token = app.token_for(email).await;
    app.gql_as(Some(&token), q, vars).await
}

fn ok<'a>(res: &'a Value, what: &str) -> &'a Value {
    assert!(res.get("errors").is_none(), "{what}: {res:#}");
    &res["data"]
}

fn about_botosari(contact: Option<&str>) -> Value {
    json!({ "i": { "regionCode": "33.26.02.2008", "fiscalYear": 2025, "what": "Jumlah rumah tangga miskin 2025",
                   "reason": "Di dusun kami tercatat 310 RTM, padahal sebagian sudah pindah.", "contact": contact } })
}

/// The stored contact of the complaint with this tracking code (as shown).
async fn stored_contact(app: &TestApp, code: &str) -> Option<String> {
    let backend = app.db.get_database_backend();
    let sql = if backend == sea_orm::DbBackend::Sqlite {
        "SELECT contact FROM complaints WHERE tracking_code = ?"
    } else {
        "SELECT contact FROM complaints WHERE tracking_code = $1"
    };
    app.db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [code.replace('-', "").into()],
        ))
        .await
        .unwrap()
        .expect("the complaint row")
        .try_get("", "contact")
        .unwrap()
}

async fn audit_text(app: &TestApp) -> String {
    let rows = app
        .db
        .query_all_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT actor_user_id, action, before, after FROM audit_log WHERE entity = 'complaint'",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|r| {
            format!(
                "{:?} {:?} {:?} {:?}",
                r.try_get::<Option<String>>("", "actor_user_id").unwrap(),
                r.try_get::<String>("", "action").unwrap(),
                r.try_get::<Option<String>>("", "before").unwrap(),
                r.try_get::<Option<String>>("", "after").unwrap()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn an_anonymous_complaint_is_tracked_triaged_and_resolved_with_the_correction_linked() {
    let app = demo().await;
    let phone = "0812-3456-7890";
    let res = app.gql_as(None, FILE, about_botosari(Some(phone))).await;
    let filed = &ok(&res, "file")["fileComplaint"];
    assert_eq!(filed["status"], "RECEIVED");
    let code = filed["trackingCode"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 14, "XXXX-XXXX-XXXX: {code}");
    assert!(code.chars().all(|c| c == '-'
        || (c.is_ascii_alphanumeric() && !"ILOU".contains(c) && !c.is_ascii_lowercase())));

    // Followed without signing in, however the code is typed; the contact is never shown there.
    let typed = code.to_lowercase().replace('-', " ");
    let res = app.gql_as(None, TRACK, json!({ "c": typed })).await;
    assert_eq!(
        ok(&res, "track")["complaintByTrackingCode"]["status"],
        "RECEIVED"
    );
    assert!(!res.to_string().contains(phone));
    let res = app
        .gql_as(None, TRACK, json!({ "c": "0000-0000-0000" }))
        .await;
    assert_eq!(ok(&res, "unknown")["complaintByTrackingCode"], Value::Null);
    let res = app.gql_as(None, TRACK, json!({ "c": "ABC" })).await;
    assert_eq!(res["errors"][0]["extensions"]["field"], "trackingCode");

    // The region's coordinator sees it with the contact; a coordinator elsewhere and a member do not.
    let res = as_user(&app, COORD, INBOX, json!({})).await;
    let inbox = &ok(&res, "inbox")["complaints"];
    assert_eq!(inbox["totalCount"], 1);
    let c = &inbox["items"][0];
    assert_eq!(c["contact"], phone);
    assert_eq!(c["trackingCode"], code.as_str());
    let id = c["id"].as_str().unwrap().to_string();
    let res = as_user(&app, LAMPUNG, INBOX, json!({})).await;
    assert_eq!(ok(&res, "lampung inbox")["complaints"]["totalCount"], 0);
    assert_eq!(
        error_code(&as_user(&app, MEMBER, INBOX, json!({})).await),
        "FORBIDDEN"
    );
    assert_eq!(
        error_code(&app.gql_as(None, INBOX, json!({})).await),
        "UNAUTHENTICATED"
    );
    // Nor may they triage it.
    let review = r#"mutation($id: ID!, $v: Int!) { reviewComplaint(id: $id, version: $v) { version status contact } }"#;
    for who in [LAMPUNG, MEMBER] {
        let res = as_user(&app, who, review, json!({ "id": id, "v": 1 })).await;
        assert_eq!(error_code(&res), "FORBIDDEN", "{who}");
    }
    // It cannot be resolved before it is reviewed.
    let resolve = r#"mutation($id: ID!, $v: Int!, $a: [ID!]!) { resolveComplaint(id: $id, version: $v, correctionIds: $a, note: "RTM dikoreksi menjadi 280 sesuai verifikasi lapangan") { version status contact resolution correctionIds } }"#;
    let res = as_user(&app, COORD, resolve, json!({ "id": id, "v": 1, "a": [] })).await;
    assert_eq!(error_code(&res), "BAD_USER_INPUT");

    let res = as_user(&app, COORD, review, json!({ "id": id, "v": 1 })).await;
    let reviewed = &ok(&res, "review")["reviewComplaint"];
    assert_eq!(reviewed["status"], "IN_REVIEW");
    assert_eq!(reviewed["contact"], phone, "still reachable while open");
    let res = app.gql_as(None, TRACK, json!({ "c": code })).await;
    assert_eq!(
        res["data"]["complaintByTrackingCode"]["status"],
        "IN_REVIEW"
    );

    // The coordinator corrects the indicators; the audit row of that change is the correction.
    let audit_id = correct_botosari(&app).await;

    // Linking something else is refused: an audit row from before the complaint, or elsewhere.
    let old: String = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT MIN(id) AS id FROM audit_log",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "id")
        .unwrap();
    for bad in [vec![old], vec!["no-such-row".to_string()]] {
        let res = as_user(&app, COORD, resolve, json!({ "id": id, "v": 2, "a": bad })).await;
        assert_eq!(error_code(&res), "BAD_USER_INPUT", "{res}");
        assert_eq!(res["errors"][0]["extensions"]["field"], "correctionIds");
    }
    assert_eq!(stored_contact(&app, &code).await.as_deref(), Some(phone));

    let res = as_user(
        &app,
        COORD,
        resolve,
        json!({ "id": id, "v": 2, "a": [audit_id] }),
    )
    .await;
    let resolved = &ok(&res, "resolve")["resolveComplaint"];
    assert_eq!(resolved["status"], "RESOLVED");
    assert_eq!(resolved["contact"], Value::Null);
    assert_eq!(resolved["correctionIds"], json!([audit_id]));
    // Erased from the database, and never copied into the audit trail.
    assert_eq!(stored_contact(&app, &code).await, None);
    let audit = audit_text(&app).await;
    assert!(!audit.contains(phone), "{audit}");
    assert!(audit.contains("\"resolve\""), "{audit}");
    // The filer is not recorded (the create row names no user).
    assert!(
        audit.lines().any(|l| l.starts_with("None \"create\"")),
        "{audit}"
    );

    let res = app.gql_as(None, TRACK, json!({ "c": code })).await;
    let tracked = &ok(&res, "track resolved")["complaintByTrackingCode"];
    assert_eq!(tracked["status"], "RESOLVED");
    assert_eq!(tracked["correctionIds"], json!([audit_id]));
    // A closed complaint takes no further step.
    let reject = r#"mutation($id: ID!, $v: Int!) { rejectComplaint(id: $id, version: $v, reason: "x") { status } }"#;
    let res = as_user(&app, COORD, reject, json!({ "id": id, "v": 3 })).await;
    assert_eq!(error_code(&res), "BAD_USER_INPUT");
}

#[tokio::test]
async fn a_rejected_complaint_says_why_and_forgets_the_contact() {
    let app = demo().await;
    // A signed-in reader files about a contribution; the complaint still records no filer.
    let viewer = app.token_for("pemantau@sinergi.demo").await;
    let contribution = demo_id("dinsos-rtlh-botosari-2025");
    let input = json!({ "i": { "contributionId": contribution, "what": "Nilai komitmen", "reason": "Tidak sesuai papan proyek", "contact": "warga@example.id" } });
    let res = app.gql_as(Some(&viewer), FILE, input).await;
    let code = ok(&res, "file")["fileComplaint"]["trackingCode"]
        .as_str()
        .map(str::to_string);
    let code = match code {
        Some(c) => c,
        None => panic!("{res}"),
    };
    let res = as_user(&app, COORD, INBOX, json!({})).await;
    let c = &ok(&res, "inbox")["complaints"]["items"][0];
    assert_eq!(c["region"]["code"], "33.26.02.2008");
    assert_eq!(c["contact"], "warga@example.id");
    let id = c["id"].as_str().unwrap().to_string();

    let reject = r#"mutation($id: ID!, $v: Int!, $r: String!) { rejectComplaint(id: $id, version: $v, reason: $r) { status contact resolution } }"#;
    let res = as_user(&app, COORD, reject, json!({ "id": id, "v": 1, "r": " " })).await;
    assert_eq!(res["errors"][0]["extensions"]["field"], "reason");
    let why = "Nilai sesuai DPA 2025 dan bukti transfer; papan proyek memuat tahap I saja";
    let res = as_user(&app, COORD, reject, json!({ "id": id, "v": 1, "r": why })).await;
    let rejected = &ok(&res, "reject")["rejectComplaint"];
    assert_eq!(rejected["status"], "REJECTED");
    assert_eq!(rejected["contact"], Value::Null);
    assert_eq!(stored_contact(&app, &code).await, None);
    let res = app.gql_as(None, TRACK, json!({ "c": code })).await;
    assert_eq!(res["data"]["complaintByTrackingCode"]["resolution"], why);
    // Closed complaints leave the open inbox but can be listed.
    let res = as_user(&app, COORD, INBOX, json!({})).await;
    assert_eq!(res["data"]["complaints"]["totalCount"], 0);
    let res = as_user(&app, COORD, INBOX, json!({ "s": ["REJECTED"] })).await;
    assert_eq!(res["data"]["complaints"]["totalCount"], 1);
    assert!(!audit_text(&app).await.contains("warga@example.id"));
}

#[tokio::test]
async fn oversized_or_aimless_complaints_are_refused_and_nothing_is_stored() {
    // Every attempt takes a token from the anonymous filing bucket: give these a large one.
    let app = spawn_app_with(|c| c.rate_limits.anonymous_complaints_burst = 100).await;
    app.load_demo().await;
    let base = |patch: Value| {
        let mut i = about_botosari(Some("0812"))["i"].clone();
        for (k, v) in patch.as_object().unwrap() {
            i[k] = v.clone();
        }
        json!({ "i": i })
    };
    let cases = [
        (json!({ "what": "x".repeat(201) }), "input.what"),
        (json!({ "what": "  " }), "input.what"),
        (json!({ "reason": "x".repeat(2001) }), "input.reason"),
        (json!({ "reason": "" }), "input.reason"),
        (json!({ "contact": "x".repeat(201) }), "input.contact"),
        (json!({ "regionCode": "99.99" }), "input.regionCode"),
        (json!({ "regionCode": "bukan kode" }), "input.regionCode"),
        (json!({ "regionCode": Value::Null }), "input.contributionId"),
        (
            json!({ "contributionId": demo_id("dinsos-rtlh-botosari-2025") }),
            "input.contributionId",
        ),
        (json!({ "fiscalYear": 1900 }), "input.fiscalYear"),
    ];
    let audit_before = count_rows(&app.db, "audit_log").await;
    for (patch, field) in cases {
        let res = app.gql_as(None, FILE, base(patch.clone())).await;
        assert_eq!(error_code(&res), "BAD_USER_INPUT", "{patch}: {res}");
        assert_eq!(res["errors"][0]["extensions"]["field"], field, "{patch}");
    }
    assert_eq!(count_rows(&app.db, "complaints").await, 0);
    assert_eq!(count_rows(&app.db, "audit_log").await, audit_before);
    // The limits are inclusive.
    let res = app
        .gql_as(None, FILE, base(json!({ "what": "x".repeat(200), "reason": "y".repeat(2000), "contact": "z".repeat(200) })))
        .await;
    ok(&res, "at the limits");
    assert_eq!(count_rows(&app.db, "complaints").await, 1);
}

#[tokio::test]
async fn an_anonymous_flood_of_complaints_is_refused_while_everyone_else_is_served() {
    // The complaint bucket is its own: 5 an hour per address by default.
    let app = spawn_app_with(|c| {
        c.rate_limits.anonymous_complaints_per_hour = 5;
        c.rate_limits.anonymous_complaints_burst = 5;
    })
    .await;
    app.load_demo().await;
    let mut refused = 0;
    let mut accepted = 0;
    for _ in 0..12 {
        let res = app.gql_as(None, FILE, about_botosari(None)).await;
        match error_code(&res) {
            "RATE_LIMITED" => {
                refused += 1;
                assert!(
                    res["errors"][0]["extensions"]["retryAfter"]
                        .as_u64()
                        .unwrap()
                        > 60
                );
            }
            "<no code>" => accepted += 1,
            other => panic!("{other}: {res}"),
        }
    }
    assert_eq!((accepted, refused), (5, 7));
    assert_eq!(count_rows(&app.db, "complaints").await, 5);
    // The same address still reads public data anonymously, and tracks its complaints.
    let res = app
        .gql_as(None, r#"{ region(code: "33.26") { name } }"#, json!({}))
        .await;
    assert_eq!(
        ok(&res, "anonymous read")["region"]["name"],
        "Kabupaten Pekalongan"
    );
    let code: String = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT tracking_code FROM complaints LIMIT 1",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "tracking_code")
        .unwrap();
    let res = app.gql_as(None, TRACK, json!({ "c": code })).await;
    assert_eq!(
        ok(&res, "track")["complaintByTrackingCode"]["status"],
        "RECEIVED"
    );
    // A signed-in reader is served, and may still file (its own budget applies, not the address's).
    let res = as_user(
        &app,
        "pemantau@sinergi.demo",
        r#"{ contributionTotals(filter: {region: "33.26"}) { count } }"#,
        json!({}),
    )
    .await;
    assert!(
        ok(&res, "signed-in read")["contributionTotals"]["count"]
            .as_i64()
            .unwrap()
            > 0
    );
    let res = as_user(&app, "pemantau@sinergi.demo", FILE, about_botosari(None)).await;
    ok(&res, "signed-in filing");
    assert_eq!(count_rows(&app.db, "complaints").await, 6);
}

/// The coordinator corrects Botosari's 2025 indicators; returns the audit row id of the change, as
/// `auditTrail` shows it.
async fn correct_botosari(app: &TestApp) -> String {
    let v: i32 = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT version FROM village_indicators WHERE village_code = '33.26.02.2008' AND fiscal_year = 2025",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "version")
        .unwrap();
    let res = as_user(
        app,
        COORD,
        r#"mutation($v: Int) { setVillageIndicators(version: $v, input: {villageCode: "33.26.02.2008", fiscalYear: 2025, source: "DTKS/P3KE", asOf: "2025-06-30", households: 1100, poorHouseholds: 280, priority: true}) { id } }"#,
        json!({ "v": v }),
    )
    .await;
    let ind = ok(&res, "correction")["setVillageIndicators"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let trail = as_user(
        app,
        COORD,
        r#"query($id: ID!) { auditTrail(entity: "village_indicator", id: $id) { id action } }"#,
        json!({ "id": ind }),
    )
    .await;
    ok(&trail, "trail")["auditTrail"]
        .as_array()
        .unwrap()
        .iter()
        .rfind(|e| e["action"] == "update")
        .expect("the correction's audit row")["id"]
        .as_str()
        .unwrap()
        .to_string()
}
