//! Sessions that end (issue 25): a cookie or bearer token replayed after its owner signed out, after
//! a password change (every other session) and after an administrator's reset (every session) is
//! refused by `/graphql`, the console's pages and the downloads, on this hub process and on another
//! one serving the same database.

use crate::console_writes::{CSRF, location, post_form, send_form};
use crate::drills::{ChildHub, report};
use crate::helpers::{PASSWORD, TestApp, error_code, mint_raw, spawn_app};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const COORDINATOR: &str = "koordinator@pekalongan.demo";
const ME: &str = "{ me { user { email } } }";
const CSV: &str = "/exports/contributions.csv";

async fn demo() -> TestApp {
    let app = spawn_app().await;
    app.load_demo().await;
    app
}

/// Signs in through the console's `/masuk` form, as a browser does; the session cookie's value.
pub(crate) async fn console_sign_in(app: &TestApp, email: &str, password: &str) -> String {
    let res = send_form(
        app,
        &format!("sinergi_csrf={CSRF}"),
        "/masuk",
        format!("csrf={CSRF}&kembali=%2F&email={email}&password={password}"),
    )
    .await;
    assert_eq!(res.status(), 303, "{email} signs in");
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|c| c.to_str().ok())
        .find_map(|c| c.strip_prefix("sinergi_sesi="))
        .and_then(|c| c.split(';').next())
        .filter(|v| !v.is_empty())
        .expect("a session cookie")
        .to_string()
}

/// `{ me }` with the token as a bearer header: the e-mail, or the HTTP status of the refusal.
async fn me_bearer(app: &TestApp, token: &str) -> Result<String, u16> {
    let res = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": ME }))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let body: Value = res.json().await.unwrap();
    match body["data"]["me"]["user"]["email"].as_str() {
        Some(e) if status == 200 => Ok(e.to_string()),
        _ => {
            assert_eq!(error_code(&body), "UNAUTHENTICATED", "{body}");
            Err(status)
        }
    }
}

