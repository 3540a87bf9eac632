//! Hostile and unlucky input: no request crashes the server, oversized documents are refused before
//! execution, tokens are checked in time, and rate limits stall floods and password guessing.

use crate::helpers::{TEST_SECRET, VIEWER, error_code, mint, spawn_app, spawn_app_with};
use serde_json::{Value, json};

#[tokio::test]
async fn a_soft_hyphen_in_a_region_code_is_bad_input_naming_code() {
    let app = spawn_app().await;
    let res = app
        .gql_as(None, "{ region(code: \"3\u{00ad}\") { name } }", json!({}))
        .await;
    assert_eq!(error_code(&res), "BAD_USER_INPUT", "{res}");
    assert_eq!(res["errors"][0]["extensions"]["field"], "code", "{res}");
    // The server is still there.
    let ok = app.gql_as(None, "{ __typename }", json!({})).await;
    assert_eq!(ok["data"]["__typename"], "Query");
}

#[tokio::test]
async fn a_panicking_resolver_gets_500_internal_and_the_next_request_succeeds() {
    let app = spawn_app_with(|c| c.panic_probe = true).await;
    let res = app
        .client
        .post(app.url("/graphql"))
        .json(&json!({ "query": "{ panicProbe: me { user { id } } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 500);
    assert!(
        res.headers().get("x-request-id").is_some(),
        "the id to find the log line"
    );
    let body: Value = res.json().await.unwrap();
    assert_eq!(error_code(&body), "INTERNAL", "{body}");
    assert_eq!(
        body["errors"][0]["message"], "internal error",
        "no panic text leaks"
    );

    let next = app.gql_as(None, "{ __typename }", json!({})).await;
    assert_eq!(next["data"]["__typename"], "Query", "{next}");
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("sinergi_panics_total 1"), "{metrics}");
}

#[tokio::test]
async fn the_panic_probe_is_inert_unless_switched_on() {
    let app = spawn_app().await;
    let res = app
        .gql_as(None, "{ panicProbe: me { user { id } } }", json!({}))
        .await;
    assert!(res.get("errors").is_none(), "{res}");
    assert!(res["data"]["panicProbe"].is_null(), "{res}");
}

#[tokio::test]
async fn a_document_repeating_one_field_500_times_is_refused_before_execution() {
    let app = spawn_app().await;
    app.load_demo().await;
    let token = app.token_for(VIEWER).await;
    for field in ["__typename", "me { user { email } }"] {
        let query = format!("{{ {} }}", vec![field; 500].join(" "));
        let before = app.statements.get();
        let res = app
            .client
            .post(app.url("/graphql"))
            .bearer_auth(&token)
            .header("accept", "application/graphql-response+json")
            .json(&json!({ "query": query }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400, "{field}");
        let body: Value = res.json().await.unwrap();
        assert!(body.get("data").is_none(), "no data key at all: {body}");
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], "query");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("fields"),
            "{body}"
        );
        assert_eq!(app.statements.get(), before, "no SQL ran for {field}");
    }
    // Through fragments too: 4 spreads of 100 fields.
    let fragment = format!(
        "query {{ ...F ...F ...F ...F }} fragment F on Query {{ {} }}",
        vec!["__typename"; 100].join(" ")
    );
    let res = app.gql_as(None, &fragment, json!({})).await;
    assert_eq!(error_code(&res), "BAD_USER_INPUT", "{res}");
    // A normal page is well under the limit.
    let ok = app
        .gql_as(None, "{ __typename a: __typename }", json!({}))
        .await;
    assert!(ok.get("errors").is_none(), "{ok}");
}

