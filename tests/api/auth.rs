//! Sign-in and token checks: every malformed, forged or stale token is UNAUTHENTICATED.

use crate::helpers::{PASSWORD, TestApp, error_code, mint, spawn_app, spawn_app_with};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::{EncodePrivateKey, EncodePublicKey};
use serde_json::{Value, json};

const ME: &str = "{ me { user { email role regionScope } organization { name } } }";
const SSO_ISS: &str = "https://sso.jatengprov.example";
const SSO_AUD: &str = "sinergi";

async fn me(app: &TestApp, token: &str) -> Value {
    app.gql_as(Some(token), ME, json!({})).await
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

#[tokio::test]
async fn the_demo_coordinator_signs_in_and_me_says_who_it_is() {
    let app = spawn_app().await;
    app.load_demo().await;
    let token = app
        .login("koordinator@pekalongan.demo", "sinergi-demo")
        .await;
    let res = me(&app, &token).await;
    assert_eq!(res["data"]["me"]["user"]["role"], "COORDINATOR");
    assert_eq!(res["data"]["me"]["user"]["regionScope"], "33.26");
    assert_eq!(
        res["data"]["me"]["organization"]["name"],
        "Bappeda Kabupaten Pekalongan"
    );
    let anonymous = app.gql_as(None, ME, json!({})).await;
    assert!(anonymous["data"]["me"].is_null());
}

#[tokio::test]
async fn wrong_email_and_wrong_password_get_the_same_answer() {
    let app = spawn_app().await;
    app.load_demo().await;
    let q = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }";
    let wrong_password = app
        .gql_as(
            None,
            q,
            json!({ "e": "koordinator@pekalongan.demo", "p": "salah-sekali" }),
        )
        .await;
    let wrong_email = app
        .gql_as(
            None,
            q,
            json!({ "e": "tidak-ada@pekalongan.demo", "p": PASSWORD }),
        )
        .await;
    assert_eq!(error_code(&wrong_password), "UNAUTHENTICATED");
    assert_eq!(
        wrong_password["errors"][0]["message"],
        wrong_email["errors"][0]["message"]
    );
}

#[tokio::test]
async fn a_generated_secret_is_kept_so_tokens_survive_a_restart() {
    let db = crate::helpers::fresh_db().await;
    let config = |url: &str| sinergi::config::Config {
        jwt_secret: None,
        ..crate::helpers::test_config(url)
    };
    let first = sinergi::startup::Application::build(&config(&db.url))
        .await
        .unwrap();
    sinergi::services::demo::load(&first.db()).await.unwrap();
    let addr = first.addr();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(first.run_until(async {
        let _ = rx.await;
    }));
    let client = reqwest::Client::new();
    let login = json!({ "query": "mutation { login(email: \"pemantau@sinergi.demo\", password: \"sinergi-demo\") { token } }" });
    let res: Value = client
        .post(format!("http://{addr}/graphql"))
        .json(&login)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = res["data"]["login"]["token"].as_str().unwrap().to_string();
    tx.send(()).unwrap();
    server.await.unwrap().unwrap();

    let second = sinergi::startup::Application::build(&config(&db.url))
        .await
        .unwrap();
    let addr = second.addr();
    tokio::spawn(second.run_until(std::future::pending()));
    let res: Value = client
        .post(format!("http://{addr}/graphql"))
        .bearer_auth(&token)
        .json(&json!({ "query": ME }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(res["data"]["me"]["user"]["email"], "pemantau@sinergi.demo");
}

/// A hub configured to trust an Ed25519 single sign-on key; returns the app, its signing key and the
/// public key's PEM.
async fn with_sso() -> (TestApp, SigningKey, String, tempfile::TempDir) {
    let key = SigningKey::from_bytes(&[7u8; 32]);
    let pem = key
        .verifying_key()
        .to_public_key_pem(Default::default())
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sso.pem");
    std::fs::write(&path, &pem).unwrap();
    let app = spawn_app_with(|c| {
        c.sso_public_key_file = Some(path.clone());
        c.sso_algorithm = "EdDSA".into();
        c.sso_issuer = Some(SSO_ISS.into());
        c.sso_audience = Some(SSO_AUD.into());
    })
    .await;
    app.load_demo().await;
    (app, key, pem, dir)
}

fn sso_token(key: &SigningKey, claims: Value) -> String {
    let der = key.to_pkcs8_der().unwrap();
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::EdDSA),
        &claims,
        &jsonwebtoken::EncodingKey::from_ed_der(der.as_bytes()),
    )
    .unwrap()
}

fn assert_refused(res: &Value, case: &str) {
    assert_eq!(error_code(res), "UNAUTHENTICATED", "{case}: {res}");
    assert!(
        res.get("data").is_none_or(Value::is_null),
        "{case}: nothing is answered"
    );
}

