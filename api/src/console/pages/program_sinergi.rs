//! Program synergies, the writing side, from a program's page: a coordinator proposes a synergy
//! with another program (`proposeSynergy`), marks it agreed naming the meeting where it was agreed
//! (`agreeSynergy`), or drops it with a note (`dropSynergy`; it stays on record).

use super::program_tulis::{load, may_manage, not_coordinator};
use super::text;
use crate::console::forms::fields::{self as ui, field};
use crate::console::forms::{self, Form};
use crate::console::page::{Ctx, Failure};
use crate::labels::Kind;
use axum::body::Bytes;
use axum::extract::Path;
use axum::response::Response;
use maud::{Markup, html};
use serde_json::{Value, json};

const CHOICES: &str = include_str!("../queries/formulir_sinergi.graphql");
const PROPOSE: &str = include_str!("../queries/sinergi_usul.graphql");
const AGREE: &str = include_str!("../queries/sinergi_sepakati.graphql");
const DROP: &str = include_str!("../queries/sinergi_batal.graphql");

/// Programs (other than `except`) and meetings of the user's region, as (id, label).
async fn choices(
    ctx: &mut Ctx,
    except: &str,
) -> Result<(Vec<(String, String)>, Vec<(String, String)>), Failure> {
    let scope = ctx.user().and_then(|u| u.region_scope.clone());
    let data = ctx.run(CHOICES, json!({ "region": scope })).await?;
    let programs = super::nodes(&data["programs"])
        .into_iter()
        .filter(|p| text(&p["id"]) != except)
        .map(|p| {
            (
                text(&p["id"]).to_string(),
                format!("{} · {}", text(&p["name"]), text(&p["owner"]["name"])),
            )
        })
        .collect();
    let meetings = super::nodes(&data["meetings"])
        .into_iter()
        .map(|m| {
            (
                text(&m["id"]).to_string(),
                format!(
                    "{} ({})",
                    text(&m["title"]),
                    crate::console::format::date(&m["heldOn"])
                ),
            )
        })
        .collect();
    Ok((programs, meetings))
}

/// The program, refused unless the user coordinates its owner's region.
async fn program(ctx: &mut Ctx, id: &str) -> Result<Value, Response> {
    if let Err(e) = may_manage(ctx) {
        return Err(ctx.fail(e));
    }
    let p = load(ctx, id).await.map_err(|e| ctx.fail(e))?;
    match not_coordinator(ctx, &p) {
        Some(refused) => Err(refused),
        None => Ok(p),
    }
}

fn heading(p: &Value, what: &str) -> Markup {
    html! {
        h1 { (what) }
        p { "Program " a href={ "/program/" (text(&p["id"])) } { (text(&p["name"])) } " · " (text(&p["owner"]["name"])) }
    }
}

fn propose_body(ctx: &Ctx, f: &Form, p: &Value, programs: &[(String, String)]) -> Markup {
    let action = format!("/program/{}/sinergi/baru", text(&p["id"]));
    html! {
        (heading(p, "Usulkan sinergi program"))
        (ui::form(ctx, f, &action, "form-sinergi", html! {
            (ui::client_key(f))
            div.form-grid {
                (ui::select(f, field("program_lain", "Program mitra").required(), programs, Some("– pilih –")))
                (ui::enum_select(f, field("hubungan", "Hubungan").required(), Kind::SynergyRelation, Some("– pilih –"), None))
                (ui::enum_select(f, field("klaster", "Klaster").required(), Kind::Cluster, Some("– pilih –"), None))
            }
            (ui::textarea(f, field("catatan", "Catatan"), 3))
            (ui::submit("Usulkan sinergi"))
        }))
    }
}

/// `GET /program/{id}/sinergi/baru`.
pub async fn propose_form(mut ctx: Ctx, Path(id): Path<String>) -> Response {
    let p = match program(&mut ctx, &id).await {
        Ok(p) => p,
        Err(res) => return res,
    };
    let mut f = Form::new();
    f.set("klaster", text(&p["cluster"]));
    match choices(&mut ctx, &id).await {
        Ok((programs, _)) => {
            let b = propose_body(&ctx, &f, &p, &programs);
            forms::answer(&ctx, &f, "Usulkan sinergi", b)
        }
        Err(e) => ctx.fail(e),
    }
}

/// `POST /program/{id}/sinergi/baru`: `proposeSynergy` between this program and the one chosen.
pub async fn propose(mut ctx: Ctx, Path(id): Path<String>, body: Bytes) -> Response {
    let mut f = match Form::read(&ctx, &body) {
        Ok(f) => f,
        Err(refused) => return *refused,
    };
    let p = match program(&mut ctx, &id).await {
        Ok(p) => p,
        Err(res) => return res,
    };
    let other = f.required("program_lain");
    let relation = f.choice("hubungan", Kind::SynergyRelation, true);
    let cluster = f.choice("klaster", Kind::Cluster, true);
    let input = json!({
        "programAId": id, "programBId": other, "relation": relation, "cluster": cluster,
        "note": f.text("catatan"),
    });
    let vars = json!({ "input": input, "clientKey": f.client_key() });
    let map = forms::field_map(&[
        ("input.programBId", "program_lain"),
        ("input.programAId", "program_lain"),
        ("input.relation", "hubungan"),
        ("input.cluster", "klaster"),
        ("input.note", "catatan"),
    ]);
    match f.submit(&mut ctx, PROPOSE, vars, map).await {
        Ok(Some(_)) => forms::done(&ctx, &format!("/program/{id}#sinergi")),
        Ok(None) => match choices(&mut ctx, &id).await {
            Ok((programs, _)) => {
                let b = propose_body(&ctx, &f, &p, &programs);
                forms::answer(&ctx, &f, "Usulkan sinergi", b)
            }
            Err(e) => ctx.fail(e),
        },
        Err(e) => ctx.fail(e),
    }
}

