//! `/masuk` and `/keluar`: the session cookie (an HttpOnly, SameSite=Strict cookie holding a hub
//! token from the `login` mutation, so sign-in follows exactly the API's rules) and the CSRF token
//! every console form carries (double submit: a random value in a cookie that a form must echo; a
//! cross-site page can neither read the cookie nor, being SameSite=Strict, make the browser send it).

use super::page::{Ctx, Failure};
use super::words as w;
use crate::auth::SESSION_COOKIE;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use axum::body::Bytes;
use axum::extract::Query;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use maud::html;
use serde_json::json;
use std::collections::HashMap;

/// Name of the CSRF cookie.
pub const CSRF_COOKIE: &str = "sinergi_csrf";

const LOGIN: &str = include_str!("queries/login.graphql");

/// A fresh random token (CSRF).
pub fn new_token() -> String {
    let mut bytes = [0u8; 24];
    OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The CSRF token in the request's cookie, when it has a plausible one.
pub fn csrf_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|t| {
            t.len() == 32
                && t.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// Whether the request reached us over HTTPS, as a TLS-terminating proxy reports it.
pub fn is_https(headers: &HeaderMap) -> bool {
    let proto = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.to_ascii_lowercase())
    };
    proto("x-forwarded-proto").is_some_and(|p| p.split(',').next().map(str::trim) == Some("https"))
        || proto("forwarded").is_some_and(|f| f.contains("proto=https"))
}

/// Adds a `Set-Cookie`: HttpOnly, SameSite=Strict, Path=/, `Secure` over HTTPS; `max_age` in
/// seconds (none: a browser-session cookie; 0: delete).
pub fn set_cookie(
    headers: &mut HeaderMap,
    name: &str,
    value: &str,
    max_age: Option<i64>,
    secure: bool,
) {
    let mut c = cookie::Cookie::new(name.to_string(), value.to_string());
    c.set_http_only(true);
    c.set_same_site(cookie::SameSite::Strict);
    c.set_path("/");
    c.set_secure(secure);
    if let Some(age) = max_age {
        c.set_max_age(cookie::time::Duration::seconds(age));
    }
    if let Ok(v) = HeaderValue::from_str(&c.to_string()) {
        headers.append(header::SET_COOKIE, v);
    }
}

/// Deletes the session cookie.
pub fn clear_session_cookie(headers: &mut HeaderMap) {
    set_cookie(headers, SESSION_COOKIE, "", Some(0), false);
}

/// A form body as name → value (the last value wins); malformed bodies give an empty map, which
/// every form then refuses for its missing CSRF token.
pub fn form_fields(body: &Bytes) -> HashMap<String, String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .map(|pairs| pairs.into_iter().collect())
        .unwrap_or_default()
}

/// Whether a posted form carries this visitor's CSRF token.
pub fn csrf_ok(ctx: &Ctx, fields: &HashMap<String, String>) -> bool {
    csrf_cookie_present(ctx) && fields.get("csrf").is_some_and(|t| t == &ctx.csrf)
}

fn csrf_cookie_present(ctx: &Ctx) -> bool {
    // A token minted for this very request was never sent by the browser: it cannot match.
    !ctx.csrf_is_new()
}

/// Where to go after signing in: a path on this hub only (never another host).
fn safe_return(target: Option<&String>) -> String {
    match target {
        Some(t)
            if t.starts_with('/')
                && !t.starts_with("//")
                && !t.contains('\\')
                && !t.starts_with("/masuk") =>
        {
            t.clone()
        }
        _ => "/".into(),
    }
}

/// `GET /masuk`: the sign-in form.
pub async fn form(ctx: Ctx, Query(q): Query<HashMap<String, String>>) -> Response {
    let back = safe_return(q.get("kembali"));
    let note = if ctx.user().is_none() && q.contains_key("kembali") && back != "/" {
        Some(w::SIGN_IN_NEEDED)
    } else {
        None
    };
    page(&ctx, &back, "", note, StatusCode::OK)
}

fn page(ctx: &Ctx, back: &str, email: &str, note: Option<&str>, status: StatusCode) -> Response {
    let error = status != StatusCode::OK;
    let body = html! {
        h1 { (w::SIGN_IN_TITLE) }
        @if let Some(n) = note {
            p.(if error { "error" } else { "note" }) role=[error.then_some("alert")] #pesan-masuk { (n) }
        }
        form.narrow method="post" action="/masuk" hx-boost="false" {
            input type="hidden" name="csrf" value=(ctx.csrf);
            input type="hidden" name="kembali" value=(back);
            label for="email" { (w::EMAIL) }
            input #email type="email" name="email" value=(email) autocomplete="username" required
                aria-describedby=[error.then_some("pesan-masuk")];
            label for="password" { (w::PASSWORD) }
            input #password type="password" name="password" autocomplete="current-password" required;
            button type="submit" { (w::SIGN_IN) }
        }
    };
    let mut res = ctx.render(w::SIGN_IN_TITLE, body);
    *res.status_mut() = status;
    res
}

/// `POST /masuk`: runs the `login` mutation; on success sets the session cookie and goes back to the
/// page that asked for sign-in.
pub async fn sign_in(mut ctx: Ctx, body: Bytes) -> Response {
    let fields = form_fields(&body);
    let back = safe_return(fields.get("kembali"));
    let email = fields.get("email").cloned().unwrap_or_default();
    if !csrf_ok(&ctx, &fields) {
        return page(
            &ctx,
            &back,
            &email,
            Some(w::CSRF_FAILED),
            StatusCode::FORBIDDEN,
        );
    }
    let password = fields.get("password").cloned().unwrap_or_default();
    let result = ctx
        .run(LOGIN, json!({ "email": email, "password": password }))
        .await;
    // The password must never be echoed back in "Lihat GraphQL".
    ctx.ran.clear();
    match result {
        Ok(data) => {
            let token = data["login"]["token"].as_str().unwrap_or_default();
            let expires = data["login"]["expiresAt"]
                .as_str()
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                .map(|t| (t.timestamp() - chrono::Utc::now().timestamp()).max(60));
            // A password someone else set is replaced before anything else.
            let to = if data["login"]["mustChangePassword"] == true {
                super::pages::kata_sandi::PATH
            } else {
                &back
            };
            let mut res = Redirect::to(to).into_response();
            set_cookie(res.headers_mut(), SESSION_COOKIE, token, expires, ctx.https);
            ctx.finish(res)
        }
        Err(Failure { code, .. }) if code == "UNAUTHENTICATED" => page(
            &ctx,
            &back,
            &email,
            Some(w::WRONG_LOGIN),
            StatusCode::UNAUTHORIZED,
        ),
        Err(f) => ctx.fail(f),
    }
}

/// `POST /keluar`: clears the session cookie (a form with the CSRF token, so another site cannot
/// sign a user out).
pub async fn sign_out(ctx: Ctx, body: Bytes) -> Response {
    let fields = form_fields(&body);
    if !csrf_ok(&ctx, &fields) {
        return ctx.fail(Failure {
            code: "FORBIDDEN".into(),
            message: w::CSRF_FAILED.into(),
            field: Some("csrf".into()),
        });
    }
    let mut res = Redirect::to("/masuk").into_response();
    clear_session_cookie(res.headers_mut());
    ctx.finish(res)
}
