//! Rapat (coordination meetings): the list and a meeting's page with host, participants, agenda,
//! minutes, decisions and their action items; Tindak lanjut: action items by owner and by meeting,
//! overdue first.

use super::{Params, date_of, org_of, param, region_of};
use crate::console::documents::{self as doc, DaftarRapat, Rapat, TindakLanjut};
use crate::console::format;
use crate::console::page::{Ctx, Failure};
use crate::console::words as w;
use crate::labels::{self, Kind};
use axum::extract::{Path, Query};
use axum::response::Response;
use maud::{Markup, html};

type ActionItem = doc::rapat::RapatMeetingDecisionsActionItems;

super::named!(
    doc::daftar_rapat::DaftarRapatMeetingsEdgesNodeHost,
    doc::rapat::RapatMeetingHost,
    doc::rapat::RapatMeetingParticipantsOrganization,
    doc::rapat::RapatMeetingDecisionsActionItemsOwner,
    doc::rapat::RapatMeetingDecisionsActionItemsPrograms,
    doc::tindak_lanjut::TindakLanjutPerPelaksanaOwner,
    doc::tindak_lanjut::TindakLanjutTerlambatEdgesNodeOwner,
);
super::placed!(
    doc::daftar_rapat::DaftarRapatMeetingsEdgesNodeRegion,
    doc::rapat::RapatMeetingRegion,
    doc::rapat::RapatMeetingDecisionsActionItemsRegions,
);

