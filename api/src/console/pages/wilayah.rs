//! Wilayah: province → regency → district → village, and search. A village page shows its
//! indicators year by year (a graduation from the red list stands out), every contribution to it,
//! and the programs and meetings that name it. Regions are public; the rest needs sign-in.

use super::{Params, contribution_head, contribution_rows, param};
use crate::console::documents::{
    self as doc, Cari, Desa, Provinsi, RegionLevel, VillageKind, Wilayah,
};
use crate::console::format;
use crate::console::page::{Ctx, Failure, urlencode};
use crate::console::words as w;
use crate::labels::{self, Kind};
use axum::extract::{Path, Query};
use axum::response::Response;
use maud::{Markup, html};

type Region = doc::wilayah::WilayahRegion;
type Village = doc::desa::DesaRegion;
type Indicators = doc::desa::DesaRegionIndicatorHistory;
type Found = doc::cari::CariSearchEdgesNode;

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
    let data = match ctx.query::<Provinsi>(doc::provinsi::Variables {}).await {
        Ok(d) => d,
        Err(f) => return ctx.fail(f),
    };
    let body = html! {
        h1 { "Wilayah" }
        (search_form(""))
        h2 { "Provinsi" }
        @let items = &data.regions.edges;
        @if items.is_empty() { p.muted { (w::NOTHING) } }
        ul.plain { @for r in items { li { (super::region_at(&r.node.code, &r.node.name)) } } }
    };
    ctx.render("Wilayah", body)
}

/// `GET /cari?q=…`: regions (and, signed in, organizations and programs) by name.
pub async fn search(mut ctx: Ctx, Query(q): Query<Params>) -> Response {
    let needle = param(&q, "q").unwrap_or("").to_string();
    let results = if needle.chars().count() >= 2 {
        match ctx
            .query::<Cari>(doc::cari::Variables {
                text: needle.clone(),
            })
            .await
        {
            Ok(d) => Some(d.search),
            Err(f) => return ctx.fail(f),
        }
    } else {
        None
    };
    let body = html! {
        h1 { "Cari" }
        (search_form(&needle))
        @if let Some(found) = &results {
            p { (found.total_count) " hasil untuk " strong { (needle) } }
            ul.plain #hasil-cari {
                @for e in &found.edges {
                    li { (result(&e.node)) }
                }
            }
        } @else if !needle.is_empty() {
            p.error role="alert" { "q: ketik paling sedikit 2 huruf." }
        }
    };
    ctx.render(&format!("Cari {needle}"), body)
}

