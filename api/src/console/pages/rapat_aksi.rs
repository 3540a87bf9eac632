//! What a meeting decided: a coordinator records a decision with its first action item
//! (`addDecision`), adds action items to a decision (`addActionItem`) and re-assigns or reschedules
//! them (`updateActionItem`). Progress on them is reported in `tindak_lanjut_tulis`.

use super::rapat_isian::{Choices, Meeting, choices, load, named, not_coordinator, region_code};
use crate::console::documents::{self as doc, CatatKeputusan, TambahRencanaAksi, UbahRencanaAksi};
use crate::console::format;
use crate::console::forms::fields::{self as ui, field};
use crate::console::forms::{self, Form, region};
use crate::console::page::{Ctx, Failure};
use axum::body::Bytes;
use axum::extract::Path;
use axum::response::Response;
use maud::{Markup, html};

/// An action item of a meeting, with the version its forms need.
pub type ActionItem = doc::rapat_untuk_diubah::RapatUntukDiubahMeetingDecisionsActionItems;
type Decision = doc::rapat_untuk_diubah::RapatUntukDiubahMeetingDecisions;

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

/// An action item as its form says it, before it becomes the API's `ActionItemInput`.
struct Item {
    text: String,
    owner_id: String,
    due_on: Option<String>,
    program_ids: Vec<String>,
    region_codes: Vec<String>,
}

/// Reads an action item; `None` when its text is blank and `optional` (a decision without items).
/// Blank required fields have their reasons on the form (and then nothing is sent), so their
/// values here are only placeholders.
async fn read_item(ctx: &mut Ctx, f: &mut Form, optional: bool) -> Result<Option<Item>, Failure> {
    let text_ = f.text("aksi_teks");
    let owner = f.text("aksi_pelaksana");
    if text_.is_none() && owner.is_none() && optional {
        return Ok(None);
    }
    if text_.is_none() {
        f.reject("aksi_teks", crate::console::words::REQUIRED);
    }
    if owner.is_none() {
        f.reject("aksi_pelaksana", "pilih organisasi pelaksana");
    }
    let due_on = f.date("aksi_tenggat", false);
    let region_codes = region::resolve_list(ctx, f, "aksi_wilayah").await?;
    Ok(Some(Item {
        text: text_.unwrap_or_default(),
        owner_id: owner.unwrap_or_default(),
        due_on,
        program_ids: f.all("aksi_program"),
        region_codes,
    }))
}

/// Which form of a meeting a route serves.
#[derive(Clone, Copy)]
enum Which<'a> {
    Decision,
    AddItem(&'a str),
    EditItem(&'a str),
}

/// The action item `item` of a meeting.
pub fn find_item<'m>(m: &'m Meeting, item: &str) -> Option<&'m ActionItem> {
    m.decisions
        .iter()
        .flat_map(|d| &d.action_items)
        .find(|a| a.id == item)
}

fn find_decision<'m>(m: &'m Meeting, decision: &str) -> Option<&'m Decision> {
    m.decisions.iter().find(|d| d.id == decision)
}

fn item_values(a: &ActionItem) -> Vec<(&'static str, String)> {
    let owner = a.owner.as_ref().map(|o| o.id.clone());
    vec![
        ("aksi_teks", a.text.clone()),
        ("aksi_pelaksana", owner.unwrap_or_default()),
        ("aksi_tenggat", a.due_on.clone().unwrap_or_default()),
        (forms::VERSION, a.version.to_string()),
    ]
}

