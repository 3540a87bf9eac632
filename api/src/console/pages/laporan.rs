//! Laporan: the LP2KD workbook and the contributions CSV, downloaded from the export endpoints
//! with the session cookie (coordinators and admins, as over the API).

use super::{Params, param, this_year};
use crate::console::page::{Ctx, urlencode};
use crate::console::words as w;
use axum::extract::Query;
use axum::response::Response;
use maud::html;

/// `GET /laporan`.
pub async fn form(ctx: Ctx, Query(q): Query<Params>) -> Response {
    let user = match ctx.require_user() {
        Ok(u) => u.clone(),
        Err(f) => return ctx.fail(f),
    };
    let may = matches!(
        user.role,
        entity::enums::Role::Admin | entity::enums::Role::Coordinator
    );
    let region = param(&q, "wilayah")
        .map(str::to_string)
        .or(user.region_scope.clone())
        .unwrap_or_default();
    let year = param(&q, "tahun")
        .map(str::to_string)
        .unwrap_or_else(|| this_year().to_string());
    let year_number = year.parse::<i32>().unwrap_or(this_year());
    let csv_filter = serde_json::json!({ "region": region, "fiscalYear": year_number }).to_string();
    let body = html! {
        h1 { "Laporan" }
        @if !may { p.note { "Unduhan laporan tersedia untuk koordinator (Bappeda/TKPK) dan admin." } }
        h2 { "Buku kerja LP2KD (XLSX)" }
        p { "Tabel untuk laporan semester dan tahunan TKPK: kontribusi per sumber dana dan klaster, per organisasi, desa yang terjangkau, tingkat realisasi, target program, dan status rencana aksi." }
        form.filters method="get" action="/exports/lp2kd.xlsx" hx-boost="false" {
            div { label for="lp-wilayah" { (w::REGION) } input #lp-wilayah name="region" value=(region) required placeholder=(w::REGION_HINT); }
            div { label for="lp-tahun" { (w::YEAR) } input #lp-tahun name="year" type="number" min="2000" max="2100" value=(year) required; }
            div {
                label for="lp-semester" { "Periode" }
                select #lp-semester name="semester" {
                    option value="" { "Setahun penuh" }
                    option value="1" { "Semester 1 (Januari–Juni)" }
                    option value="2" { "Semester 2 (Juli–Desember)" }
                }
            }
            div.check {
                input #lp-terverifikasi type="checkbox" name="verified" value="true" checked[param(&q, "verified").is_some()];
                label for="lp-terverifikasi" { "Hanya data terverifikasi" }
            }
            div { button type="submit" #unduh-lp2kd { "Unduh buku kerja" } }
        }
        h2 { "Kontribusi (CSV)" }
        p { "Satu baris per kontribusi, dengan kolom yang sama dengan templat impor: file ini dapat diimpor kembali tanpa perubahan." }
        p { a.button #unduh-csv href={ "/exports/contributions.csv?filter=" (urlencode(&csv_filter)) } hx-boost="false" { "Unduh CSV kontribusi " (region) " " (year) } }
    };
    ctx.render("Laporan", body)
}