/// `{ me }` with the token as the console's cookie: the e-mail, or none (anonymous).
async fn me_cookie(app: &TestApp, cookie: &str) -> Option<String> {
    let body: Value = app
        .client
        .post(app.url("/graphql"))
        .header("Cookie", format!("sinergi_sesi={cookie}"))
        .json(&json!({ "query": ME }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["data"]["me"]["user"]["email"]
        .as_str()
        .map(str::to_string)
}

/// A console page with the cookie: its status and where it sends the visitor, if anywhere.
async fn page(app: &TestApp, cookie: &str, path: &str) -> (u16, String) {
    let res = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(app.url(path))
        .header("Cookie", format!("sinergi_sesi={cookie}"))
        .send()
        .await
        .unwrap();
    let to = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (res.status().as_u16(), to)
}

/// The contributions CSV with the token as a bearer header or as the cookie: the status.
async fn download(app: &TestApp, token: &str, as_cookie: bool) -> u16 {
    let req = app.client.get(app.url(CSV));
    let req = if as_cookie {
        req.header("Cookie", format!("sinergi_sesi={token}"))
    } else {
        req.bearer_auth(token)
    };
    req.send().await.unwrap().status().as_u16()
}

/// The session works everywhere: `{ me }`, `/kontribusi`, the CSV.
async fn works(app: &TestApp, token: &str, what: &str) {
    assert_eq!(
        me_bearer(app, token).await.as_deref(),
        Ok(COORDINATOR),
        "{what}"
    );
    assert_eq!(
        me_cookie(app, token).await.as_deref(),
        Some(COORDINATOR),
        "{what}"
    );
    assert_eq!(page(app, token, "/kontribusi").await.0, 200, "{what}");
    assert_eq!(download(app, token, false).await, 200, "{what}");
    assert_eq!(download(app, token, true).await, 200, "{what}");
}

/// The session is refused everywhere: 401 over `/graphql` (anonymous as a cookie), the sign-in
/// page for the console, 401 for the download.
async fn refused(app: &TestApp, token: &str, what: &str) {
    assert_eq!(me_bearer(app, token).await, Err(401), "{what}");
    assert_eq!(me_cookie(app, token).await, None, "{what}");
    let (status, to) = page(app, token, "/kontribusi").await;
    assert_eq!(status, 303, "{what}");
    assert!(to.starts_with("/masuk?kembali="), "{what}: {to}");
    assert_eq!(download(app, token, false).await, 401, "{what}");
    assert_eq!(download(app, token, true).await, 401, "{what}");
}

#[tokio::test]
async fn a_signed_out_cookie_or_token_is_refused_everywhere_and_other_sessions_keep_working() {
    let app = demo().await;
    let cookie = console_sign_in(&app, COORDINATOR, PASSWORD).await;
    let first = app.login(COORDINATOR, PASSWORD).await;
    let second = app.login(COORDINATOR, PASSWORD).await;
    for t in [&cookie, &first, &second] {
        works(&app, t, "before signing out").await;
    }

    // The console's "Keluar" ends the cookie's session: a copy kept by someone is useless.
    let res = post_form(&app, &cookie, "/keluar", &[]).await;
    assert_eq!(location(&res), "/masuk");
    refused(&app, &cookie, "the cookie after /keluar").await;
    works(&app, &first, "another session after /keluar").await;

    // `logout` ends the bearer token's session, and only that one.
    let out = app
        .gql_as(Some(&first), "mutation { logout }", json!({}))
        .await;
    assert_eq!(out["data"]["logout"], true, "{out}");
    refused(&app, &first, "the token after logout").await;
    works(&app, &second, "another token after logout").await;
    let again = app
        .gql_as(Some(&first), "mutation { logout }", json!({}))
        .await;
    assert_eq!(error_code(&again), "UNAUTHENTICATED");

    // Signing in again opens a new session.
    let fresh = app.login(COORDINATOR, PASSWORD).await;
    works(&app, &fresh, "a new sign-in").await;

    // Not signed in, there is nothing to end.
    let anonymous = app.gql_as(None, "mutation { logout }", json!({})).await;
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
}

#[tokio::test]
async fn a_token_without_a_session_is_refused() {
    let app = demo().await;
    let id = sinergi::services::demo::demo_id(COORDINATOR);
    let now = chrono::Utc::now().timestamp();
    let legacy = mint_raw(
        json!({ "sub": id, "email": COORDINATOR, "iat": now, "exp": now + 600,
        "iss": "sinergi", "aud": "sinergi-api" }),
    );
    assert_eq!(me_bearer(&app, &legacy).await, Err(401));
}

const CHANGE: &str = "mutation($c: String!, $n: String!) { changeOwnPassword(current: $c, new: $n) { user { email } } }";

#[tokio::test]
async fn a_password_change_ends_every_other_session_and_a_reset_ends_them_all() {
    let app = demo().await;
    let changer = app.login(COORDINATOR, PASSWORD).await;
    let other = app.login(COORDINATOR, PASSWORD).await;
    let cookie = console_sign_in(&app, COORDINATOR, PASSWORD).await;

    let res = app
        .gql_as(
            Some(&changer),
            CHANGE,
            json!({ "c": PASSWORD, "n": "kata-sandi-baru-1" }),
        )
        .await;
    assert_eq!(
        res["data"]["changeOwnPassword"]["user"]["email"], COORDINATOR,
        "{res}"
    );
    works(&app, &changer, "the changer's own token").await;
    refused(&app, &other, "another token after the change").await;
    refused(&app, &cookie, "a console cookie after the change").await;

    // Changed in the console: that cookie keeps working, the API token ends.
    let cookie = console_sign_in(&app, COORDINATOR, "kata-sandi-baru-1").await;
    let res = post_form(
        &app,
        &cookie,
        "/kata-sandi",
        &[
            ("sekarang", "kata-sandi-baru-1"),
            ("baru", "kata-sandi-baru-2"),
        ],
    )
    .await;
    assert_eq!(location(&res), "/");
    works(&app, &cookie, "the cookie that changed the password").await;
    refused(&app, &changer, "the token after a change in the console").await;

    // An administrator's reset ends every session, the owner's last one too.
    let admin = app.token_for("admin@sinergi.demo").await;
    let version = app
        .gql_as(
            Some(&admin),
            "query($id: ID!) { user(id: $id) { version } }",
            json!({ "id": sinergi::services::demo::demo_id(COORDINATOR) }),
        )
        .await["data"]["user"]["version"]
        .clone();
    let reset = app
        .gql_as(
            Some(&admin),
            "mutation($id: ID!, $v: Int!) { updateUser(id: $id, version: $v, input: {password: \"sementara-panjang\"}) { id } }",
            json!({ "id": sinergi::services::demo::demo_id(COORDINATOR), "v": version }),
        )
        .await;
    assert!(reset.get("errors").is_none(), "{reset}");
    refused(&app, &cookie, "the cookie after a reset").await;
    assert_eq!(
        me_bearer(&app, &admin).await.as_deref(),
        Ok("admin@sinergi.demo"),
        "the administrator's own token"
    );

    // The new password opens a new session (which must first change it).
    let after = app.login(COORDINATOR, "sementara-panjang").await;
    assert_eq!(me_bearer(&app, &after).await.as_deref(), Ok(COORDINATOR));
}

#[tokio::test]
async fn a_deactivated_accounts_old_tokens_stay_refused_after_it_is_reactivated() {
    let app = demo().await;
    let token = app.login(COORDINATOR, PASSWORD).await;
    let admin = app.token_for("admin@sinergi.demo").await;
    let id = sinergi::services::demo::demo_id(COORDINATOR);
    for (version, active) in [(1, false), (2, true)] {
        let res = app
            .gql_as(
                Some(&admin),
                "mutation($id: ID!, $v: Int!, $a: Boolean!) { updateUser(id: $id, version: $v, input: {active: $a}) { id } }",
                json!({ "id": id, "v": version, "a": active }),
            )
            .await;
        assert!(res.get("errors").is_none(), "{res}");
        refused(&app, &token, &format!("after active = {active}")).await;
    }
    let again = app.login(COORDINATOR, PASSWORD).await;
    works(&app, &again, "a sign-in after reactivation").await;
}

/// Waits until `hub` refuses the token (401 for `{ me }`); how long it took.
async fn refused_on(client: &reqwest::Client, hub: &ChildHub, token: &str) -> Duration {
    let started = Instant::now();
    loop {
        let status = client
            .post(hub.url("/graphql"))
            .bearer_auth(token)
            .json(&json!({ "query": ME }))
            .send()
            .await
            .unwrap()
            .status();
        if status == 401 {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the other hub process still accepts the token after {:?}",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn signing_out_or_changing_the_password_on_one_hub_process_ends_the_session_on_another() {
    let app = demo().await;
    let other = ChildHub::start(&app.database_url, 5).await;
    let client = reqwest::Client::new();
    let out = app.login(COORDINATOR, PASSWORD).await;
    let changer = app.login(COORDINATOR, PASSWORD).await;
    let ended = app.login(COORDINATOR, PASSWORD).await;
    // The other process reads the account once and keeps it.
    for t in [&out, &changer, &ended] {
        let me = crate::drills::gql(&client, other.addr, t, ME, json!({}))
            .await
            .unwrap();
        assert_eq!(me["data"]["me"]["user"]["email"], COORDINATOR, "{me}");
    }

    let res = app
        .gql_as(Some(&out), "mutation { logout }", json!({}))
        .await;
    assert_eq!(res["data"]["logout"], true, "{res}");
    let signed_out = refused_on(&client, &other, &out).await;

    let res = app
        .gql_as(
            Some(&changer),
            CHANGE,
            json!({ "c": PASSWORD, "n": "kata-sandi-baru-1" }),
        )
        .await;
    assert!(res.get("errors").is_none(), "{res}");
    let changed = refused_on(&client, &other, &ended).await;
    let me = crate::drills::gql(&client, other.addr, &changer, ME, json!({}))
        .await
        .unwrap();
    assert_eq!(
        me["data"]["me"]["user"]["email"], COORDINATOR,
        "the changer's own token still works on the other process: {me}"
    );
    report(&format!(
        "sessions: another hub process refused a signed-out token after {} ms, a token ended by a password change after {} ms",
        signed_out.as_millis(),
        changed.as_millis()
    ));
}
