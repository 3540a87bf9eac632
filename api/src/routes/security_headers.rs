//! Headers every response carries, whatever route (or error) produced it: no MIME sniffing, no
//! referrer leaving the hub, no framing, and HSTS when the request reached us over HTTPS.
//!
//! Console pages and GraphiQL set their own Content-Security-Policy; every other response (JSON,
//! downloads, errors) gets one that allows nothing, so a CSV or an error envelope opened in a
//! browser can never run or load anything, even if a browser ignored its media type.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// The headers' settings, from the configuration.
#[derive(Clone, Debug)]
pub struct SecurityHeaders {
    /// `Strict-Transport-Security` for requests a TLS-terminating proxy marks as HTTPS; `None` when
    /// the operator turned it off (`--hsts-max-age-secs 0`).
    hsts: Option<HeaderValue>,
}

impl SecurityHeaders {
    /// `max_age_secs` 0 sends no HSTS at all; `subdomains` adds `includeSubDomains` (ASVS 5.0
    /// V3.4.1 at Level 2), which an operator sharing a domain with plain-HTTP sites turns off.
    pub fn new(max_age_secs: u64, subdomains: bool) -> Self {
        let value = if subdomains {
            format!("max-age={max_age_secs}; includeSubDomains")
        } else {
            format!("max-age={max_age_secs}")
        };
        let hsts = (max_age_secs > 0)
            .then(|| HeaderValue::from_str(&value).ok())
            .flatten();
        Self { hsts }
    }

    fn apply(&self, https: bool, headers: &mut HeaderMap) {
        let fixed: [(HeaderName, &'static str); 4] = [
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            // Region codes and record ids in console URLs stay on the hub.
            (header::REFERRER_POLICY, "same-origin"),
            (header::X_FRAME_OPTIONS, "DENY"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
            ),
        ];
        for (name, value) in fixed {
            headers
                .entry(name)
                .or_insert(HeaderValue::from_static(value));
        }
        // Browsers ignore HSTS received over plain HTTP (RFC 6797 §8.1), so it is only sent when
        // the proxy says the request came over TLS: the same signal the `Secure` cookie follows.
        if let (true, Some(v)) = (https, &self.hsts) {
            headers.insert(header::STRICT_TRANSPORT_SECURITY, v.clone());
        }
    }
}

/// The middleware: adds the headers to every response.
pub async fn add(
    axum::extract::State(settings): axum::extract::State<SecurityHeaders>,
    req: Request,
    next: Next,
) -> Response {
    let https = crate::http::is_https(req.headers());
    let mut res = next.run(req).await;
    settings.apply(https, res.headers_mut());
    res
}
