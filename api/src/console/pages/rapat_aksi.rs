//! What a meeting decided: a coordinator records a decision with its first action item
//! (`addDecision`), adds action items to a decision (`addActionItem`) and re-assigns or reschedules
//! them (`updateActionItem`). Progress on them is reported in `tindak_lanjut_tulis`.

use super::rapat_tulis::{load, not_coordinator};
use super::text;
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

const CHOICES: &str = include_str!("../queries/formulir_rapat.graphql");
const DECISION: &str = include_str!("../queries/keputusan_tambah.graphql");
const ADD_ITEM: &str = include_str!("../queries/rencana_aksi_tambah.graphql");
const UPDATE_ITEM: &str = include_str!("../queries/rencana_aksi_ubah.graphql");

/// Organizations and programs a meeting's forms offer: those of the region.
pub struct Choices {
    /// (id, name) of organizations.
    pub organizations: Vec<(String, String)>,
    /// (id, label) of programs.
    pub programs: Vec<(String, String)>,
}

/// The organizations and programs of `region` (everything, up to a page, when none), plus those a
/// record already names.
pub async fn choices(
    ctx: &mut Ctx,
    region: Option<&str>,
    named: &[(String, String)],
) -> Result<Choices, Failure> {
    let data = ctx.run(CHOICES, json!({ "region": region })).await?;
    let mut organizations: Vec<(String, String)> = super::nodes(&data["organizations"])
        .into_iter()
        .map(|o| (text(&o["id"]).to_string(), text(&o["name"]).to_string()))
        .collect();
    for (id, name) in named {
        if !id.is_empty() && !organizations.iter().any(|(i, _)| i == id) {
            organizations.push((id.clone(), name.clone()));
        }
    }
    let programs = super::nodes(&data["programs"])
        .into_iter()
        .map(|p| {
            (
                text(&p["id"]).to_string(),
                format!(
                    "{} · {}",
                    text(&p["name"]),
                    super::lbl(Kind::Cluster, &p["cluster"])
                ),
            )
        })
        .collect();
    Ok(Choices {
        organizations,
        programs,
    })
}

/// The organizations a meeting's record names (kept in its forms' choices).
pub fn named(m: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = super::list(&m["participants"])
        .iter()
        .map(|p| {
            (
                text(&p["organization"]["id"]).to_string(),
                text(&p["organization"]["name"]).to_string(),
            )
        })
        .collect();
    for d in super::list(&m["decisions"]) {
        for a in super::list(&d["actionItems"]) {
            out.push((
                text(&a["owner"]["id"]).to_string(),
                text(&a["owner"]["name"]).to_string(),
            ));
        }
    }
    out
}

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
        f.reject("aksi_teks", crate::console::words::REQUIRED);
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

/// The action item `item` of a meeting.
pub fn find_item<'v>(m: &'v Value, item: &str) -> Option<&'v Value> {
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
    if let Which::EditItem(i) = which
        && let Some(a) = find_item(&m, i)
        && f.saved_after_stale(&item_values(a))
    {
        return forms::done(&ctx, &to);
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
