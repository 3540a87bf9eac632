//! HTTP: GraphQL over HTTP (graphql/graphql-over-http) on `/graphql` (GraphiQL for browsers), with
//! persisted operations, introspection rules and `Cache-Control` for queries over GET.
//!
//! Handled by hand rather than by async-graphql-axum's ready-made service, because the spec asks for
//! things that service does not do: JSON-only POST bodies (a form or text/plain POST, which a browser
//! sends cross-site without a preflight, is refused: the CSRF guard), `Accept` negotiation between
//! `application/graphql-response+json` and `application/json`, 4xx for requests that fail before
//! execution under the former, and no mutations over GET.

use super::AppState;
use crate::auth::{Session, Viewer};
use crate::error::envelope;
use crate::limits;
use crate::loaders;
use crate::persisted::PersistedError;
use crate::rate_limit::ClientAddr;
use crate::response_cache::Turn;
use async_graphql::parser::types::OperationType;
use axum::Extension;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tracing::Instrument;

/// `GET /graphql`: GraphiQL, or a query in the address.
mod get;
pub(crate) use get::get_from;
pub use get::{GetParams, get};
/// Media types and the shapes of answers.
mod reply;
pub use reply::CACHE_STATUS;
pub(crate) use reply::accepted;
use reply::{
    Flavour, JSON, answer, cache_headers, content_type, negotiate, refused, request_error,
};

/// The caller named by the `Authorization: Bearer` header, or else by the console's session cookie;
/// a header that is present but not a valid token is refused outright rather than treated as
/// anonymous, so a client never silently reads less. An expired session cookie is anonymous: the
/// console sends its holder to `/masuk`. (Cookies are safe here: the session cookie is
/// `SameSite=Strict` and `/graphql` accepts only JSON bodies.)
pub async fn viewer(state: &AppState, headers: &HeaderMap) -> Result<Viewer, Response> {
    Ok(caller(state, headers).await?.0)
}

/// [`viewer`], with the hub session of the token (none for anonymous and single-sign-on callers),
/// which `logout` ends and `changeOwnPassword` spares. A token whose session ended (signed out, or
/// ended by a password change or reset) is refused like an expired one.
pub async fn caller(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<(Viewer, Option<Session>), Response> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(match crate::auth::session_token(headers) {
            Some(token) => state
                .auth
                .signed_in(&state.db, &token)
                .await
                .unwrap_or((Viewer::Anonymous, None)),
            None => (Viewer::Anonymous, None),
        });
    };
    let refused = |message: &str| {
        let mut res = envelope(
            StatusCode::UNAUTHORIZED,
            crate::error::Code::Unauthenticated,
            message,
            None,
        );
        res.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        res
    };
    let token = match super::observe::parse_bearer(value.as_bytes()) {
        Ok(t) => t,
        Err(why) => return Err(refused(why)),
    };
    match state.auth.signed_in(&state.db, token.trim()).await {
        Ok(v) => Ok(v),
        Err(crate::error::AppError::Unauthenticated) => Err(refused(
            "the token is invalid, expired or signed out: sign in again",
        )),
        Err(e) => Err(e.into_response()),
    }
}

/// Attaches what every operation reads besides its arguments (loaders, connection, draft
/// visibility, viewer, keys, write gate, rate limits, metrics, change feed) to a request.
pub(crate) fn request_data(
    state: &AppState,
    viewer: Viewer,
    request: async_graphql::Request,
) -> async_graphql::Request {
    let visibility = viewer.draft_visibility();
    let request = request
        .data(loaders::for_request(state.db.clone(), visibility.clone()))
        .data(state.db.clone())
        .data(visibility)
        .data(viewer)
        .data(state.auth.clone())
        .data(state.gate.clone())
        .data(state.rate_limiter.clone())
        .data(state.bus.clone());
    match &state.metrics {
        Some(m) => request.data(m.clone()),
        None => request,
    }
}

/// The same data for a WebSocket connection, whose operations share it.
pub(crate) fn data_for(state: &AppState, viewer: Viewer) -> async_graphql::Data {
    request_data(state, viewer, async_graphql::Request::new("")).data
}