fn coordinator_page(ctx: &Ctx, f: &Form, m: &Meeting, ch: &Choices, which: Which<'_>) -> Response {
    let mid = &m.id;
    let (title, action, context) = match which {
        Which::Decision => (
            "Catat keputusan",
            format!("/rapat/{mid}/keputusan"),
            html! {},
        ),
        Which::AddItem(d) => (
            "Tambah rencana aksi",
            format!("/rapat/{mid}/keputusan/{d}/rencana-aksi"),
            html! { @if let Some(d) = find_decision(m, d) { p { "Keputusan: " strong { (d.text) } } } },
        ),
        Which::EditItem(i) => (
            "Ubah rencana aksi",
            format!("/rapat/{mid}/rencana-aksi/{i}/ubah"),
            html! {},
        ),
    };
    let body = html! {
        h1 { (title) }
        p { "Rapat " a href={ "/rapat/" (mid) } { (m.title) } " · " (format::date_text(&m.held_on)) }
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
    match choices(&mut ctx, region_code(&m), &named(&m)).await {
        Ok(ch) => coordinator_page(&ctx, &f, &m, &ch, which),
        Err(e) => ctx.fail(e),
    }
}

async fn coordinator_post(mut ctx: Ctx, id: &str, which: Which<'_>, body: Bytes) -> Response {
    let mut f = match Form::read(&ctx, &body) {
        Ok(f) => f,
        Err(refused) => return *refused,
    };
    let result = match ctx.require_user() {
        Ok(_) => send(&mut ctx, &mut f, id, which).await,
        Err(e) => Err(e),
    };
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
    if let Which::EditItem(i) = which
        && let Some(a) = find_item(&m, i)
        && f.saved_after_stale(&item_values(a))
    {
        return forms::done(&ctx, &to);
    }
    match choices(&mut ctx, region_code(&m), &named(&m)).await {
        Ok(ch) => coordinator_page(&ctx, &f, &m, &ch, which),
        Err(e) => ctx.fail(e),
    }
}

/// Sends the decision, the new action item or the item's changes the form holds: `Some` once
/// stored, `None` when the form is to be shown again with its reasons.
async fn send(
    ctx: &mut Ctx,
    f: &mut Form,
    id: &str,
    which: Which<'_>,
) -> Result<Option<()>, Failure> {
    match which {
        Which::Decision => {
            let text = f.required("teks_keputusan").unwrap_or_default();
            let item = read_item(ctx, f, true).await?;
            let action_items = item
                .into_iter()
                .map(|i| doc::catat_keputusan::ActionItemInput {
                    text: i.text,
                    owner_id: i.owner_id,
                    due_on: i.due_on,
                    program_ids: i.program_ids,
                    region_codes: i.region_codes,
                })
                .collect();
            let vars = doc::catat_keputusan::Variables {
                meeting_id: id.to_string(),
                text,
                action_items,
                client_key: Some(f.client_key().to_string()),
            };
            let map = |api: &str| {
                (api == "text")
                    .then(|| "teks_keputusan".to_string())
                    .or_else(|| item_field("actionItems.0", api))
            };
            f.send::<CatatKeputusan>(ctx, vars, map)
                .await
                .map(|stored| stored.map(drop))
        }
        Which::AddItem(d) => {
            // Not optional, so always read: a blank text or owner has its reason on the form.
            let Some(i) = read_item(ctx, f, false).await? else {
                return Ok(None);
            };
            let vars = doc::tambah_rencana_aksi::Variables {
                decision_id: d.to_string(),
                input: doc::tambah_rencana_aksi::ActionItemInput {
                    text: i.text,
                    owner_id: i.owner_id,
                    due_on: i.due_on,
                    program_ids: i.program_ids,
                    region_codes: i.region_codes,
                },
                client_key: Some(f.client_key().to_string()),
            };
            f.send::<TambahRencanaAksi>(ctx, vars, |api: &str| item_field("input", api))
                .await
                .map(|stored| stored.map(drop))
        }
        Which::EditItem(i) => {
            // A missing version has already put its notice on the form, so nothing is sent
            // with 0.
            let version = f.version().unwrap_or_default();
            let text_ = f.required("aksi_teks");
            let owner = f.required("aksi_pelaksana");
            let due = f.date("aksi_tenggat", false);
            let input = doc::ubah_rencana_aksi::ActionItemPatch {
                text: text_,
                owner_id: owner,
                due_on: due,
            };
            let vars = doc::ubah_rencana_aksi::Variables {
                id: i.to_string(),
                version,
                input,
            };
            f.send::<UbahRencanaAksi>(ctx, vars, |api: &str| item_field("input", api))
                .await
                .map(|stored| stored.map(drop))
        }
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
