//! GraphiQL for browsers, served entirely by the hub: the page and its vendored assets
//! (`api/static/graphiql/`, see its README for versions and licences) are embedded in the binary.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The page: a bearer-token field above GraphiQL. `sinergi.js` reads `query`, `variables` and
/// `operationName` from the address, so `/graphql?query=...` opens with that document.
const PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sinergi GraphiQL</title>
<link rel="stylesheet" href="/graphiql/graphiql.min.css">
<link rel="stylesheet" href="/graphiql/sinergi.css">
</head>
<body>
<div id="sinergi-bar">
<label for="sinergi-token">Bearer token</label>
<input id="sinergi-token" type="password" autocomplete="off" spellcheck="false"
 placeholder="token from the login mutation (not needed when signed in to the console)">
</div>
<div id="graphiql">Loading GraphiQL…</div>
<script src="/graphiql/react.production.min.js"></script>
<script src="/graphiql/react-dom.production.min.js"></script>
<script src="/graphiql/graphiql.min.js"></script>
<script src="/graphiql/sinergi.js"></script>
</body>
</html>
"#;

/// Only the hub's own files may load; fonts and icons are data URIs inside the stylesheet, and
/// GraphiQL's editor sets inline styles.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                   img-src 'self' data:; font-src 'self' data:; connect-src 'self'; \
                   frame-ancestors 'self'; base-uri 'none'; object-src 'none'; form-action 'self'";

/// The GraphiQL page.
pub fn page() -> Response {
    let mut res = (StatusCode::OK, PAGE).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

/// (name, media type, bytes) of every asset.
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "graphiql.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/graphiql/graphiql.min.js"),
    ),
    (
        "graphiql.min.css",
        "text/css; charset=utf-8",
        include_bytes!("../../static/graphiql/graphiql.min.css"),
    ),
    (
        "react.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/graphiql/react.production.min.js"),
    ),
    (
        "react-dom.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/graphiql/react-dom.production.min.js"),
    ),
    (
        "sinergi.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/graphiql/sinergi.js"),
    ),
    (
        "sinergi.css",
        "text/css; charset=utf-8",
        include_bytes!("../../static/graphiql/sinergi.css"),
    ),
];

/// `GET /graphiql/{file}`. The vendored files are pinned, so browsers may keep them for a year;
/// the hub's own two files change with the hub, so they are revalidated.
pub async fn asset(Path(file): Path<String>) -> Response {
    let Some((name, media, bytes)) = ASSETS.iter().find(|(n, _, _)| *n == file) else {
        return crate::error::AppError::NotFound("no such file".into()).into_response();
    };
    let mut res = (StatusCode::OK, *bytes).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if name.starts_with("sinergi.") {
            "no-cache"
        } else {
            "public, max-age=31536000, immutable"
        }),
    );
    res
}
