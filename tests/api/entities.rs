//! Every entity and relation of the data model is reachable from the schema, checked on the demo data.

use crate::helpers::{TestApp, spawn_app};
use serde_json::{Value, json};
use sinergi::services::demo::demo_id;

async fn demo_app() -> TestApp {
    let app = spawn_app().await;
    app.demo_as_viewer().await;
    app
}

fn names(list: &Value, path: &str) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| {
            v.pointer(path)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

#[tokio::test]
async fn region_relations() {
    let app = demo_app().await;
    let d = app
        .data(
            r#"{ region(code: "33.26.02.2008") { ancestors { code } children { totalCount }
                indicators(fiscalYear: 2025) { fiscalYear poorHouseholds priority householdsByDecile source asOf idmStatus }
                latest: indicators { fiscalYear priority }
                indicatorHistory { fiscalYear priority }
                contributions(filter: {fiscalYear: 2024}) { totalCount edges { node { fiscalYear region { code } } } }
                programs { totalCount edges { node { name } } }
                meetings { edges { node { title } } } }
              regency: region(code: "33.26") { villages(first: 100) { totalCount edges { node { code level } } }
                priority: villages(filter: {priorityIn: 2026}) { edges { node { name } } }
                programs { edges { node { name } } } meetings { edges { node { title heldOn } } }
                contributions(filter: {fiscalYear: 2025}) { totalCount } } }"#,
            json!({}),
        )
        .await;
    let r = &d["region"];
    assert_eq!(names(&r["ancestors"], "/code"), ["33", "33.26", "33.26.02"]);
    assert_eq!(r["children"]["totalCount"], 0);
    assert_eq!(r["indicators"]["fiscalYear"], 2025);
    assert_eq!(r["indicators"]["priority"], true);
    assert_eq!(
        r["indicators"]["householdsByDecile"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    assert_eq!(r["latest"]["fiscalYear"], 2026);
    assert_eq!(
        r["latest"]["priority"], false,
        "Botosari leaves the red list in 2026"
    );
    assert_eq!(r["indicatorHistory"].as_array().unwrap().len(), 3);
    let contributions = &r["contributions"];
    assert!(contributions["totalCount"].as_i64().unwrap() >= 6);
    for e in contributions["edges"].as_array().unwrap() {
        assert_eq!(e["node"]["fiscalYear"], 2024);
        assert_eq!(e["node"]["region"]["code"], "33.26.02.2008");
    }
    assert!(
        names(&r["programs"]["edges"], "/node/name")
            .contains(&"Laboratorium Kemiskinan Desa Botosari".to_string())
    );
    assert!(
        r["meetings"]["edges"].as_array().unwrap().is_empty(),
        "no meeting was held in Botosari itself"
    );

    let g = &d["regency"];
    let villages = &g["villages"];
    assert_eq!(
        villages["totalCount"],
        villages["edges"].as_array().unwrap().len()
    );
    assert!(villages["totalCount"].as_i64().unwrap() >= 15);
    for v in villages["edges"].as_array().unwrap() {
        assert_eq!(v["node"]["level"], "VILLAGE");
        assert!(v["node"]["code"].as_str().unwrap().starts_with("33.26."));
    }
    let priority = names(&g["priority"]["edges"], "/node/name");
    assert!(priority.contains(&"Tenogo".to_string()));
    assert!(!priority.contains(&"Botosari".to_string()));
    assert!(
        names(&g["meetings"]["edges"], "/node/title")
            .iter()
            .any(|t| t.contains("Kabupaten Pekalongan"))
    );
    assert!(g["programs"]["edges"].as_array().unwrap().len() >= 4);
    assert!(g["contributions"]["totalCount"].as_i64().unwrap() > 0);
}

#[tokio::test]
async fn organization_relations() {
    let app = demo_app().await;
    let d = app
        .data(
            r#"query($pemkab: ID!, $dinsos: ID!, $bappeda: ID!) {
                pemkab: organization(id: $pemkab) { name helix kind region { code } units { name parent { name } } }
                dinsos: organization(id: $dinsos) { parent { name } members { name role }
                    contributions(filter: {fiscalYear: 2025}) { totalCount edges { node { contributor { name } fiscalYear } } }
                    programs { edges { node { name owner { name } } } }
                    meetings { edges { node { title } } }
                    actionItems { totalCount edges { node { text owner { name } } } } }
                bappeda: organization(id: $bappeda) { meetings { edges { node { title host { name } } } } } }"#,
            json!({ "pemkab": demo_id("pemkab-pekalongan"), "dinsos": demo_id("dinsos-pekalongan"), "bappeda": demo_id("bappeda-pekalongan") }),
        )
        .await;
    assert_eq!(d["pemkab"]["helix"], "GOVERNMENT");
    assert_eq!(d["pemkab"]["kind"], "REGENCY_GOVERNMENT");
    assert_eq!(d["pemkab"]["region"]["code"], "33.26");
    let units = names(&d["pemkab"]["units"], "/name");
    assert!(units.contains(&"Dinas Sosial Kabupaten Pekalongan".to_string()));
    assert!(
        names(&d["pemkab"]["units"], "/parent/name")
            .iter()
            .all(|n| n == "Pemerintah Kabupaten Pekalongan")
    );
    let dinsos = &d["dinsos"];
    assert_eq!(dinsos["parent"]["name"], "Pemerintah Kabupaten Pekalongan");
    assert_eq!(dinsos["members"][0]["role"], "MEMBER");
    assert_eq!(dinsos["contributions"]["totalCount"], 2);
    assert!(
        names(&dinsos["contributions"]["edges"], "/node/contributor/name")
            .iter()
            .all(|n| n == "Dinas Sosial Kabupaten Pekalongan")
    );
    assert_eq!(
        names(&dinsos["programs"]["edges"], "/node/owner/name"),
        ["Dinas Sosial Kabupaten Pekalongan"]
    );
    assert_eq!(dinsos["meetings"]["edges"].as_array().unwrap().len(), 1);
    assert_eq!(dinsos["actionItems"]["totalCount"], 1);
    assert_eq!(
        dinsos["actionItems"]["edges"][0]["node"]["owner"]["name"],
        "Dinas Sosial Kabupaten Pekalongan"
    );
    assert_eq!(
        d["bappeda"]["meetings"]["edges"][0]["node"]["host"]["name"],
        "Bappeda Kabupaten Pekalongan"
    );
}

