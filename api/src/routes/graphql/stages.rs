//! The stages of [`super::execute`] after which `/graphql` may answer early: admitting the
//! request, identifying its caller, the response cache, and shaping the executed answer.

use super::super::AppState;
use super::Method;
use super::reply::{Flavour, answer, cache_headers, content_type, refused, request_error};
use crate::auth::Viewer;
use crate::context::caller;
use crate::limits;
use crate::persisted::PersistedError;
use crate::response_cache::Turn;
use async_graphql::parser::types::OperationType;
use axum::Json;
use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// How an answer is to be written: its media type, the method (GET answers carry cache headers)
/// and whether the caller signed in (its answers are private).
#[derive(Clone, Copy)]
pub(super) struct How {
    pub flavour: Flavour,
    pub method: Method,
    pub signed_in: bool,
}

/// A query's answer is to be kept under `key` (and shared with identical requests waiting on
/// `leader`), if it succeeds.
pub(super) struct Store<'a> {
    key: crate::response_cache::Key,
    leader: Option<crate::response_cache::Leader<'a>>,
    generation: u64,
}

/// The checks made before the caller is even looked up: the persisted document, a non-empty and
/// bounded query, no mutation over GET, the document's depth and breadth.
pub(super) fn admit(
    state: &AppState,
    flavour: Flavour,
    method: Method,
    request: &mut async_graphql::Request,
) -> Result<crate::persisted::Resolved, Box<Response>> {
    let bad = |why: &str, field: &str| {
        Box::new(refused(
            flavour,
            crate::error::Code::BadUserInput,
            why,
            Some(field),
        ))
    };
    let resolved = match state.persisted.resolve(request) {
        Ok(r) => r,
        Err(PersistedError::NotFound) => {
            // Apollo's clients match the message; others the code. Either way they resend the
            // document with its hash.
            return Err(Box::new(refused(
                flavour,
                crate::error::Code::PersistedQueryNotFound,
                "PersistedQueryNotFound",
                None,
            )));
        }
        Err(PersistedError::BadExtension(why)) => {
            return Err(bad(why, "extensions.persistedQuery"));
        }
    };
    if request.query.is_empty() {
        return Err(bad("the request has no `query`", "query"));
    }
    if let Err(why) = limits::check_size(&request.query, &state.limits) {
        return Err(bad(&why, "query"));
    }
    if method == Method::Get
        && let Some(res) = refuse_mutation_over_get(flavour, request)
    {
        return Err(Box::new(res));
    }
    // Parsed once here and kept in the request for everything below, execution included.
    // Unparsable text passes: the executor reports the syntax error itself.
    if let Ok(doc) = request.parsed_query()
        && let Err(why) = limits::check_document(doc, &state.limits)
    {
        return Err(bad(&why, "query"));
    }
    Ok(resolved)
}

/// The caller, its hub session put on the request; a hub that runs only trusted operations
/// refuses others' documents here (admins may run any), and a newly registered persisted
/// document is remembered only once its caller is known.
pub(super) async fn identify(
    state: &AppState,
    headers: &HeaderMap,
    flavour: Flavour,
    resolved: crate::persisted::Resolved,
    request: &mut async_graphql::Request,
) -> Result<Viewer, Response> {
    let (viewer, session) = caller(state, headers).await?;
    if let Some(s) = session {
        request.data.insert(s);
    }
    let is_admin = matches!(&viewer, Viewer::User(u) if u.role == entity::enums::Role::Admin);
    if state.persisted.trusted_only() && !is_admin && !resolved.trusted {
        return Err(refused(
            flavour,
            crate::error::Code::Forbidden,
            "this hub runs only its approved (trusted) operations; ask its operator to add yours",
            None,
        ));
    }
    if let Some((id, doc)) = resolved.register {
        state.persisted.remember(id, doc);
    }
    Ok(viewer)
}

/// The response cache's part: an answer kept earlier or computed by an identical request in
/// flight (`Err`, to be sent as it is), or where to keep this one's (`Ok`; `None` when it is not
/// a cacheable query).
pub(super) async fn cached<'a>(
    state: &'a AppState,
    how: How,
    viewer: &Viewer,
    request: &mut async_graphql::Request,
    generation: u64,
) -> Result<Option<Store<'a>>, Response> {
    let key = state
        .responses
        .enabled()
        .then(|| crate::response_cache::Key::new(viewer, request));
    let Some(key) = key else {
        return Ok(None);
    };
    if let Some(hit) = state.responses.get(&key) {
        return Err(kept(state, how, hit, "hit"));
    }
    if crate::context::operation::kind(request) != Some(OperationType::Query) {
        return Ok(None);
    }
    let mut leader = None;
    match state.responses.turn(&key, generation) {
        Turn::Lead(l) => leader = Some(l),
        Turn::Follow(outcome) => {
            if let Some(hit) = crate::response_cache::follow(outcome).await {
                return Err(kept(state, how, hit, "shared"));
            }
        }
        Turn::Alone => {}
    }
    Ok(Some(Store {
        key,
        leader,
        generation,
    }))
}

