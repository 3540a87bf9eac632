//! The permission matrix: every mutation × every role, inside and outside its scope. A refused write
//! gets FORBIDDEN (UNAUTHENTICATED when not signed in) and no table changes; an allowed one succeeds.

use crate::helpers::{TestApp, error_code, spawn_app};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use sinergi::services::demo::demo_id;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    Admin,
    CoordinatorInside,
    CoordinatorOutside,
    MemberOwn,
    MemberOther,
    Viewer,
    Anonymous,
}

const EVERYONE: [Who; 7] = [
    Who::Admin,
    Who::CoordinatorInside,
    Who::CoordinatorOutside,
    Who::MemberOwn,
    Who::MemberOther,
    Who::Viewer,
    Who::Anonymous,
];

impl Who {
    fn email(self) -> Option<&'static str> {
        match self {
            Who::Admin => Some("admin@sinergi.demo"),
            Who::CoordinatorInside => Some("koordinator@pekalongan.demo"),
            Who::CoordinatorOutside => Some("koordinator@lampung.demo"),
            Who::MemberOwn => Some("skpd@pekalongan.demo"),
            Who::MemberOther => Some("csr@pekalongan.demo"),
            Who::Viewer => Some("pemantau@sinergi.demo"),
            Who::Anonymous => None,
        }
    }
}

/// One mutation: its document, the variables (given the current version of the row it changes) and
/// who may run it. "Own" means Dinas Sosial Kabupaten Pekalongan; "inside" means Kabupaten Pekalongan.
struct Case {
    name: &'static str,
    query: &'static str,
    vars: fn(Who, i32) -> Value,
    /// (table, demo key) of the row whose version the mutation needs.
    versioned: Option<(&'static str, &'static str)>,
    allowed: &'static [Who],
}

const COORD: &[Who] = &[Who::Admin, Who::CoordinatorInside];
const OWN_ORG: &[Who] = &[Who::Admin, Who::MemberOwn];
const OWNER_OR_COORD: &[Who] = &[Who::Admin, Who::CoordinatorInside, Who::MemberOwn];

