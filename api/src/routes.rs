//! HTTP: GraphQL over HTTP (graphql/graphql-over-http) on `/graphql`, GraphiQL for browsers, and the
//! health and readiness probes.
//!
//! Handled by hand rather than by async-graphql-axum's ready-made service, because the spec asks for
//! things that service does not do: JSON-only POST bodies (a form or text/plain POST, which a browser
//! sends cross-site without a preflight, is refused: the CSRF guard), `Accept` negotiation between
//! `application/graphql-response+json` and `application/json`, 4xx for requests that fail before
//! execution under the former, and no mutations over GET.

use crate::auth::{Auth, Viewer};
use crate::db;
use crate::limits::{self, QueryLimits};
use crate::loaders;
use crate::schema::AppSchema;
use crate::services::writes::WriteGate;
use async_graphql::http::GraphiQLSource;
use async_graphql::parser::types::OperationType;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use sea_orm::DatabaseConnection;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

/// What every handler needs.
#[derive(Clone)]
pub struct AppState {
    /// The GraphQL schema (immutable, shared).
    pub schema: AppSchema,
    /// The connection pool.
    pub db: DatabaseConnection,
    /// Limits checked before execution.
    pub limits: QueryLimits,
    /// Token keys.
    pub auth: Arc<Auth>,
    /// Serialises writers on SQLite.
    pub gate: WriteGate,
}

/// The hub's router.
///
/// Spreadsheet uploads (`POST /imports/{kind}`) get their own, larger body limit
/// (`max_import_bytes`); every other route keeps `max_body_bytes`.
pub fn router(
    state: AppState,
    max_body_bytes: usize,
    max_import_bytes: usize,
    timeout: Duration,
) -> Router {
    let imports = Router::new()
        .route("/imports/{kind}", post(import_upload))
        .route("/imports/{kind}/{file}", get(import_template))
        .layer(DefaultBodyLimit::max(max_import_bytes))
        .layer(RequestBodyLimitLayer::new(max_import_bytes));
    Router::new()
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route("/exports/lp2kd.xlsx", get(export_workbook))
        .route("/exports/contributions.csv", get(export_csv))
        .route("/health", get(health))
        .route("/ready", get(ready))
        .layer(RequestBodyLimitLayer::new(max_body_bytes))
        .merge(imports)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            timeout,
        ))
        .with_state(state)
}

/// Alive: the process answers.
async fn health() -> &'static str {
    "ok"
}

/// Ready: the database answers and every migration is applied.
async fn ready(State(state): State<AppState>) -> Response {
    if db::is_ready(&state.db).await {
        (StatusCode::OK, "ready").into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "database unreachable or not migrated",
        )
            .into_response()
    }
}

/// Which response media type the client accepts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flavour {
    GraphqlResponse,
    Json,
}

fn negotiate(headers: &HeaderMap) -> Option<Flavour> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Some(Flavour::Json);
    };
    let types: Vec<String> = accept
        .split(',')
        .map(|t| {
            t.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .collect();
    if types.iter().any(|t| t == GRAPHQL_RESPONSE) {
        Some(Flavour::GraphqlResponse)
    } else if types
        .iter()
        .any(|t| t == JSON || t == "application/*" || t == "*/*")
    {
        Some(Flavour::Json)
    } else {
        None
    }
}

fn request_error(status: StatusCode, flavour: Flavour, message: &str) -> Response {
    let body = serde_json::json!({ "errors": [{ "message": message, "extensions": { "code": "BAD_REQUEST" } }] });
    let mut res = (status, Json(body)).into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, content_type(flavour));
    res
}

fn content_type(flavour: Flavour) -> HeaderValue {
    HeaderValue::from_static(match flavour {
        Flavour::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
        Flavour::Json => "application/json; charset=utf-8",
    })
}

/// The caller named by the `Authorization: Bearer` header; a header that is present but not a valid
/// token is refused outright rather than treated as anonymous, so a client never silently reads less.
async fn viewer(state: &AppState, headers: &HeaderMap) -> Result<Viewer, Response> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(Viewer::Anonymous);
    };
    let token = value.to_str().ok().and_then(|v| {
        v.strip_prefix("Bearer ")
            .or_else(|| v.strip_prefix("bearer "))
    });
    let refused = |message: &str| {
        let body = serde_json::json!({ "errors": [{ "message": message, "extensions": { "code": "UNAUTHENTICATED" } }] });
        let mut res = (StatusCode::UNAUTHORIZED, Json(body)).into_response();
        res.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        res
    };
    let Some(token) = token else {
        return Err(refused("the Authorization header must be `Bearer <token>`"));
    };
    match state.auth.viewer(&state.db, token.trim()).await {
        Ok(v) => Ok(v),
        Err(crate::error::AppError::Unauthenticated) => {
            Err(refused("the token is invalid or expired: sign in again"))
        }
        Err(e) => {
            tracing::error!(error = ?e, "cannot check a token");
            let body = serde_json::json!({ "errors": [{ "message": "internal error", "extensions": { "code": "INTERNAL" } }] });
            Err((StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response())
        }
    }
}