/// The executed request's answer: 429 with `Retry-After` when a rate limit refused it, 400 under
/// `application/graphql-response+json` when it never reached execution, else 200; a successful
/// query's answer is kept (and shared) when `store` says where.
pub(super) fn finish(
    state: &AppState,
    how: How,
    response: async_graphql::Response,
    store: Option<Store<'_>>,
    operation: String,
) -> Response {
    let How {
        flavour, method, ..
    } = how;
    let retry_after = response.errors.iter().find_map(|e| {
        e.extensions
            .as_ref()
            .and_then(|x| match x.get("retryAfter") {
                Some(async_graphql::Value::Number(n)) => n.as_u64(),
                _ => None,
            })
    });
    // Under application/graphql-response+json a request that never reached execution (syntax,
    // validation, limits) answers 400 without a `data` key; under application/json every
    // well-formed request answers 200.
    let not_executed = response.data == async_graphql::Value::Null && response.is_err();
    let status = if retry_after.is_some() {
        StatusCode::TOO_MANY_REQUESTS
    } else if flavour == Flavour::GraphqlResponse && not_executed {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let failed = response.is_err();
    if let Some(store) = store
        && !failed
        && response.http_headers.is_empty()
    {
        return keep(state, how, &response, store, operation);
    }
    let mut res = if flavour == Flavour::GraphqlResponse && not_executed {
        (
            status,
            Json(serde_json::json!({ "errors": response.errors })),
        )
            .into_response()
    } else {
        (status, Json(response)).into_response()
    };
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, content_type(flavour));
    if let Some(secs) = retry_after {
        h.insert(header::RETRY_AFTER, secs.into());
    }
    if method == Method::Get {
        cache_headers(h, failed, how.signed_in);
    }
    res
}

/// Keeps a successful query's answer for the next identical request (and hands it to those
/// waiting on this one), then sends it.
fn keep(
    state: &AppState,
    how: How,
    response: &async_graphql::Response,
    store: Store<'_>,
    operation: String,
) -> Response {
    let body = match serde_json::to_vec(response) {
        Ok(b) => Bytes::from(b),
        Err(e) => return crate::error::AppError::from(anyhow::Error::from(e)).into_response(),
    };
    if let Some(l) = store.leader {
        l.share(body.clone(), operation.clone());
    }
    state
        .responses
        .put(store.key, store.generation, body.clone(), operation);
    if let Some(m) = &state.metrics {
        m.response_cache("miss");
    }
    answer(how.flavour, how.method, how.signed_in, body, "miss")
}

/// An answer computed earlier (`hit`) or by an identical request in flight (`shared`).
fn kept(
    state: &AppState,
    how: How,
    hit: crate::response_cache::Hit,
    source: &'static str,
) -> Response {
    crate::metrics::set_operation(&hit.operation);
    crate::metrics::set_outcome("OK");
    if let Some(m) = &state.metrics {
        m.response_cache(source);
    }
    answer(how.flavour, how.method, how.signed_in, hit.body, source)
}

/// 405 for a GET whose selected operation is a mutation (a subscription is fine: `EventSource`
/// can only GET).
fn refuse_mutation_over_get(
    flavour: Flavour,
    request: &mut async_graphql::Request,
) -> Option<Response> {
    let wanted = request.operation_name.clone();
    let doc = request.parsed_query().ok()?;
    let is_mutation = doc.operations.iter().any(|(name, op)| {
        let selected = match (&wanted, name) {
            (Some(wanted), Some(n)) => n.as_str() == wanted,
            _ => true,
        };
        selected && op.node.ty == OperationType::Mutation
    });
    if !is_mutation {
        return None;
    }
    let mut res = request_error(
        StatusCode::METHOD_NOT_ALLOWED,
        flavour,
        "only queries may be sent over GET; POST mutations",
    );
    res.headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("POST"));
    Some(res)
}
