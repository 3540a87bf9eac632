//! `/masuk` and `/keluar`: the session cookie (an HttpOnly, SameSite=Strict cookie holding a hub
//! token from the `login` mutation, so sign-in follows exactly the API's rules, its limits per
//! account and per client address included; signing out runs `logout`, which ends the session on
//! the server) and the CSRF token every console form carries. Signed in, the token is the
//! session's own (an HMAC of its id under a key derived from the token secret, so a token from one
//! session is worthless with another); not signed in (the sign-in form, a complaint), it is a
//! double submit: a random value in a cookie that a form must echo. A cross-site page can neither
//! read either nor, the cookies being SameSite=Strict, make the browser send them; console posts
//! also check `Origin` and `Sec-Fetch-Site` (`origin`).

use super::documents::{self as doc, Keluar, Masuk};
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
use std::collections::HashMap;

/// Name of the CSRF cookie.
pub const CSRF_COOKIE: &str = "sinergi_csrf";

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

/// Whether a posted form carries this visitor's CSRF token: the session's own when signed in,
/// else the one in the visitor's cookie.
pub fn csrf_ok(ctx: &Ctx, fields: &HashMap<String, String>) -> bool {
    // A cookie token minted for this very request was never sent by the browser: it cannot match.
    let known = ctx.csrf_is_bound() || !ctx.csrf_is_new();
    known && fields.get("csrf").is_some_and(|t| t == &ctx.csrf)
}

/// Where to go after signing in: a path on this hub only, never another host, whatever the
/// encoding. The target is decoded (once more than the form or query already was) and refused,
/// for `/`, when either form holds a control character (a tab or line break that a browser drops,
/// turning `/<TAB>/evil.example` into `//evil.example`; CR/LF that cannot go in a header), a
/// backslash (read as `/`), starts with `//` (another host), or is not a path at all. What passes
/// is percent-encoded outside printable ASCII, so it is always a valid `Location`.
pub fn safe_return(target: Option<&String>) -> String {
    let Some(raw) = target else {
        return "/".into();
    };
    let decoded = percent_decode(raw);
    let safe = |t: &str| {
        t.starts_with('/')
            && !t.starts_with("//")
            && !t.starts_with("/masuk")
            && !t.chars().any(|c| c == '\\' || c.is_control())
    };
    if !safe(raw) || !safe(&decoded) {
        return "/".into();
    }
    let mut out = String::with_capacity(raw.len());
    for b in raw.bytes() {
        if b.is_ascii_graphic() {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `%XX` decoded (malformed escapes kept as they are; invalid UTF-8 replaced).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
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
    // The password must never be echoed back in "Lihat GraphQL": its variables are hidden.
    let vars = doc::masuk::Variables {
        email: email.clone(),
        password,
    };
    let result = ctx.query_secret::<Masuk>(vars).await;
    match result {
        Ok(data) => {
            let login = data.login;
            let token = login.token.as_str();
            let expires = chrono::DateTime::parse_from_rfc3339(&login.expires_at)
                .ok()
                .map(|t| (t.timestamp() - chrono::Utc::now().timestamp()).max(60));
            // A password someone else set is replaced before anything else.
            let to = if login.must_change_password {
                super::pages::kata_sandi::PATH
            } else {
                &back
            };
            let mut res = Redirect::to(to).into_response();
            set_cookie(res.headers_mut(), SESSION_COOKIE, token, expires, ctx.https);
            ctx.finish(res)
        }
        Err(Failure {
            code: crate::error::Code::Unauthenticated,
            ..
        }) => page(
            &ctx,
            &back,
            &email,
            Some(w::WRONG_LOGIN),
            StatusCode::UNAUTHORIZED,
        ),
        // The per-account and per-address limits of `login`, exactly as over `/graphql`.
        Err(Failure {
            code: crate::error::Code::RateLimited,
            ..
        }) => {
            let secs = ctx.retry_after.unwrap_or(60);
            let note = format!("{} {secs} {}.", w::SIGN_IN_LIMITED, w::SECONDS);
            let mut res = page(
                &ctx,
                &back,
                &email,
                Some(&note),
                StatusCode::TOO_MANY_REQUESTS,
            );
            res.headers_mut().insert(header::RETRY_AFTER, secs.into());
            res
        }
        Err(f) => ctx.fail(f),
    }
}

/// `POST /keluar`: ends the session on the server (`logout`: the same cookie replayed afterwards,
/// say a copy someone kept, is refused everywhere) and clears the cookie. A form with the CSRF
/// token, so another site cannot sign a user out.
pub async fn sign_out(mut ctx: Ctx, body: Bytes) -> Response {
    let fields = form_fields(&body);
    if !csrf_ok(&ctx, &fields) {
        return ctx.fail(Failure {
            code: crate::error::Code::Forbidden,
            message: w::CSRF_FAILED.into(),
            field: Some("csrf".into()),
        });
    }
    if ctx.session.is_some()
        && let Err(f) = ctx.query::<Keluar>(doc::keluar::Variables).await
    {
        return ctx.fail(f);
    }
    let mut res = Redirect::to("/masuk").into_response();
    clear_session_cookie(res.headers_mut());
    ctx.finish(res)
}

#[cfg(test)]
mod tests {
    use super::safe_return;

    #[test]
    fn only_same_origin_paths_are_returned_to() {
        let back = |t: &str| safe_return(Some(&t.to_string()));
        for evil in [
            "/\t/evil.example",
            "/%09/evil.example",
            "/%2F/evil",
            "/%2f/evil",
            "/\\evil",
            "/%5Cevil",
            "%2F%2Fevil",
            "//evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "/kontribusi\r\nSet-Cookie: x=1",
            "/kontribusi%0D%0ASet-Cookie:%20x=1",
            "/x\u{7f}",
            "/masuk?kembali=/",
            "",
        ] {
            assert_eq!(back(evil), "/", "{evil:?}");
        }
        assert_eq!(back("/kontribusi?tahun=2025"), "/kontribusi?tahun=2025");
        assert_eq!(back("/wilayah/33.26"), "/wilayah/33.26");
        assert_eq!(back("/cari?q=kajen barat"), "/cari?q=kajen%20barat");
        assert_eq!(back("/cari?q=é"), "/cari?q=%C3%A9");
        assert_eq!(back("/%"), "/%");
        assert_eq!(safe_return(None), "/");
    }
}
