//! Impor: a spreadsheet of contributions, programs, organizations or village indicators, uploaded
//! in the browser. The upload is a dry run (`services::imports`, as the signed-in user, the same
//! service as `POST /imports/{kind}` and `sinergi import`): it shows how many rows would be added,
//! updated and left unchanged, and every problem as a table. A clean file is kept on the server
//! ([`super::impor_simpan`]) and the user confirms; the confirmation imports that same file.
//! Templates download beside the form; a file over `max_import_bytes` gets a page naming the
//! command line.

use super::impor_simpan::{self as pending, Pending};
use super::impor_unggah::FILE;
// The upload reader was first written here; its paths stay valid.
pub use super::impor_unggah::{ENVELOPE, Upload, UploadError, read_upload};
use crate::console::forms::{self, Form};
use crate::console::page::{Ctx, Failure};
use crate::console::words as w;
use crate::import_door::ImportDoor;
use crate::services::imports::{Format, ImportKind, Importer, Job, Options, Report};
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Multipart, Query};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use maud::{Markup, html};
use std::collections::HashMap;

/// The upload limit of the console's import (the server's `max_import_bytes`).
#[derive(Clone, Copy)]
pub struct ImportLimit(pub usize);

/// The kinds, with their Indonesian names.
const KINDS: [(ImportKind, &str); 4] = [
    (ImportKind::Contributions, "Kontribusi"),
    (
        ImportKind::Programs,
        "Program (dengan target tahunan dan desa sasaran)",
    ),
    (ImportKind::Organizations, "Organisasi"),
    (ImportKind::Indicators, "Indikator desa"),
];

fn kind_name(kind: ImportKind) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, n)| *n)
        .unwrap_or("")
}

/// `GET /impor`: the upload form, the templates, and (after a confirmed import) what it stored.
pub async fn page(
    ctx: Ctx,
    Extension(limit): Extension<ImportLimit>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let user = match ctx.require_user() {
        Ok(u) => u.clone(),
        Err(f) => return ctx.fail(f),
    };
    let kind = q
        .get("jenis")
        .and_then(|k| ImportKind::from_segment(k))
        .unwrap_or(ImportKind::Contributions);
    let regency = user
        .region_scope
        .clone()
        .filter(|s| s.split('.').count() == 2)
        .unwrap_or_default();
    let done = q.get("selesai").map(|_| {
        let n = |k: &str| q.get(k).and_then(|v| v.parse::<usize>().ok()).unwrap_or(0);
        html! {
            p.note role="status" #hasil-impor {
                (w::IMPORT_DONE) " " (n("ditambah")) " " (w::IMPORT_ADDED) ", " (n("diperbarui")) " "
                (w::IMPORT_UPDATED) ", " (n("tetap")) " " (w::IMPORT_UNCHANGED) "."
            }
        }
    });
    let body = html! {
        h1 { (w::IMPORT_TITLE) }
        @if let Some(d) = done { (d) }
        (upload_form(&ctx, kind, &regency, limit))
        (templates())
    };
    ctx.render(w::IMPORT_TITLE, body)
}

fn upload_form(ctx: &Ctx, kind: ImportKind, regency: &str, limit: ImportLimit) -> Markup {
    html! {
        form.write method="post" action="/impor" enctype="multipart/form-data" id="form-impor" hx-boost="false" {
            input type="hidden" name="csrf" value=(ctx.csrf);
            p { (w::IMPORT_HELP) }
            div.form-grid {
                div.field {
                    label for="jenis" { (w::IMPORT_KIND) }
                    select #jenis name="jenis" {
                        @for (k, n) in KINDS { option value=(k.segment()) selected[k == kind] { (n) } }
                    }
                }
                div.field {
                    label for="kabupaten" { (w::IMPORT_REGENCY) }
                    input #kabupaten name="kabupaten" value=(regency) aria-describedby="kabupaten-petunjuk";
                    p.hint.muted #kabupaten-petunjuk { (w::IMPORT_REGENCY_HINT) }
                }
                div.field {
                    label for=(FILE) { (w::IMPORT_FILE) }
                    input id=(FILE) name=(FILE) type="file" required
                        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                        aria-describedby="berkas-petunjuk";
                    p.hint.muted #berkas-petunjuk { (w::IMPORT_FILE_HINT) " " (megabytes(limit.0)) "." }
                }
            }
            (forms::fields::submit(w::IMPORT_CHECK))
        }
    }
}

fn templates() -> Markup {
    html! {
        h2 { (w::IMPORT_TEMPLATES) }
        ul #templat {
            @for (k, n) in KINDS {
                li {
                    (n) ": "
                    a href={ "/imports/" (k.segment()) "/template.csv" } hx-boost="false" { "CSV" } " · "
                    a href={ "/imports/" (k.segment()) "/template.xlsx" } hx-boost="false" { "XLSX" }
                }
            }
        }
    }
}

