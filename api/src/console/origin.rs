//! Console posts come from the console's own pages only. Besides the CSRF token, the browser's own
//! word is checked: `Sec-Fetch-Site`, when sent, must be `same-origin` (or `none`: typed or
//! bookmarked by the user), and `Origin`, when sent, must be the hub's origin as this request
//! reached it (the scheme a TLS-terminating proxy reports, and the `Host` header) or the
//! configured `--public-url`. A client that sends neither (a script, an old browser) is left to
//! the CSRF token, which it must still carry.

use axum::http::{HeaderMap, header};

/// Whether a post may be from the hub's own pages.
pub fn same_origin(headers: &HeaderMap, public_origin: Option<&str>) -> bool {
    let text = |name| {
        headers
            .get(name)
            .map(|v| v.to_str().map(str::trim).map_err(|_| ()))
    };
    match text("sec-fetch-site") {
        None => {}
        Some(Ok(site)) if site.eq_ignore_ascii_case("same-origin") => {}
        Some(Ok(site)) if site.eq_ignore_ascii_case("none") => {}
        Some(_) => return false,
    }
    let origin = match text(header::ORIGIN.as_str()) {
        None => return true,
        Some(Ok(o)) => o.trim_end_matches('/').to_ascii_lowercase(),
        Some(Err(())) => return false,
    };
    if public_origin.is_some_and(|p| p == origin) {
        return true;
    }
    let Some(Ok(host)) = text(header::HOST.as_str()) else {
        return false;
    };
    let scheme = if crate::http::is_https(headers) {
        "https"
    } else {
        "http"
    };
    origin == format!("{scheme}://{}", host.to_ascii_lowercase())
}

/// `--public-url` as an origin (scheme, host and port, lower-case, no path), or why not.
pub fn parse_public_url(url: &str) -> anyhow::Result<String> {
    let lower = url.trim().trim_end_matches('/').to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(['/', '?', '#', '@', ' ']) => Ok(lower),
        _ => anyhow::bail!(
            "SINERGI_PUBLIC_URL takes an origin such as https://sinergi.example.go.id, not `{url}`"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn only_the_hubs_own_origin_may_post() {
        let host = ("host", "127.0.0.1:8000");
        assert!(same_origin(&headers(&[host]), None));
        assert!(same_origin(
            &headers(&[host, ("origin", "http://127.0.0.1:8000")]),
            None
        ));
        assert!(!same_origin(
            &headers(&[host, ("origin", "http://evil.example")]),
            None
        ));
        assert!(!same_origin(&headers(&[host, ("origin", "null")]), None));
        assert!(!same_origin(
            &headers(&[host, ("origin", "https://127.0.0.1:8000")]),
            None
        ));
        assert!(!same_origin(
            &headers(&[host, ("sec-fetch-site", "cross-site")]),
            None
        ));
        assert!(!same_origin(
            &headers(&[host, ("sec-fetch-site", "same-site")]),
            None
        ));
        assert!(same_origin(
            &headers(&[host, ("sec-fetch-site", "same-origin")]),
            None
        ));
        // Behind a proxy that rewrites Host, the configured public origin.
        let proxied = headers(&[
            ("host", "10.0.0.5:8000"),
            ("origin", "https://sinergi.example.go.id"),
        ]);
        assert!(!same_origin(&proxied, None));
        assert!(same_origin(&proxied, Some("https://sinergi.example.go.id")));
        assert_eq!(
            parse_public_url("https://Sinergi.example.go.id/").unwrap(),
            "https://sinergi.example.go.id"
        );
        assert!(parse_public_url("sinergi.example.go.id").is_err());
        assert!(parse_public_url("https://x.example/path").is_err());
    }
}
