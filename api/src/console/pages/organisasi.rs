//! Organisasi: the list, and an organization's page: helix, kind, region, its contributions
//! everywhere with realisation, and its open action items.

use super::{Params, contribution_head, contribution_rows, lbl, param, text};
use crate::console::format;
use crate::console::page::{Ctx, Failure};
use crate::console::words as w;
use crate::labels::Kind;
use axum::extract::{Path, Query};
use axum::response::Response;
use maud::{Markup, html};
use serde_json::json;

const LIST: &str = include_str!("../queries/organisasi_daftar.graphql");
const SHOW: &str = include_str!("../queries/organisasi.graphql");

/// `GET /organisasi?q=&heliks=&wilayah=`.
pub async fn list(mut ctx: Ctx, Query(q): Query<Params>) -> Response {
    let text_q = param(&q, "q").map(str::to_string);
    let helix = match super::choice(&q, "heliks", Kind::Helix) {
        Ok(v) => v,
        Err(f) => return ctx.fail(f),
    };
    let region = param(&q, "wilayah").map(str::to_string);
    let filter = json!({ "text": text_q, "helixes": helix.map(|c| vec![c]), "region": region });
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
    let conn = &data["organizations"];
    let rows: Vec<Markup> = super::nodes(conn)
        .into_iter()
        .map(|o| {
            html! { tr {
                td { (super::org_link(o)) }
                td { (lbl(Kind::Helix, &o["helix"])) }
                td { (lbl(Kind::OrganizationKind, &o["kind"])) }
                td { (super::region_link(&o["region"])) }
            } }
        })
        .collect();
    let body = html! {
        h1 { "Organisasi" }
        @if super::pengguna::manages(&ctx) { p { a.button href="/organisasi/baru" { "Tambah organisasi" } } }
        form.filters method="get" action="/organisasi" {
            div { label for="q" { "Nama" } input #q name="q" value=[text_q.as_deref()]; }
            div { label for="wilayah" { (w::REGION) } input #wilayah name="wilayah" value=[region.as_deref()] placeholder=(w::REGION_HINT); }
            (super::enum_select("heliks", w::HELIX, Kind::Helix, helix))
            div { button type="submit" { (w::SHOW) } }
        }
        p { (conn["totalCount"]) " organisasi" }
        (super::table("Organisasi", &["Nama", w::HELIX, w::KIND, w::REGION], rows))
        (super::pager("/organisasi", &q, conn))
    };
    ctx.render("Organisasi", body)
}

/// `GET /organisasi/{id}`.
pub async fn show(mut ctx: Ctx, Path(id): Path<String>, Query(q): Query<Params>) -> Response {
    let data = match ctx
        .run(SHOW, json!({ "id": id, "after": param(&q, "setelah") }))
        .await
    {
        Ok(d) => d,
        Err(f) => return ctx.fail(f),
    };
    let o = &data["organization"];
    if o.is_null() {
        return ctx.fail(Failure::not_found("Organisasi ini tidak ada."));
    }
    let t = &data["totals"];
    let contributions = super::nodes(&o["contributions"]);
    let items = super::nodes(&o["actionItems"]);
    let body = html! {
        h1 { (text(&o["name"])) }
        dl.facts {
            dt { (w::HELIX) } dd { (lbl(Kind::Helix, &o["helix"])) }
            dt { (w::KIND) } dd { (lbl(Kind::OrganizationKind, &o["kind"])) }
            dt { (w::REGION) } dd { (super::region_link(&o["region"])) }
            @if !o["parent"].is_null() { dt { "Induk" } dd { (super::org_link(&o["parent"])) } }
            @if !super::list(&o["units"]).is_empty() { dt { "Unit" } dd { @for (i, u) in super::list(&o["units"]).iter().enumerate() { @if i > 0 { ", " } (super::org_link(u)) } } }
        }
        div.cards {
            div.card { div { (w::COUNT) " kontribusi" } div.big { (format::count(&t["count"])) } }
            div.card { div { (w::COMMITTED) } div.big { (format::rupiah(&t["committed"])) } }
            div.card { div { (w::REALISED) } div.big { (format::rupiah(&t["realised"])) } }
            div.card { div { "Tingkat realisasi" } div.big { (format::percent(rate(&t["realised"], &t["committed"]))) } }
        }
        h2 { "Kontribusi di semua wilayah (" (o["contributions"]["totalCount"]) ")" }
        p { a href={ "/kontribusi?organisasi=" (id) } { "Kontribusi organisasi ini, dengan filter" } }
        (super::table("Kontribusi organisasi ini", &contribution_head(true), contribution_rows(&contributions, true)))
        (super::pager(&format!("/organisasi/{id}"), &q, &o["contributions"]))
        h2 { "Rencana aksi yang masih terbuka" }
        (super::table("Rencana aksi terbuka", &["Rencana aksi", "Rapat", w::DUE, w::STATUS], items.iter().map(|a| html! { tr {
            td { (text(&a["text"])) }
            td { a href={ "/rapat/" (text(&a["meeting"]["id"])) } { (text(&a["meeting"]["title"])) } }
            td { (format::date(&a["dueOn"])) @if a["overdue"] == true { " " span.badge.late { (w::OVERDUE) } } }
            td { (lbl(Kind::ActionItemStatus, &a["status"])) }
        } }).collect()))
    };
    ctx.render(text(&o["name"]), body)
}

/// realised / committed, when committed is positive.
pub fn rate(realised: &serde_json::Value, committed: &serde_json::Value) -> Option<f64> {
    match (format::amount(realised), format::amount(committed)) {
        (Some(r), Some(c)) if c > 0 => Some(r as f64 / c as f64),
        _ => None,
    }
}