async fn execute(
    state: &AppState,
    headers: &HeaderMap,
    flavour: Flavour,
    request: async_graphql::Request,
) -> Response {
    if let Err(why) = limits::check(&request.query, &state.limits) {
        let status = if flavour == Flavour::GraphqlResponse {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        };
        let body = serde_json::json!({ "errors": [{ "message": why, "extensions": { "code": "BAD_USER_INPUT", "field": "query" } }] });
        let mut res = (status, Json(body)).into_response();
        res.headers_mut()
            .insert(header::CONTENT_TYPE, content_type(flavour));
        return res;
    }
    let viewer = match viewer(state, headers).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let visibility = viewer.draft_visibility();
    let request = request
        .data(loaders::for_request(state.db.clone(), visibility.clone()))
        .data(state.db.clone())
        .data(visibility)
        .data(viewer)
        .data(state.auth.clone())
        .data(state.gate.clone());
    let mut response = state.schema.execute(request).await;
    // Errors raised before execution (syntax, validation, depth, complexity, input coercion) come from
    // async-graphql without a code; they are all the caller's to fix.
    for err in &mut response.errors {
        let has_code = err
            .extensions
            .as_ref()
            .is_some_and(|e| e.get("code").is_some());
        if !has_code {
            err.extensions
                .get_or_insert_with(Default::default)
                .set("code", "BAD_USER_INPUT");
        }
    }
    // Under application/graphql-response+json a request that never reached execution (syntax,
    // validation, limits) answers 400; under application/json every well-formed request answers 200.
    let status = if flavour == Flavour::GraphqlResponse
        && response.data == async_graphql::Value::Null
        && response.is_err()
    {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let mut res = (status, Json(response)).into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, content_type(flavour));
    res
}

async fn graphql_post(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
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
        Ok(request) => execute(&state, &headers, flavour, request).await,
        Err(e) => request_error(
            StatusCode::BAD_REQUEST,
            flavour,
            &format!("the body is not a GraphQL request: {e}"),
        ),
    }
}

/// Query-string form of a GraphQL request.
#[derive(Deserialize)]
struct GetParams {
    query: Option<String>,
    #[serde(rename = "operationName")]
    operation_name: Option<String>,
    variables: Option<String>,
}

async fn graphql_get(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<GetParams>,
) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    let Some(query) = params.query else {
        if wants_html {
            return Html(
                GraphiQLSource::build()
                    .endpoint("/graphql")
                    .title("Sinergi GraphiQL")
                    .finish(),
            )
            .into_response();
        }
        return request_error(
            StatusCode::BAD_REQUEST,
            Flavour::Json,
            "a GET request needs a `query` parameter",
        );
    };
    let Some(flavour) = negotiate(&headers) else {
        return request_error(
            StatusCode::NOT_ACCEPTABLE,
            Flavour::Json,
            "accept application/graphql-response+json or application/json",
        );
    };
    if let Ok(doc) = async_graphql::parser::parse_query(&query) {
        let is_mutation = doc.operations.iter().any(|(name, op)| {
            let selected = match (&params.operation_name, name) {
                (Some(wanted), Some(n)) => n.as_str() == wanted,
                _ => true,
            };
            selected && op.node.ty != OperationType::Query
        });
        if is_mutation {
            let mut res = request_error(
                StatusCode::METHOD_NOT_ALLOWED,
                flavour,
                "only queries may be sent over GET; POST mutations",
            );
            res.headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("POST"));
            return res;
        }
    }
    let mut request = async_graphql::Request::new(query);
    if let Some(op) = params.operation_name {
        request = request.operation_name(op);
    }
    if let Some(vars) = params.variables {
        match serde_json::from_str::<HashMap<String, serde_json::Value>>(&vars) {
            Ok(v) => {
                request = request.variables(async_graphql::Variables::from_json(
                    serde_json::Value::Object(v.into_iter().collect()),
                ));
            }
            Err(_) => {
                return request_error(
                    StatusCode::BAD_REQUEST,
                    flavour,
                    "`variables` must be a JSON object",
                );
            }
        }
    }
    execute(&state, &headers, flavour, request).await
}

