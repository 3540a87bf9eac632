//! Celah cakupan (priority villages against what is committed to them, least covered first) and
//! Tumpang tindih (villages where several actors fund the same cluster or program without an agreed
//! synergy): the API's `coverageGaps` and `overlaps` as filterable tables, each with a CSV of what
//! the page shows.

use super::{Params, param, year};
use crate::console::documents::{self as doc, CelahCakupan, TumpangTindih};
use crate::console::format;
use crate::console::page::{Ctx, Failure};
use crate::console::words as w;
use crate::labels::{self, Kind};
use axum::extract::Query;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde_json::Value;

type Gaps = doc::celah_cakupan::CelahCakupanCoverageGaps;
type Overlaps = doc::tumpang_tindih::TumpangTindihOverlaps;

/// The filters both pages share: region (required), year, cluster, page cursor.
struct Filters {
    region: String,
    year: i32,
    cluster: Option<&'static str>,
    after: Option<String>,
}

fn filters(ctx: &Ctx, q: &Params) -> Result<Filters, Failure> {
    let year = year(q)?;
    let region = param(q, "wilayah")
        .map(str::to_string)
        .or_else(|| ctx.user().and_then(|u| u.region_scope.clone()))
        .unwrap_or_default();
    let cluster = super::choice(q, "klaster", Kind::Cluster)?;
    Ok(Filters {
        region,
        year,
        cluster,
        after: param(q, "setelah").map(str::to_string),
    })
}

fn cluster_select(selected: Option<&str>) -> Markup {
    super::enum_select("klaster", w::CLUSTER, Kind::Cluster, selected)
}

fn need_region(f: &Filters) -> Result<(), Failure> {
    if f.region.is_empty() {
        Err(Failure::bad_input(
            "wilayah",
            "isi kode wilayah, mis. 33.26",
        ))
    } else {
        Ok(())
    }
}

async fn gaps_data(
    ctx: &mut Ctx,
    q: &Params,
) -> Result<(Filters, Option<i64>, Option<f64>, Gaps), Failure> {
    let f = filters(ctx, q)?;
    ctx.require_user()?;
    need_region(&f)?;
    let min_poor = super::number(q, "min_rtm")?;
    let min_stunting = match param(q, "min_stunting") {
        None => None,
        Some(t) => Some(
            t.replace(',', ".")
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && (0.0..=100.0).contains(v))
                .ok_or_else(|| Failure::bad_input("min_stunting", "persentase 0 sampai 100"))?,
        ),
    };
    let vars = doc::celah_cakupan::Variables {
        region: f.region.clone(),
        year: f.year.into(),
        min_poor,
        min_stunting,
        cluster: f.cluster.and_then(super::enum_of),
        after: f.after.clone(),
    };
    let data = ctx.query::<CelahCakupan>(vars).await?.coverage_gaps;
    Ok((f, min_poor, min_stunting, data))
}

