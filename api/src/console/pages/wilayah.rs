//! Wilayah: province → regency → district → village, and search. A village page shows its
//! indicators year by year (a graduation from the red list stands out), every contribution to it,
//! and the programs and meetings that name it. Regions are public; the rest needs sign-in.

use super::{Params, contribution_head, contribution_rows, lbl, param, text};
use crate::console::format;
use crate::console::page::{Ctx, Failure, urlencode};
use crate::console::words as w;
use crate::labels::Kind;
use axum::extract::{Path, Query};
use axum::response::Response;
use maud::{Markup, html};
use serde_json::{Value, json};

const PROVINCES: &str = include_str!("../queries/provinsi.graphql");
const REGION: &str = include_str!("../queries/wilayah.graphql");
const VILLAGE: &str = include_str!("../queries/desa.graphql");
const SEARCH: &str = include_str!("../queries/cari.graphql");

/// The search box (the API's `search`).
pub fn search_form(value: &str) -> Markup {
    html! {
        form.filters method="get" action="/cari" role="search" {
            div {
                label for="q" { (w::SEARCH) }
                input #q type="search" name="q" value=(value) placeholder=(w::SEARCH_HINT) minlength="2" required;
            }
            div { button type="submit" { (w::SEARCH) } }
        }
    }
}

/// `GET /wilayah`: the provinces.
pub async fn provinces(mut ctx: Ctx) -> Response {
    let data = match ctx.run(PROVINCES, json!({})).await {
        Ok(d) => d,
        Err(f) => return ctx.fail(f),
    };
    let body = html! {
        h1 { "Wilayah" }
        (search_form(""))
        h2 { "Provinsi" }
        @let items = super::nodes(&data["regions"]);
        @if items.is_empty() { p.muted { (w::NOTHING) } }
        ul.plain { @for r in items { li { (super::region_link(r)) } } }
    };
    ctx.render("Wilayah", body)
}

/// `GET /cari?q=…`: regions (and, signed in, organizations and programs) by name.
pub async fn search(mut ctx: Ctx, Query(q): Query<Params>) -> Response {
    let needle = param(&q, "q").unwrap_or("").to_string();
    let results = if needle.chars().count() >= 2 {
        match ctx.run(SEARCH, json!({ "text": needle })).await {
            Ok(d) => Some(d),
            Err(f) => return ctx.fail(f),
        }
    } else {
        None
    };
    let body = html! {
        h1 { "Cari" }
        (search_form(&needle))
        @if let Some(d) = &results {
            p { (d["search"]["totalCount"]) " hasil untuk " strong { (needle) } }
            ul.plain #hasil-cari {
                @for n in super::nodes(&d["search"]) {
                    li { (result(n)) }
                }
            }
        } @else if !needle.is_empty() {
            p.error role="alert" { "q: ketik paling sedikit 2 huruf." }
        }
    };
    ctx.render(&format!("Cari {needle}"), body)
}

fn result(n: &Value) -> Markup {
    match n["__typename"].as_str() {
        Some("Region") => {
            html! { (super::region_link(n)) " · " (lbl(Kind::RegionLevel, &n["level"])) }
        }
        Some("Organization") => {
            html! { (super::org_link(n)) " · organisasi, " (lbl(Kind::Helix, &n["helix"])) }
        }
        Some("Program") => {
            html! { (super::program_link(n)) " · program, " (lbl(Kind::Cluster, &n["cluster"])) }
        }
        _ => html! { "–" },
    }
}

/// `GET /wilayah/{code}`: a region with its children, or a village page.
pub async fn region(mut ctx: Ctx, Path(code): Path<String>, Query(q): Query<Params>) -> Response {
    match build(&mut ctx, &code, &q).await {
        Ok((title, body)) => ctx.render(&title, body),
        Err(f) => ctx.fail(f),
    }
}