fn tag(w: Who) -> String {
    format!("{w:?}").to_lowercase()
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "createOrganization",
            query: "mutation($i: OrganizationInput!) { createOrganization(input: $i) { id } }",
            vars: |w, _| json!({ "i": { "name": format!("Kelompok Tani {}", tag(w)), "helix": "COMMUNITY", "kind": "COMMUNITY_GROUP", "regionCode": "33.26.02.2008" } }),
            versioned: None,
            allowed: COORD,
        },
        Case {
            name: "updateOrganization",
            query: "mutation($id: ID!, $v: Int!) { updateOrganization(id: $id, version: $v, input: {name: \"Dinas Sosial P3A Kabupaten Pekalongan\"}) { id } }",
            vars: |_, v| json!({ "id": demo_id("dinsos-pekalongan"), "v": v }),
            versioned: Some(("organizations", "dinsos-pekalongan")),
            allowed: COORD,
        },
        Case {
            name: "createUser",
            query: "mutation($i: UserInput!) { createUser(input: $i) { id } }",
            vars: |w, _| json!({ "i": { "email": format!("staf-{}@pekalongan.demo", tag(w)), "name": "Staf Baru", "password": "kata-sandi-panjang", "role": "MEMBER", "organizationId": demo_id("dinsos-pekalongan") } }),
            versioned: None,
            allowed: COORD,
        },
        Case {
            name: "updateUser",
            query: "mutation($id: ID!, $v: Int!) { updateUser(id: $id, version: $v, input: {name: \"Staf Dinsos\"}) { id } }",
            vars: |_, v| json!({ "id": demo_id("skpd@pekalongan.demo"), "v": v }),
            versioned: Some(("users", "skpd@pekalongan.demo")),
            allowed: COORD,
        },
        Case {
            name: "createProgram",
            query: "mutation($i: ProgramInput!) { createProgram(input: $i) { id } }",
            vars: |w, _| json!({ "i": { "name": format!("Program Baru {}", tag(w)), "ownerId": demo_id("dinsos-pekalongan"), "cluster": "SOCIAL_ASSISTANCE", "startYear": 2026, "endYear": 2027, "villageCodes": ["33.26.02.2008"] } }),
            versioned: None,
            allowed: COORD,
        },
        Case {
            name: "updateProgram",
            query: "mutation($id: ID!, $v: Int!) { updateProgram(id: $id, version: $v, input: {targets: [{fiscalYear: 2025, unit: \"rumah\", target: 40, realised: 18}]}) { id } }",
            vars: |_, v| json!({ "id": demo_id("rtlh"), "v": v }),
            versioned: Some(("programs", "rtlh")),
            allowed: COORD,
        },
        Case {
            name: "createContribution",
            query: "mutation($i: ContributionInput!) { createContribution(input: $i) { id } }",
            vars: |_, _| json!({ "i": { "contributorId": demo_id("dinsos-pekalongan"), "source": "APBD_REGENCY", "kind": "CASH", "regionCode": "33.26.02.2008", "programId": demo_id("rtlh"), "fiscalYear": 2026, "title": "Bedah rumah tambahan", "amountPlanned": "50000000" } }),
            versioned: None,
            allowed: OWN_ORG,
        },
        Case {
            name: "updateContribution",
            query: "mutation($id: ID!, $v: Int!) { updateContribution(id: $id, version: $v, input: {beneficiaries: 60}) { id } }",
            vars: |_, v| json!({ "id": demo_id("dinsos-rtlh-botosari-2026"), "v": v }),
            versioned: Some(("contributions", "dinsos-rtlh-botosari-2026")),
            allowed: OWN_ORG,
        },
        Case {
            name: "setContributionStatus",
            query: "mutation($id: ID!, $v: Int!) { setContributionStatus(id: $id, version: $v, status: IN_PROGRESS) { id } }",
            vars: |_, v| json!({ "id": demo_id("dinsos-rtlh-botosari-2026"), "v": v }),
            versioned: Some(("contributions", "dinsos-rtlh-botosari-2026")),
            allowed: OWN_ORG,
        },
        Case {
            name: "addContributionTransaction",
            query: "mutation($id: ID!, $v: Int!) { addContributionTransaction(contributionId: $id, version: $v, input: {type: DISBURSEMENT, amount: \"1000000\", date: \"2026-03-01\"}) { id } }",
            vars: |_, v| json!({ "id": demo_id("dinsos-rtlh-botosari-2026"), "v": v }),
            versioned: Some(("contributions", "dinsos-rtlh-botosari-2026")),
            allowed: OWN_ORG,
        },
        Case {
            name: "cancelContribution",
            query: "mutation($id: ID!, $v: Int!) { cancelContribution(id: $id, version: $v) { id } }",
            vars: |_, v| json!({ "id": demo_id("dinsos-rtlh-tenogo-2026"), "v": v }),
            versioned: Some(("contributions", "dinsos-rtlh-tenogo-2026")),
            allowed: OWN_ORG,
        },
        Case {
            name: "proposeSynergy",
            query: "mutation($a: ID!, $b: ID!) { proposeSynergy(input: {programAId: $a, programBId: $b, relation: COMPLEMENTS, cluster: SOCIAL_ASSISTANCE}) { id } }",
            // A different pair per role: the same pair twice is a conflict, not a second synergy.
            vars: |w, _| {
                let b = if w == Who::Admin { "labkemis" } else { "kmp" };
                json!({ "a": demo_id("rtlh"), "b": demo_id(b) })
            },
            versioned: None,
            allowed: COORD,
        },
        Case {
            name: "agreeSynergy",
            query: "mutation($id: ID!, $v: Int!, $m: ID) { agreeSynergy(id: $id, version: $v, meetingId: $m) { id } }",
            vars: |_, v| json!({ "id": demo_id("syn-lab-umkm"), "v": v, "m": demo_id("rakor-pekalongan-2025") }),
            versioned: Some(("program_synergies", "syn-lab-umkm")),
            allowed: COORD,
        },
        Case {
            name: "dropSynergy",
            query: "mutation($id: ID!, $v: Int!) { dropSynergy(id: $id, version: $v) { id } }",
            vars: |_, v| json!({ "id": demo_id("syn-rtlh"), "v": v }),
            versioned: Some(("program_synergies", "syn-rtlh")),
            allowed: COORD,
        },
        Case {
            name: "createMeeting",
            query: "mutation($i: MeetingInput!) { createMeeting(input: $i) { id } }",
            vars: |_, _| json!({ "i": { "title": "Rakor TKPK semester II", "level": "REGENCY", "regionCode": "33.26", "heldOn": "2026-08-10", "hostId": demo_id("bappeda-pekalongan"), "agenda": ["Evaluasi"] } }),
            versioned: None,
            allowed: COORD,
        },
        Case {
            name: "updateMeeting",
            query: "mutation($id: ID!, $v: Int!) { updateMeeting(id: $id, version: $v, input: {minutes: \"Notulen lengkap\"}) { id } }",
            vars: |_, v| json!({ "id": demo_id("rakor-pekalongan-2025"), "v": v }),
            versioned: Some(("meetings", "rakor-pekalongan-2025")),
            allowed: COORD,
        },
        Case {
            name: "addDecision",
            query: "mutation($m: ID!, $o: ID!) { addDecision(meetingId: $m, text: \"Pendataan ulang\", actionItems: [{text: \"Verifikasi data\", ownerId: $o, dueOn: \"2025-06-30\"}]) { id } }",
            vars: |_, _| json!({ "m": demo_id("rakor-pekalongan-2025"), "o": demo_id("dinsos-pekalongan") }),
            versioned: None,
            allowed: COORD,
        },
        Case {
            name: "addActionItem",
            query: "mutation($d: ID!, $o: ID!) { addActionItem(decisionId: $d, input: {text: \"Rapat lanjutan\", ownerId: $o}) { id } }",
            vars: |_, _| json!({ "d": demo_id("rakor-pekalongan-2025-decision-0"), "o": demo_id("dinsos-pekalongan") }),
            versioned: None,
            allowed: COORD,
        },
        Case {
            name: "updateActionItem",
            query: "mutation($id: ID!, $v: Int!) { updateActionItem(id: $id, version: $v, input: {dueOn: \"2025-12-31\"}) { id } }",
            vars: |_, v| json!({ "id": demo_id("rakor-pekalongan-2025-action-rtlh-2025"), "v": v }),
            versioned: Some(("action_items", "rakor-pekalongan-2025-action-rtlh-2025")),
            allowed: COORD,
        },
        Case {
            name: "setActionItemStatus",
            query: "mutation($id: ID!, $v: Int!) { setActionItemStatus(id: $id, version: $v, status: DONE, note: \"40 rumah selesai\") { id } }",
            vars: |_, v| json!({ "id": demo_id("rakor-pekalongan-2025-action-rtlh-2025"), "v": v }),
            versioned: Some(("action_items", "rakor-pekalongan-2025-action-rtlh-2025")),
            allowed: OWNER_OR_COORD,
        },
        Case {
            name: "addActionItemProgress",
            query: "mutation($id: ID!, $v: Int!) { addActionItemProgress(id: $id, version: $v, note: \"30 rumah selesai\") { id } }",
            vars: |_, v| json!({ "id": demo_id("rakor-pekalongan-2025-action-rtlh-2025"), "v": v }),
            versioned: Some(("action_items", "rakor-pekalongan-2025-action-rtlh-2025")),
            allowed: OWNER_OR_COORD,
        },
        Case {
            name: "setVillageIndicators",
            query: "mutation($i: VillageIndicatorsInput!) { setVillageIndicators(input: $i) { fiscalYear } }",
            vars: |w, _| {
                // A fresh year per role, so each allowed write is a create.
                let year = 2030 + EVERYONE.iter().position(|x| *x == w).unwrap() as i32;
                json!({ "i": { "villageCode": "33.26.02.2008", "fiscalYear": year, "source": "DTKS", "asOf": "2026-01-31", "poorHouseholds": 200, "households": 1000 } })
            },
            versioned: None,
            allowed: COORD,
        },
    ]
}