/// `GET /rapat?wilayah=&q=`.
pub async fn list(mut ctx: Ctx, Query(q): Query<Params>) -> Response {
    let owned = |name: &str| param(&q, name).map(String::from);
    let vars = doc::daftar_rapat::Variables {
        filter: Some(doc::daftar_rapat::MeetingFilterInput {
            region: owned("wilayah"),
            text: owned("q"),
            levels: None,
            held_from: None,
            held_to: None,
            host_ids: None,
            participant_ids: None,
        }),
        after: owned("setelah"),
    };
    let conn = match ctx.query::<DaftarRapat>(vars).await {
        Ok(d) => d.meetings,
        Err(f) => return ctx.fail(f),
    };
    let rows: Vec<Markup> = conn
        .edges
        .iter()
        .map(|e| &e.node)
        .map(|m| {
            html! { tr {
                td { (format::date_text(&m.held_on)) }
                td { a href={ "/rapat/" (m.id) } { (m.title) } }
                td { (labels::of(Kind::MeetingLevel, &m.level)) }
                td { (region_of(m.region.as_ref())) }
                td { (org_of(m.host.as_ref())) }
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
        p { (conn.total_count) " rapat, terbaru lebih dulu" }
        (super::table("Rapat", &[w::DATE, "Rapat", w::LEVEL, w::REGION, w::HOST], rows))
        (super::pager_at("/rapat", &q, conn.page_info.has_next_page, conn.page_info.end_cursor.as_deref()))
    };
    ctx.render("Rapat", body)
}

/// `GET /rapat/{id}`.
pub async fn show(mut ctx: Ctx, Path(id): Path<String>) -> Response {
    let vars = doc::rapat::Variables { id: id.clone() };
    let m = match ctx.query::<Rapat>(vars).await {
        Ok(d) => match d.meeting {
            Some(m) => m,
            None => return ctx.fail(Failure::not_found("Rapat ini tidak ada.")),
        },
        Err(f) => return ctx.fail(f),
    };
    let region = m.region.as_ref().map(|r| r.code.as_str());
    let coordinator = crate::console::forms::coordinates(&ctx, region);
    let body = html! {
        h1 { (m.title) }
        @if coordinator { p { a.button #ubah-rapat href={ "/rapat/" (id) "/ubah" } { "Ubah rapat" } " "
            a.button #catat-keputusan href={ "/rapat/" (id) "/keputusan" } { "Catat keputusan" } } }
        dl.facts {
            dt { (w::DATE) } dd { (format::date_text(&m.held_on)) }
            dt { (w::LEVEL) } dd { (labels::of(Kind::MeetingLevel, &m.level)) }
            dt { (w::REGION) } dd { (region_of(m.region.as_ref())) }
            dt { (w::HOST) } dd { (org_of(m.host.as_ref())) }
            @if let Some(l) = &m.location { dt { "Tempat" } dd { (l) } }
        }
        h2 { "Peserta" }
        ul.plain { @for p in &m.participants { li { (org_of(p.organization.as_ref()))
            @if let Some(r) = &p.representative { " · " (r) } @if let Some(r) = &p.role { " (" (r) ")" } } } }
        h2 { "Agenda" }
        ol { @for a in &m.agenda { li { (a) } } }
        @if let Some(min) = &m.minutes { h2 { "Notulen" } p { (min) } }
        h2 { "Keputusan dan rencana aksi" }
        @for (i, d) in m.decisions.iter().enumerate() {
            h3 { "Keputusan " (i + 1) @if d.done { " " span.ok { "(semua rencana aksi selesai)" } } }
            p { (d.text) }
            (action_items(&ctx, &id, region, &d.action_items))
            @if coordinator { p { a href={ "/rapat/" (id) "/keputusan/" (d.id) "/rencana-aksi" } { "Tambah rencana aksi untuk keputusan ini" } } }
        }
        @if m.decisions.is_empty() { p.muted { (w::NOTHING) } }
    };
    ctx.render(&m.title, body)
}

fn action_items(ctx: &Ctx, meeting: &str, region: Option<&str>, items: &[ActionItem]) -> Markup {
    let coordinator = crate::console::forms::coordinates(ctx, region);
    super::table(
        "Rencana aksi",
        &["Rencana aksi", w::OWNER, w::DUE, w::STATUS, "Perkembangan", "Tindakan"],
        items
            .iter()
            .map(|a| html! { tr {
                td { (a.text)
                    @for p in &a.programs { br; span.muted { "Program: " } (super::program_of(p)) }
                    @for r in &a.regions { br; span.muted { "Wilayah: " } (region_of(Some(r))) } }
                td { (org_of(a.owner.as_ref())) }
                td { (date_of(a.due_on.as_deref())) @if a.overdue { " " span.badge.late { (w::OVERDUE) } } }
                td { (labels::of(Kind::ActionItemStatus, &a.status)) }
                td { @for u in &a.updates { div { span.muted { (format::date_text(&u.at)) } " " (u.note) } } }
                td {
                    @if super::tindak_lanjut_tulis::may_report(ctx, a.owner.as_ref().map(|o| o.id.as_str()), region) {
                        a href={ "/rapat/" (meeting) "/rencana-aksi/" (a.id) } { "Laporkan perkembangan" }
                    }
                    @if coordinator { br; a href={ "/rapat/" (meeting) "/rencana-aksi/" (a.id) "/ubah" } { "Ubah" } }
                }
            } })
            .collect(),
    )
}

/// The cells of an owner's or a meeting's action item counts: open, in progress, done, dropped
/// and overdue.
fn counts([open, in_progress, done, dropped, overdue]: [i64; 5]) -> Markup {
    html! {
        td.num { (open) } td.num { (in_progress) } td.num { (done) } td.num { (dropped) }
        td.num { @if overdue > 0 { span.badge.late { (overdue) } } @else { "0" } }
    }
}

/// `GET /tindak-lanjut?wilayah=`: action items by owner and by meeting, overdue first.
pub async fn follow_up(mut ctx: Ctx, Query(q): Query<Params>) -> Response {
    let region = param(&q, "wilayah")
        .map(str::to_string)
        .or_else(|| ctx.user().and_then(|u| u.region_scope.clone()));
    let vars = doc::tindak_lanjut::Variables {
        region: region.clone(),
    };
    let data = match ctx.query::<TindakLanjut>(vars).await {
        Ok(d) => d,
        Err(f) => return ctx.fail(f),
    };
    let mine = match super::tindak_lanjut_tulis::mine(&mut ctx).await {
        Ok(m) => m,
        Err(f) => return ctx.fail(f),
    };
    let late = data.terlambat.edges.iter().map(|e| &e.node);
    let body = html! {
        h1 { "Tindak lanjut rakor" }
        (crate::console::live::action_items(region.as_deref().unwrap_or_default()))
        form.filters method="get" action="/tindak-lanjut" {
            div { label for="wilayah" { (w::REGION) } input #wilayah name="wilayah" value=[region.as_deref()] placeholder=(w::REGION_HINT); }
            div { button type="submit" { (w::SHOW) } }
        }
        (mine)
        h2 #terlambat { "Terlambat (" (data.terlambat.total_count) ")" }
        (super::table("Rencana aksi yang melewati tenggat", &["Rencana aksi", w::OWNER, "Rapat", w::DUE, w::STATUS, "Tindakan"], late.map(|a| html! { tr {
            td { (a.text) } td { (org_of(a.owner.as_ref())) }
            @let (mid, title) = a.meeting.as_ref().map_or(("–", "–"), |m| (m.id.as_str(), m.title.as_str()));
            td { a href={ "/rapat/" (mid) } { (title) } }
            td { (date_of(a.due_on.as_deref())) } td { (labels::of(Kind::ActionItemStatus, &a.status)) }
            td { @if super::tindak_lanjut_tulis::may_report(&ctx, a.owner.as_ref().map(|o| o.id.as_str()),
                    a.meeting.as_ref().and_then(|m| m.region.as_ref()).map(|r| r.code.as_str())) {
                (super::tindak_lanjut_tulis::report_link(mid, &a.id)) } }
        } }).collect()))
        h2 { "Per pelaksana" }
        (super::table("Rencana aksi per pelaksana, yang paling banyak terlambat lebih dulu", &[w::OWNER, "Belum dimulai", "Berjalan", "Selesai", "Dibatalkan", w::OVERDUE],
            data.per_pelaksana.iter().map(|o| {
                let c = &o.action_items;
                html! { tr { td { (org_of(o.owner.as_ref())) } (counts([c.open, c.in_progress, c.done, c.dropped, c.overdue])) } }
            }).collect()))
        h2 { "Per rapat" }
        (super::table("Keputusan dan rencana aksi per rapat", &["Rapat", "Keputusan selesai", "Belum dimulai", "Berjalan", "Selesai", "Dibatalkan", w::OVERDUE],
            data.per_rapat.iter().map(|r| {
                let c = &r.action_items;
                html! { tr {
                    @let (mid, title, held_on) = r.meeting.as_ref()
                        .map_or(("–", "–", "–".to_string()), |m| (m.id.as_str(), m.title.as_str(), format::date_text(&m.held_on)));
                    td { a href={ "/rapat/" (mid) } { (title) } " · " (held_on) }
                    td.num { (r.decisions_done) " / " (r.decisions) }
                    (counts([c.open, c.in_progress, c.done, c.dropped, c.overdue]))
                } }
            }).collect()))
    };
    ctx.render("Tindak lanjut", body)
}