/// Parameters of the TKPK workbook download.
#[derive(Deserialize)]
struct WorkbookParams {
    region: String,
    year: i32,
    semester: Option<u8>,
}

/// Parameters of the CSV download: `filter` is a JSON `ContributionFilter`, as in GraphQL.
#[derive(Deserialize)]
struct CsvParams {
    filter: Option<String>,
}

fn error_json(status: StatusCode, code: &str, message: &str, field: Option<&str>) -> Response {
    let mut ext = serde_json::json!({ "code": code });
    if let Some(f) = field {
        ext["field"] = f.into();
    }
    (
        status,
        Json(serde_json::json!({ "errors": [{ "message": message, "extensions": ext }] })),
    )
        .into_response()
}

fn app_error(e: crate::error::AppError) -> Response {
    use crate::error::AppError as E;
    match &e {
        E::BadInput { field, message } => {
            error_json(StatusCode::BAD_REQUEST, e.code(), message, Some(field))
        }
        E::Unauthenticated => error_json(StatusCode::UNAUTHORIZED, e.code(), &e.to_string(), None),
        E::Forbidden(m) => error_json(StatusCode::FORBIDDEN, e.code(), m, None),
        E::NotFound(m) => error_json(StatusCode::NOT_FOUND, e.code(), m, None),
        E::Conflict(m) => error_json(StatusCode::CONFLICT, e.code(), m, None),
        E::Internal(cause) => {
            tracing::error!(error = ?cause, "internal error in an export");
            error_json(
                StatusCode::INTERNAL_SERVER_ERROR,
                e.code(),
                "internal error",
                None,
            )
        }
    }
}

