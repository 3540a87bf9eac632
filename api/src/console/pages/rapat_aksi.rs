//! What a meeting decided and what became of it: a coordinator records a decision with its first
//! action item (`addDecision`), adds action items to a decision (`addActionItem`) and re-assigns or
//! reschedules them (`updateActionItem`); the owner organization (and the coordinator) reports
//! progress: a new status and a note (`setActionItemStatus`, or `addActionItemProgress` for a note
//! alone), from the meeting's page or the follow-up page.

use super::rapat_tulis::{Choices, choices, load, named, not_coordinator};
use super::{lbl, text};
use crate::console::format;
use crate::console::forms::fields::{self as ui, field};
use crate::console::forms::{self, Form, region};
use crate::console::page::{Ctx, Failure};
use crate::labels::Kind;
use axum::body::Bytes;
use axum::extract::Path;
use axum::response::Response;
use maud::{Markup, html};
use serde_json::{Value, json};

const DECISION: &str = include_str!("../queries/keputusan_tambah.graphql");
const ADD_ITEM: &str = include_str!("../queries/rencana_aksi_tambah.graphql");
const UPDATE_ITEM: &str = include_str!("../queries/rencana_aksi_ubah.graphql");
const STATUS: &str = include_str!("../queries/rencana_aksi_status.graphql");
const PROGRESS: &str = include_str!("../queries/rencana_aksi_kemajuan.graphql");
const MINE: &str = include_str!("../queries/rencana_aksi_saya.graphql");

/// The form field of an action item's API field, under the API's prefix (`actionItems.0` for a
/// decision's first item, `input` for an item on its own).
fn item_field(prefix: &str, api: &str) -> Option<String> {
    let rest = api.strip_prefix(prefix)?.strip_prefix('.')?;
    let name = match rest.split('.').next()? {
        "text" => "aksi_teks",
        "ownerId" => "aksi_pelaksana",
        "dueOn" => "aksi_tenggat",
        "programIds" => "aksi_program",
        "regionCodes" => "aksi_wilayah",
        _ => return None,
    };
    Some(name.into())
}

/// The fields of one action item (a decision's first, or one added later).
fn item_fields(f: &Form, ch: &Choices, with_links: bool) -> Markup {
    html! {
        div.form-grid {
            (ui::input(f, field("aksi_teks", "Rencana aksi"), "text"))
            (ui::select(f, field("aksi_pelaksana", "Pelaksana"), &ch.organizations, Some("– pilih –")))
            (ui::input(f, field("aksi_tenggat", "Tenggat"), "date"))
        }
        @if with_links {
            (ui::checkboxes(f, field("aksi_program", "Program terkait"), &ch.programs))
            (ui::input(f, field("aksi_wilayah", "Wilayah terkait").hint("Kode atau nama, dipisah koma"), "text"))
        }
    }
}

/// Reads an action item; `None` when its text is blank and `optional` (a decision without items).
async fn read_item(ctx: &mut Ctx, f: &mut Form, optional: bool) -> Result<Option<Value>, Failure> {
    let text_ = f.text("aksi_teks");
    let owner = f.text("aksi_pelaksana");
    if text_.is_none() && owner.is_none() && optional {
        return Ok(None);
    }
    if text_.is_none() {
        f.reject("aksi_teks", "wajib diisi");
    }
    if owner.is_none() {
        f.reject("aksi_pelaksana", "pilih organisasi pelaksana");
    }
    let due = f.date("aksi_tenggat", false);
    let regions = region::resolve_list(ctx, f, "aksi_wilayah").await?;
    Ok(Some(json!({
        "text": text_, "ownerId": owner, "dueOn": due,
        "programIds": f.all("aksi_program"), "regionCodes": regions,
    })))
}

/// Which form of a meeting a route serves.
#[derive(Clone, Copy)]
enum Which<'a> {
    Decision,
    AddItem(&'a str),
    EditItem(&'a str),
}

fn find_item<'v>(m: &'v Value, item: &str) -> Option<&'v Value> {
    super::list(&m["decisions"])
        .iter()
        .flat_map(|d| super::list(&d["actionItems"]))
        .find(|a| a["id"] == item)
}

