//! The console's cookies and tokens: the CSRF token (minted, read back, checked against a posted
//! form's), and `Set-Cookie` with the attributes every console cookie carries.

use crate::auth::SESSION_COOKIE;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, header};
use base64::Engine;
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
    crate::http::cookie(headers, CSRF_COOKIE).filter(|t| {
        t.len() == 32
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
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