/// The synergy `sid` of program `p`.
fn synergy<'a>(p: &'a Value, sid: &str) -> Result<&'a Value, Failure> {
    super::list(&p["synergies"])
        .iter()
        .find(|s| text(&s["id"]) == sid)
        .ok_or_else(|| Failure::not_found("Sinergi ini tidak ada pada program ini."))
}

fn state_body(
    ctx: &Ctx,
    f: &Form,
    p: &Value,
    s: &Value,
    agree: bool,
    meetings: &[(String, String)],
) -> Markup {
    let other = if s["programA"]["id"] == p["id"] {
        &s["programB"]
    } else {
        &s["programA"]
    };
    let (what, path, id) = if agree {
        ("Sepakati sinergi", "sepakati", "form-sepakati")
    } else {
        ("Batalkan sinergi", "batalkan", "form-batalkan")
    };
    let action = format!(
        "/program/{}/sinergi/{}/{path}",
        text(&p["id"]),
        text(&s["id"])
    );
    html! {
        (heading(p, what))
        p { "Dengan " (super::program_link(other)) " · " (super::lbl(Kind::SynergyRelation, &s["relation"]))
            " · " (super::lbl(Kind::SynergyStatus, &s["status"])) }
        (ui::form(ctx, f, &action, id, html! {
            (ui::version(f))
            @if agree {
                (ui::select(f, field("rapat", "Disepakati di rapat").hint("Rapat koordinasi tempat sinergi ini disepakati"), meetings, Some("– tanpa rapat –")))
                (ui::submit("Sepakati"))
            } @else {
                (ui::textarea(f, field("catatan", "Alasan dibatalkan"), 3))
                div.actions { button.danger type="submit" { "Batalkan sinergi" } }
            }
        }))
    }
}

async fn state_page(
    mut ctx: Ctx,
    id: String,
    sid: String,
    agree: bool,
    posted: Option<Bytes>,
) -> Response {
    let mut f = match &posted {
        Some(body) => match Form::read(&ctx, body) {
            Ok(f) => f,
            Err(refused) => return *refused,
        },
        None => Form::new(),
    };
    let p = match program(&mut ctx, &id).await {
        Ok(p) => p,
        Err(res) => return res,
    };
    let s = match synergy(&p, &sid) {
        Ok(s) => s.clone(),
        Err(e) => return ctx.fail(e),
    };
    if posted.is_none() {
        f.set(forms::VERSION, s["version"].to_string());
    } else {
        let version = f.version();
        let stored = match version {
            Some(version) if agree => {
                let vars = json!({ "id": sid, "version": version, "meetingId": f.text("rapat") });
                let map = forms::field_map(&[("meetingId", "rapat")]);
                f.submit(&mut ctx, AGREE, vars, map).await
            }
            Some(version) => {
                let vars = json!({ "id": sid, "version": version, "note": f.text("catatan") });
                let map = forms::field_map(&[("note", "catatan")]);
                f.submit(&mut ctx, DROP, vars, map).await
            }
            None => Ok(None),
        };
        match stored {
            Ok(Some(_)) => return forms::done(&ctx, &format!("/program/{id}#sinergi")),
            Ok(None) => {
                if f.is_stale() {
                    f.stale(&[(forms::VERSION, s["version"].to_string())]);
                }
            }
            Err(e) => return ctx.fail(e),
        }
    }
    match choices(&mut ctx, &id).await {
        Ok((_, meetings)) => {
            let b = state_body(&ctx, &f, &p, &s, agree, &meetings);
            forms::answer(
                &ctx,
                &f,
                if agree {
                    "Sepakati sinergi"
                } else {
                    "Batalkan sinergi"
                },
                b,
            )
        }
        Err(e) => ctx.fail(e),
    }
}

/// `GET /program/{id}/sinergi/{sid}/sepakati`.
pub async fn agree_form(ctx: Ctx, Path((id, sid)): Path<(String, String)>) -> Response {
    state_page(ctx, id, sid, true, None).await
}

/// `POST /program/{id}/sinergi/{sid}/sepakati`: `agreeSynergy`, naming the meeting chosen.
pub async fn agree(ctx: Ctx, Path((id, sid)): Path<(String, String)>, body: Bytes) -> Response {
    state_page(ctx, id, sid, true, Some(body)).await
}

/// `GET /program/{id}/sinergi/{sid}/batalkan`.
pub async fn drop_form(ctx: Ctx, Path((id, sid)): Path<(String, String)>) -> Response {
    state_page(ctx, id, sid, false, None).await
}

/// `POST /program/{id}/sinergi/{sid}/batalkan`: `dropSynergy` with the note given.
pub async fn drop(ctx: Ctx, Path((id, sid)): Path<(String, String)>, body: Bytes) -> Response {
    state_page(ctx, id, sid, false, Some(body)).await
}