/// Every table's row count and the sum of every versioned table's versions: any write shows here.
async fn fingerprint(app: &TestApp) -> Vec<i64> {
    let backend = app.db.get_database_backend();
    let mut out = Vec::new();
    for t in [
        "organizations",
        "users",
        "programs",
        "program_strategies",
        "program_target_groups",
        "program_phases",
        "program_targets",
        "program_villages",
        "contributions",
        "contribution_transactions",
        "program_synergies",
        "meetings",
        "meeting_agenda_items",
        "meeting_participants",
        "decisions",
        "action_items",
        "action_item_updates",
        "action_item_programs",
        "action_item_regions",
        "village_indicators",
        "audit_log",
        "client_keys",
    ] {
        let versioned = [
            "organizations",
            "users",
            "programs",
            "contributions",
            "program_synergies",
            "meetings",
            "action_items",
            "village_indicators",
        ]
        .contains(&t);
        let sql = if versioned {
            format!("SELECT COUNT(*) AS n, CAST(COALESCE(SUM(version), 0) AS BIGINT) AS v FROM {t}")
        } else {
            format!("SELECT COUNT(*) AS n, CAST(0 AS BIGINT) AS v FROM {t}")
        };
        let row = app
            .db
            .query_one_raw(Statement::from_string(backend, sql))
            .await
            .unwrap()
            .unwrap();
        out.push(row.try_get::<i64>("", "n").unwrap());
        out.push(row.try_get::<i64>("", "v").unwrap());
    }
    out
}

