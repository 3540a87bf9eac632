//! Spreadsheet uploads (`POST /imports/{kind}`) and their templates; the import itself lives in
//! `services::imports`.

use super::AppState;
use crate::error::AppError;
use crate::http::download;
use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

const KINDS: &str = "imports exist for: contributions, programs, organizations, indicators";

/// Parameters of a spreadsheet upload.
#[derive(Deserialize)]
pub struct ImportParams {
    #[serde(rename = "dryRun", default)]
    dry_run: bool,
    regency: Option<String>,
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// `POST /imports/{contributions,programs,organizations,indicators}` (`?dryRun=true&regency=33.26`), the file as the raw body (`text/csv` or
/// the XLSX type), signed in: the same permissions as the mutations, row by row. Answers the import
/// report as JSON: 200 when the file is good (stored, or counted in a dry run), 400 with every
/// problem otherwise, 403 (same body) when some problem is a permission the caller lacks, 409 (same
/// body) when a record changed while the import ran, 413 (same body, the problem's `code`,
/// `setting` and `limit` naming it) when the file breaks a limit (`import_door`,
/// `services::imports::read`), 503 with `Retry-After` when every import slot is busy.
pub async fn upload(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    headers: HeaderMap,
    Query(p): Query<ImportParams>,
    body: Body,
) -> Response {
    use crate::services::imports::{Format, ImportKind, Importer, Job, Options};
    let Some(kind) = ImportKind::from_segment(&kind) else {
        return AppError::NotFound(KINDS.into()).into_response();
    };
    let viewer = match crate::context::viewer(&state, &headers).await {
        Ok(v) => v,
        Err(res) => return res,
    };
    let user = match viewer
        .user()
        .and_then(|u| crate::services::users::require_own_password(u).map(|()| u))
    {
        Ok(u) => u.clone(),
        Err(e) => return e.into_response(),
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let Some(format) = Format::from_content_type(content_type) else {
        return crate::error::envelope(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            crate::error::Code::BadUserInput,
            &format!("send the file as the body with Content-Type text/csv or {XLSX}"),
            Some("Content-Type"),
        );
    };
    let door = state.imports.clone();
    let _slot = match door.enter() {
        Ok(slot) => slot,
        Err(refused) => return refused.into_response(),
    };
    let body = match door.read_body(&headers, body).await {
        Ok(b) => b,
        Err(refused) => return refused.into_response(),
    };
    let options = Options {
        dry_run: p.dry_run,
        regency: p.regency,
        limits: door.limits,
    };
    let job = Job {
        db: &state.db,
        gate: &state.gate,
        importer: Importer::User(&user),
        bytes: &body,
        format,
        options: &options,
    };
    let result = kind.run(&job, &mut |_, _, _| {}).await;
    match result {
        Ok(report) => {
            let status = if report.problems.is_empty() {
                StatusCode::OK
            } else if report.forbidden {
                StatusCode::FORBIDDEN
            } else if report.conflict {
                StatusCode::CONFLICT
            } else if report.too_large {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::BAD_REQUEST
            };
            (status, Json(report)).into_response()
        }
        Err(e) => e.into_response(),
    }
}

/// `GET /imports/{contributions,programs,organizations,indicators}/template.csv` or `.xlsx`: the headers, an example row, and (XLSX) a
/// "Petunjuk" sheet documenting every column. Public: a template holds no data.
pub async fn template(Path((kind, file)): Path<(String, String)>) -> Response {
    use crate::services::imports::{self, ImportKind};
    let Some(import) = ImportKind::from_segment(&kind) else {
        return AppError::NotFound(KINDS.into()).into_response();
    };
    let (cols, sheet) = (import.columns(), import.sheet());
    match file.as_str() {
        "template.csv" => download(
            imports::template_csv(cols),
            "text/csv; charset=utf-8",
            format!("sinergi-template-{kind}.csv"),
        ),
        "template.xlsx" => match imports::template_xlsx(cols, sheet) {
            Ok(bytes) => download(bytes, XLSX, format!("sinergi-template-{kind}.xlsx")),
            Err(e) => e.into_response(),
        },
        _ => AppError::NotFound("templates: template.csv, template.xlsx".into()).into_response(),
    }
}