fn megabytes(bytes: usize) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if mb >= 1.0 {
        format!("{} MB", (mb * 10.0).round() / 10.0)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// `POST /impor`: the dry run of an uploaded file.
pub async fn check(
    ctx: Ctx,
    Extension(limit): Extension<ImportLimit>,
    headers: HeaderMap,
    mp: Multipart,
) -> Response {
    let user = match ctx.require_user() {
        Ok(u) => u.clone(),
        Err(f) => return ctx.fail(f),
    };
    // A slot before a byte of the upload is read: it bounds how many files are in memory at once.
    let door = ctx.state.imports.clone();
    let Ok(_slot) = door.enter() else {
        return refused_at_door(&ctx, StatusCode::SERVICE_UNAVAILABLE);
    };
    let up = if ImportDoor::declared_too_large(&headers, limit.0 + ENVELOPE) {
        Err(UploadError::TooLarge(None))
    } else {
        match door.in_time(read_upload(mp, limit.0)).await {
            Ok(up) => up,
            Err(_) => return refused_at_door(&ctx, StatusCode::REQUEST_TIMEOUT),
        }
    };
    let up = match up {
        Ok(up) => up,
        Err(UploadError::TooLarge(kind)) => {
            let kind = kind.and_then(|k| ImportKind::from_segment(&k));
            return too_large(&ctx, &user.email, kind, limit);
        }
        Err(UploadError::Malformed) => {
            return ctx.fail(Failure::bad_input(FILE, w::IMPORT_MALFORMED));
        }
    };
    if !ctx.csrf_ok(&up.fields) {
        return forms::refused(&ctx, w::CSRF_FAILED);
    }
    let kind = up
        .fields
        .get("jenis")
        .and_then(|k| ImportKind::from_segment(k))
        .unwrap_or(ImportKind::Contributions);
    let Some((name, media, bytes)) = up.file.filter(|(_, _, b)| !b.is_empty()) else {
        return ctx.fail(Failure::bad_input(FILE, w::IMPORT_NO_FILE));
    };
    let format = if name.to_ascii_lowercase().ends_with(".xlsx") {
        Format::Xlsx
    } else {
        Format::from_content_type(&media).unwrap_or(Format::Csv)
    };
    let p = Pending {
        kind,
        format,
        regency: up
            .fields
            .get("kabupaten")
            .filter(|r| !r.is_empty())
            .cloned(),
        name,
        bytes,
    };
    let report = match run(&ctx, &user, &p, true).await {
        Ok(r) => r,
        Err(f) => return ctx.fail(f),
    };
    let token = if report.problems.is_empty() {
        match pending::keep(&user.id, &ctx.csrf, &p).await {
            Ok(t) => Some(t),
            Err(e) => {
                tracing::error!(error = %e, "keeping an upload for its confirmation");
                return ctx.fail(Failure {
                    code: crate::error::Code::Internal,
                    message: "upload not kept".into(),
                    field: None,
                });
            }
        }
    } else {
        None
    };
    show(&ctx, &p, &report, token.as_deref())
}

/// `POST /impor/konfirmasi`: imports the file the dry run checked.
pub async fn confirm(ctx: Ctx, body: Bytes) -> Response {
    let f = match Form::read(&ctx, &body) {
        Ok(f) => f,
        Err(res) => return *res,
    };
    let user = match ctx.require_user() {
        Ok(u) => u.clone(),
        Err(fail) => return ctx.fail(fail),
    };
    let token = f.value("token").to_string();
    let door = ctx.state.imports.clone();
    let Ok(_slot) = door.enter() else {
        return refused_at_door(&ctx, StatusCode::SERVICE_UNAVAILABLE);
    };
    let Some(p) = pending::find(&token, &user.id, &ctx.csrf).await else {
        return ctx.fail(Failure::not_found(w::IMPORT_GONE));
    };
    let report = match run(&ctx, &user, &p, false).await {
        Ok(r) => r,
        Err(fail) => return ctx.fail(fail),
    };
    pending::forget(&token).await;
    if !report.stored {
        return show(&ctx, &p, &report, None);
    }
    forms::done(
        &ctx,
        &format!(
            "/impor?selesai=1&jenis={}&ditambah={}&diperbarui={}&tetap={}",
            p.kind.segment(),
            report.inserted,
            report.updated,
            report.unchanged
        ),
    )
}

async fn run(
    ctx: &Ctx,
    user: &entity::user::Model,
    p: &Pending,
    dry_run: bool,
) -> Result<Report, Failure> {
    let options = Options {
        dry_run,
        regency: p.regency.clone(),
        limits: ctx.state.imports.limits,
    };
    let bytes = Bytes::from(p.bytes.clone());
    let job = Job {
        db: &ctx.state.db,
        gate: &ctx.state.gate,
        importer: Importer::User(user),
        bytes: &bytes,
        format: p.format,
        options: &options,
    };
    p.kind.run(&job, &mut |_, _, _| {}).await.map_err(|e| {
        if let crate::error::AppError::Internal(cause) = &e {
            tracing::error!(error = %cause, "console import");
        }
        let field = match &e {
            crate::error::AppError::BadInput { field, .. } => Some(field.clone()),
            _ => None,
        };
        Failure {
            code: e.code(),
            message: e.to_string(),
            field,
        }
    })
}

/// The report of a dry run (with the confirmation when the file is good) or of a refused import.
fn show(ctx: &Ctx, p: &Pending, report: &Report, token: Option<&str>) -> Response {
    let rows: Vec<Markup> = report
        .problems
        .iter()
        .map(|pr| {
            html! { tr {
                td.num { (pr.row) } td { (pr.column) } td { code { (pr.value) } }
                // The refusals before any row is read have their Indonesian sentence; the rows'
                // own reasons are still the API's (issue 22 gives them a catalog).
                td { (pr.alasan.as_deref().unwrap_or(&pr.reason)) }
            } }
        })
        .collect();
    let body = html! {
        h1 { (w::IMPORT_TITLE) }
        h2 { (w::IMPORT_REPORT) ": " (kind_name(p.kind)) }
        p { (w::IMPORT_FILE) ": " strong { (p.name) } }
        dl.facts #ringkasan-impor {
            dt { (w::IMPORT_ROWS) } dd { (report.rows) }
            dt { (w::IMPORT_WOULD_ADD) } dd #akan-ditambah { (report.inserted) }
            dt { (w::IMPORT_WOULD_UPDATE) } dd #akan-diperbarui { (report.updated) }
            dt { (w::IMPORT_WOULD_KEEP) } dd #tidak-berubah { (report.unchanged) }
        }
        @if report.problems.is_empty() {
            @if let Some(t) = token {
                form.write method="post" action="/impor/konfirmasi" id="form-konfirmasi" hx-boost="false" {
                    input type="hidden" name="csrf" value=(ctx.csrf);
                    input type="hidden" name="token" value=(t);
                    p { (w::IMPORT_CONFIRM_HELP) }
                    (forms::fields::submit(w::IMPORT_CONFIRM))
                }
            }
        } @else {
            p.error role="alert" #masalah-impor { (w::IMPORT_PROBLEMS) }
            @if report.problems.len() > report.problems.iter().len() {
                p #masalah-terpotong {
                    (w::IMPORT_PROBLEMS_LISTED) " " (crate::console::format::thousands(report.problems.iter().len() as i128))
                    " " (w::IMPORT_PROBLEMS_OF) " " (crate::console::format::thousands(report.problems.len() as i128)) "."
                }
            }
            (super::table(w::IMPORT_PROBLEMS_CAPTION, &[w::IMPORT_ROW, w::IMPORT_COLUMN, w::IMPORT_VALUE, w::IMPORT_REASON], rows))
        }
        p { a href={ "/impor?jenis=" (p.kind.segment()) } { (w::IMPORT_AGAIN) } }
    };
    let mut res = ctx.render(w::IMPORT_TITLE, body);
    if !report.problems.is_empty() {
        *res.status_mut() = if report.forbidden {
            StatusCode::FORBIDDEN
        } else if report.conflict {
            StatusCode::CONFLICT
        } else if report.too_large {
            StatusCode::PAYLOAD_TOO_LARGE
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
    }
    res
}

