//! The console's static files, embedded in the binary (no CDN: the console works on an office
//! network without internet). File names carry a version, so they are cached for a year.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// URL of the stylesheet.
pub const STYLESHEET: &str = "/aset/konsol-3.css";
/// URL of htmx 2.0.4 (0BSD licence, `api/static/htmx-LICENSE.txt`; sha256 in `api/static/README.md`).
pub const HTMX: &str = "/aset/htmx-2.0.4.min.js";

/// URL of the console's own live-update script (`api/static/langsung.js`).
pub const LIVE: &str = "/aset/langsung-1.js";

const FILES: &[(&str, &str, &[u8])] = &[
    (
        "langsung-1.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/langsung.js"),
    ),
    (
        "konsol-3.css",
        "text/css; charset=utf-8",
        include_bytes!("../../static/konsol.css"),
    ),
    (
        "htmx-2.0.4.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/htmx-2.0.4.min.js"),
    ),
];

/// `GET /aset/{file}`.
pub async fn serve(Path(file): Path<String>) -> Response {
    match FILES.iter().find(|(name, _, _)| *name == file) {
        Some((_, kind, bytes)) => {
            let mut res = (StatusCode::OK, *bytes).into_response();
            let h = res.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            );
            res
        }
        None => crate::error::AppError::NotFound("no such file".into()).into_response(),
    }
}

/// FNV-1a of the stylesheet this version name was given to (see the test below).
#[cfg(test)]
const STYLESHEET_FNV: u64 = 3892667561464506412;

#[cfg(test)]
mod tests {
    fn fnv(bytes: &[u8]) -> u64 {
        bytes.iter().fold(0xcbf29ce484222325, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x100000001b3)
        })
    }

    /// Browsers keep `/aset/` files for a year, so a changed stylesheet needs a new name.
    #[test]
    fn a_changed_stylesheet_gets_a_new_name() {
        let css = include_bytes!("../../static/konsol.css");
        assert_eq!(
            fnv(css),
            super::STYLESHEET_FNV,
            "konsol.css changed: bump the number in STYLESHEET and FILES, then record the new hash here"
        );
    }
}
