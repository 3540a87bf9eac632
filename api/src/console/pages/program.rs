//! Program: the list, and a program's page with owner, cluster, strategies, phases, yearly targets
//! against realisation (a chart), target villages, synergies and the contributions under it.

use super::{Params, contribution_head, contribution_rows, lbl, param, text};
use crate::console::charts::{self, Row};
use crate::console::format;
use crate::console::page::{Ctx, Failure};
use crate::console::words as w;
use crate::labels::Kind;
use axum::extract::{Path, Query};
use axum::response::Response;
use maud::{Markup, html};
use serde_json::json;

const LIST: &str = include_str!("../queries/program_daftar.graphql");
const SHOW: &str = include_str!("../queries/program.graphql");

/// `GET /program?q=&klaster=&wilayah=`.
pub async fn list(mut ctx: Ctx, Query(q): Query<Params>) -> Response {
    let text_q = param(&q, "q").map(str::to_string);
    let cluster = match super::choice(&q, "klaster", Kind::Cluster) {
        Ok(v) => v,
        Err(f) => return ctx.fail(f),
    };
    let region = param(&q, "wilayah").map(str::to_string);
    let filter = json!({ "text": text_q, "clusters": cluster.map(|c| vec![c]), "region": region });
    let data = match ctx
        .run(
            LIST,
            json!({ "filter": filter, "after": param(&q, "setelah") }),
        )
        .await
    {
        Ok(d) => d,
        Err(f) => return ctx.fail(f),
    };
    let conn = &data["programs"];
    let rows: Vec<Markup> = super::nodes(conn)
        .into_iter()
        .map(|p| html! { tr {
            td { (super::program_link(p)) @if let Some(c) = p["code"].as_str() { " " span.muted { "(" (c) ")" } } }
            td { (super::org_link(&p["owner"])) }
            td { (lbl(Kind::Cluster, &p["cluster"])) }
            td.num { (p["startYear"]) "–" (p["endYear"]) }
        } })
        .collect();
    let may_create = ctx.user().is_some_and(|u| {
        matches!(
            u.role,
            entity::enums::Role::Admin | entity::enums::Role::Coordinator
        )
    });
    let body = html! {
        h1 { "Program" }
        @if may_create { p { a.button #buat-program href="/program/baru" { "Buat program" } } }
        form.filters method="get" action="/program" {
            div { label for="q" { "Nama program" } input #q name="q" value=[text_q.as_deref()]; }
            div { label for="wilayah" { (w::REGION) } input #wilayah name="wilayah" value=[region.as_deref()] placeholder=(w::REGION_HINT); }
            (super::enum_select("klaster", w::CLUSTER, Kind::Cluster, cluster))
            div { button type="submit" { (w::SHOW) } }
        }
        p { (conn["totalCount"]) " program" }
        (super::table("Program", &["Program", "Pemilik", w::CLUSTER, "Tahun"], rows))
        (super::pager("/program", &q, conn))
    };
    ctx.render("Program", body)
}

/// `GET /program/{id}`.
pub async fn show(mut ctx: Ctx, Path(id): Path<String>) -> Response {
    let data = match ctx.run(SHOW, json!({ "id": id })).await {
        Ok(d) => d,
        Err(f) => return ctx.fail(f),
    };
    let p = &data["program"];
    if p.is_null() {
        return ctx.fail(Failure::not_found("Program ini tidak ada."));
    }
    let targets = super::list(&p["targets"]);
    let chart_rows: Vec<Row> = targets
        .iter()
        .map(|t| Row {
            label: format!("{} ({})", t["fiscalYear"], text(&t["unit"])),
            values: vec![
                t["target"].as_f64().unwrap_or(0.0),
                t["realised"].as_f64().unwrap_or(0.0),
            ],
            texts: vec![
                format::decimal(t["target"].as_f64(), 1),
                format::decimal(t["realised"].as_f64(), 1),
            ],
        })
        .collect();
    let contributions = super::nodes(&p["contributions"]);
    let manage = crate::console::forms::coordinates(&ctx, p["owner"]["region"]["code"].as_str());
    let id = text(&p["id"]);
    let body = html! {
        h1 { (text(&p["name"])) }
        @if manage {
            p.actions {
                a.button #ubah-program href={ "/program/" (id) "/ubah" } { "Ubah program" } " "
                a.button #usulkan-sinergi href={ "/program/" (id) "/sinergi/baru" } { "Usulkan sinergi" }
            }
        }
        dl.facts {
            dt { "Pemilik" } dd { (super::org_link(&p["owner"])) }
            dt { (w::CLUSTER) } dd { (lbl(Kind::Cluster, &p["cluster"])) }
            dt { "Strategi" } dd { @for (i, s) in super::list(&p["strategies"]).iter().enumerate() { @if i > 0 { "; " } (lbl(Kind::Strategy, s)) } }
            dt { (w::TARGET_GROUP) } dd { @for (i, s) in super::list(&p["targetGroups"]).iter().enumerate() { @if i > 0 { ", " } (lbl(Kind::TargetGroup, s)) } }
            dt { "Tahun" } dd { (p["startYear"]) "–" (p["endYear"]) }
            @if let Some(c) = p["code"].as_str() { dt { "Kode" } dd { (c) } }
        }
        @if let Some(d) = p["description"].as_str() { p { (d) } }
        h2 { "Tahapan" }
        @let phases = super::list(&p["phases"]);
        @if phases.is_empty() { p.muted { (w::NOTHING) } }
        ul.plain { @for ph in phases { li { strong { (ph["fiscalYear"]) } " · " (text(&ph["name"])) @if let Some(d) = ph["description"].as_str() { ": " (d) } } } }
        h2 { "Target dan realisasi per tahun" }
        @if !chart_rows.is_empty() { (charts::bars("Target dan realisasi program per tahun", &["Target", "Realisasi"], &chart_rows)) }
        (super::table("Target dan realisasi", &["Tahun", "Satuan", "Target", "Realisasi", "Capaian"], targets.iter().map(|t| html! { tr {
            td { (t["fiscalYear"]) } td { (text(&t["unit"])) } td.num { (format::decimal(t["target"].as_f64(), 1)) }
            td.num { (format::decimal(t["realised"].as_f64(), 1)) } td.num { (format::percent(t["realisationRate"].as_f64())) }
        } }).collect()))
        h2 { "Desa sasaran (" (p["villages"]["totalCount"]) ")" }
        ul.plain { @for v in super::nodes(&p["villages"]) { li { (super::region_link(v)) } } }
        h2 #sinergi { "Sinergi program" }
        (super::table("Sinergi program", &["Program", "Dengan", "Hubungan", w::STATUS, "Disepakati di", ""], super::list(&p["synergies"]).iter().map(|s| {
            let status = s["status"].as_str().unwrap_or("");
            let other = if s["programA"]["id"] == p["id"] { &s["programB"] } else { &s["programA"] };
            html! { tr {
                td { (text(&p["name"])) } td { (super::program_link(other)) " · " (text(&other["owner"]["name"])) }
                td { (lbl(Kind::SynergyRelation, &s["relation"])) } td { (lbl(Kind::SynergyStatus, &s["status"])) }
                td { @if s["agreedAt"].is_null() { "–" } @else { a href={ "/rapat/" (text(&s["agreedAt"]["id"])) } { (text(&s["agreedAt"]["title"])) } } }
                td {
                    @if manage && status == "PROPOSED" { a.sepakati href={ "/program/" (id) "/sinergi/" (text(&s["id"])) "/sepakati" } { "Sepakati" } " " }
                    @if manage && status != "DROPPED" { a.batalkan href={ "/program/" (id) "/sinergi/" (text(&s["id"])) "/batalkan" } { "Batalkan" } }
                }
            } }
        }).collect()))
        h2 { "Kontribusi di bawah program ini (" (p["contributions"]["totalCount"]) ")" }
        p { a href={ "/kontribusi?program=" (text(&p["id"])) } { "Kontribusi program ini, dengan filter" } }
        (super::table("Kontribusi", &contribution_head(true), contribution_rows(&contributions, true)))
    };
    ctx.render(text(&p["name"]), body)
}