async fn build(ctx: &mut Ctx, code: &str, q: &Params) -> Result<(String, Markup), Failure> {
    let after = param(q, "setelah").map(str::to_string);
    let data = ctx
        .run(REGION, json!({ "code": code, "after": after }))
        .await?;
    let r = &data["region"];
    if r.is_null() {
        return Err(Failure::not_found(format!("Wilayah {code} tidak ada.")));
    }
    let is_village = r["level"] == "VILLAGE";
    let heading = format!(
        "{} {}",
        lbl(Kind::RegionLevel, &r["level"]),
        text(&r["name"])
    );
    let village = if is_village && ctx.user().is_some() {
        Some(
            ctx.run(VILLAGE, json!({ "code": text(&r["code"]) }))
                .await?,
        )
    } else {
        None
    };
    let body = html! {
        nav.breadcrumb aria-label="Letak wilayah" {
            ol {
                li { a href="/wilayah" { "Indonesia" } }
                @for a in super::list(&r["ancestors"]) { li { a href={ "/wilayah/" (text(&a["code"])) } { (text(&a["name"])) } } }
                li aria-current="page" { (text(&r["name"])) }
            }
        }
        h1 { (heading) " " span.muted { "(" (text(&r["code"])) ")" } }
        @if !is_village {
            (children(r, code))
            @if ctx.user().is_some() {
                p { a href={ "/?wilayah=" (text(&r["code"])) } { "Ringkasan wilayah ini" } " · "
                    a href={ "/kontribusi?wilayah=" (text(&r["code"])) } { "Kontribusi di wilayah ini" } " · "
                    a href={ "/celah?wilayah=" (text(&r["code"])) } { "Celah cakupan" } }
            }
        } @else {
            @if let Some(v) = &village { (village_page(ctx, &v["region"], text(&r["code"]), super::kontribusi_tulis::can_record(ctx))) }
            @else { p.note { "Indikator, kontribusi, program dan rapat desa ini dapat dilihat setelah "
                a href={ "/masuk?kembali=" (urlencode(&format!("/wilayah/{}", text(&r["code"])))) } { "masuk" } "." }
                p { a #laporkan href={ "/pengaduan?desa=" (text(&r["code"])) } { "Laporkan data yang salah" } } }
        }
    };
    Ok((heading, body))
}

fn children(r: &Value, code: &str) -> Markup {
    let conn = &r["children"];
    let items = super::nodes(conn);
    let label = match r["level"].as_str() {
        Some("PROVINCE") => "Kabupaten/kota",
        Some("REGENCY") => "Kecamatan",
        _ => "Desa/kelurahan",
    };
    html! {
        h2 { (label) " (" (conn["totalCount"]) ")" }
        @if items.is_empty() { p.muted { (w::NOTHING) } }
        ul.plain #anak-wilayah {
            @for c in items {
                li { (super::region_link(c)) @if let Some(k) = c["villageKind"].as_str() { " · " span.muted { (if k == "DESA" { "desa" } else { "kelurahan" }) } } }
            }
        }
        @if conn["pageInfo"]["hasNextPage"] == true {
            p.pager { a href={ "/wilayah/" (code) "?setelah=" (urlencode(text(&conn["pageInfo"]["endCursor"]))) } { (w::NEXT_PAGE) } }
        }
    }
}

fn village_page(ctx: &Ctx, v: &Value, code: &str, can_record: bool) -> Markup {
    let history = super::list(&v["indicatorHistory"]);
    let contributions = super::nodes(&v["contributions"]);
    html! {
        h2 { "Indikator per tahun" }
        @if crate::console::forms::coordinates(ctx, Some(code)) {
            p { a #catat-indikator href={ "/wilayah/" (code) "/indikator" } { "Catat indikator desa ini" } }
        }
        (indicators(history))
        p { a #laporkan href={ "/pengaduan?desa=" (code) } { "Laporkan data yang salah" } }
        h2 { "Kontribusi (" (v["contributions"]["totalCount"]) ")" }
        p { a href={ "/kontribusi?wilayah=" (code) } { "Semua kontribusi desa ini, dengan filter" }
            @if can_record { " · " a #catat-di-desa href={ "/kontribusi/baru?wilayah=" (code) } { "Catat kontribusi di desa ini" } } }
        (super::table("Semua kontribusi ke desa ini", &contribution_head(false), contribution_rows(&contributions, false)))
        h2 { "Program yang menyasar desa ini" }
        @let programs = super::nodes(&v["programs"]);
        @if programs.is_empty() { p.muted { (w::NOTHING) } }
        ul.plain { @for p in programs { li { (super::program_link(p)) " · " (lbl(Kind::Cluster, &p["cluster"])) " · " (super::org_link(&p["owner"])) } } }
        h2 { "Rapat yang membahas desa ini" }
        @let meetings = super::nodes(&v["meetings"]);
        @if meetings.is_empty() { p.muted { (w::NOTHING) } }
        ul.plain { @for m in meetings { li { a href={ "/rapat/" (text(&m["id"])) } { (text(&m["title"])) } " · " (format::date(&m["heldOn"])) } } }
    }
}

/// Indicator history, oldest first, with the red-list status of every year and the year a village
/// left (or entered) the list marked.
fn indicators(history: &[Value]) -> Markup {
    let rows: Vec<Markup> = history
        .iter()
        .enumerate()
        .map(|(i, y)| {
            let priority = y["priority"] == true;
            let was = i > 0 && history[i - 1]["priority"] == true;
            let deciles = super::list(&y["householdsByDecile"])
                .iter()
                .map(format::count)
                .collect::<Vec<_>>()
                .join(" / ");
            html! { tr {
                th scope="row" { (y["fiscalYear"]) }
                td {
                    @if priority { span.badge.merah { "Desa merah" } }
                    @else if was { span.badge.lulus { "Keluar dari daftar desa merah" } }
                    @else { "Bukan prioritas" }
                }
                td.num { (format::count(&y["poorHouseholds"])) }
                td.num { (format::count(&y["households"])) }
                td { (if deciles.is_empty() { "–".to_string() } else { deciles }) }
                td.num { (format::count(&y["stuntingRiskFamilies"])) }
                td.num { (format::count(&y["stuntingCases"])) }
                td.num { (format::decimal(y["stuntingPrevalence"].as_f64(), 1)) "%" }
                td { (lbl(Kind::IdmStatus, &y["idmStatus"])) }
                td { (text(&y["source"])) ", " (format::date(&y["asOf"])) }
                td { (super::verifikasi::badge_of(y)) }
            } }
        })
        .collect();
    super::table(
        "Indikator desa per tahun anggaran",
        &[
            "Tahun",
            "Status prioritas",
            "RTM",
            "Rumah tangga",
            "Desil 1–4",
            "Keluarga risiko stunting",
            "Kasus stunting",
            "Prevalensi stunting",
            "Status IDM",
            "Sumber",
            "Verifikasi",
        ],
        rows,
    )
}
