//! Search through its indexes (issue 13): what a trigram index could get wrong — a renamed or deleted
//! record, accents and scripts, texts full of LIKE and FTS5 syntax, texts too short for a trigram, and,
//! for random texts, the same hits as reading every name.

use crate::helpers::{TestApp, spawn_app};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use sea_orm::{ConnectionTrait, EntityTrait, Statement};
use serde_json::{Value, json};
use sinergi::text::fold;
use std::collections::BTreeSet;

const SEARCH: &str = r#"query($t: String!, $after: String) { search(text: $t, first: 20, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { __typename ... on Region { code name } ... on Organization { id name } ... on Program { id name } } } } }"#;

/// One hit as the caller sees it: kind, id, name.
type Hit = (String, String, String);

/// Every hit of `text`, page after page, in the order served, with the total the first page gave.
async fn search_all(app: &TestApp, text: &str) -> Result<(Vec<Hit>, i64), Value> {
    let mut hits = Vec::new();
    let mut after = Value::Null;
    let mut total = None;
    loop {
        let res = app.gql(SEARCH, json!({ "t": text, "after": after })).await;
        if res.get("errors").is_some() {
            return Err(res);
        }
        let s = &res["data"]["search"];
        total.get_or_insert(s["totalCount"].as_i64().unwrap());
        for e in s["edges"].as_array().unwrap() {
            let n = &e["node"];
            let id = n.get("code").or_else(|| n.get("id")).unwrap();
            hits.push((
                n["__typename"].as_str().unwrap().to_string(),
                id.as_str().unwrap().to_string(),
                n["name"].as_str().unwrap().to_string(),
            ));
        }
        if !s["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            return Ok((hits, total.unwrap()));
        }
        after = s["pageInfo"]["endCursor"].clone();
    }
}

/// The names of one kind of hit.
fn names_of(hits: &[Hit], kind: &str) -> Vec<String> {
    hits.iter()
        .filter(|h| h.0 == kind)
        .map(|h| h.2.clone())
        .collect()
}

/// The demo, signed in as its viewer (who sees regions, organizations and programs), with a few
/// organizations whose names are hard on an index.
async fn app_with_hard_names() -> TestApp {
    let app = spawn_app().await;
    app.demo_as_viewer().await;
    for name in HARD_NAMES {
        crate::seed::organization(
            &app.db,
            name,
            entity::enums::Helix::Community,
            entity::enums::OrganizationKind::CommunityGroup,
            "33.26.02.2008",
        )
        .await;
    }
    app
}

const HARD_NAMES: [&str; 7] = [
    r#"Koperasi "Maju" 50% Jaya*"#,
    "Rumah_Kita - Sejahtera NEAR AND OR",
    "Kelompok Ibu-Ibu O'Neil",
    "ÇİĞDEM Ōsaka Désa Ñusantara",
    "北京 村 合作社",
    "Paguyuban ꦧꦺꦴꦠꦺꦴꦱꦫꦶ",
    "Yayasan Ελλάδα Straße",
];

