//! What a write must never do: overwrite a newer version, store a retried create twice, show a
//! draft to another organization, or leak an internal database error.

use super::*;

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
