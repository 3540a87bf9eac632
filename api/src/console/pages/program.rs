//! Program: the list, and a program's page with owner, cluster, strategies, phases, yearly targets
//! against realisation (a chart), target villages, synergies and the contributions under it.

use super::{Params, contribution_head, contribution_rows, param};
use crate::console::charts::{self, Row};
use crate::console::documents::{self as doc, DaftarProgram, Program, SynergyStatus};
use crate::console::format;
use crate::console::page::{Ctx, Failure};
use crate::console::words as w;
use crate::labels::{self, Kind};
use axum::extract::{Path, Query};
use axum::response::Response;
use maud::{Markup, html};

/// `GET /program?q=&klaster=&wilayah=`.
pub async fn list(mut ctx: Ctx, Query(q): Query<Params>) -> Response {
    let text_q = param(&q, "q").map(str::to_string);
    let cluster = match super::choice(&q, "klaster", Kind::Cluster) {
        Ok(v) => v,
        Err(f) => return ctx.fail(f),
    };
    let clusters = match super::choice_of(&q, "klaster", Kind::Cluster) {
        Ok(v) => v.map(|c| vec![c]),
        Err(f) => return ctx.fail(f),
    };
    let region = param(&q, "wilayah").map(str::to_string);
    let filter = doc::daftar_program::ProgramFilter {
        text: text_q.clone(),
        clusters,
        region: region.clone(),
        owner_ids: None,
        active_in: None,
    };
    let vars = doc::daftar_program::Variables {
        filter: Some(filter),
        after: param(&q, "setelah").map(str::to_string),
    };
    let data = match ctx.query::<DaftarProgram>(vars).await {
        Ok(d) => d,
        Err(f) => return ctx.fail(f),
    };
    let conn = &data.programs;
    let rows: Vec<Markup> = conn
        .edges
        .iter()
        .map(|e| {
            let p = &e.node;
            html! { tr {
                td { (super::link_to("/program/", &p.id, &p.name)) @if let Some(c) = &p.code { " " span.muted { "(" (c) ")" } } }
                td { (super::link_or_dash("/organisasi/", p.owner.as_ref().map(|o| (o.id.as_str(), o.name.as_str())))) }
                td { (labels::of(Kind::Cluster, &p.cluster)) }
                td.num { (p.start_year) "–" (p.end_year) }
            } }
        })
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
        p { (conn.total_count) " program" }
        (super::table("Program", &["Program", "Pemilik", w::CLUSTER, "Tahun"], rows))
        (super::pager_at("/program", &q, conn.page_info.has_next_page, conn.page_info.end_cursor.as_deref()))
    };
    ctx.render("Program", body)
}

