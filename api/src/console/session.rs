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
use axum::body::Bytes;
use axum::extract::Query;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use std::collections::HashMap;

pub use super::cookies::{
    CSRF_COOKIE, clear_session_cookie, csrf_cookie, form_fields, new_token, set_cookie,
};

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
    if !ctx.csrf_ok(&fields) {
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
                super::page::PASSWORD_PATH
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
    if !ctx.csrf_ok(&fields) {
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