async fn version_of(app: &TestApp, table: &str, key: &str) -> i32 {
    let backend = app.db.get_database_backend();
    let id = demo_id(key);
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            backend,
            format!("SELECT version FROM {table} WHERE id = '{id}'"),
        ))
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no {table} row {key}"));
    row.try_get::<i32>("", "version").unwrap()
}

#[tokio::test]
async fn every_mutation_for_every_role_inside_and_outside_its_scope() {
    let app = spawn_app().await;
    app.load_demo().await;
    let mut tokens = std::collections::HashMap::new();
    for w in EVERYONE {
        if let Some(e) = w.email() {
            tokens.insert(format!("{w:?}"), app.token_for(e).await);
        }
    }
    let mut checked = 0;
    for case in cases() {
        // Refused roles first: nothing they try may change anything.
        for w in EVERYONE
            .iter()
            .copied()
            .filter(|w| !case.allowed.contains(w))
        {
            let version = match case.versioned {
                Some((t, k)) => version_of(&app, t, k).await,
                None => 1,
            };
            let before = fingerprint(&app).await;
            let token = tokens.get(&format!("{w:?}")).map(String::as_str);
            let res = app.gql_as(token, case.query, (case.vars)(w, version)).await;
            let expected = if w == Who::Anonymous {
                "UNAUTHENTICATED"
            } else {
                "FORBIDDEN"
            };
            assert_eq!(error_code(&res), expected, "{} as {w:?}: {res}", case.name);
            assert_eq!(
                fingerprint(&app).await,
                before,
                "{} as {w:?} changed data although refused",
                case.name
            );
            checked += 1;
        }
        for w in case.allowed.iter().copied() {
            let version = match case.versioned {
                Some((t, k)) => version_of(&app, t, k).await,
                None => 1,
            };
            let token = tokens.get(&format!("{w:?}")).map(String::as_str);
            let res = app.gql_as(token, case.query, (case.vars)(w, version)).await;
            assert!(
                res.get("errors").is_none(),
                "{} as {w:?} must be allowed: {res}",
                case.name
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 22 * 7, "the matrix covered {checked} cells");
}