/// `GET /program/{id}`.
pub async fn show(mut ctx: Ctx, Path(id): Path<String>) -> Response {
    let data = match ctx.query::<Program>(doc::program::Variables { id }).await {
        Ok(d) => d,
        Err(f) => return ctx.fail(f),
    };
    let Some(p) = &data.program else {
        return ctx.fail(Failure::not_found("Program ini tidak ada."));
    };
    let targets = &p.targets;
    let chart_rows: Vec<Row> = targets
        .iter()
        .map(|t| Row {
            label: format!("{} ({})", t.fiscal_year, t.unit),
            values: vec![t.target, t.realised.unwrap_or(0.0)],
            texts: vec![
                format::decimal(Some(t.target), 1),
                format::decimal(t.realised, 1),
            ],
        })
        .collect();
    let contributions = p.contributions.edges.iter().map(|e| &e.node);
    let owner = p.owner.as_ref();
    let manage = crate::console::forms::coordinates(
        &ctx,
        owner
            .and_then(|o| o.region.as_ref())
            .map(|r| r.code.as_str()),
    );
    let id = &p.id;
    let body = html! {
        h1 { (p.name) }
        @if manage {
            p.actions {
                a.button #ubah-program href={ "/program/" (id) "/ubah" } { "Ubah program" } " "
                a.button #usulkan-sinergi href={ "/program/" (id) "/sinergi/baru" } { "Usulkan sinergi" }
            }
        }
        dl.facts {
            dt { "Pemilik" } dd { (super::link_or_dash("/organisasi/", owner.map(|o| (o.id.as_str(), o.name.as_str())))) }
            dt { (w::CLUSTER) } dd { (labels::of(Kind::Cluster, &p.cluster)) }
            dt { "Strategi" } dd { @for (i, s) in p.strategies.iter().enumerate() { @if i > 0 { "; " } (labels::of(Kind::Strategy, s)) } }
            dt { (w::TARGET_GROUP) } dd { @for (i, s) in p.target_groups.iter().enumerate() { @if i > 0 { ", " } (labels::of(Kind::TargetGroup, s)) } }
            dt { "Tahun" } dd { (p.start_year) "–" (p.end_year) }
            @if let Some(c) = &p.code { dt { "Kode" } dd { (c) } }
        }
        @if let Some(d) = &p.description { p { (d) } }
        h2 { "Tahapan" }
        @if p.phases.is_empty() { p.muted { (w::NOTHING) } }
        ul.plain { @for ph in &p.phases { li { strong { (ph.fiscal_year) } " · " (ph.name) @if let Some(d) = &ph.description { ": " (d) } } } }
        h2 { "Target dan realisasi per tahun" }
        @if !chart_rows.is_empty() { (charts::bars("Target dan realisasi program per tahun", &["Target", "Realisasi"], &chart_rows)) }
        (super::table("Target dan realisasi", &["Tahun", "Satuan", "Target", "Realisasi", "Capaian"], targets.iter().map(|t| html! { tr {
            td { (t.fiscal_year) } td { (t.unit) } td.num { (format::decimal(Some(t.target), 1)) }
            td.num { (format::decimal(t.realised, 1)) } td.num { (format::percent(t.realisation_rate)) }
        } }).collect()))
        h2 { "Desa sasaran (" (p.villages.total_count) ")" }
        ul.plain { @for v in &p.villages.edges { li { (super::region_at(&v.node.code, &v.node.name)) } } }
        h2 #sinergi { "Sinergi program" }
        (super::table("Sinergi program", &["Program", "Dengan", "Hubungan", w::STATUS, "Disepakati di", ""], p.synergies.iter().map(|s| {
            // The other program, as (id, name, its owner's name).
            let a = s.program_a.as_ref().map(|a| (a.id.as_str(), a.name.as_str(), a.owner.as_ref().map(|o| o.name.as_str())));
            let b = s.program_b.as_ref().map(|b| (b.id.as_str(), b.name.as_str(), b.owner.as_ref().map(|o| o.name.as_str())));
            let other = if a.is_some_and(|(a, _, _)| a == p.id) { b } else { a };
            html! { tr {
                td { (p.name) } td { (super::link_or_dash("/program/", other.map(|(id, name, _)| (id, name)))) " · " (other.and_then(|(_, _, owner)| owner).unwrap_or("–")) }
                td { (labels::of(Kind::SynergyRelation, &s.relation)) } td { (labels::of(Kind::SynergyStatus, &s.status)) }
                td { @match &s.agreed_at { None => "–", Some(m) => { a href={ "/rapat/" (m.id) } { (m.title) } } } }
                td {
                    @if manage && s.status == SynergyStatus::Proposed { a.sepakati href={ "/program/" (id) "/sinergi/" (s.id) "/sepakati" } { "Sepakati" } " " }
                    @if manage && s.status != SynergyStatus::Dropped { a.batalkan href={ "/program/" (id) "/sinergi/" (s.id) "/batalkan" } { "Batalkan" } }
                }
            } }
        }).collect()))
        h2 { "Kontribusi di bawah program ini (" (p.contributions.total_count) ")" }
        p { a href={ "/kontribusi?program=" (p.id) } { "Kontribusi program ini, dengan filter" } }
        (super::table("Kontribusi", &contribution_head(true), contribution_rows(contributions, true)))
    };
    ctx.render(&p.name, body)
}
