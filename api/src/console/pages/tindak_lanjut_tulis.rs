//! What became of a meeting's decisions: the owner organization of an action item (and the
//! coordinator of the meeting's region) reports progress, a new status with a note
//! (`setActionItemStatus`) or a note alone (`addActionItemProgress`), from the meeting's page or the
//! follow-up page, which lists the open items of the user's organization.

use super::rapat_aksi::{ActionItem, find_item};
use super::rapat_isian::{Meeting, load, region_code};
use super::{date_of, enum_of, org_of};
use crate::console::documents::{
    self as doc, ActionItemStatus, KemajuanRencanaAksi, RencanaAksiSaya, StatusRencanaAksi,
};
use crate::console::format;
use crate::console::forms::fields::{self as ui, field};
use crate::console::forms::{self, Form};
use crate::console::page::{Ctx, Failure};
use crate::labels::{self, Kind};
use axum::body::Bytes;
use axum::extract::Path;
use axum::response::Response;
use maud::{Markup, html};

/// Whether the user may report on an action item: its owner organization, or a coordinator of
/// the meeting's region.
pub fn may_report(ctx: &Ctx, owner: Option<&str>, meeting_region: Option<&str>) -> bool {
    let owns = ctx
        .user()
        .is_some_and(|u| owner.is_some() && u.organization_id.as_deref() == owner);
    owns || forms::coordinates(ctx, meeting_region)
}

/// A path on this hub to go back to after a report (the follow-up page, or the meeting).
fn back_to(raw: &str, fallback: String) -> String {
    let safe = raw.starts_with('/') && !raw.starts_with("//") && !raw.contains(['\\', '\r', '\n']);
    if safe { raw.to_string() } else { fallback }
}

fn progress_page(ctx: &Ctx, f: &Form, m: &Meeting, a: &ActionItem) -> Response {
    let url = format!("/rapat/{}/rencana-aksi/{}", m.id, a.id);
    let body = html! {
        h1 { "Perkembangan rencana aksi" }
        p { "Rapat " a href={ "/rapat/" (m.id) } { (m.title) } " · " (format::date_text(&m.held_on)) }
        dl.facts #nilai-sekarang {
            dt { "Rencana aksi" } dd { (a.text) }
            dt { (crate::console::words::OWNER) } dd { (org_of(a.owner.as_ref())) }
            dt { (crate::console::words::DUE) } dd { (date_of(a.due_on.as_deref()))
                @if a.overdue { " " span.badge.late { (crate::console::words::OVERDUE) } } }
            dt { "Status" } dd #status-sekarang { (labels::of(Kind::ActionItemStatus, &a.status)) }
        }
        @if !a.updates.is_empty() {
            h2 { "Catatan sebelumnya" }
            ul.plain { @for u in &a.updates { li { span.muted { (format::date_text(&u.at)) " · " (u.by.as_ref().map_or("–", |b| b.name.as_str())) } " " (u.note) } } }
        }
        h2 { "Laporkan perkembangan" }
        (ui::form(ctx, f, &url, "form-kemajuan", html! {
            (ui::version(f))
            (ui::hidden("kembali", f.value("kembali")))
            (ui::enum_select(f, field("status", "Status").required(), Kind::ActionItemStatus, None, None))
            (ui::textarea(f, field("catatan", "Catatan perkembangan").hint("mis. Draf SK desa prioritas sudah disusun"), 3))
            (ui::submit("Simpan perkembangan"))
        }))
    };
    forms::answer(ctx, f, "Perkembangan rencana aksi", body)
}

async fn item_for_report(
    ctx: &mut Ctx,
    id: &str,
    item: &str,
) -> Result<(Meeting, ActionItem), Failure> {
    let m = load(ctx, id).await?;
    let a = find_item(&m, item)
        .cloned()
        .ok_or_else(|| Failure::not_found("Rencana aksi ini tidak ada."))?;
    Ok((m, a))
}