/// `GET /celah?wilayah=33.26&tahun=2025&min_rtm=&min_stunting=&klaster=`.
pub async fn gaps(mut ctx: Ctx, Query(q): Query<Params>) -> Response {
    let (f, min_poor, min_stunting, data) = match gaps_data(&mut ctx, &q).await {
        Ok(x) => x,
        Err(e) if e.code == crate::error::Code::BadUserInput && ctx.user().is_some() => {
            let f = filters(&ctx, &q).unwrap_or(Filters {
                region: String::new(),
                year: super::this_year(),
                cluster: None,
                after: None,
            });
            let body = html! {
                h1 { (w::NAV_GAPS) }
                (gaps_form(&f, None, None))
                p.error role="alert" { strong { (e.field.unwrap_or_default()) } ": " (e.message) }
            };
            let mut res = ctx.render(w::NAV_GAPS, body);
            *res.status_mut() = axum::http::StatusCode::BAD_REQUEST;
            return res;
        }
        Err(e) => return ctx.fail(e),
    };
    let rows: Vec<Markup> = data
        .edges
        .iter()
        .map(|e| &e.node)
        .map(|g| {
            let district = g.village.as_ref().and_then(|v| v.parent.as_ref());
            html! { tr {
                td { (super::region_or_dash(g.village.as_ref().map(|v| (v.code.as_str(), v.name.as_str())))) }
                td { (district.map_or("–", |d| d.name.as_str())) }
                td { @if g.priority { span.badge.merah { "Desa merah" } } @else { "Ambang" } }
                td.num { (super::count_of(g.poor_households)) }
                td.num { (format::decimal(g.stunting_prevalence, 1)) "%" }
                td.num { (format::thousands(g.contributions.into())) }
                td.num { (format::money(&g.committed)) }
                td.num { (g.committed_per_poor_household.as_deref().map_or_else(|| "–".into(), format::money)) }
            } }
        })
        .collect();
    let query = super::csv_query(&q);
    let body = html! {
        h1 { (w::NAV_GAPS) }
        p { "Desa prioritas (desa merah/lokus, atau di atas ambang yang Anda isi) dan komitmen untuk tahun itu, yang paling sedikit tercakup di atas. Desa tanpa indikator tahun itu tidak dapat dinilai dan tidak ditampilkan." }
        (gaps_form(&f, min_poor, min_stunting))
        p { (data.total_count) " desa · " a href={ "/celah.csv?" (query) } hx-boost="false" { (w::DOWNLOAD_CSV) } }
        (super::table("Celah cakupan, paling sedikit tercakup lebih dulu", &["Desa", "Kecamatan", "Prioritas", "RTM", "Prevalensi stunting", "Kontribusi", w::COMMITTED, "Komitmen per RTM"], rows))
        (super::pager_at("/celah", &q, data.page_info.has_next_page, data.page_info.end_cursor.as_deref()))
    };
    ctx.render(&format!("{} {} {}", w::NAV_GAPS, f.region, f.year), body)
}