/// Every import slot busy (503, try again shortly) or an upload that did not arrive in time (408).
fn refused_at_door(ctx: &Ctx, status: StatusCode) -> Response {
    let busy = status == StatusCode::SERVICE_UNAVAILABLE;
    let body = html! {
        h1 { (w::IMPORT_TITLE) }
        p.error role="alert" #impor-ditolak {
            @if busy { (w::IMPORT_BUSY) } @else { (w::IMPORT_TOO_SLOW) }
        }
        p { a href="/impor" { (w::IMPORT_AGAIN) } }
    };
    let mut res = ctx.render(w::IMPORT_TITLE, body);
    *res.status_mut() = status;
    if busy {
        res.headers_mut().insert(
            header::RETRY_AFTER,
            axum::http::HeaderValue::from(crate::import_door::RETRY_AFTER_SECS),
        );
    }
    res
}

/// A file over the upload limit: the command line takes any size.
fn too_large(ctx: &Ctx, email: &str, kind: Option<ImportKind>, limit: ImportLimit) -> Response {
    let kind = kind.unwrap_or(ImportKind::Contributions).segment();
    let body = html! {
        h1 { (w::IMPORT_TOO_LARGE_TITLE) }
        p.error role="alert" #terlalu-besar {
            (w::IMPORT_TOO_LARGE) " (" (megabytes(limit.0)) "). " (w::IMPORT_USE_CLI)
        }
        pre { code { "sinergi import " (kind) " BERKAS --as " (email) } }
        p { (w::IMPORT_CLI_KINDS) }
        p { a href="/impor" { (w::IMPORT_AGAIN) } }
    };
    let mut res = ctx.render(w::IMPORT_TOO_LARGE_TITLE, body);
    *res.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
    res
}
