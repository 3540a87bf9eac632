//! Layers in front of every route: the request id and span (with a W3C `traceparent`'s trace id),
//! metrics, the client address, rate limits, and turning a panic into a 500 `INTERNAL`.

use super::AppState;
use crate::context::parse_bearer;
use crate::error::envelope;
use crate::metrics::{self, RequestStats};
use crate::rate_limit::ClientAddr;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;
use tracing::Instrument;

/// The header carrying the request id, echoed on every response.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// A caller's own request id is kept when it is short and plain; otherwise the hub makes one.
fn request_id(headers: &HeaderMap) -> String {
    headers
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            (8..=64).contains(&v.len())
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::now_v7().simple().to_string())
}

/// The trace id of a valid W3C `traceparent` (`00-<32 hex>-<16 hex>-<2 hex>`), so the hub's log
/// lines join the caller's trace.
pub fn trace_id(headers: &HeaderMap) -> Option<String> {
    let v = headers.get("traceparent")?.to_str().ok()?;
    let parts: Vec<&str> = v.trim().split('-').collect();
    let hex = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
    let [version, trace, parent, flags] = parts.as_slice() else {
        return None;
    };
    let valid = hex(version, 2)
        && *version != "ff"
        && hex(trace, 32)
        && trace.bytes().any(|b| b != b'0')
        && hex(parent, 16)
        && parent.bytes().any(|b| b != b'0')
        && hex(flags, 2);
    valid.then(|| trace.to_ascii_lowercase())
}

/// The client address: the TCP peer, or the last address of the configured proxy header.
fn client_addr(state: &AppState, req: &Request) -> ClientAddr {
    if let Some(name) = &state.client_ip_header {
        let from_header = req
            .headers()
            .get_all(name.as_str())
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse::<IpAddr>().ok())
            .next_back();
        if from_header.is_some() {
            return ClientAddr(from_header);
        }
    }
    ClientAddr(
        req.extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip()),
    )
}

/// Outermost layer: request id, span, per-request statistics and metrics, one log line.
pub async fn observe(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let start = Instant::now();
    let id = request_id(req.headers());
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let addr = client_addr(&state, &req);
    req.extensions_mut().insert(addr);
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %req.method(),
        route = %route,
        trace_id = tracing::field::Empty,
    );
    if let Some(trace) = trace_id(req.headers()) {
        span.record("trace_id", trace.as_str());
    }
    crate::telemetry::set_parent(&span, req.headers());
    let stats = Arc::new(RequestStats::default());
    let mut res = metrics::scope(stats.clone(), next.run(req).instrument(span.clone())).await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID, v);
    }
    let elapsed = start.elapsed();
    if let Some(m) = &state.metrics {
        m.observe(&stats, &route, res.status().as_u16(), elapsed.as_secs_f64());
    }
    span.in_scope(|| {
        tracing::info!(
            status = res.status().as_u16(),
            elapsed_ms = elapsed.as_secs_f64() * 1000.0,
            statements = stats.statements(),
            "request"
        )
    });
    res
}

/// Routes that are never rate-limited: probes and the metrics scrape.
fn exempt(path: &str) -> bool {
    matches!(path, "/health" | "/ready" | "/metrics")
}

/// Per signed-in user (a valid token's subject) or, for anonymous callers, per client address.
pub async fn rate_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if exempt(req.uri().path()) {
        return next.run(req).await;
    }
    let token = bearer(req.headers())
        .map(str::to_string)
        .or_else(|| crate::auth::session_token(req.headers()));
    let subject = token.and_then(|t| state.auth.subject(&t));
    let addr = req
        .extensions()
        .get::<ClientAddr>()
        .copied()
        .unwrap_or(ClientAddr(None));
    match state.rate_limiter.request(subject.as_deref(), addr) {
        Ok(()) => next.run(req).await,
        Err(limited) => {
            if let Some(m) = &state.metrics {
                m.rate_limited(limited.scope.label());
            }
            crate::error::AppError::RateLimited {
                retry_after_secs: limited.retry_after_secs,
            }
            .into_response()
        }
    }
}

/// The token of an `Authorization: Bearer` header, if the header has that form.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    parse_bearer(headers.get(header::AUTHORIZATION)?.as_bytes()).ok()
}

/// The answer to a request whose handler panicked: 500 `INTERNAL`. The panic itself is logged once
/// by the panic hook (`telemetry::init`), inside the request's span, so with its request id.
pub fn panic_response(
    metrics: Option<Arc<crate::metrics::Metrics>>,
) -> impl Fn(Box<dyn std::any::Any + Send + 'static>) -> Response + Clone {
    move |_panic| {
        if let Some(m) = &metrics {
            m.panicked();
        }
        envelope(
            StatusCode::INTERNAL_SERVER_ERROR,
            crate::error::Code::Internal,
            "internal error",
            None,
        )
    }
}
