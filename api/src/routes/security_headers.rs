//! Headers every response carries, whatever route (or error) produced it: no MIME sniffing, no
//! referrer leaving the hub, no framing, and HSTS when the request reached us over HTTPS.
//!
//! Console pages and GraphiQL add their own Content-Security-Policy; downloads and JSON answers get
//! these too, so a CSV or an error envelope can never be sniffed into HTML.

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
    /// `max_age_secs` 0 sends no HSTS at all.
    pub fn new(max_age_secs: u64) -> Self {
        let hsts = (max_age_secs > 0)
            .then(|| HeaderValue::from_str(&format!("max-age={max_age_secs}")).ok())
            .flatten();
        Self { hsts }
    }

    fn apply(&self, https: bool, headers: &mut HeaderMap) {
        let fixed: [(HeaderName, &'static str); 3] = [
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            // Region codes and record ids in console URLs stay on the hub.
            (header::REFERRER_POLICY, "same-origin"),
            (header::X_FRAME_OPTIONS, "DENY"),
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
    let https = crate::console::session::is_https(req.headers());
    let mut res = next.run(req).await;
    settings.apply(https, res.headers_mut());
    res
}
