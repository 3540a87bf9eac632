//! Organisasi: the list, and an organization's page: helix, kind, region, its contributions
//! everywhere with realisation, and its open action items.

use super::{Params, contribution_head, contribution_rows, param};
use crate::console::documents::{self as doc, DaftarOrganisasi, Organisasi};
use crate::console::format;
use crate::console::page::{Ctx, Failure};
use crate::console::words as w;
use crate::labels::{self, Kind};
use axum::extract::{Path, Query};
use axum::response::Response;
use maud::{Markup, html};

/// `GET /organisasi?q=&heliks=&wilayah=`.
pub async fn list(mut ctx: Ctx, Query(q): Query<Params>) -> Response {
    let text_q = param(&q, "q").map(str::to_string);
    let helix = match super::choice(&q, "heliks", Kind::Helix) {
        Ok(v) => v,
        Err(f) => return ctx.fail(f),
    };
    let helixes = match super::choice_of(&q, "heliks", Kind::Helix) {
        Ok(v) => v.map(|h| vec![h]),
        Err(f) => return ctx.fail(f),
    };
    let region = param(&q, "wilayah").map(str::to_string);
    let filter = doc::daftar_organisasi::OrganizationFilter {
        text: text_q.clone(),
        helixes,
        region: region.clone(),
        kinds: None,
        parent_id: None,
    };
    let vars = doc::daftar_organisasi::Variables {
        filter: Some(filter),
        after: param(&q, "setelah").map(str::to_string),
    };
    let data = match ctx.query::<DaftarOrganisasi>(vars).await {
        Ok(d) => d,
        Err(f) => return ctx.fail(f),
    };
    let conn = &data.organizations;
    let rows: Vec<Markup> = conn
        .edges
        .iter()
        .map(|e| {
            let o = &e.node;
            html! { tr {
                td { (super::link_to("/organisasi/", &o.id, &o.name)) }
                td { (labels::of(Kind::Helix, &o.helix)) }
                td { (labels::of(Kind::OrganizationKind, &o.kind)) }
                td { (super::region_or_dash(o.region.as_ref().map(|r| (r.code.as_str(), r.name.as_str())))) }
            } }
        })
        .collect();
    let body = html! {
        h1 { "Organisasi" }
        @if ctx.manages_people() { p { a.button href="/organisasi/baru" { "Tambah organisasi" } } }
        form.filters method="get" action="/organisasi" {
            div { label for="q" { "Nama" } input #q name="q" value=[text_q.as_deref()]; }
            div { label for="wilayah" { (w::REGION) } input #wilayah name="wilayah" value=[region.as_deref()] placeholder=(w::REGION_HINT); }
            (super::enum_select("heliks", w::HELIX, Kind::Helix, helix))
            div { button type="submit" { (w::SHOW) } }
        }
        p { (conn.total_count) " organisasi" }
        (super::table("Organisasi", &["Nama", w::HELIX, w::KIND, w::REGION], rows))
        (super::pager_at("/organisasi", &q, conn.page_info.has_next_page, conn.page_info.end_cursor.as_deref()))
    };
    ctx.render("Organisasi", body)
}

/// `GET /organisasi/{id}`.
pub async fn show(mut ctx: Ctx, Path(id): Path<String>, Query(q): Query<Params>) -> Response {
    let vars = doc::organisasi::Variables {
        id: id.clone(),
        after: param(&q, "setelah").map(str::to_string),
    };
    let data = match ctx.query::<Organisasi>(vars).await {
        Ok(d) => d,
        Err(f) => return ctx.fail(f),
    };
    let Some(o) = &data.organization else {
        return ctx.fail(Failure::not_found("Organisasi ini tidak ada."));
    };
    let t = &data.totals;
    let contributions = o.contributions.edges.iter().map(|e| &e.node);
    let items = &o.action_items.edges;
    let body = html! {
        h1 { (o.name) }
        dl.facts {
            dt { (w::HELIX) } dd { (labels::of(Kind::Helix, &o.helix)) }
            dt { (w::KIND) } dd { (labels::of(Kind::OrganizationKind, &o.kind)) }
            dt { (w::REGION) } dd { (super::region_or_dash(o.region.as_ref().map(|r| (r.code.as_str(), r.name.as_str())))) }
            @if let Some(p) = &o.parent { dt { "Induk" } dd { (super::link_to("/organisasi/", &p.id, &p.name)) } }
            @if !o.units.is_empty() { dt { "Unit" } dd { @for (i, u) in o.units.iter().enumerate() { @if i > 0 { ", " } (super::link_to("/organisasi/", &u.id, &u.name)) } } }
        }
        div.cards {
            div.card { div { (w::COUNT) " kontribusi" } div.big { (format::thousands(t.count.into())) } }
            div.card { div { (w::COMMITTED) } div.big { (format::money(&t.committed)) } }
            div.card { div { (w::REALISED) } div.big { (format::money(&t.realised)) } }
            div.card { div { "Tingkat realisasi" } div.big { (format::percent(rate(&t.realised, &t.committed))) } }
        }
        h2 { "Kontribusi di semua wilayah (" (o.contributions.total_count) ")" }
        p { a href={ "/kontribusi?organisasi=" (id) } { "Kontribusi organisasi ini, dengan filter" } }
        (super::table("Kontribusi organisasi ini", &contribution_head(true), contribution_rows(contributions, true)))
        (super::pager_at(&format!("/organisasi/{id}"), &q, o.contributions.page_info.has_next_page, o.contributions.page_info.end_cursor.as_deref()))
        h2 { "Rencana aksi yang masih terbuka" }
        (super::table("Rencana aksi terbuka", &["Rencana aksi", "Rapat", w::DUE, w::STATUS], items.iter().map(|e| { let a = &e.node; html! { tr {
            td { (a.text) }
            td { @match &a.meeting { Some(m) => { a href={ "/rapat/" (m.id) } { (m.title) } } None => { a href="/rapat/–" { "–" } } } }
            td { (a.due_on.as_deref().map_or_else(|| "–".to_string(), format::date_text)) @if a.overdue { " " span.badge.late { (w::OVERDUE) } } }
            td { (labels::of(Kind::ActionItemStatus, &a.status)) }
        } } }).collect()))
    };
    ctx.render(&o.name, body)
}

/// realised / committed (the API's whole-Rupiah strings), when committed is positive.
pub fn rate(realised: &str, committed: &str) -> Option<f64> {
    let amount = |s: &str| s.trim().parse::<i128>().ok();
    match (amount(realised), amount(committed)) {
        (Some(r), Some(c)) if c > 0 => Some(r as f64 / c as f64),
        _ => None,
    }
}
