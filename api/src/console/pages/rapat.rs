//! Rapat (coordination meetings): the list and a meeting's page with host, participants, agenda,
//! minutes, decisions and their action items; Tindak lanjut: action items by owner and by meeting,
//! overdue first.

use super::{Params, lbl, param, text};
use crate::console::format;
use crate::console::page::{Ctx, Failure};
use crate::console::words as w;
use crate::labels::Kind;
use axum::extract::{Path, Query};
use axum::response::Response;
use maud::{Markup, html};
use serde_json::{Value, json};

const LIST: &str = include_str!("../queries/rapat_daftar.graphql");
const SHOW: &str = include_str!("../queries/rapat.graphql");
const FOLLOW_UP: &str = include_str!("../queries/tindak_lanjut.graphql");

/// `GET /rapat?wilayah=&q=`.
pub async fn list(mut ctx: Ctx, Query(q): Query<Params>) -> Response {
    let filter = json!({ "region": param(&q, "wilayah"), "text": param(&q, "q") });
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
    let conn = &data["meetings"];
    let rows: Vec<Markup> = super::nodes(conn)
        .into_iter()
        .map(|m| {
            html! { tr {
                td { (format::date(&m["heldOn"])) }
                td { a href={ "/rapat/" (text(&m["id"])) } { (text(&m["title"])) } }
                td { (lbl(Kind::MeetingLevel, &m["level"])) }
                td { (super::region_link(&m["region"])) }
                td { (super::org_link(&m["host"])) }
            } }
        })
        .collect();
    let may_record = ctx.user().is_some_and(|u| {
        matches!(
            u.role,
            entity::enums::Role::Admin | entity::enums::Role::Coordinator
        )
    });
    let body = html! {
        h1 { "Rapat koordinasi" }
        @if may_record { p { a.button #catat-rapat href="/rapat/baru" { "Catat rapat" } } }
        form.filters method="get" action="/rapat" {
            div { label for="wilayah" { (w::REGION) } input #wilayah name="wilayah" value=[param(&q, "wilayah")] placeholder=(w::REGION_HINT); }
            div { label for="q" { "Judul" } input #q name="q" value=[param(&q, "q")]; }
            div { button type="submit" { (w::SHOW) } }
        }
        p { (conn["totalCount"]) " rapat, terbaru lebih dulu" }
        (super::table("Rapat", &[w::DATE, "Rapat", w::LEVEL, w::REGION, w::HOST], rows))
        (super::pager("/rapat", &q, conn))
    };
    ctx.render("Rapat", body)
}

/// `GET /rapat/{id}`.
pub async fn show(mut ctx: Ctx, Path(id): Path<String>) -> Response {
    let data = match ctx.run(SHOW, json!({ "id": id })).await {
        Ok(d) => d,
        Err(f) => return ctx.fail(f),
    };
    let m = &data["meeting"];
    if m.is_null() {
        return ctx.fail(Failure::not_found("Rapat ini tidak ada."));
    }
    let region = m["region"]["code"].as_str();
    let coordinator = crate::console::forms::coordinates(&ctx, region);
    let body = html! {
        h1 { (text(&m["title"])) }
        @if coordinator { p { a.button #ubah-rapat href={ "/rapat/" (id) "/ubah" } { "Ubah rapat" } " "
            a.button #catat-keputusan href={ "/rapat/" (id) "/keputusan" } { "Catat keputusan" } } }
        dl.facts {
            dt { (w::DATE) } dd { (format::date(&m["heldOn"])) }
            dt { (w::LEVEL) } dd { (lbl(Kind::MeetingLevel, &m["level"])) }
            dt { (w::REGION) } dd { (super::region_link(&m["region"])) }
            dt { (w::HOST) } dd { (super::org_link(&m["host"])) }
            @if let Some(l) = m["location"].as_str() { dt { "Tempat" } dd { (l) } }
        }
        h2 { "Peserta" }
        ul.plain { @for p in super::list(&m["participants"]) { li { (super::org_link(&p["organization"]))
            @if let Some(r) = p["representative"].as_str() { " · " (r) } @if let Some(r) = p["role"].as_str() { " (" (r) ")" } } } }
        h2 { "Agenda" }
        ol { @for a in super::list(&m["agenda"]) { li { (text(a)) } } }
        @if let Some(min) = m["minutes"].as_str() { h2 { "Notulen" } p { (min) } }
        h2 { "Keputusan dan rencana aksi" }
        @for (i, d) in super::list(&m["decisions"]).iter().enumerate() {
            h3 { "Keputusan " (i + 1) @if d["done"] == true { " " span.ok { "(semua rencana aksi selesai)" } } }
            p { (text(&d["text"])) }
            (action_items(&ctx, &id, region, super::list(&d["actionItems"])))
            @if coordinator { p { a href={ "/rapat/" (id) "/keputusan/" (text(&d["id"])) "/rencana-aksi" } { "Tambah rencana aksi untuk keputusan ini" } } }
        }
        @if super::list(&m["decisions"]).is_empty() { p.muted { (w::NOTHING) } }
    };
    ctx.render(text(&m["title"]), body)
}

fn action_items(ctx: &Ctx, meeting: &str, region: Option<&str>, items: &[Value]) -> Markup {
    let coordinator = crate::console::forms::coordinates(ctx, region);
    super::table(
        "Rencana aksi",
        &["Rencana aksi", w::OWNER, w::DUE, w::STATUS, "Perkembangan", "Tindakan"],
        items
            .iter()
            .map(|a| html! { tr {
                td { (text(&a["text"]))
                    @for p in super::list(&a["programs"]) { br; span.muted { "Program: " } (super::program_link(p)) }
                    @for r in super::list(&a["regions"]) { br; span.muted { "Wilayah: " } (super::region_link(r)) } }
                td { (super::org_link(&a["owner"])) }
                td { (format::date(&a["dueOn"])) @if a["overdue"] == true { " " span.badge.late { (w::OVERDUE) } } }
                td { (lbl(Kind::ActionItemStatus, &a["status"])) }
                td { @for u in super::list(&a["updates"]) { div { span.muted { (format::date(&u["at"])) } " " (text(&u["note"])) } } }
                td {
                    @if super::tindak_lanjut_tulis::may_report(ctx, a["owner"]["id"].as_str(), region) {
                        a href={ "/rapat/" (meeting) "/rencana-aksi/" (text(&a["id"])) } { "Laporkan perkembangan" }
                    }
                    @if coordinator { br; a href={ "/rapat/" (meeting) "/rencana-aksi/" (text(&a["id"])) "/ubah" } { "Ubah" } }
                }
            } })
            .collect(),
    )
}

/// `GET /tindak-lanjut?wilayah=`: action items by owner and by meeting, overdue first.
pub async fn follow_up(mut ctx: Ctx, Query(q): Query<Params>) -> Response {
    let region = param(&q, "wilayah")
        .map(str::to_string)
        .or_else(|| ctx.user().and_then(|u| u.region_scope.clone()));
    let data = match ctx.run(FOLLOW_UP, json!({ "region": region })).await {
        Ok(d) => d,
        Err(f) => return ctx.fail(f),
    };
    let counts = |c: &Value| {
        html! {
            td.num { (c["open"]) } td.num { (c["inProgress"]) } td.num { (c["done"]) } td.num { (c["dropped"]) }
            td.num { @if c["overdue"].as_i64().unwrap_or(0) > 0 { span.badge.late { (c["overdue"]) } } @else { "0" } }
        }
    };
    let late = super::nodes(&data["terlambat"]);
    let mine = match super::tindak_lanjut_tulis::mine(&mut ctx).await {
        Ok(m) => m,
        Err(f) => return ctx.fail(f),
    };
    let body = html! {
        h1 { "Tindak lanjut rakor" }
        (crate::console::live::action_items(region.as_deref().unwrap_or_default()))
        form.filters method="get" action="/tindak-lanjut" {
            div { label for="wilayah" { (w::REGION) } input #wilayah name="wilayah" value=[region.as_deref()] placeholder=(w::REGION_HINT); }
            div { button type="submit" { (w::SHOW) } }
        }
        (mine)
        h2 #terlambat { "Terlambat (" (data["terlambat"]["totalCount"]) ")" }
        (super::table("Rencana aksi yang melewati tenggat", &["Rencana aksi", w::OWNER, "Rapat", w::DUE, w::STATUS, "Tindakan"], late.iter().map(|a| html! { tr {
            td { (text(&a["text"])) } td { (super::org_link(&a["owner"])) }
            td { a href={ "/rapat/" (text(&a["meeting"]["id"])) } { (text(&a["meeting"]["title"])) } }
            td { (format::date(&a["dueOn"])) } td { (lbl(Kind::ActionItemStatus, &a["status"])) }
            td { @if super::tindak_lanjut_tulis::may_report(&ctx, a["owner"]["id"].as_str(), a["meeting"]["region"]["code"].as_str()) {
                (super::tindak_lanjut_tulis::report_link(&a["meeting"]["id"], &a["id"])) } }
        } }).collect()))
        h2 { "Per pelaksana" }
        (super::table("Rencana aksi per pelaksana, yang paling banyak terlambat lebih dulu", &[w::OWNER, "Belum dimulai", "Berjalan", "Selesai", "Dibatalkan", w::OVERDUE],
            super::list(&data["perPelaksana"]).iter().map(|o| html! { tr { td { (super::org_link(&o["owner"])) } (counts(&o["actionItems"])) } }).collect()))
        h2 { "Per rapat" }
        (super::table("Keputusan dan rencana aksi per rapat", &["Rapat", "Keputusan selesai", "Belum dimulai", "Berjalan", "Selesai", "Dibatalkan", w::OVERDUE],
            super::list(&data["perRapat"]).iter().map(|m| html! { tr {
                td { a href={ "/rapat/" (text(&m["meeting"]["id"])) } { (text(&m["meeting"]["title"])) } " · " (format::date(&m["meeting"]["heldOn"])) }
                td.num { (m["decisionsDone"]) " / " (m["decisions"]) }
                (counts(&m["actionItems"]))
            } }).collect()))
    };
    ctx.render("Tindak lanjut", body)
}