#[tokio::test]
async fn program_relations() {
    let app = demo_app().await;
    let d = app
        .data(
            r#"query($kmp: ID!, $rtlh: ID!) {
                kmp: program(id: $kmp) { name cluster startYear endYear strategies targetGroups owner { name }
                    phases { name fiscalYear } targets { fiscalYear unit target realised realisationRate }
                    villages { totalCount edges { node { name } } } }
                rtlh: program(id: $rtlh) { contributions(filter: {fiscalYear: 2025}) { totalCount edges { node { program { name } } } }
                    synergies { relation status programA { name } programB { name } agreedAt { title } } } }"#,
            json!({ "kmp": demo_id("kmp"), "rtlh": demo_id("rtlh") }),
        )
        .await;
    let kmp = &d["kmp"];
    assert_eq!(kmp["name"], "Kawasan Mandiri Pangan");
    assert_eq!(kmp["cluster"], "COMMUNITY_EMPOWERMENT");
    assert_eq!(kmp["strategies"], json!(["RAISE_CAPABILITY_AND_INCOME"]));
    assert_eq!(kmp["targetGroups"].as_array().unwrap().len(), 2);
    assert_eq!(
        names(&kmp["phases"], "/name"),
        ["Pengembangan", "Kemandirian", "Keberlanjutan"]
    );
    let targets: Vec<f64> = kmp["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["target"].as_f64().unwrap())
        .collect();
    assert_eq!(targets, [192.0, 190.0, 110.0, 135.0, 75.0]);
    assert!(kmp["targets"][4]["realised"].is_null());
    assert_eq!(kmp["targets"][0]["realisationRate"], 1.0);
    assert_eq!(kmp["villages"]["totalCount"], 2);
    let rtlh = &d["rtlh"];
    assert_eq!(rtlh["contributions"]["totalCount"], 2);
    assert_eq!(rtlh["synergies"][0]["relation"], "CO_FINANCES");
    assert_eq!(rtlh["synergies"][0]["status"], "AGREED");
    assert_eq!(
        rtlh["synergies"][0]["programB"]["name"],
        "Bedah Rumah (RTLH) Kabupaten Pekalongan"
    );
    assert!(
        rtlh["synergies"][0]["agreedAt"]["title"]
            .as_str()
            .unwrap()
            .contains("Pekalongan")
    );
}