/// The caller of a download, who must be a coordinator or an admin.
async fn coordinator(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<entity::user::Model, Response> {
    let viewer = viewer(state, headers).await?;
    let user = viewer.user().map_err(app_error)?.clone();
    if !matches!(
        user.role,
        entity::enums::Role::Admin | entity::enums::Role::Coordinator
    ) {
        return Err(app_error(crate::error::AppError::Forbidden(
            "downloads are for coordinators".into(),
        )));
    }
    Ok(user)
}

fn download(bytes: Vec<u8>, content_type: &'static str, filename: String) -> Response {
    let mut res = (StatusCode::OK, bytes).into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// The TKPK workbook of a region for a year (`semester` 1 or 2 for half a year): coordinators of the
/// region and admins.
async fn export_workbook(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(p): Query<WorkbookParams>,
) -> Response {
    use crate::services::reports::{Period, workbook};
    let user = match coordinator(&state, &headers).await {
        Ok(u) => u,
        Err(res) => return res,
    };
    let region = match crate::region_code::RegionCode::parse(&p.region) {
        Ok(r) => r,
        Err(m) => {
            return error_json(
                StatusCode::BAD_REQUEST,
                "BAD_USER_INPUT",
                &m,
                Some("region"),
            );
        }
    };
    if !crate::services::FISCAL_YEARS.contains(&p.year) {
        return error_json(
            StatusCode::BAD_REQUEST,
            "BAD_USER_INPUT",
            "a fiscal year between 2000 and 2100",
            Some("year"),
        );
    }
    let period = match p.semester {
        None => Period::Year,
        Some(1) => Period::FirstSemester,
        Some(2) => Period::SecondSemester,
        Some(_) => {
            return error_json(
                StatusCode::BAD_REQUEST,
                "BAD_USER_INPUT",
                "semester is 1 or 2",
                Some("semester"),
            );
        }
    };
    let actor = crate::services::authz::Actor(&user);
    if let Err(e) = actor.require_coordinator_of(region.as_str(), "download this region's report") {
        return app_error(e);
    }
    let vis = crate::auth::Viewer::User(Box::new(user.clone())).draft_visibility();
    match workbook(&state.db, &region, p.year, period, &vis).await {
        Ok(bytes) => download(
            bytes,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            format!(
                "sinergi-{}-{}{}.xlsx",
                region,
                p.year,
                p.semester.map(|s| format!("-s{s}")).unwrap_or_default()
            ),
        ),
        Err(e) => app_error(e),
    }
}

/// Contributions matching a filter, as CSV: coordinators and admins (drafts as they may see them).
async fn export_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(p): Query<CsvParams>,
) -> Response {
    use crate::schema::types::contribution::{ContributionFilter, check_filter};
    use async_graphql::InputType;
    let user = match coordinator(&state, &headers).await {
        Ok(u) => u,
        Err(res) => return res,
    };
    let input = match &p.filter {
        None => None,
        Some(text) => {
            let json: serde_json::Value = match serde_json::from_str(text) {
                Ok(j) => j,
                Err(_) => {
                    return error_json(
                        StatusCode::BAD_REQUEST,
                        "BAD_USER_INPUT",
                        "filter must be JSON",
                        Some("filter"),
                    );
                }
            };
            match <ContributionFilter as InputType>::parse(Some(
                async_graphql::Value::from_json(json).unwrap_or_default(),
            )) {
                Ok(f) => Some(f),
                Err(e) => {
                    return error_json(
                        StatusCode::BAD_REQUEST,
                        "BAD_USER_INPUT",
                        &e.into_server_error(Default::default()).message,
                        Some("filter"),
                    );
                }
            }
        }
    };
    let filter = match check_filter(input) {
        Ok(f) => f,
        Err(e) => return app_error(e),
    };
    let vis = crate::auth::Viewer::User(Box::new(user)).draft_visibility();
    match crate::services::reports::contributions_csv(&state.db, &filter, &vis).await {
        Ok(bytes) => download(
            bytes,
            "text/csv; charset=utf-8",
            "sinergi-kontribusi.csv".into(),
        ),
        Err(e) => app_error(e),
    }
}

/// Parameters of a spreadsheet upload.
#[derive(Deserialize)]
struct ImportParams {
    #[serde(rename = "dryRun", default)]
    dry_run: bool,
    regency: Option<String>,
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// `POST /imports/{contributions,programs,organizations,indicators}` (`?dryRun=true&regency=33.26`), the file as the raw body (`text/csv` or
/// the XLSX type), signed in: the same permissions as the mutations, row by row. Answers the import
/// report as JSON: 200 when the file is good (stored, or counted in a dry run), 400 with every
/// problem otherwise, 403 (same body) when some problem is a permission the caller lacks.
async fn import_upload(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    headers: HeaderMap,
    Query(p): Query<ImportParams>,
    body: Bytes,
) -> Response {
    use crate::services::imports::{self, Format, Importer, Options};
    if imports::kind(&kind).is_none() {
        return error_json(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "imports exist for: contributions, programs, organizations, indicators",
            None,
        );
    }
    let viewer = match viewer(&state, &headers).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let user = match viewer.user() {
        Ok(u) => u.clone(),
        Err(e) => return app_error(e),
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let Some(format) = Format::from_content_type(content_type) else {
        return error_json(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "BAD_REQUEST",
            &format!("send the file as the body with Content-Type text/csv or {XLSX}"),
            None,
        );
    };
    let options = Options {
        dry_run: p.dry_run,
        regency: p.regency,
    };
    let mut quiet = |_: &str, _: usize, _: usize| {};
    let importer = Importer::User(&user);
    let result = if kind == "programs" {
        imports::programs(&state.db, &state.gate, importer, &body, format, &options).await
    } else if kind == "organizations" {
        imports::organizations(&state.db, &state.gate, importer, &body, format, &options).await
    } else if kind == "indicators" {
        imports::indicators(
            &state.db,
            &state.gate,
            importer,
            &body,
            format,
            &options,
            &mut quiet,
        )
        .await
    } else {
        imports::contributions(
            &state.db,
            &state.gate,
            importer,
            &body,
            format,
            &options,
            &mut quiet,
        )
        .await
    };
    match result {
        Ok(report) => {
            let status = if report.problems.is_empty() {
                StatusCode::OK
            } else if report.forbidden {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::BAD_REQUEST
            };
            (status, Json(report)).into_response()
        }
        Err(e) => app_error(e),
    }
}

/// `GET /imports/{contributions,programs,organizations,indicators}/template.csv` or `.xlsx`: the headers, an example row, and (XLSX) a
/// "Petunjuk" sheet documenting every column. Public: a template holds no data.
async fn import_template(Path((kind, file)): Path<(String, String)>) -> Response {
    use crate::services::imports;
    let Some((cols, sheet)) = imports::kind(&kind) else {
        return error_json(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "imports exist for: contributions, programs, organizations, indicators",
            None,
        );
    };
    match file.as_str() {
        "template.csv" => download(
            imports::template_csv(cols),
            "text/csv; charset=utf-8",
            format!("sinergi-template-{kind}.csv"),
        ),
        "template.xlsx" => match imports::template_xlsx(cols, sheet) {
            Ok(bytes) => download(bytes, XLSX, format!("sinergi-template-{kind}.xlsx")),
            Err(e) => app_error(e),
        },
        _ => error_json(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "templates: template.csv, template.xlsx",
            None,
        ),
    }
}
