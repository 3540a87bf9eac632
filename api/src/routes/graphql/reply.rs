//! Media types (`Accept` negotiation) and the shapes of `/graphql`'s answers: refusals before
//! execution, successful answers (computed or kept by the response cache), and HTTP caching of GET.

use super::Method;
use crate::error::envelope;
use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";
/// Whether an answer came from the response cache (`hit`), from an identical request in flight
/// (`shared`) or was just computed (`miss`).
pub const CACHE_STATUS: HeaderName = HeaderName::from_static("x-sinergi-cache");

pub(super) const JSON: &str = "application/json";

/// Which response media type the client accepts.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Flavour {
    GraphqlResponse,
    Json,
}

/// The media types of the `Accept` header, lower-cased and without parameters; `None` without one.
pub(crate) fn accepted(headers: &HeaderMap) -> Option<Vec<String>> {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok())?;
    Some(
        accept
            .split(',')
            .map(|t| {
                t.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            })
            .collect(),
    )
}

pub(super) fn negotiate(headers: &HeaderMap) -> Option<Flavour> {
    let Some(types) = accepted(headers) else {
        return Some(Flavour::Json);
    };
    if types.iter().any(|t| t == GRAPHQL_RESPONSE) {
        Some(Flavour::GraphqlResponse)
    } else if types
        .iter()
        .any(|t| t == JSON || t == "application/*" || t == "*/*" || t == "text/event-stream")
    {
        Some(Flavour::Json)
    } else {
        None
    }
}

pub(super) fn request_error(status: StatusCode, flavour: Flavour, message: &str) -> Response {
    let mut res = envelope(status, crate::error::Code::BadUserInput, message, None);
    res.headers_mut()
        .insert(header::CONTENT_TYPE, content_type(flavour));
    res
}

pub(super) fn content_type(flavour: Flavour) -> HeaderValue {
    HeaderValue::from_static(match flavour {
        Flavour::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
        Flavour::Json => "application/json; charset=utf-8",
    })
}

/// A GraphQL request refused before execution: `BAD_USER_INPUT` (or `code`) naming `field`, 400
/// under `application/graphql-response+json` and 200 under `application/json`, never a `data` key.
pub(super) fn refused(
    flavour: Flavour,
    code: crate::error::Code,
    message: &str,
    field: Option<&str>,
) -> Response {
    let status = if flavour == Flavour::GraphqlResponse {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    crate::metrics::set_outcome(code.as_str());
    let mut res = envelope(status, code, message, field);
    res.headers_mut()
        .insert(header::CONTENT_TYPE, content_type(flavour));
    res
}

/// A successful query's answer, kept or just computed: `X-Sinergi-Cache` says which.
pub(super) fn answer(
    flavour: Flavour,
    method: Method,
    signed_in: bool,
    body: Bytes,
    cache: &'static str,
) -> Response {
    let mut res = (StatusCode::OK, body).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, content_type(flavour));
    h.insert(CACHE_STATUS, HeaderValue::from_static(cache));
    if method == Method::Get {
        cache_headers(h, false, signed_in);
    }
    res
}

/// HTTP caching of a GET request's answer.
pub(super) fn cache_headers(h: &mut HeaderMap, failed: bool, signed_in: bool) {
    // Anonymous callers read only public region data, which changes with an import at most;
    // anything read signed in is for that user alone.
    let cache = match (failed, signed_in) {
        (true, _) => "no-store",
        (false, true) => "private, max-age=60",
        (false, false) => "public, max-age=300",
    };
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(
        header::VARY,
        HeaderValue::from_static("Accept, Authorization, Cookie"),
    );
}