#[tokio::test]
async fn contribution_relations() {
    let app = demo_app().await;
    let id = demo_id("dinsos-rtlh-botosari-2024");
    let d = app
        .data(
            r#"query($id: ID!) { contribution(id: $id) { id version title source kind fiscalYear status targetGroup beneficiaries
                amountPlanned amountCommitted amountDisbursed amountRealised createdAt updatedAt
                contributor { name } region { name } program { name }
                transactions { type amount date } } }"#,
            json!({ "id": id }),
        )
        .await;
    let c = &d["contribution"];
    assert_eq!(
        c["contributor"]["name"],
        "Dinas Sosial Kabupaten Pekalongan"
    );
    assert_eq!(c["region"]["name"], "Botosari");
    assert_eq!(
        c["program"]["name"],
        "Bedah Rumah (RTLH) Kabupaten Pekalongan"
    );
    assert_eq!(c["status"], "COMPLETED");
    let tx = c["transactions"].as_array().unwrap();
    assert_eq!(
        names(&c["transactions"], "/type"),
        ["COMMITMENT", "DISBURSEMENT", "EXPENDITURE"]
    );
    let expenditure: i64 = tx[2]["amount"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        c["amountRealised"]
            .as_str()
            .unwrap()
            .parse::<i64>()
            .unwrap(),
        expenditure,
        "realised = sum of expenditures"
    );
    assert_eq!(
        c["amountCommitted"], "240000000",
        "money travels as a decimal string"
    );
}

#[tokio::test]
async fn synergy_and_meeting_relations() {
    let app = demo_app().await;
    let d = app
        .data(
            r#"query($m: ID!) { synergies(filter: {statuses: [AGREED]}) { totalCount edges { node { programA { name } programB { name } agreedAt { title } } } }
                meeting(id: $m) { title level heldOn location minutes agenda region { code } host { name }
                    participants { organization { name } representative role }
                    decisions { text done actionItems { text status dueOn overdue owner { name } updates { note by { name } status at } } }
                    actionItems { text decision { text } meeting { title } programs { name } regions { code } }
                    programs { name } regions { code } synergies { relation } } }"#,
            json!({ "m": demo_id("rakor-lampung-2016") }),
        )
        .await;
    assert_eq!(d["synergies"]["totalCount"], 2);
    let m = &d["meeting"];
    assert_eq!(m["heldOn"], "2016-11-01");
    assert_eq!(m["level"], "PROVINCE");
    assert_eq!(m["region"]["code"], "18");
    assert_eq!(m["host"]["name"], "Bappeda Provinsi Lampung");
    assert_eq!(m["agenda"].as_array().unwrap().len(), 3);
    assert_eq!(m["participants"].as_array().unwrap().len(), 4);
    let decisions = m["decisions"].as_array().unwrap();
    assert_eq!(
        decisions.len(),
        6,
        "the six commitments of the Lampung rakor"
    );
    assert!(decisions[0]["text"].as_str().unwrap().contains("BDT"));
    assert_eq!(decisions[0]["done"], true);
    assert_eq!(decisions[2]["done"], false);
    assert_eq!(
        decisions[2]["actionItems"][0]["overdue"], true,
        "due mid-2017 and still open"
    );
    assert_eq!(
        decisions[0]["actionItems"][0]["overdue"], false,
        "done items are never overdue"
    );
    assert_eq!(
        decisions[0]["actionItems"][0]["updates"][0]["by"]["name"],
        "Bappeda Provinsi Lampung"
    );
    assert_eq!(m["actionItems"].as_array().unwrap().len(), 6);
    assert_eq!(m["actionItems"][0]["meeting"]["title"], m["title"]);
    assert_eq!(m["actionItems"][0]["regions"][0]["code"], "18");
    assert_eq!(m["programs"].as_array().unwrap().len(), 2);
    assert_eq!(m["synergies"][0]["relation"], "COMPLEMENTS");
}