fn find_decision<'v>(m: &'v Value, decision: &str) -> Option<&'v Value> {
    super::list(&m["decisions"])
        .iter()
        .find(|d| d["id"] == decision)
}

fn item_values(a: &Value) -> Vec<(&'static str, String)> {
    vec![
        ("aksi_teks", text(&a["text"]).to_string()),
        (
            "aksi_pelaksana",
            a["owner"]["id"].as_str().unwrap_or("").into(),
        ),
        ("aksi_tenggat", a["dueOn"].as_str().unwrap_or("").into()),
        (forms::VERSION, a["version"].to_string()),
    ]
}

fn coordinator_page(ctx: &Ctx, f: &Form, m: &Value, ch: &Choices, which: Which<'_>) -> Response {
    let mid = text(&m["id"]);
    let (title, action, context) = match which {
        Which::Decision => (
            "Catat keputusan",
            format!("/rapat/{mid}/keputusan"),
            html! {},
        ),
        Which::AddItem(d) => (
            "Tambah rencana aksi",
            format!("/rapat/{mid}/keputusan/{d}/rencana-aksi"),
            html! { @if let Some(d) = find_decision(m, d) { p { "Keputusan: " strong { (text(&d["text"])) } } } },
        ),
        Which::EditItem(i) => (
            "Ubah rencana aksi",
            format!("/rapat/{mid}/rencana-aksi/{i}/ubah"),
            html! {},
        ),
    };
    let body = html! {
        h1 { (title) }
        p { "Rapat " a href={ "/rapat/" (mid) } { (text(&m["title"])) } " · " (format::date(&m["heldOn"])) }
        (context)
        (ui::form(ctx, f, &action, "form-keputusan", html! {
            @match which {
                Which::Decision => {
                    (ui::client_key(f))
                    (ui::textarea(f, field("teks_keputusan", "Keputusan").required(), 3))
                    h2 { "Rencana aksi pertama" }
                    p.muted { "Boleh dikosongkan; rencana aksi lain dapat ditambahkan kemudian." }
                    (item_fields(f, ch, true))
                }
                Which::AddItem(_) => { (ui::client_key(f)) (item_fields(f, ch, true)) }
                Which::EditItem(_) => { (ui::version(f)) (item_fields(f, ch, false)) }
            }
            (ui::submit("Simpan"))
        }))
    };
    forms::answer(ctx, f, title, body)
}

async fn coordinator_form(mut ctx: Ctx, id: &str, which: Which<'_>) -> Response {
    let m = match load(&mut ctx, id).await {
        Ok(m) => m,
        Err(e) => return ctx.fail(e),
    };
    if let Some(refused) = not_coordinator(&ctx, &m) {
        return refused;
    }
    let f = match which {
        Which::EditItem(i) => match find_item(&m, i) {
            Some(a) => Form::filled(item_values(a)),
            None => return ctx.fail(Failure::not_found("Rencana aksi ini tidak ada.")),
        },
        Which::AddItem(d) if find_decision(&m, d).is_none() => {
            return ctx.fail(Failure::not_found("Keputusan ini tidak ada."));
        }
        _ => Form::new(),
    };
    match choices(&mut ctx, m["region"]["code"].as_str(), &named(&m)).await {
        Ok(ch) => coordinator_page(&ctx, &f, &m, &ch, which),
        Err(e) => ctx.fail(e),
    }
}

