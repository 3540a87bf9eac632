//! The coordinators' work lists, a page at a time: the verification queue and the complaint inbox
//! are read oldest first, and `after` (the `endCursor` of the page before) walks them to the end
//! without skipping or repeating a record, even while records leave the list as they are handled.
//! In the console, a long queue has a next page, and a decision taken on it draws that page again.

use crate::browser::Browser;
use crate::console::{demo_app, sign_in};
use crate::console_writes::{post_form, text_of, wait_until};
use crate::helpers::{TestApp, error_code, spawn_app};
use serde_json::{Value, json};
use sinergi::services::demo::demo_id;

const MEMBER: &str = "skpd@pekalongan.demo";
const COORD: &str = "koordinator@pekalongan.demo";
const LAMPUNG: &str = "koordinator@lampung.demo";
const VILLAGE: &str = "desa@botosari.demo";

const CREATE: &str =
    r#"mutation($i: ContributionInput!) { createContribution(input: $i) { id version } }"#;
const VERIFY: &str =
    r#"mutation($id: ID!, $v: Int!) { verifyContribution(id: $id, version: $v) { id } }"#;
const QUEUE: &str = r#"query($first: Int, $after: String) { verificationQueue(first: $first, after: $after) {
    totalCount hasNextPage endCursor items { record { __typename ... on Contribution { id version } ... on VillageIndicators { id } } } } }"#;
const FILE: &str = r#"mutation($i: ComplaintInput!) { fileComplaint(input: $i) { trackingCode } }"#;
const INBOX: &str = r#"query($first: Int, $after: String) { complaints(first: $first, after: $after) {
    totalCount hasNextPage endCursor items { id trackingCode } } }"#;
const ONE: &str = r#"query($id: ID!) { complaint(id: $id) { id trackingCode contact } }"#;

fn ok<'a>(res: &'a Value, what: &str) -> &'a Value {
    assert!(res.get("errors").is_none(), "{what}: {res:#}");
    &res["data"]
}