#[tokio::test]
async fn root_lists_and_their_filters() {
    let app = demo_app().await;
    let lampung = demo_id("bappeda-lampung");
    let d = app
        .data(
            r#"query($owner: ID!) {
                provinces: regions(filter: {level: PROVINCE}) { totalCount edges { node { code } } }
                kelurahan: regions(filter: {within: "33.26", villageKind: KELURAHAN}) { edges { node { name } } }
                byText: regions(filter: {text: "BOTOSARÍ"}) { edges { node { code } } }
                business: organizations(filter: {helixes: [BUSINESS]}) { totalCount edges { node { name } } }
                inMalang: organizations(filter: {region: "35.07"}) { totalCount }
                social: programs(filter: {clusters: [SOCIAL_ASSISTANCE], activeIn: 2025}) { totalCount }
                targeting: programs(filter: {region: "35.07"}) { edges { node { name } } }
                meetings(filter: {region: "18"}) { edges { node { title } } }
                recent: meetings(filter: {heldFrom: "2025-01-01"}) { totalCount }
                overdue: actionItems(filter: {overdue: true, ownerIds: [$owner]}) { edges { node { text status } } }
                open: actionItems(filter: {region: "18", statuses: [OPEN]}) { totalCount }
                csr: contributions(filter: {sources: [CSR], fiscalYearFrom: 2024, fiscalYearTo: 2025}) { totalCount edges { node { source fiscalYear } } }
                academia: contributions(filter: {helixes: [ACADEMIA], clusters: [SOCIAL_ASSISTANCE]}) { totalCount }
                priority: contributions(filter: {region: "33.26", fiscalYear: 2026, priorityVillagesOnly: true}) { edges { node { region { name } } } }
                stunting: contributions(filter: {targetGroups: [STUNTING_RISK_FAMILIES], text: "dapur"}) { totalCount } }"#,
            json!({ "owner": lampung }),
        )
        .await;
    assert_eq!(
        names(&d["provinces"]["edges"], "/node/code"),
        ["18", "33", "35"]
    );
    assert_eq!(names(&d["kelurahan"]["edges"], "/node/name"), ["Kajen"]);
    assert_eq!(
        names(&d["byText"]["edges"], "/node/code"),
        ["33.26.02.2008"],
        "case- and accent-insensitive"
    );
    assert_eq!(d["business"]["totalCount"], 2);
    assert_eq!(d["inMalang"]["totalCount"], 4);
    assert_eq!(d["social"]["totalCount"], 4);
    assert_eq!(
        names(&d["targeting"]["edges"], "/node/name"),
        ["DASHAT (Dapur Sehat Atasi Stunting) Desa Duwet"]
    );
    assert_eq!(d["meetings"]["edges"].as_array().unwrap().len(), 1);
    assert_eq!(d["recent"]["totalCount"], 2);
    let overdue = d["overdue"]["edges"].as_array().unwrap();
    assert_eq!(
        overdue.len(),
        1,
        "the integrated application, in progress since 2017"
    );
    assert_eq!(overdue[0]["node"]["status"], "IN_PROGRESS");
    assert_eq!(d["open"]["totalCount"], 3);
    for e in d["csr"]["edges"].as_array().unwrap() {
        assert_eq!(e["node"]["source"], "CSR");
        assert!((2024..=2025).contains(&e["node"]["fiscalYear"].as_i64().unwrap()));
    }
    assert_eq!(d["csr"]["totalCount"], 4);
    assert_eq!(
        d["academia"]["totalCount"], 3,
        "Universitas Brawijaya under DASHAT, 2024–2026"
    );
    let priority = names(&d["priority"]["edges"], "/node/region/name");
    assert!(!priority.is_empty());
    assert!(
        !priority.contains(&"Botosari".to_string()),
        "Botosari is no longer a priority village in 2026"
    );
    assert_eq!(d["stunting"]["totalCount"], 3);
}

#[tokio::test]
async fn search_is_ranked_case_and_accent_insensitive_and_paged() {
    let app = demo_app().await;
    let q = r#"query($t: String!, $after: String) { search(text: $t, first: 2, after: $after) { totalCount
        pageInfo { hasNextPage endCursor } edges { node { __typename ... on Region { code name } ... on Organization { name } ... on Program { name } } } } }"#;
    let d = app.data(q, json!({ "t": "BOTOSÁRI" })).await;
    let s = &d["search"];
    assert_eq!(
        s["edges"][0]["node"]["__typename"], "Region",
        "the exact name ranks first"
    );
    assert_eq!(s["edges"][0]["node"]["code"], "33.26.02.2008");
    let total = s["totalCount"].as_i64().unwrap();
    assert!(
        total >= 4,
        "the village, its government, its PKK and its laboratory program"
    );
    let mut seen = 0;
    let mut after = Value::Null;
    let mut kinds = std::collections::HashSet::new();
    loop {
        let d = app
            .data(q, json!({ "t": "botosari", "after": after }))
            .await;
        for e in d["search"]["edges"].as_array().unwrap() {
            kinds.insert(e["node"]["__typename"].as_str().unwrap().to_string());
            seen += 1;
        }
        if !d["search"]["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            break;
        }
        after = d["search"]["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen, total);
    assert_eq!(
        kinds.len(),
        3,
        "regions, organizations and programs: {kinds:?}"
    );
    let short = app
        .gql(r#"{ search(text: "a") { totalCount } }"#, json!({}))
        .await;
    assert_eq!(short["errors"][0]["extensions"]["field"], "text");
}