/// The form's values of an action item's standing: its status and version.
fn standing(a: &ActionItem) -> [(&'static str, String); 2] {
    [
        ("status", super::wire_name(&a.status)),
        (forms::VERSION, a.version.to_string()),
    ]
}

/// `GET /rapat/{id}/rencana-aksi/{item}?kembali=`: the progress form.
pub async fn progress_form(
    mut ctx: Ctx,
    Path((id, item)): Path<(String, String)>,
    axum::extract::Query(q): axum::extract::Query<super::Params>,
) -> Response {
    let (m, a) = match item_for_report(&mut ctx, &id, &item).await {
        Ok(x) => x,
        Err(e) => return ctx.fail(e),
    };
    if !may_report(
        &ctx,
        a.owner.as_ref().map(|o| o.id.as_str()),
        region_code(&m),
    ) {
        return forms::refused(
            &ctx,
            "Hanya organisasi pelaksana (atau koordinator wilayah rapat) yang melaporkan perkembangan rencana aksi ini.",
        );
    }
    let mut f = Form::filled(standing(&a));
    f.set(
        "kembali",
        back_to(
            super::param(&q, "kembali").unwrap_or(""),
            format!("/rapat/{id}"),
        ),
    );
    progress_page(&ctx, &f, &m, &a)
}

/// `POST /rapat/{id}/rencana-aksi/{item}`: a new status (with the note, if any), or a note alone.
pub async fn report(
    mut ctx: Ctx,
    Path((id, item)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let mut f = match Form::read(&ctx, &body) {
        Ok(f) => f,
        Err(refused) => return *refused,
    };
    let back = back_to(f.value("kembali"), format!("/rapat/{id}"));
    let (m, a) = match item_for_report(&mut ctx, &id, &item).await {
        Ok(x) => x,
        Err(e) => return ctx.fail(e),
    };
    let result = async {
        // A missing version has already put its notice on the form, so nothing is sent with 0.
        let version = f.version().unwrap_or_default();
        let status = f
            .choice("status", Kind::ActionItemStatus, true)
            .and_then(enum_of::<ActionItemStatus>);
        let note = f.text("catatan");
        let map = forms::field_map(&[("note", "catatan"), ("status", "status")]);
        match (status, note) {
            (Some(status), note) if status != a.status => {
                let vars = doc::status_rencana_aksi::Variables {
                    id: item.clone(),
                    version,
                    status,
                    note,
                };
                f.send::<StatusRencanaAksi>(&mut ctx, vars, map)
                    .await
                    .map(|stored| stored.map(drop))
            }
            (_, Some(note)) => {
                let vars = doc::kemajuan_rencana_aksi::Variables {
                    id: item.clone(),
                    version,
                    note,
                };
                f.send::<KemajuanRencanaAksi>(&mut ctx, vars, map)
                    .await
                    .map(|stored| stored.map(drop))
            }
            (_, None) => {
                f.reject("catatan", "ubah statusnya atau tulis catatan perkembangan");
                Ok(None)
            }
        }
    }
    .await;
    match result {
        Ok(Some(_)) => return forms::done(&ctx, &back),
        Ok(None) => {}
        Err(e) => return ctx.fail(e),
    }
    let (m, a) = match item_for_report(&mut ctx, &id, &item).await {
        Ok(x) => x,
        Err(_) => (m, a),
    };
    if f.is_stale() {
        // A double click finds its first click stored: the status it asked for and its note.
        let noted = a
            .updates
            .last()
            .is_some_and(|u| u.note == f.value("catatan").trim());
        let note_ok = f.value("catatan").trim().is_empty() || noted;
        if super::wire_name(&a.status) == f.value("status") && note_ok {
            return forms::done(&ctx, &back);
        }
        f.stale(&standing(&a));
    }
    progress_page(&ctx, &f, &m, &a)
}

/// On the follow-up page: the open action items of the user's organization, each with a link to
/// report progress (nothing for users without an organization).
pub async fn mine(ctx: &mut Ctx) -> Result<Markup, Failure> {
    let Some(owner) = ctx.user().and_then(|u| u.organization_id.clone()) else {
        return Ok(html! {});
    };
    let vars = doc::rencana_aksi_saya::Variables { owner };
    let items = ctx.query::<RencanaAksiSaya>(vars).await?.action_items;
    let rows = items
        .edges
        .iter()
        .map(|e| &e.node)
        .map(|a| {
            let (mid, title) = a
                .meeting
                .as_ref()
                .map_or(("–", "–"), |m| (m.id.as_str(), m.title.as_str()));
            html! { tr {
                td { (a.text) }
                td { a href={ "/rapat/" (mid) } { (title) } }
                td { (super::date_of(a.due_on.as_deref())) @if a.overdue { " " span.badge.late { (crate::console::words::OVERDUE) } } }
                td { (labels::of(Kind::ActionItemStatus, &a.status)) }
                td { (report_link(mid, &a.id)) }
            } }
        })
        .collect();
    Ok(html! {
        h2 #rencana-aksi-saya { "Rencana aksi organisasi Anda (" (items.total_count) ")" }
        (super::table("Rencana aksi yang belum selesai, milik organisasi Anda", &["Rencana aksi", "Rapat", crate::console::words::DUE, "Status", "Tindakan"], rows))
    })
}

/// The link to report on action item `item` of `meeting`, coming back to the follow-up page.
pub fn report_link(meeting: &str, item: &str) -> Markup {
    html! {
        a.report href={ "/rapat/" (meeting) "/rencana-aksi/" (item) "?kembali=%2Ftindak-lanjut" } { "Laporkan perkembangan" }
    }
}