/// Runs one GraphQL request as `viewer` with the per-request context every caller shares (loaders,
/// connection, draft visibility, keys, write gate): the `/graphql` handler and the console's pages.
/// Errors without a code (syntax, validation, depth, complexity, input coercion: all raised before
/// execution) get `BAD_USER_INPUT`.
pub async fn execute_as(
    state: &AppState,
    viewer: Viewer,
    mut request: async_graphql::Request,
) -> async_graphql::Response {
    let schema = super::operation::pick_schema(state, &viewer, &mut request);
    let operation = super::operation::name(&mut request);
    let request = request_data(state, viewer, request);
    crate::metrics::set_operation(&operation);
    let span = tracing::info_span!("operation", name = %operation);
    let mut response = schema.execute(request).instrument(span).await;
    for err in &mut response.errors {
        let has_code = err
            .extensions
            .as_ref()
            .is_some_and(|e| e.get("code").is_some());
        if !has_code {
            err.extensions
                .get_or_insert_with(Default::default)
                .set("code", crate::error::Code::BadUserInput.as_str());
        }
    }
    crate::metrics::set_outcome(super::operation::outcome(&response));
    response
}

/// How the request arrived: GET requests are cacheable and may not run mutations.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Method {
    Get,
    Post,
}

/// `/graphql`'s stages, in order, each able to answer early: the request is admitted (persisted
/// document, size, GET rules, document limits), the caller identified (and held to trusted-only
/// operations), streamed if it asks to be, answered from the response cache if it can be, executed,
/// and its answer shaped (status, headers, kept for the next identical query).
async fn execute(
    state: &AppState,
    headers: &HeaderMap,
    flavour: Flavour,
    method: Method,
    addr: ClientAddr,
    mut request: async_graphql::Request,
) -> Response {
    // Before anything is read (the caller's account included), so that an answer read after a
    // change can never be kept as if from before it.
    let generation = state.responses.generation();
    let resolved = match admit(state, flavour, method, &mut request) {
        Ok(r) => r,
        Err(res) => return res,
    };
    let viewer = match identify(state, headers, flavour, resolved, &mut request).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    if super::live::wants_stream(headers) {
        return super::live::sse(state, viewer, request.data(addr));
    }
    if super::live::is_subscription(&mut request) {
        return refused(
            flavour,
            crate::error::Code::BadUserInput,
            "subscriptions run over a WebSocket (graphql-transport-ws) or with Accept: text/event-stream",
            Some("query"),
        );
    }
    let how = How {
        flavour,
        method,
        signed_in: matches!(viewer, Viewer::User(_)),
    };
    let store = match cached(state, how, &viewer, &mut request, generation).await {
        Ok(store) => store,
        Err(kept) => return kept,
    };
    let operation = super::operation::name(&mut request);
    let response = execute_as(state, viewer, request.data(addr)).await;
    reply(state, how, response, store, operation)
}

/// How an answer is to be written: its media type, the method (GET answers carry cache headers)
/// and whether the caller signed in (its answers are private).
#[derive(Clone, Copy)]
struct How {
    flavour: Flavour,
    method: Method,
    signed_in: bool,
}

/// A query's answer is to be kept under `key` (and shared with identical requests waiting on
/// `leader`), if it succeeds.
struct Store<'a> {
    key: crate::response_cache::Key,
    leader: Option<crate::response_cache::Leader<'a>>,
    generation: u64,
}

/// The checks made before the caller is even looked up: the persisted document, a non-empty and
/// bounded query, no mutation over GET, the document's depth and breadth.
fn admit(
    state: &AppState,
    flavour: Flavour,
    method: Method,
    request: &mut async_graphql::Request,
) -> Result<crate::persisted::Resolved, Response> {
    let bad = |why: &str, field: &str| {
        refused(flavour, crate::error::Code::BadUserInput, why, Some(field))
    };
    let resolved = match state.persisted.resolve(request) {
        Ok(r) => r,
        Err(PersistedError::NotFound) => {
            // Apollo's clients match the message; others the code. Either way they resend the
            // document with its hash.
            return Err(refused(
                flavour,
                crate::error::Code::PersistedQueryNotFound,
                "PersistedQueryNotFound",
                None,
            ));
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
        return Err(res);
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
async fn identify(
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
async fn cached<'a>(
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
    if super::operation::kind(request) != Some(OperationType::Query) {
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
fn reply(
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

/// `POST /graphql`: a JSON GraphQL request.
pub async fn post(
    State(state): State<AppState>,
    Extension(addr): Extension<ClientAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(flavour) = negotiate(&headers) else {
        return request_error(
            StatusCode::NOT_ACCEPTABLE,
            Flavour::Json,
            "accept application/graphql-response+json or application/json",
        );
    };
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case(JSON));
    if !is_json {
        return request_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            flavour,
            "POST a JSON body with Content-Type: application/json",
        );
    }
    match serde_json::from_slice::<async_graphql::Request>(&body) {
        Ok(request) => execute(&state, &headers, flavour, Method::Post, addr, request).await,
        Err(e) => request_error(
            StatusCode::BAD_REQUEST,
            flavour,
            &format!("the body is not a GraphQL request: {e}"),
        ),
    }
}