#[tokio::test]
async fn renamed_and_deleted_records_are_found_by_their_current_name_only() {
    let app = spawn_app().await;
    app.load_demo().await;
    let token = app.token_for("koordinator@pekalongan.demo").await;
    let t = Some(token.as_str());
    let org = app.gql_as(t, r#"mutation { createOrganization(input: {name: "Kelompok Tani Sidomulyo Wetan", helix: COMMUNITY, kind: COMMUNITY_GROUP, regionCode: "33.26.02.2008"}) { id } }"#, json!({})).await;
    let id = org["data"]["createOrganization"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{org:#}"))
        .to_string();
    app.sign_in(crate::helpers::VIEWER).await;
    let (hits, _) = search_all(&app, "sidomulyo wetan").await.unwrap();
    assert_eq!(
        names_of(&hits, "Organization"),
        ["Kelompok Tani Sidomulyo Wetan"]
    );

    let renamed = app.gql_as(t, r#"mutation($id: ID!) { updateOrganization(id: $id, version: 1, input: {name: "Gapoktan Ngudi Rejeki"}) { name } }"#, json!({ "id": id })).await;
    assert!(renamed.get("errors").is_none(), "{renamed:#}");
    let (old, total) = search_all(&app, "sidomulyo wetan").await.unwrap();
    assert!(old.is_empty(), "the old name is gone: {old:?}");
    assert_eq!(total, 0);
    let (new, total) = search_all(&app, "NGUDI rejeki").await.unwrap();
    assert_eq!(
        new,
        [(
            "Organization".into(),
            id.clone(),
            "Gapoktan Ngudi Rejeki".into()
        )]
    );
    assert_eq!(total, 1);

    // A region renamed by a later import of the official list.
    let (before, _) = search_all(&app, "botosari").await.unwrap();
    assert!(names_of(&before, "Region").contains(&"Botosari".to_string()));
    sinergi::services::regions::import(
        &app.db,
        "code,name\n33.26.02.2008,Botosari Baru\n".as_bytes(),
    )
    .await
    .unwrap();
    let (after, _) = search_all(&app, "sari baru").await.unwrap();
    assert_eq!(names_of(&after, "Region"), ["Botosari Baru"]);

    // The hub deletes none of these records, but a row removed by hand must leave the index too.
    let backend = app.db.get_database_backend();
    app.db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            match backend {
                sea_orm::DbBackend::Postgres => "DELETE FROM organizations WHERE id = $1",
                _ => "DELETE FROM organizations WHERE id = ?",
            },
            [id.clone().into()],
        ))
        .await
        .unwrap();
    let (gone, total) = search_all(&app, "ngudi rejeki").await.unwrap();
    assert!(gone.is_empty(), "a deleted record is not found: {gone:?}");
    assert_eq!(total, 0);
}

#[tokio::test]
async fn accents_case_and_other_scripts_match_their_folded_form() {
    let app = app_with_hard_names().await;
    for (text, expected) in [
        ("desa ñusantara", "ÇİĞDEM Ōsaka Désa Ñusantara"),
        ("CIGDEM OSAKA", "ÇİĞDEM Ōsaka Désa Ñusantara"),
        ("Çiğdem", "ÇİĞDEM Ōsaka Désa Ñusantara"),
        ("北京 村", "北京 村 合作社"),
        ("合作社", "北京 村 合作社"),
        ("ꦧꦺꦴꦠꦺꦴ", "Paguyuban ꦧꦺꦴꦠꦺꦴꦱꦫꦶ"),
        ("ΕΛΛΆΔΑ", "Yayasan Ελλάδα Straße"),
        ("straße", "Yayasan Ελλάδα Straße"),
    ] {
        let (hits, total) = search_all(&app, text).await.unwrap();
        assert_eq!(names_of(&hits, "Organization"), [expected], "{text}");
        assert_eq!(total as usize, hits.len(), "{text}");
    }
    // Two characters: no trigram in them, the search reads every name and still finds it.
    let (hits, _) = search_all(&app, "北京").await.unwrap();
    assert_eq!(names_of(&hits, "Organization"), ["北京 村 合作社"]);
}

#[tokio::test]
async fn like_and_fts_syntax_in_the_text_is_plain_text() {
    let app = app_with_hard_names().await;
    let everything = search_all(&app, "a").await;
    assert!(everything.is_err(), "one character is refused");
    for (text, expected) in [
        (r#""maju""#, vec![r#"Koperasi "Maju" 50% Jaya*"#]),
        ("jaya*", vec![r#"Koperasi "Maju" 50% Jaya*"#]),
        ("o'neil", vec!["Kelompok Ibu-Ibu O'Neil"]),
        ("ibu-ibu", vec!["Kelompok Ibu-Ibu O'Neil"]),
        ("- sejahtera", vec!["Rumah_Kita - Sejahtera NEAR AND OR"]),
        ("near and or", vec!["Rumah_Kita - Sejahtera NEAR AND OR"]),
        // `%` and `_` are dropped from the text rather than taken as wildcards.
        ("50%", vec![r#"Koperasi "Maju" 50% Jaya*"#]),
        ("50% jaya", vec![]),
        ("rumah_kita", vec![]),
    ] {
        let (hits, total) = search_all(&app, text).await.unwrap();
        assert_eq!(names_of(&hits, "Organization"), expected, "{text}");
        assert_eq!(total as usize, hits.len(), "{text}");
    }
    for text in [
        "NEAR",
        "AND",
        "OR",
        "NOT",
        "*",
        "\"",
        "'",
        "-",
        "\"\"",
        "a*",
        "NEAR(a b)",
        "^kab",
        "x' OR '1'='1",
        "\" OR \"",
        "kab:*",
        "{a b}",
        "-botosari",
        "()",
        "\\\\x",
    ] {
        match search_all(&app, text).await {
            Ok((hits, total)) => {
                assert_eq!(total as usize, hits.len(), "{text}");
                let folded = fold(text).replace(['%', '_', '\\'], "");
                for (_, _, name) in &hits {
                    assert!(
                        fold(name).contains(&folded),
                        "{text:?} matched {name:?}, which does not contain it"
                    );
                }
            }
            Err(res) => assert_eq!(
                res["errors"][0]["extensions"]["field"], "text",
                "{text:?}: {res:#}"
            ),
        }
    }
}

#[tokio::test]
async fn short_and_long_texts() {
    let app = app_with_hard_names().await;
    let (hits, total) = search_all(&app, "ar").await.unwrap();
    assert!(total > 5, "two characters still search: {total}");
    assert_eq!(hits.len() as i64, total);
    for (_, _, name) in &hits {
        assert!(fold(name).contains("ar"), "{name}");
    }
    let hostile = "\"*NEAR(".repeat(200 / 7) + "xxxx";
    assert_eq!(hostile.chars().count(), 200);
    let (hits, total) = search_all(&app, &hostile).await.unwrap();
    assert!(hits.is_empty() && total == 0);
    let nul = search_all(&app, "bot\u{0}osari").await.unwrap_err();
    assert_eq!(nul["errors"][0]["extensions"]["field"], "text", "{nul:#}");
    let too_long = "a".repeat(201);
    let res = search_all(&app, &too_long).await.unwrap_err();
    assert_eq!(res["errors"][0]["extensions"]["field"], "text", "{res:#}");
}

/// 0 exact, 1 prefix, 2 word prefix, 3 anywhere: the ranking the hub promises.
fn rank(name: &str, q: &str) -> u8 {
    if name == q {
        0
    } else if name.starts_with(q) {
        1
    } else if name.contains(&format!(" {q}")) {
        2
    } else {
        3
    }
}

/// What a plain scan finds for `text`: every record whose folded name contains the folded text.
fn scan(records: &[Hit], text: &str) -> BTreeSet<(String, String)> {
    let q = fold(text).replace(['%', '_', '\\'], "");
    records
        .iter()
        .filter(|(_, _, name)| fold(name).contains(&q))
        .map(|(k, id, _)| (k.clone(), id.clone()))
        .collect()
}

async fn all_records(app: &TestApp) -> Vec<Hit> {
    let mut all = Vec::new();
    for r in entity::region::Entity::find().all(&app.db).await.unwrap() {
        all.push(("Region".into(), r.code, r.name));
    }
    for o in entity::organization::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
    {
        all.push(("Organization".into(), o.id, o.name));
    }
    for p in entity::program::Entity::find().all(&app.db).await.unwrap() {
        all.push(("Program".into(), p.id, p.name));
    }
    all
}

/// Checks one text against the scan: the same set, in rank order, with the right total.
async fn same_as_scan(app: &TestApp, records: &[Hit], text: &str) -> Result<(), TestCaseError> {
    let q = fold(text).replace(['%', '_', '\\'], "");
    let (hits, total) = match search_all(app, text).await {
        Ok(found) => found,
        Err(res) => {
            prop_assert!(q.chars().count() < 2, "{text:?} refused: {res}");
            return Ok(());
        }
    };
    let got: BTreeSet<_> = hits
        .iter()
        .map(|(k, id, _)| (k.clone(), id.clone()))
        .collect();
    prop_assert_eq!(got.len(), hits.len(), "no hit twice");
    prop_assert_eq!(&got, &scan(records, text), "{:?}", text);
    prop_assert_eq!(total as usize, hits.len());
    let keys: Vec<_> = hits
        .iter()
        .map(|(kind, _, name)| {
            let n = fold(name);
            (rank(&n, &q), n.chars().count(), kind.to_uppercase())
        })
        .collect();
    prop_assert!(keys.is_sorted(), "{:?} in rank order: {:?}", text, keys);
    Ok(())
}

#[test]
fn indexed_search_finds_what_a_scan_finds() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (app, records) = rt.block_on(async {
        let app = app_with_hard_names().await;
        let records = all_records(&app).await;
        (app, records)
    });
    let names: Vec<String> = records.iter().map(|r| fold(&r.2)).collect();
    // Half the texts are pieces of real names (so that there are hits to compare), half are random
    // strings over letters of the names and the characters LIKE and FTS5 treat specially.
    let piece = (
        prop::sample::select(names),
        any::<prop::sample::Index>(),
        2..9usize,
    )
        .prop_map(|(name, start, len)| {
            let chars: Vec<char> = name.chars().collect();
            let from = start.index(chars.len().max(1));
            chars[from.min(chars.len())..(from + len).min(chars.len())]
                .iter()
                .collect::<String>()
                .to_uppercase()
        });
    let random = prop::collection::vec(
        prop::sample::select(
            "aeiounkmrstbgl '\"*%_-:^()éñ北京ꦧ"
                .chars()
                .collect::<Vec<_>>(),
        ),
        1..7,
    )
    .prop_map(|cs| cs.into_iter().collect::<String>());
    let mut runner = TestRunner::new(Config {
        cases: 96,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&prop_oneof![piece, random], |text| {
        rt.block_on(same_as_scan(&app, &records, &text))
    });
    rt.block_on(app.stop());
    result.unwrap();
}