fn gaps_form(f: &Filters, min_poor: Option<i64>, min_stunting: Option<f64>) -> Markup {
    super::region_year_form(
        "/celah",
        &f.region,
        f.year,
        html! {
            div { label for="min_rtm" { "RTM minimal" } input #min_rtm name="min_rtm" type="number" min="0" value=[min_poor]; }
            div { label for="min_stunting" { "Prevalensi stunting minimal (%)" } input #min_stunting name="min_stunting" inputmode="decimal" value=[min_stunting]; }
            (cluster_select(f.cluster))
        },
    )
}

/// `GET /celah.csv` with the page's parameters: the rows the page shows.
pub async fn gaps_csv(mut ctx: Ctx, Query(q): Query<Params>) -> Response {
    let data = match gaps_data(&mut ctx, &q).await {
        Ok((_, _, _, d)) => d,
        Err(e) => return ctx.fail(e),
    };
    let rows = data
        .edges
        .iter()
        .map(|e| &e.node)
        .map(|g| {
            let v = g.village.as_ref();
            let district = v.and_then(|v| v.parent.as_ref());
            vec![
                v.map_or("–", |v| v.code.as_str()).to_string(),
                v.map_or("–", |v| v.name.as_str()).to_string(),
                district.map_or("–", |d| d.name.as_str()).to_string(),
                if g.priority { "ya" } else { "tidak" }.to_string(),
                plain(&g.poor_households),
                plain(&g.stunting_prevalence),
                plain(&g.contributions),
                plain(&g.committed),
                plain(&g.committed_per_poor_household),
            ]
        })
        .collect();
    csv_response(
        &ctx,
        "sinergi-celah-cakupan.csv",
        &[
            "kode_desa",
            "nama_desa",
            "kecamatan",
            "desa_merah",
            "rtm",
            "prevalensi_stunting",
            "jumlah_kontribusi",
            "komitmen",
            "komitmen_per_rtm",
        ],
        rows,
    )
}

async fn overlaps_data(ctx: &mut Ctx, q: &Params) -> Result<(Filters, Overlaps), Failure> {
    let f = filters(ctx, q)?;
    ctx.require_user()?;
    need_region(&f)?;
    let vars = doc::tumpang_tindih::Variables {
        region: f.region.clone(),
        year: f.year.into(),
        cluster: f.cluster.and_then(super::enum_of),
        after: f.after.clone(),
    };
    let data = ctx.query::<TumpangTindih>(vars).await?.overlaps;
    Ok((f, data))
}

/// `GET /tumpang-tindih?wilayah=33.26&tahun=2025&klaster=`.
pub async fn overlaps(mut ctx: Ctx, Query(q): Query<Params>) -> Response {
    let (f, data) = match overlaps_data(&mut ctx, &q).await {
        Ok(x) => x,
        Err(e) => return ctx.fail(e),
    };
    let mut items: Vec<_> = data.edges.iter().map(|e| &e.node).collect();
    // Those without an agreed synergy need a rakor most: first.
    items.sort_by_key(|o| o.covered_by_synergy);
    let rows: Vec<Markup> = items
        .into_iter()
        .map(|o| html! { tr {
            td { (super::region_or_dash(o.village.as_ref().map(|v| (v.code.as_str(), v.name.as_str())))) }
            td { @match &o.program {
                None => (o.cluster.as_ref().map_or_else(|| "–".into(), |c| labels::of(Kind::Cluster, c))),
                Some(p) => { "Program " (super::link_to("/program/", &p.id, &p.name)) },
            } }
            td { @for (i, org) in o.organizations.iter().enumerate() { @if i > 0 { ", " } (super::link_to("/organisasi/", &org.id, &org.name)) } }
            td.num { (format::money(&o.committed)) }
            td { @if o.covered_by_synergy { span.ok { "Ada sinergi yang disepakati" } } @else { span.badge.late { "Belum ada sinergi" } } }
        } })
        .collect();
    let body = html! {
        h1 { (w::NAV_OVERLAPS) }
        p { "Desa yang menerima dana dari dua organisasi atau lebih untuk klaster atau program yang sama pada tahun yang sama." }
        (super::region_year_form("/tumpang-tindih", &f.region, f.year, cluster_select(f.cluster)))
        p { (data.total_count) " tumpang tindih · " a href={ "/tumpang-tindih.csv?" (super::csv_query(&q)) } hx-boost="false" { (w::DOWNLOAD_CSV) } }
        (super::table("Tumpang tindih, yang belum disinergikan lebih dulu", &["Desa", "Klaster atau program", "Organisasi", w::COMMITTED, "Sinergi"], rows))
        (super::pager_at("/tumpang-tindih", &q, data.page_info.has_next_page, data.page_info.end_cursor.as_deref()))
    };
    ctx.render(
        &format!("{} {} {}", w::NAV_OVERLAPS, f.region, f.year),
        body,
    )
}

/// `GET /tumpang-tindih.csv`.
pub async fn overlaps_csv(mut ctx: Ctx, Query(q): Query<Params>) -> Response {
    let data = match overlaps_data(&mut ctx, &q).await {
        Ok((_, d)) => d,
        Err(e) => return ctx.fail(e),
    };
    let rows = data
        .edges
        .iter()
        .map(|e| &e.node)
        .map(|o| {
            let v = o.village.as_ref();
            vec![
                v.map_or("–", |v| v.code.as_str()).to_string(),
                v.map_or("–", |v| v.name.as_str()).to_string(),
                o.cluster
                    .as_ref()
                    .map(|c| labels::of(Kind::Cluster, c))
                    .unwrap_or_default(),
                o.program
                    .as_ref()
                    .map(|p| p.name.clone())
                    .unwrap_or_default(),
                o.organizations
                    .iter()
                    .map(|x| x.name.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                plain(&o.committed),
                if o.covered_by_synergy { "ya" } else { "tidak" }.to_string(),
            ]
        })
        .collect();
    csv_response(
        &ctx,
        "sinergi-tumpang-tindih.csv",
        &[
            "kode_desa",
            "nama_desa",
            "klaster",
            "program",
            "organisasi",
            "komitmen",
            "ada_sinergi",
        ],
        rows,
    )
}

/// A figure of an answer as the CSV writes it: numbers as the API sent them, nothing for null.
fn plain<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v).unwrap_or(Value::Null) {
        Value::Null => String::new(),
        Value::String(s) => s,
        other => other.to_string(),
    }
}

fn csv_response(ctx: &Ctx, name: &str, head: &[&str], rows: Vec<Vec<String>>) -> Response {
    let mut out = crate::cell_escape::CsvWriter::default();
    let _ = out.row(head);
    for r in rows {
        let _ = out.row(&r);
    }
    let bytes = out.finish().unwrap_or_default();
    let mut res =
        crate::http::download(bytes, "text/csv; charset=utf-8", name.to_string()).into_response();
    crate::console::page::no_store(res.headers_mut());
    ctx.finish(res)
}