#[tokio::test]
async fn validation_errors_under_graphql_response_json_carry_no_data_key() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/graphql"))
        .header("accept", "application/graphql-response+json")
        .json(&json!({ "query": "{ noSuchField }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.unwrap();
    assert!(body.get("data").is_none(), "{body}");
    assert!(body["errors"].as_array().is_some_and(|e| !e.is_empty()));
}

fn claims_for(sub: &str, nbf: i64) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({ "sub": sub, "iat": now, "nbf": nbf, "exp": now + 3600, "iss": "sinergi", "aud": "sinergi-api" })
}

async fn viewer_id(app: &crate::helpers::TestApp) -> String {
    let token = app.token_for(VIEWER).await;
    let me = app
        .gql_as(Some(&token), "{ me { user { id } } }", json!({}))
        .await;
    me["data"]["me"]["user"]["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_token_not_valid_yet_is_refused() {
    let app = spawn_app().await;
    app.load_demo().await;
    let id = viewer_id(&app).await;
    let now = chrono::Utc::now().timestamp();
    let later = mint(claims_for(&id, now + 3600));
    let res = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(&later)
        .json(&json!({ "query": "{ me { user { id } } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let body: Value = res.json().await.unwrap();
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
    let now_valid = mint(claims_for(&id, now - 5));
    let ok = app
        .gql_as(Some(&now_valid), "{ me { user { id } } }", json!({}))
        .await;
    assert_eq!(ok["data"]["me"]["user"]["id"], id.as_str(), "{ok}");
}

#[tokio::test]
async fn tokens_of_the_previous_secret_work_during_a_rotation() {
    const NEW: &str = "the-new-secret-after-rotation-0123456789abcdef";
    let app = spawn_app_with(|c| {
        c.jwt_secret = Some(NEW.into());
        c.jwt_previous_secrets = vec![TEST_SECRET.into()];
    })
    .await;
    app.load_demo().await;
    let id = viewer_id(&app).await;
    let old = mint(claims_for(&id, chrono::Utc::now().timestamp()));
    let res = app
        .gql_as(Some(&old), "{ me { user { id } } }", json!({}))
        .await;
    assert_eq!(res["data"]["me"]["user"]["id"], id.as_str(), "{res}");
    // New tokens are signed with the new secret only.
    let fresh = app.login(VIEWER, crate::helpers::PASSWORD).await;
    let header = fresh.split('.').next().unwrap();
    assert!(!header.is_empty());
    let decoded = jsonwebtoken::decode::<Value>(
        &fresh,
        &jsonwebtoken::DecodingKey::from_secret(NEW.as_bytes()),
        &{
            let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
            v.set_audience(&["sinergi-api"]);
            v
        },
    );
    assert!(decoded.is_ok(), "{decoded:?}");

    // Once the old secret is dropped, its tokens stop working.
    let after = spawn_app_with(|c| c.jwt_secret = Some(NEW.into())).await;
    let res = after
        .client
        .post(after.url("/graphql"))
        .bearer_auth(&old)
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn a_signed_in_flood_gets_429_with_retry_after() {
    let app = spawn_app_with(|c| {
        c.rate_limits.user_burst = 3;
        c.rate_limits.user_per_minute = 1;
    })
    .await;
    app.load_demo().await;
    let token = app.token_for(VIEWER).await;
    let send = || {
        app.client
            .post(app.url("/graphql"))
            .bearer_auth(&token)
            .json(&json!({ "query": "{ __typename }" }))
            .send()
    };
    for _ in 0..3 {
        assert_eq!(send().await.unwrap().status(), 200);
    }
    let res = send().await.unwrap();
    assert_eq!(res.status(), 429);
    let wait: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    let body: Value = res.json().await.unwrap();
    assert_eq!(error_code(&body), "RATE_LIMITED", "{body}");
    // Another caller (anonymous, by address) is not affected.
    let other = app.gql_as(None, "{ __typename }", json!({})).await;
    assert_eq!(other["data"]["__typename"], "Query");
}

#[tokio::test]
async fn anonymous_callers_are_limited_per_address() {
    let app = spawn_app_with(|c| {
        c.rate_limits.anonymous_burst = 2;
        c.rate_limits.anonymous_per_minute = 1;
    })
    .await;
    let send = || {
        app.client
            .get(app.url("/graphql"))
            .query(&[("query", "{ __typename }")])
            .send()
    };
    assert_eq!(send().await.unwrap().status(), 200);
    assert_eq!(send().await.unwrap().status(), 200);
    let res = send().await.unwrap();
    assert_eq!(res.status(), 429);
    assert!(res.headers().get("retry-after").is_some());
    // Probes are never limited.
    let health = app.client.get(app.url("/health")).send().await.unwrap();
    assert_eq!(health.status(), 200);
}

#[tokio::test]
async fn password_guessing_stalls_and_the_user_is_told_when_to_retry() {
    let app = spawn_app_with(|c| {
        c.rate_limits.login_account_burst = 3;
        c.rate_limits.login_account_per_minute = 1;
    })
    .await;
    app.load_demo().await;
    let attempt = |email: &'static str, password: &'static str| {
        app.client
            .post(app.url("/graphql"))
            .json(&json!({
                "query": "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
                "variables": { "e": email, "p": password },
            }))
            .send()
    };
    for _ in 0..3 {
        let res: Value = attempt(VIEWER, "guess")
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(error_code(&res), "UNAUTHENTICATED", "{res}");
    }
    // Even the right password now waits: the account is locked until the bucket refills.
    let res = attempt(VIEWER, crate::helpers::PASSWORD).await.unwrap();
    assert_eq!(res.status(), 429);
    let header: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let body: Value = res.json().await.unwrap();
    assert_eq!(error_code(&body), "RATE_LIMITED", "{body}");
    assert!(
        body["data"].is_null() || body["data"]["login"].is_null(),
        "{body}"
    );
    let retry = body["errors"][0]["extensions"]["retryAfter"]
        .as_u64()
        .unwrap();
    assert!((1..=60).contains(&retry), "{body}");
    assert_eq!(header, retry);
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains(&format!("{retry} s"))
    );
    // Another account from the same address still signs in.
    let other: Value = attempt("admin@sinergi.demo", crate::helpers::PASSWORD)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(other["data"]["login"]["token"].is_string(), "{other}");
}

#[tokio::test]
async fn sign_in_attempts_are_limited_per_address_across_accounts() {
    let app = spawn_app_with(|c| {
        c.rate_limits.login_address_burst = 2;
        c.rate_limits.login_address_per_minute = 1;
    })
    .await;
    let attempt = |email: String| {
        app.client
            .post(app.url("/graphql"))
            .json(&json!({
                "query": "mutation($e: String!) { login(email: $e, password: \"x\") { token } }",
                "variables": { "e": email },
            }))
            .send()
    };
    for i in 0..2 {
        let res: Value = attempt(format!("u{i}@x.example"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(error_code(&res), "UNAUTHENTICATED", "{res}");
    }
    let res = attempt("u9@x.example".into()).await.unwrap();
    assert_eq!(res.status(), 429);
}