async fn coordinator_post(mut ctx: Ctx, id: &str, which: Which<'_>, body: Bytes) -> Response {
    let mut f = match Form::read(&ctx, &body) {
        Ok(f) => f,
        Err(refused) => return *refused,
    };
    let result = async {
        ctx.require_user()?;
        match which {
            Which::Decision => {
                let decision = f.required("teks_keputusan");
                let item = read_item(&mut ctx, &mut f, true).await?;
                let vars = json!({ "meetingId": id, "text": decision,
                    "actionItems": item.into_iter().collect::<Vec<_>>(), "clientKey": f.client_key() });
                let map = |api: &str| {
                    (api == "text")
                        .then(|| "teks_keputusan".to_string())
                        .or_else(|| item_field("actionItems.0", api))
                };
                f.submit(&mut ctx, DECISION, vars, map).await
            }
            Which::AddItem(d) => {
                let item = read_item(&mut ctx, &mut f, false).await?;
                let vars = json!({ "decisionId": d, "input": item, "clientKey": f.client_key() });
                f.submit(&mut ctx, ADD_ITEM, vars, |api: &str| item_field("input", api))
                    .await
            }
            Which::EditItem(i) => {
                let version = f.version();
                let text_ = f.required("aksi_teks");
                let owner = f.required("aksi_pelaksana");
                let due = f.date("aksi_tenggat", false);
                let input = json!({ "text": text_, "ownerId": owner, "dueOn": due });
                let vars = json!({ "id": i, "version": version, "input": input });
                f.submit(&mut ctx, UPDATE_ITEM, vars, |api: &str| item_field("input", api))
                    .await
            }
        }
    }
    .await;
    let to = format!("/rapat/{id}");
    match result {
        Ok(Some(_)) => return forms::done(&ctx, &to),
        Ok(None) => {}
        Err(e) => return ctx.fail(e),
    }
    let m = match load(&mut ctx, id).await {
        Ok(m) => m,
        Err(e) => return ctx.fail(e),
    };
    if let (true, Which::EditItem(i)) = (f.is_stale(), which)
        && let Some(a) = find_item(&m, i)
    {
        let now = item_values(a);
        if f.already_saved(&now) {
            return forms::done(&ctx, &to);
        }
        f.stale(now);
    }
    match choices(&mut ctx, m["region"]["code"].as_str(), &named(&m)).await {
        Ok(ch) => coordinator_page(&ctx, &f, &m, &ch, which),
        Err(e) => ctx.fail(e),
    }
}

/// `GET /rapat/{id}/keputusan`.
pub async fn decision_form(ctx: Ctx, Path(id): Path<String>) -> Response {
    coordinator_form(ctx, &id, Which::Decision).await
}

/// `POST /rapat/{id}/keputusan`.
pub async fn add_decision(ctx: Ctx, Path(id): Path<String>, body: Bytes) -> Response {
    coordinator_post(ctx, &id, Which::Decision, body).await
}

/// `GET /rapat/{id}/keputusan/{decision}/rencana-aksi`.
pub async fn item_form(ctx: Ctx, Path((id, d)): Path<(String, String)>) -> Response {
    coordinator_form(ctx, &id, Which::AddItem(&d)).await
}

/// `POST /rapat/{id}/keputusan/{decision}/rencana-aksi`.
pub async fn add_item(ctx: Ctx, Path((id, d)): Path<(String, String)>, body: Bytes) -> Response {
    coordinator_post(ctx, &id, Which::AddItem(&d), body).await
}

/// `GET /rapat/{id}/rencana-aksi/{item}/ubah`.
pub async fn edit_item_form(ctx: Ctx, Path((id, i)): Path<(String, String)>) -> Response {
    coordinator_form(ctx, &id, Which::EditItem(&i)).await
}

/// `POST /rapat/{id}/rencana-aksi/{item}/ubah`.
pub async fn update_item(ctx: Ctx, Path((id, i)): Path<(String, String)>, body: Bytes) -> Response {
    coordinator_post(ctx, &id, Which::EditItem(&i), body).await
}

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

