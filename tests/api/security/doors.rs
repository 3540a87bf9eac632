//! One policy at every door (issue 25): the console's sign-in counts against the same per-address
//! limit as `/graphql`; a `kembali` target that would leave the hub, however encoded, sends the
//! visitor to `/` instead (never a 500); a console post from another site is refused and stores
//! nothing; a CSRF token works only with its own session; and another region's user pages are 404.

use super::sessions::console_sign_in;
use crate::console::urlencode;
use crate::console_writes::{CSRF, csrf_of, post_form, send_form};
use crate::helpers::{PASSWORD, TestApp, count_rows, spawn_app, spawn_app_with};
use serde_json::json;
use sinergi::services::demo::demo_id;

const COORDINATOR: &str = "koordinator@pekalongan.demo";

/// Wrong passwords for different accounts from one address until refused: the attempt that was.
async fn attempts_until_refused(app: &TestApp, console: bool) -> (usize, reqwest::Response) {
    for i in 1..=20 {
        let email = format!("tamu{i}@contoh.example");
        let res = if console {
            send_form(
                app,
                &format!("sinergi_csrf={CSRF}"),
                "/masuk",
                format!("csrf={CSRF}&kembali=%2F&email={email}&password=salah-sekali"),
            )
            .await
        } else {
            app.client
                .post(app.url("/graphql"))
                .json(&json!({
                    "query": "mutation($e: String!) { login(email: $e, password: \"salah-sekali\") { token } }",
                    "variables": { "e": email },
                }))
                .send()
                .await
                .unwrap()
        };
        if res.status() == 429 {
            return (i, res);
        }
        let expected = if console { 401 } else { 200 };
        assert_eq!(res.status(), expected, "attempt {i}");
    }
    panic!("never refused");
}