/// `n` contributions a member records in Pekalongan villages: they wait for the coordinator.
async fn submitted(app: &TestApp, token: &str, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..n {
        let village = if i % 2 == 0 {
            "33.26.02.2008"
        } else {
            "33.26.02.2014"
        };
        let res = app
            .gql_as(
                Some(token),
                CREATE,
                json!({ "i": { "source": "APBD_REGENCY", "kind": "CASH", "regionCode": village,
                    "programId": demo_id("rtlh"), "fiscalYear": 2025, "title": format!("Antrian {i}"),
                    "amountPlanned": 1000 + i } }),
            )
            .await;
        ids.push(
            ok(&res, "create")["createContribution"]["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    ids
}

/// A page of `list` (the queue or the inbox): its ids, and the list's own fields.
async fn page(
    app: &TestApp,
    token: &str,
    q: &str,
    list: &str,
    first: i32,
    after: Option<&str>,
) -> (Vec<String>, Value) {
    let res = app
        .gql_as(Some(token), q, json!({ "first": first, "after": after }))
        .await;
    let l = ok(&res, list)[list].clone();
    let ids = l["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let id = if i["record"].is_null() {
                &i["id"]
            } else {
                &i["record"]["id"]
            };
            id.as_str().unwrap().to_string()
        })
        .collect();
    (ids, l)
}

/// Walks `list` in pages of `size` to its end: every id met, in order, and the page count.
async fn walk(
    app: &TestApp,
    token: &str,
    q: &str,
    list: &str,
    size: i32,
    total: usize,
) -> (Vec<String>, usize) {
    let (mut seen, mut pages, mut after) = (Vec::new(), 0, None::<String>);
    loop {
        let (ids, l) = page(app, token, q, list, size, after.as_deref()).await;
        pages += 1;
        assert_eq!(l["totalCount"], total, "every page counts the whole list");
        assert!(ids.len() <= size as usize);
        seen.extend(ids);
        if l["hasNextPage"] != true {
            break;
        }
        after = Some(
            l["endCursor"]
                .as_str()
                .expect("a cursor where more follow")
                .to_string(),
        );
        assert!(pages < 100, "the walk ends");
    }
    (seen, pages)
}

#[tokio::test]
async fn the_queue_and_the_inbox_are_walked_page_by_page_each_record_once() {
    let app = spawn_app().await;
    app.load_demo().await;
    let (member, coord) = (app.token_for(MEMBER).await, app.token_for(COORD).await);
    let created = submitted(&app, &member, 7).await;
    // A village's indicators wait in the same queue, between the contributions.
    let res = app
        .gql_as(
            Some(&app.token_for(VILLAGE).await),
            r#"mutation($i: VillageIndicatorsInput!) { setVillageIndicators(input: $i) { id } }"#,
            // 2027: the demo has Botosari's 2025 figures already.
            json!({ "i": { "villageCode": "33.26.02.2008", "fiscalYear": 2027, "source": "DTKS/P3KE", "asOf": "2027-01-31",
                           "households": 900, "poorHouseholds": 210, "priority": true } }),
        )
        .await;
    let indicators = ok(&res, "indicators")["setVillageIndicators"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    submitted(&app, &member, 2).await;

    let (all, whole) = page(&app, &coord, QUEUE, "verificationQueue", 100, None).await;
    assert_eq!(whole["hasNextPage"], false);
    for id in created.iter().chain([&indicators]) {
        assert!(all.contains(id), "{id} waits");
    }
    let total = all.len();
    let (seen, pages) = walk(&app, &coord, QUEUE, "verificationQueue", 3, total).await;
    assert_eq!(
        seen, all,
        "the pages in order are the whole queue, each record once"
    );
    assert_eq!(pages, total.div_ceil(3));

    // Records decided between two pages leave the queue; the next page still starts right after
    // the last one shown, skipping nothing.
    let (first, p1) = page(&app, &coord, QUEUE, "verificationQueue", 3, None).await;
    let record = &p1["items"][0]["record"];
    assert_eq!(
        record["__typename"], "Contribution",
        "the oldest waits first"
    );
    let res = app
        .gql_as(
            Some(&coord),
            VERIFY,
            json!({ "id": record["id"], "v": record["version"] }),
        )
        .await;
    ok(&res, "verify");
    let (next, p2) = page(
        &app,
        &coord,
        QUEUE,
        "verificationQueue",
        3,
        p1["endCursor"].as_str(),
    )
    .await;
    assert_eq!(next, all[3..6], "after {first:?}");
    assert_eq!(p2["totalCount"], total - 1);

    // An empty page has no cursor; a cursor this API did not issue names the argument.
    let (none, last) = page(
        &app,
        &app.token_for(LAMPUNG).await,
        QUEUE,
        "verificationQueue",
        5,
        None,
    )
    .await;
    assert!(none.is_empty(), "{none:?}");
    assert_eq!(last["endCursor"], Value::Null);
    assert_eq!(last["hasNextPage"], false);
    for forged in ["not-a-cursor", "WyJ4Il0", "WyJub3QgYSB0aW1lIiwiaWQiXQ"] {
        let res = app
            .gql_as(Some(&coord), QUEUE, json!({ "after": forged }))
            .await;
        assert_eq!(error_code(&res), "BAD_USER_INPUT", "{forged}: {res}");
        assert_eq!(res["errors"][0]["extensions"]["field"], "after", "{forged}");
        let res = app
            .gql_as(Some(&coord), INBOX, json!({ "after": forged }))
            .await;
        assert_eq!(res["errors"][0]["extensions"]["field"], "after", "{forged}");
    }

    // The inbox: complaints filed by a signed-in reader about Botosari.
    let reader = app.token_for("pemantau@sinergi.demo").await;
    for i in 0..5 {
        let res = app
            .gql_as(
                Some(&reader),
                FILE,
                json!({ "i": { "regionCode": "33.26.02.2008", "fiscalYear": 2025, "what": format!("Angka {i}"),
                               "reason": "Tidak sesuai catatan desa", "contact": "warga@example.id" } }),
            )
            .await;
        ok(&res, "file");
    }
    let (all, _) = page(&app, &coord, INBOX, "complaints", 100, None).await;
    assert!(all.len() >= 5);
    let (seen, _) = walk(&app, &coord, INBOX, "complaints", 2, all.len()).await;
    assert_eq!(seen, all);

    // One complaint by id: its region's coordinator reads it (contact included); another region's
    // coordinator and a member get null, as for an unknown id.
    let res = app.gql_as(Some(&coord), ONE, json!({ "id": all[0] })).await;
    assert_eq!(ok(&res, "one")["complaint"]["id"], all[0].as_str());
    for other in [app.token_for(LAMPUNG).await, member] {
        let res = app.gql_as(Some(&other), ONE, json!({ "id": all[0] })).await;
        assert_eq!(ok(&res, "other")["complaint"], Value::Null);
    }
    let res = app
        .gql_as(Some(&coord), ONE, json!({ "id": "no-such-id" }))
        .await;
    assert_eq!(ok(&res, "unknown")["complaint"], Value::Null);
    app.stop().await;
}

/// Fifty-one records wait: the console shows fifty and a next page; verifying the one on the
/// second page draws the second page again, and a refused return (no note) is shown beside its
/// row there, not on the first page where it is not.
#[tokio::test]
async fn a_long_queue_has_a_next_page_and_a_decision_there_stays_there() {
    let app = demo_app().await;
    let member = app.token_for(MEMBER).await;
    let ids = submitted(&app, &member, 51).await;
    let coord = app.token_for(COORD).await;
    let (_, whole) = page(&app, &coord, QUEUE, "verificationQueue", 100, None).await;
    assert_eq!(whole["totalCount"], 51, "nothing else waits in the demo");
    let Some(b) = Browser::phone().await else {
        return;
    };
    sign_in(&b, &app, COORD, "/verifikasi").await;
    assert_eq!(
        b.js("return document.querySelectorAll('article.antrian').length")
            .await,
        50
    );
    b.click_link("Halaman berikutnya").await;
    let second = b.wait_for_path("/verifikasi?").await;
    assert!(second.contains("setelah="), "{second}");
    let last = format!("#antrian-{}", ids[50]);
    assert!(text_of(&b, &last).await.contains("Antrian 50"));
    assert_eq!(
        b.js("return document.querySelectorAll('article.antrian').length")
            .await,
        1
    );

    // A return without a note, posted from the second page, is refused beside its row there.
    let cursor = second
        .split("setelah=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_string();
    let version = b
        .js(&format!(
            "return document.querySelector('{last} input[name=versi]').value"
        ))
        .await;
    let res = post_form(
        &app,
        &b.cookie("sinergi_sesi").await.unwrap(),
        &format!("/verifikasi/kontribusi/{}/kembalikan", ids[50]),
        &[
            ("versi", version.as_str().unwrap()),
            ("wilayah", "33.26"),
            ("setelah", &cursor),
            ("catatan", ""),
        ],
    )
    .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("tuliskan apa yang perlu diperbaiki"),
        "the reason is shown"
    );
    assert!(
        html.contains(&format!("id=\"antrian-{}\"", ids[50])),
        "beside its row"
    );
    assert!(
        !html.contains(&format!("id=\"antrian-{}\"", ids[0])),
        "on the second page"
    );

    // Verified from the second page, the browser comes back to the second page, now empty.
    b.click(&format!("{last} button.verifikasi")).await;
    b.wait_for_text("Tidak ada lagi yang menunggu setelah halaman sebelumnya")
        .await;
    assert!(b.path().await.contains("setelah="));
    assert_eq!(
        text_of(&b, "#jumlah-antrian").await,
        "50 data menunggu verifikasi"
    );
    b.click_link("Kembali ke halaman pertama").await;
    // The second page's address starts the same: wait for the first page itself.
    wait_until(
        &b,
        "return location.search === '?wilayah=33.26' && document.querySelectorAll('article.antrian').length === 50",
    )
    .await;
    b.close().await;
    let (_, whole) = page(&app, &coord, QUEUE, "verificationQueue", 100, None).await;
    assert_eq!(whole["totalCount"], 50);
}