fn progress_page(ctx: &Ctx, f: &Form, m: &Value, a: &Value) -> Response {
    let url = format!("/rapat/{}/rencana-aksi/{}", text(&m["id"]), text(&a["id"]));
    let body = html! {
        h1 { "Perkembangan rencana aksi" }
        p { "Rapat " a href={ "/rapat/" (text(&m["id"])) } { (text(&m["title"])) } " · " (format::date(&m["heldOn"])) }
        dl.facts #nilai-sekarang {
            dt { "Rencana aksi" } dd { (text(&a["text"])) }
            dt { (crate::console::words::OWNER) } dd { (super::org_link(&a["owner"])) }
            dt { (crate::console::words::DUE) } dd { (format::date(&a["dueOn"]))
                @if a["overdue"] == true { " " span.badge.late { (crate::console::words::OVERDUE) } } }
            dt { "Status" } dd #status-sekarang { (lbl(Kind::ActionItemStatus, &a["status"])) }
        }
        @if !super::list(&a["updates"]).is_empty() {
            h2 { "Catatan sebelumnya" }
            ul.plain { @for u in super::list(&a["updates"]) { li { span.muted { (format::date(&u["at"])) " · " (text(&u["by"]["name"])) } " " (text(&u["note"])) } } }
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

async fn item_for_report(ctx: &mut Ctx, id: &str, item: &str) -> Result<(Value, Value), Failure> {
    let m = load(ctx, id).await?;
    let a = find_item(&m, item)
        .cloned()
        .ok_or_else(|| Failure::not_found("Rencana aksi ini tidak ada."))?;
    Ok((m, a))
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
        a["owner"]["id"].as_str(),
        m["region"]["code"].as_str(),
    ) {
        return forms::refused(
            &ctx,
            "Hanya organisasi pelaksana (atau koordinator wilayah rapat) yang melaporkan perkembangan rencana aksi ini.",
        );
    }
    let mut f = Form::filled([
        ("status", a["status"].as_str().unwrap_or("").to_string()),
        (forms::VERSION, a["version"].to_string()),
    ]);
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
        let version = f.version();
        let status = f.choice("status", Kind::ActionItemStatus, true);
        let note = f.text("catatan");
        let map = forms::field_map(&[("note", "catatan"), ("status", "status")]);
        let changed = status.is_some_and(|s| a["status"] != s);
        if changed {
            let vars = json!({ "id": item, "version": version, "status": status, "note": note });
            f.submit(&mut ctx, STATUS, vars, map).await
        } else if note.is_some() {
            let vars = json!({ "id": item, "version": version, "note": note });
            f.submit(&mut ctx, PROGRESS, vars, map).await
        } else {
            f.reject("catatan", "ubah statusnya atau tulis catatan perkembangan");
            Ok(None)
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
        let noted = super::list(&a["updates"])
            .last()
            .is_some_and(|u| u["note"].as_str() == Some(f.value("catatan").trim()));
        let note_ok = f.value("catatan").trim().is_empty() || noted;
        if a["status"] == f.value("status") && note_ok {
            return forms::done(&ctx, &back);
        }
        f.stale(vec![
            ("status", a["status"].as_str().unwrap_or("").to_string()),
            (forms::VERSION, a["version"].to_string()),
        ]);
    }
    progress_page(&ctx, &f, &m, &a)
}

/// On the follow-up page: the open action items of the user's organization, each with a link to
/// report progress (nothing for users without an organization).
pub async fn mine(ctx: &mut Ctx) -> Result<Markup, Failure> {
    let Some(org) = ctx.user().and_then(|u| u.organization_id.clone()) else {
        return Ok(html! {});
    };
    let data = ctx.run(MINE, json!({ "owner": org })).await?;
    let items = super::nodes(&data["actionItems"]);
    let rows = items
        .iter()
        .map(|a| {
            html! { tr {
                td { (text(&a["text"])) }
                td { a href={ "/rapat/" (text(&a["meeting"]["id"])) } { (text(&a["meeting"]["title"])) } }
                td { (format::date(&a["dueOn"])) @if a["overdue"] == true { " " span.badge.late { (crate::console::words::OVERDUE) } } }
                td { (lbl(Kind::ActionItemStatus, &a["status"])) }
                td { (report_link(&a["meeting"]["id"], &a["id"])) }
            } }
        })
        .collect();
    Ok(html! {
        h2 #rencana-aksi-saya { "Rencana aksi organisasi Anda (" (data["actionItems"]["totalCount"]) ")" }
        (super::table("Rencana aksi yang belum selesai, milik organisasi Anda", &["Rencana aksi", "Rapat", crate::console::words::DUE, "Status", "Tindakan"], rows))
    })
}

/// The link to report on an action item, coming back to the follow-up page.
pub fn report_link(meeting: &Value, item: &Value) -> Markup {
    html! {
        a.report href={ "/rapat/" (text(meeting)) "/rencana-aksi/" (text(item)) "?kembali=%2Ftindak-lanjut" } { "Laporkan perkembangan" }
    }
}