#[tokio::test]
async fn every_forged_or_stale_token_is_unauthenticated() {
    let (app, key, pem, _dir) = with_sso().await;
    let email = "koordinator@pekalongan.demo";
    let user_id = sinergi::services::demo::demo_id(email);
    let hub = |claims: Value| mint(claims);
    let good = json!({ "sub": user_id, "email": email, "iat": now(), "exp": now() + 600, "iss": "sinergi", "aud": "sinergi-api" });

    // Positive controls: a hub token and a single sign-on token both work.
    assert_eq!(
        me(&app, &hub(good.clone())).await["data"]["me"]["user"]["email"],
        email
    );
    let sso_good = json!({ "sub": "sso-123", "email": email, "exp": now() + 600, "iss": SSO_ISS, "aud": SSO_AUD });
    assert_eq!(
        me(&app, &sso_token(&key, sso_good.clone())).await["data"]["me"]["user"]["email"],
        email
    );

    // alg: none, with the claims of a valid token and no signature.
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(good.to_string());
    assert_refused(&me(&app, &format!("{header}.{payload}.")).await, "alg none");

    // A bad signature.
    let token = hub(good.clone());
    let (rest, sig) = token.rsplit_once('.').unwrap();
    let mut sig = sig.to_string();
    let last = if sig.ends_with('A') { 'B' } else { 'A' };
    sig.pop();
    sig.push(last);
    assert_refused(&me(&app, &format!("{rest}.{sig}")).await, "bad signature");

    // Algorithm confusion: HS256 "signed" with the single sign-on public key as the HMAC secret.
    let confused = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &sso_good,
        &jsonwebtoken::EncodingKey::from_secret(pem.as_bytes()),
    )
    .unwrap();
    assert_refused(&me(&app, &confused).await, "HS256 with the public key");

    let mut expired = good.clone();
    expired["exp"] = json!(now() - 3600);
    assert_refused(&me(&app, &hub(expired)).await, "expired");

    let mut no_exp = good.clone();
    no_exp.as_object_mut().unwrap().remove("exp");
    assert_refused(&me(&app, &hub(no_exp)).await, "no exp");

    let mut wrong_iss = good.clone();
    wrong_iss["iss"] = json!("someone-else");
    assert_refused(&me(&app, &hub(wrong_iss)).await, "wrong iss");

    let mut wrong_aud = good.clone();
    wrong_aud["aud"] = json!("another-api");
    assert_refused(&me(&app, &hub(wrong_aud)).await, "wrong aud");

    let mut sso_wrong_aud = sso_good.clone();
    sso_wrong_aud["aud"] = json!("another-api");
    assert_refused(
        &me(&app, &sso_token(&key, sso_wrong_aud)).await,
        "single sign-on, wrong aud",
    );

    // A tampered payload: the claims say admin's id, the signature is the coordinator's.
    let token = hub(good.clone());
    let parts: Vec<&str> = token.split('.').collect();
    let mut tampered = good.clone();
    tampered["sub"] = json!(sinergi::services::demo::demo_id("admin@sinergi.demo"));
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(tampered.to_string()),
        parts[2]
    );
    assert_refused(&me(&app, &forged).await, "tampered payload");

    // Garbage and a non-bearer scheme.
    assert_refused(&me(&app, "not-a-token").await, "garbage");
    let res: Value = app
        .client
        .post(app.url("/graphql"))
        .header("authorization", "Basic YWRtaW46YWRtaW4=")
        .json(&json!({ "query": ME }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_refused(&res, "basic auth");
}

#[tokio::test]
async fn a_deactivated_user_token_stops_working() {
    let app = spawn_app().await;
    app.load_demo().await;
    let token = app.token_for("skpd@pekalongan.demo").await;
    // Twice: the second answer comes from the account kept between requests.
    assert!(me(&app, &token).await["data"]["me"].is_object());
    assert!(me(&app, &token).await["data"]["me"].is_object());
    let admin = app.token_for("admin@sinergi.demo").await;
    let res = app
        .gql_as(
            Some(&admin),
            "mutation($id: ID!) { updateUser(id: $id, version: 1, input: { active: false }) { active } }",
            json!({ "id": sinergi::services::demo::demo_id("skpd@pekalongan.demo") }),
        )
        .await;
    assert_eq!(res["data"]["updateUser"]["active"], false, "{res}");
    // The very next request is refused: the kept account was dropped with the change.
    assert_refused(&me(&app, &token).await, "deactivated");
}

#[tokio::test]
async fn the_first_admin_is_made_from_the_command_line_and_signs_in() {
    let app = spawn_app().await;
    let err = sinergi::services::users::create(
        &app.db,
        "admin@kab.example",
        "Admin",
        "coordinator",
        None,
        None,
        "kata-sandi-admin".into(),
    )
    .await
    .expect_err("a coordinator needs a region");
    assert!(err.to_string().contains("--region"), "{err}");
    let short = sinergi::services::users::create(
        &app.db,
        "admin@kab.example",
        "Admin",
        "admin",
        None,
        None,
        "pendek".into(),
    )
    .await;
    assert!(short.is_err(), "short passwords are refused");
    assert_eq!(
        crate::helpers::count_rows(&app.db, "users").await,
        0,
        "nothing stored by refused attempts"
    );
    let user = sinergi::services::users::create(
        &app.db,
        "Admin@Kab.Example",
        "Admin Kabupaten",
        "admin",
        None,
        None,
        "kata-sandi-admin".into(),
    )
    .await
    .unwrap();
    assert_eq!(user.email, "admin@kab.example");
    let token = app.login("admin@kab.example", "kata-sandi-admin").await;
    assert_eq!(
        me(&app, &token).await["data"]["me"]["user"]["role"],
        "ADMIN"
    );
    let again = sinergi::services::users::create(
        &app.db,
        "admin@kab.example",
        "Admin",
        "admin",
        None,
        None,
        "kata-sandi-admin".into(),
    )
    .await;
    assert!(again.unwrap_err().to_string().contains("another user"));
}