#[tokio::test]
async fn the_sign_in_form_is_limited_per_address_at_the_same_count_as_graphql() {
    let limited = |c: &mut sinergi::config::Config| {
        c.rate_limits.login_address_burst = 4;
        c.rate_limits.login_address_per_minute = 1;
    };
    let api = spawn_app_with(limited).await;
    let (over_api, _) = attempts_until_refused(&api, false).await;
    let console = spawn_app_with(limited).await;
    let (over_console, res) = attempts_until_refused(&console, true).await;
    assert_eq!(
        over_console, 5,
        "the fifth attempt from the address is refused"
    );
    assert_eq!(over_api, over_console, "both doors count alike");
    let wait: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let page = res.text().await.unwrap();
    assert!(
        page.contains(&format!(
            "Terlalu banyak percobaan masuk. Demi keamanan akun, coba lagi dalam {wait} detik."
        )),
        "{page}"
    );
    assert!(
        page.contains("id=\"email\""),
        "the form is still there: {page}"
    );

    // The two doors share the one bucket: attempts over /graphql count for /masuk.
    let shared = spawn_app_with(limited).await;
    for _ in 0..4 {
        let res = shared
            .gql_as(
                None,
                "mutation { login(email: \"x@contoh.example\", password: \"salah-sekali\") { token } }",
                json!({}),
            )
            .await;
        assert_eq!(res["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    }
    let (first, _) = attempts_until_refused(&shared, true).await;
    assert_eq!(first, 1);
}

#[tokio::test]
async fn a_return_target_that_leaves_the_hub_sends_the_visitor_home_instead() {
    let app = spawn_app_with(|c| {
        c.rate_limits.login_account_burst = 100;
        c.rate_limits.login_address_burst = 100;
    })
    .await;
    app.load_demo().await;
    let cases = [
        ("/\t/evil.example", "/"),
        ("/%09/evil.example", "/"),
        ("/%2F/evil", "/"),
        ("/\\evil", "/"),
        ("/%5Cevil", "/"),
        ("%2F%2Fevil", "/"),
        ("//evil.example", "/"),
        ("https://evil.example/", "/"),
        ("/kontribusi\r\nSet-Cookie: x=1", "/"),
        ("/kontribusi%0D%0ASet-Cookie:%20x=1", "/"),
        ("/kontribusi?tahun=2025", "/kontribusi?tahun=2025"),
        ("/cari?q=kajen barat", "/cari?q=kajen%20barat"),
    ];
    for (target, expected) in cases {
        // The sign-in form itself shows, whatever the target (no 500).
        let form = app
            .client
            .get(app.url(&format!("/masuk?kembali={}", urlencode(target))))
            .send()
            .await
            .unwrap();
        assert_eq!(form.status(), 200, "{target:?}");
        let res = send_form(
            &app,
            &format!("sinergi_csrf={CSRF}"),
            "/masuk",
            format!(
                "csrf={CSRF}&kembali={}&email={COORDINATOR}&password={PASSWORD}",
                urlencode(target)
            ),
        )
        .await;
        assert_eq!(res.status(), 303, "{target:?}");
        assert_eq!(res.headers()["location"], expected, "{target:?}");
    }
}

const NEW_ORG: [(&str, &str); 4] = [
    ("nama", "Yayasan Lintas Situs"),
    ("heliks", "COMMUNITY"),
    ("jenis", "NGO"),
    ("wilayah", "33.26"),
];

/// Posts the new-organization form with the session's own CSRF token and extra headers.
async fn post_org(app: &TestApp, session: &str, headers: &[(&str, String)]) -> reqwest::Response {
    let mut body = format!("csrf={}", csrf_of(app, session).await);
    for (k, v) in NEW_ORG {
        body.push_str(&format!("&{k}={}", urlencode(v)));
    }
    let mut req = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(app.url("/organisasi/baru"))
        .header("Cookie", format!("sinergi_sesi={session}"))
        .header("Content-Type", "application/x-www-form-urlencoded");
    for (k, v) in headers {
        req = req.header(*k, v);
    }
    req.body(body).send().await.unwrap()
}

#[tokio::test]
async fn a_post_from_another_site_is_refused_and_stores_nothing() {
    let app = spawn_app().await;
    app.load_demo().await;
    let session = app.token_for(COORDINATOR).await;
    let before = count_rows(&app.db, "organizations").await;
    for headers in [
        vec![("Origin", "http://evil.example".to_string())],
        vec![("Sec-Fetch-Site", "cross-site".to_string())],
        vec![("Sec-Fetch-Site", "same-site".to_string())],
        vec![("Origin", "null".to_string())],
    ] {
        let res = post_org(&app, &session, &headers).await;
        assert_eq!(res.status(), 403, "{headers:?}");
        let page = res.text().await.unwrap();
        assert!(
            page.contains("Formulir ini dikirim dari situs lain"),
            "{headers:?}: {page}"
        );
        assert_eq!(count_rows(&app.db, "organizations").await, before);
    }
    // The sign-in form too: no signing a visitor in from another site.
    let res = send_form(
        &app,
        &format!("sinergi_csrf={CSRF}"),
        "/masuk",
        format!("csrf={CSRF}&email={COORDINATOR}&password={PASSWORD}"),
    )
    .await;
    assert_eq!(res.status(), 303, "control: no Origin, no Sec-Fetch-Site");
    let res = app
        .client
        .post(app.url("/masuk"))
        .header("Cookie", format!("sinergi_csrf={CSRF}"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Origin", "http://evil.example")
        .body(format!(
            "csrf={CSRF}&email={COORDINATOR}&password={PASSWORD}"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert!(
        res.headers()
            .get_all("set-cookie")
            .iter()
            .all(|c| !c.to_str().unwrap().starts_with("sinergi_sesi=")),
        "no session from another site's form"
    );

    // What a browser sends from the hub's own page works.
    let own = format!("http://{}", app.addr);
    let res = post_org(
        &app,
        &session,
        &[("Origin", own), ("Sec-Fetch-Site", "same-origin".into())],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(count_rows(&app.db, "organizations").await, before + 1);
}

#[tokio::test]
async fn a_csrf_token_works_only_with_its_own_session() {
    let app = spawn_app().await;
    app.load_demo().await;
    let mine = console_sign_in(&app, COORDINATOR, PASSWORD).await;
    let theirs = console_sign_in(&app, COORDINATOR, PASSWORD).await;
    let someone_else = console_sign_in(&app, "admin@sinergi.demo", PASSWORD).await;
    let before = count_rows(&app.db, "organizations").await;
    let token = csrf_of(&app, &mine).await;
    assert_ne!(token, csrf_of(&app, &theirs).await, "each session its own");
    let body = |csrf: &str| {
        let mut b = format!("csrf={csrf}");
        for (k, v) in NEW_ORG {
            b.push_str(&format!("&{k}={}", urlencode(v)));
        }
        b
    };
    for (cookie, what) in [
        (&theirs, "another session of the same account"),
        (&someone_else, "another account's session"),
    ] {
        // The token in the cookie too, as a double-submit attacker would plant it.
        let res = send_form(
            &app,
            &format!("sinergi_sesi={cookie}; sinergi_csrf={token}"),
            "/organisasi/baru",
            body(&token),
        )
        .await;
        assert_eq!(res.status(), 403, "{what}");
        assert_eq!(count_rows(&app.db, "organizations").await, before, "{what}");
    }
    let res = send_form(
        &app,
        &format!("sinergi_sesi={mine}"),
        "/organisasi/baru",
        body(&token),
    )
    .await;
    assert_eq!(res.status(), 303, "its own session");
    assert_eq!(count_rows(&app.db, "organizations").await, before + 1);
}

#[tokio::test]
async fn another_regions_user_pages_are_not_found() {
    let app = spawn_app().await;
    app.load_demo().await;
    let admin = app.token_for("admin@sinergi.demo").await;
    let made = app
        .gql_as(
            Some(&admin),
            "mutation($i: UserInput!) { createUser(input: $i) { id } }",
            json!({ "i": { "email": "staf@lampung.demo", "name": "Staf Dinsos Lampung", "role": "MEMBER",
                "organizationId": demo_id("dinsos-lampung"), "password": "awal-yang-panjang" } }),
        )
        .await;
    let lampung = made["data"]["createUser"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{made}"))
        .to_string();
    let coordinator = app.token_for(COORDINATOR).await;
    let get = |path: String| {
        let url = app.url(&path);
        let client = app.client.clone();
        let cookie = format!("sinergi_sesi={coordinator}");
        async move {
            let res = client
                .get(url)
                .header("Cookie", cookie)
                .send()
                .await
                .unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };
    // Control: a member of the coordinator's own region.
    let (status, _) = get(format!(
        "/pengguna/{}/kata-sandi",
        demo_id("skpd@pekalongan.demo")
    ))
    .await;
    assert_eq!(status, 200);
    for id in [
        lampung.clone(),
        demo_id("koordinator@lampung.demo"),
        demo_id("pemantau@sinergi.demo"),
        "no-such-user".into(),
    ] {
        let (status, page) = get(format!("/pengguna/{id}/kata-sandi")).await;
        assert_eq!(status, 404, "{id}");
        assert!(!page.contains("form-atur-ulang"), "no form: {page}");
    }
    let users = count_rows(&app.db, "audit_log").await;
    for (path, fields) in [
        (
            format!("/pengguna/{lampung}/kata-sandi"),
            vec![("versi", "1"), ("kata_sandi", "sementara-yang-panjang")],
        ),
        (
            format!("/pengguna/{lampung}/aktif"),
            vec![("versi", "1"), ("aktif", "tidak")],
        ),
    ] {
        let res = post_form(&app, &coordinator, &path, &fields).await;
        assert_eq!(res.status(), 404, "{path}");
    }
    assert_eq!(
        count_rows(&app.db, "audit_log").await,
        users,
        "nothing changed"
    );
}