fn result(n: &Found) -> Markup {
    match n {
        Found::Region(r) => {
            html! { (super::region_at(&r.code, &r.name)) " · " (labels::of(Kind::RegionLevel, &r.level)) }
        }
        Found::Organization(o) => {
            html! { (super::link_to("/organisasi/", &o.id, &o.name)) " · organisasi, " (labels::of(Kind::Helix, &o.helix)) }
        }
        Found::Program(p) => {
            html! { (super::link_to("/program/", &p.id, &p.name)) " · program, " (labels::of(Kind::Cluster, &p.cluster)) }
        }
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
    let vars = doc::wilayah::Variables {
        code: code.to_string(),
        after: param(q, "setelah").map(str::to_string),
    };
    let Some(r) = ctx.query::<Wilayah>(vars).await?.region else {
        return Err(Failure::not_found(format!("Wilayah {code} tidak ada.")));
    };
    let is_village = r.level == RegionLevel::Village;
    let heading = format!("{} {}", labels::of(Kind::RegionLevel, &r.level), r.name);
    let village = if is_village && ctx.user().is_some() {
        let vars = doc::desa::Variables {
            code: r.code.clone(),
        };
        let village = ctx.query::<Desa>(vars).await?.region;
        Some(village.ok_or_else(|| Failure::not_found(format!("Wilayah {code} tidak ada.")))?)
    } else {
        None
    };
    let body = html! {
        nav.breadcrumb aria-label="Letak wilayah" {
            ol {
                li { a href="/wilayah" { "Indonesia" } }
                @for a in &r.ancestors { li { a href={ "/wilayah/" (a.code) } { (a.name) } } }
                li aria-current="page" { (r.name) }
            }
        }
        h1 { (heading) " " span.muted { "(" (r.code) ")" } }
        @if !is_village {
            (children(&r, code))
            @if ctx.user().is_some() {
                p { a href={ "/?wilayah=" (r.code) } { "Ringkasan wilayah ini" } " · "
                    a href={ "/kontribusi?wilayah=" (r.code) } { "Kontribusi di wilayah ini" } " · "
                    a href={ "/celah?wilayah=" (r.code) } { "Celah cakupan" } }
            }
        } @else {
            @if let Some(v) = &village { (village_page(ctx, v, &r.code, super::kontribusi_tulis::can_record(ctx))) }
            @else { p.note { "Indikator, kontribusi, program dan rapat desa ini dapat dilihat setelah "
                a href={ "/masuk?kembali=" (urlencode(&format!("/wilayah/{}", r.code))) } { "masuk" } "." }
                p { a #laporkan href={ "/pengaduan?desa=" (r.code) } { "Laporkan data yang salah" } } }
        }
    };
    Ok((heading, body))
}

fn children(r: &Region, code: &str) -> Markup {
    let conn = &r.children;
    let label = match r.level {
        RegionLevel::Province => "Kabupaten/kota",
        RegionLevel::Regency => "Kecamatan",
        _ => "Desa/kelurahan",
    };
    html! {
        h2 { (label) " (" (conn.total_count) ")" }
        @if conn.edges.is_empty() { p.muted { (w::NOTHING) } }
        ul.plain #anak-wilayah {
            @for e in &conn.edges {
                @let c = &e.node;
                li { (super::region_at(&c.code, &c.name)) @if let Some(k) = c.village_kind { " · " span.muted { (if k == VillageKind::Desa { "desa" } else { "kelurahan" }) } } }
            }
        }
        @if conn.page_info.has_next_page {
            p.pager { a href={ "/wilayah/" (code) "?setelah=" (urlencode(conn.page_info.end_cursor.as_deref().unwrap_or("–"))) } { (w::NEXT_PAGE) } }
        }
    }
}

fn village_page(ctx: &Ctx, v: &Village, code: &str, can_record: bool) -> Markup {
    let contributions = v.contributions.edges.iter().map(|e| &e.node);
    html! {
        h2 { "Indikator per tahun" }
        @if crate::console::forms::coordinates(ctx, Some(code)) {
            p { a #catat-indikator href={ "/wilayah/" (code) "/indikator" } { "Catat indikator desa ini" } }
        }
        (indicators(&v.indicator_history))
        p { a #laporkan href={ "/pengaduan?desa=" (code) } { "Laporkan data yang salah" } }
        h2 { "Kontribusi (" (v.contributions.total_count) ")" }
        p { a href={ "/kontribusi?wilayah=" (code) } { "Semua kontribusi desa ini, dengan filter" }
            @if can_record { " · " a #catat-di-desa href={ "/kontribusi/baru?wilayah=" (code) } { "Catat kontribusi di desa ini" } } }
        (super::table("Semua kontribusi ke desa ini", &contribution_head(false), contribution_rows(contributions, false)))
        h2 { "Program yang menyasar desa ini" }
        @let programs = &v.programs.edges;
        @if programs.is_empty() { p.muted { (w::NOTHING) } }
        ul.plain { @for e in programs { @let p = &e.node; li { (super::link_to("/program/", &p.id, &p.name)) " · " (labels::of(Kind::Cluster, &p.cluster)) " · "
            (super::link_or_dash("/organisasi/", p.owner.as_ref().map(|o| (o.id.as_str(), o.name.as_str())))) } } }
        h2 { "Rapat yang membahas desa ini" }
        @let meetings = &v.meetings.edges;
        @if meetings.is_empty() { p.muted { (w::NOTHING) } }
        ul.plain { @for e in meetings { @let m = &e.node; li { a href={ "/rapat/" (m.id) } { (m.title) } " · " (format::date_text(&m.held_on)) } } }
    }
}

/// Indicator history, oldest first, with the red-list status of every year and the year a village
/// left (or entered) the list marked.
fn indicators(history: &[Indicators]) -> Markup {
    let count = super::count_of;
    let rows: Vec<Markup> = history
        .iter()
        .enumerate()
        .map(|(i, y)| {
            let was = i > 0 && history[i - 1].priority;
            let deciles = y
                .households_by_decile
                .iter()
                .flatten()
                .map(|n| format::thousands((*n).into()))
                .collect::<Vec<_>>()
                .join(" / ");
            html! { tr {
                th scope="row" { (y.fiscal_year) }
                td {
                    @if y.priority { span.badge.merah { "Desa merah" } }
                    @else if was { span.badge.lulus { "Keluar dari daftar desa merah" } }
                    @else { "Bukan prioritas" }
                }
                td.num { (count(y.poor_households)) }
                td.num { (count(y.households)) }
                td { (if deciles.is_empty() { "–".to_string() } else { deciles }) }
                td.num { (count(y.stunting_risk_families)) }
                td.num { (count(y.stunting_cases)) }
                td.num { (format::decimal(y.stunting_prevalence, 1)) "%" }
                td { (y.idm_status.map_or_else(|| "–".to_string(), |s| labels::of(Kind::IdmStatus, &s))) }
                td { (y.source) ", " (format::date_text(&y.as_of)) }
                td { (super::verifikasi::badge(y.verification, y.verification_note.as_deref())) }
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
