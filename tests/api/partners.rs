//! What a partner developer's tools do first: introspect with graphql-js's standard query, call from
//! another origin, and send persisted operations.

use crate::helpers::{VIEWER, error_code, spawn_app, spawn_app_with};
use serde_json::{Value, json};
use sinergi::config::Introspection;
use sinergi::persisted::sha256;

/// graphql-js 16's `getIntrospectionQuery({ descriptions, specifiedByUrl, directiveIsRepeatable,
/// schemaDescription, inputValueDeprecation })`, exactly as GraphiQL, Apollo and codegen send it.
const INTROSPECTION: &str = include_str!("fixtures/graphql-js-16-introspection.graphql");

fn type_names(res: &Value) -> Vec<String> {
    res["data"]["__schema"]["types"]
        .as_array()
        .map(|types| {
            types
                .iter()
                .filter_map(|t| t["name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// `{ region(code: "33") { parent { parent { ... { name } } } } }`, `levels` fields deep.
fn nested_query(levels: usize) -> String {
    let mut q = "name".to_string();
    for _ in 0..levels.saturating_sub(2) {
        q = format!("parent {{ {q} }}");
    }
    format!("{{ region(code: \"33\") {{ {q} }} }}")
}

#[tokio::test]
async fn graphql_js_standard_introspection_works_on_default_settings() {
    let app = spawn_app().await;
    let res = app.gql_as(None, INTROSPECTION, json!({})).await;
    assert!(res.get("errors").is_none(), "introspection refused: {res}");
    let names = type_names(&res);
    for wanted in [
        "Query",
        "Mutation",
        "Rupiah",
        "Region",
        "ContributionFilter",
    ] {
        assert!(
            names.iter().any(|n| n == wanted),
            "{wanted} missing from {names:?}"
        );
    }
    let region = &res["data"]["__schema"]["types"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "Query")
        .unwrap()["fields"];
    assert!(
        region
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["name"] == "region"
                && f["description"].as_str().is_some_and(|d| !d.is_empty())),
        "descriptions come along"
    );

    // Data queries keep the depth limit (12 by default).
    let ok = app.gql_as(None, &nested_query(12), json!({})).await;
    assert!(ok.get("errors").is_none(), "12 levels are allowed: {ok}");
    let deep = app.gql_as(None, &nested_query(14), json!({})).await;
    assert_eq!(error_code(&deep), "BAD_USER_INPUT", "{deep}");
    assert!(deep["data"].is_null(), "{deep}");
}

#[tokio::test]
async fn introspection_signed_in_refuses_anonymous_callers_and_their_suggestions() {
    let app = spawn_app_with(|c| c.introspection = Introspection::SignedIn).await;
    app.load_demo().await;
    let anonymous = app.gql_as(None, INTROSPECTION, json!({})).await;
    assert!(
        anonymous["errors"]
            .as_array()
            .is_some_and(|e| !e.is_empty()),
        "{anonymous}"
    );
    assert!(type_names(&anonymous).is_empty(), "{anonymous}");
    let typo = app
        .gql_as(None, "{ regoin(code: \"33\") { name } }", json!({}))
        .await;
    let message = typo["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("regoin"), "{typo}");
    assert!(
        !message.contains("Did you mean"),
        "suggestions leak the schema: {typo}"
    );
    // Data queries still work anonymously.
    let data = app
        .gql_as(None, "{ region(code: \"33\") { name } }", json!({}))
        .await;
    assert_eq!(data["data"]["region"]["name"], "Jawa Tengah", "{data}");

    let token = app.token_for(VIEWER).await;
    let signed_in = app.gql_as(Some(&token), INTROSPECTION, json!({})).await;
    assert!(signed_in.get("errors").is_none(), "{signed_in}");
    assert!(type_names(&signed_in).iter().any(|n| n == "Query"));
    let typo = app
        .gql_as(Some(&token), "{ regoin(code: \"33\") { name } }", json!({}))
        .await;
    assert!(
        typo["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("Did you mean"),
        "signed-in callers get suggestions: {typo}"
    );
}

#[tokio::test]
async fn introspection_off_refuses_everyone() {
    let app = spawn_app_with(|c| c.introspection = Introspection::Off).await;
    app.load_demo().await;
    let token = app.token_for("admin@sinergi.demo").await;
    let res = app.gql_as(Some(&token), INTROSPECTION, json!({})).await;
    assert!(type_names(&res).is_empty(), "{res}");
    assert!(
        res["errors"].as_array().is_some_and(|e| !e.is_empty()),
        "{res}"
    );
    let typename = app.gql_as(Some(&token), "{ __typename }", json!({})).await;
    assert_eq!(
        typename["data"]["__typename"], "Query",
        "__typename is not introspection"
    );
}

async fn preflight(app: &crate::helpers::TestApp, origin: &str) -> reqwest::Response {
    app.client
        .request(reqwest::Method::OPTIONS, app.url("/graphql"))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization,content-type",
        )
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn cors_answers_listed_origins_only() {
    let listed = "https://dasbor.example.go.id";
    let app = spawn_app_with(|c| c.cors_origins = vec![listed.into()]).await;
    let res = preflight(&app, listed).await;
    assert!(res.status().is_success(), "{}", res.status());
    let h = res.headers();
    assert_eq!(h["access-control-allow-origin"], listed);
    let allowed = h["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    assert!(
        allowed.contains("authorization") && allowed.contains("content-type"),
        "{allowed}"
    );
    assert!(
        h.get("access-control-allow-credentials").is_none(),
        "no credentials with CORS"
    );

    let post = app
        .client
        .post(app.url("/graphql"))
        .header("origin", listed)
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(post.headers()["access-control-allow-origin"], listed);
    // A dashboard in the browser may read the request id and whether the answer was kept.
    let exposed = post.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    assert!(
        exposed.contains("x-request-id") && exposed.contains("x-sinergi-cache"),
        "{exposed}"
    );

    let other = preflight(&app, "https://elsewhere.example").await;
    assert!(other.headers().get("access-control-allow-origin").is_none());
    let post = app
        .client
        .post(app.url("/graphql"))
        .header("origin", "https://elsewhere.example")
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .unwrap();
    assert!(post.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn no_cors_headers_by_default() {
    let app = spawn_app().await;
    let res = preflight(&app, "https://dasbor.example.go.id").await;
    assert!(res.headers().get("access-control-allow-origin").is_none());
}

fn apq(hash: &str) -> Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
}

#[tokio::test]
async fn automatic_persisted_queries_register_then_run_by_hash() {
    let app = spawn_app().await;
    app.load_demo().await;
    let query = "query Province { region(code: \"33\") { name } }";
    let hash = sha256(query);
    let post = |body: Value| app.client.post(app.url("/graphql")).json(&body).send();

    let unknown: Value = post(json!({ "extensions": apq(&hash) }))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        error_code(&unknown),
        "PERSISTED_QUERY_NOT_FOUND",
        "{unknown}"
    );
    assert_eq!(unknown["errors"][0]["message"], "PersistedQueryNotFound");

    let wrong: Value = post(json!({ "query": query, "extensions": apq(&sha256("{ x }")) }))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(error_code(&wrong), "BAD_USER_INPUT", "{wrong}");
    assert_eq!(
        wrong["errors"][0]["extensions"]["field"],
        "extensions.persistedQuery"
    );

    let registered: Value = post(json!({ "query": query, "extensions": apq(&hash) }))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        registered["data"]["region"]["name"], "Jawa Tengah",
        "{registered}"
    );

    // Now by hash alone, over GET: anonymous callers read public region data, so it may be cached.
    let get = app
        .client
        .get(app.url("/graphql"))
        .query(&[("extensions", apq(&hash).to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(get.headers()["cache-control"], "public, max-age=300");
    let body: Value = get.json().await.unwrap();
    assert_eq!(body["data"]["region"]["name"], "Jawa Tengah", "{body}");

    // Signed in, the same answer is private.
    let token = app.token_for(VIEWER).await;
    let get = app
        .client
        .get(app.url("/graphql"))
        .bearer_auth(&token)
        .query(&[("extensions", apq(&hash).to_string())])
        .send()
        .await
        .unwrap();
    let cache = get.headers()["cache-control"].to_str().unwrap().to_string();
    assert!(cache.starts_with("private"), "{cache}");

    // Under application/graphql-response+json an unknown hash is a 400 without a data key.
    let res = app
        .client
        .post(app.url("/graphql"))
        .header("accept", "application/graphql-response+json")
        .json(&json!({ "extensions": apq(&sha256("{ __typename }")) }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.unwrap();
    assert!(body.get("data").is_none(), "{body}");
    assert_eq!(error_code(&body), "PERSISTED_QUERY_NOT_FOUND");
}

#[tokio::test]
async fn trusted_documents_only_runs_approved_operations_for_non_admins() {
    let dir = tempfile::tempdir().unwrap();
    let approved = "query Province($code: String!) { region(code: $code) { name } }\n";
    std::fs::write(dir.path().join("province.graphql"), approved).unwrap();
    let path = dir.path().to_path_buf();
    let app = spawn_app_with(move |c| {
        c.trusted_documents = Some(path);
        c.trusted_documents_only = true;
    })
    .await;
    app.load_demo().await;
    let viewer = app.token_for(VIEWER).await;
    let admin = app.token_for("admin@sinergi.demo").await;
    let send = |token: Option<String>, body: Value| {
        let mut req = app.client.post(app.url("/graphql")).json(&body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        async move { req.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let vars = json!({ "code": "33" });

    let by_id = send(
        Some(viewer.clone()),
        json!({ "variables": vars, "extensions": apq(&sha256(approved)) }),
    )
    .await;
    assert_eq!(by_id["data"]["region"]["name"], "Jawa Tengah", "{by_id}");
    let full_text = send(None, json!({ "query": approved, "variables": vars })).await;
    assert_eq!(
        full_text["data"]["region"]["name"], "Jawa Tengah",
        "{full_text}"
    );

    let other = "{ region(code: \"33\") { name code } }";
    let refused = send(Some(viewer.clone()), json!({ "query": other })).await;
    assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
    assert!(refused.get("data").is_none() || refused["data"].is_null());
    // Registering a new persisted query is refused too, and it is not remembered.
    let register = send(
        Some(viewer.clone()),
        json!({ "query": other, "extensions": apq(&sha256(other)) }),
    )
    .await;
    assert_eq!(error_code(&register), "FORBIDDEN", "{register}");
    let by_hash = send(
        Some(admin.clone()),
        json!({ "extensions": apq(&sha256(other)) }),
    )
    .await;
    assert_eq!(
        error_code(&by_hash),
        "PERSISTED_QUERY_NOT_FOUND",
        "{by_hash}"
    );

    let as_admin = send(Some(admin), json!({ "query": other })).await;
    assert_eq!(as_admin["data"]["region"]["code"], "33", "{as_admin}");
}
