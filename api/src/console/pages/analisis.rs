//! Celah cakupan (priority villages against what is committed to them, least covered first) and
//! Tumpang tindih (villages where several actors fund the same cluster or program without an agreed
//! synergy): the API's `coverageGaps` and `overlaps` as filterable tables, each with a CSV of what
//! the page shows.

use super::{Params, lbl, param, text, year};
use crate::console::format;
use crate::console::page::{Ctx, Failure};
use crate::console::words as w;
use crate::labels::{self, Kind};
use axum::extract::Query;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde_json::{Value, json};

const GAPS: &str = include_str!("../queries/celah.graphql");
const OVERLAPS: &str = include_str!("../queries/tumpang_tindih.graphql");

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
) -> Result<(Filters, Option<i64>, Option<f64>, Value), Failure> {
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
    let data = ctx
        .run(
            GAPS,
            json!({ "region": f.region, "year": f.year, "minPoor": min_poor, "minStunting": min_stunting,
                    "cluster": f.cluster, "after": f.after }),
        )
        .await?;
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
    let conn = &data["coverageGaps"];
    let rows: Vec<Markup> = super::nodes(conn)
        .into_iter()
        .map(|g| html! { tr {
            td { (super::region_link(&g["village"])) }
            td { (text(&g["village"]["parent"]["name"])) }
            td { @if g["priority"] == true { span.badge.merah { "Desa merah" } } @else { "Ambang" } }
            td.num { (format::count(&g["poorHouseholds"])) }
            td.num { (format::decimal(g["stuntingPrevalence"].as_f64(), 1)) "%" }
            td.num { (format::count(&g["contributions"])) }
            td.num { (format::rupiah(&g["committed"])) }
            td.num { (format::rupiah(&g["committedPerPoorHousehold"])) }
        } })
        .collect();
    let query = super::csv_query(&q);
    let body = html! {
        h1 { (w::NAV_GAPS) }
        p { "Desa prioritas (desa merah/lokus, atau di atas ambang yang Anda isi) dan komitmen untuk tahun itu, yang paling sedikit tercakup di atas. Desa tanpa indikator tahun itu tidak dapat dinilai dan tidak ditampilkan." }
        (gaps_form(&f, min_poor, min_stunting))
        p { (conn["totalCount"]) " desa · " a href={ "/celah.csv?" (query) } hx-boost="false" { (w::DOWNLOAD_CSV) } }
        (super::table("Celah cakupan, paling sedikit tercakup lebih dulu", &["Desa", "Kecamatan", "Prioritas", "RTM", "Prevalensi stunting", "Kontribusi", w::COMMITTED, "Komitmen per RTM"], rows))
        (super::pager("/celah", &q, conn))
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
    let rows = super::nodes(&data["coverageGaps"])
        .into_iter()
        .map(|g| {
            vec![
                text(&g["village"]["code"]).to_string(),
                text(&g["village"]["name"]).to_string(),
                text(&g["village"]["parent"]["name"]).to_string(),
                if g["priority"] == true { "ya" } else { "tidak" }.to_string(),
                plain(&g["poorHouseholds"]),
                plain(&g["stuntingPrevalence"]),
                plain(&g["contributions"]),
                plain(&g["committed"]),
                plain(&g["committedPerPoorHousehold"]),
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

async fn overlaps_data(ctx: &mut Ctx, q: &Params) -> Result<(Filters, Value), Failure> {
    let f = filters(ctx, q)?;
    ctx.require_user()?;
    need_region(&f)?;
    let data = ctx
        .run(
            OVERLAPS,
            json!({ "region": f.region, "year": f.year, "cluster": f.cluster, "after": f.after }),
        )
        .await?;
    Ok((f, data))
}

/// `GET /tumpang-tindih?wilayah=33.26&tahun=2025&klaster=`.
pub async fn overlaps(mut ctx: Ctx, Query(q): Query<Params>) -> Response {
    let (f, data) = match overlaps_data(&mut ctx, &q).await {
        Ok(x) => x,
        Err(e) => return ctx.fail(e),
    };
    let conn = &data["overlaps"];
    let mut items = super::nodes(conn);
    // Those without an agreed synergy need a rakor most: first.
    items.sort_by_key(|o| o["coveredBySynergy"] == true);
    let rows: Vec<Markup> = items
        .into_iter()
        .map(|o| html! { tr {
            td { (super::region_link(&o["village"])) }
            td { @if o["program"].is_null() { (lbl(Kind::Cluster, &o["cluster"])) } @else { "Program " (super::program_link(&o["program"])) } }
            td { @for (i, org) in super::list(&o["organizations"]).iter().enumerate() { @if i > 0 { ", " } (super::org_link(org)) } }
            td.num { (format::rupiah(&o["committed"])) }
            td { @if o["coveredBySynergy"] == true { span.ok { "Ada sinergi yang disepakati" } } @else { span.badge.late { "Belum ada sinergi" } } }
        } })
        .collect();
    let body = html! {
        h1 { (w::NAV_OVERLAPS) }
        p { "Desa yang menerima dana dari dua organisasi atau lebih untuk klaster atau program yang sama pada tahun yang sama." }
        (super::region_year_form("/tumpang-tindih", &f.region, f.year, cluster_select(f.cluster)))
        p { (conn["totalCount"]) " tumpang tindih · " a href={ "/tumpang-tindih.csv?" (super::csv_query(&q)) } hx-boost="false" { (w::DOWNLOAD_CSV) } }
        (super::table("Tumpang tindih, yang belum disinergikan lebih dulu", &["Desa", "Klaster atau program", "Organisasi", w::COMMITTED, "Sinergi"], rows))
        (super::pager("/tumpang-tindih", &q, conn))
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
    let rows = super::nodes(&data["overlaps"])
        .into_iter()
        .map(|o| {
            vec![
                text(&o["village"]["code"]).to_string(),
                text(&o["village"]["name"]).to_string(),
                o["cluster"]
                    .as_str()
                    .map(|c| labels::label(Kind::Cluster, c).to_string())
                    .unwrap_or_default(),
                o["program"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                super::list(&o["organizations"])
                    .iter()
                    .map(|x| text(&x["name"]).to_string())
                    .collect::<Vec<_>>()
                    .join("; "),
                plain(&o["committed"]),
                if o["coveredBySynergy"] == true {
                    "ya"
                } else {
                    "tidak"
                }
                .to_string(),
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

fn plain(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
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
        crate::routes::download(bytes, "text/csv; charset=utf-8", name.to_string()).into_response();
    crate::console::page::no_store(res.headers_mut());
    ctx.finish(res)
}
