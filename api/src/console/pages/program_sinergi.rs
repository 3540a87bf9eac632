//! Program synergies, the writing side, from a program's page: a coordinator proposes a synergy
//! with another program (`proposeSynergy`), marks it agreed naming the meeting where it was agreed
//! (`agreeSynergy`), or drops it with a note (`dropSynergy`; it stays on record).

use super::program_tulis::may_manage;
use crate::console::documents::{
    self as doc, BatalkanSinergi, FormulirSinergi, SepakatiSinergi, SynergyRelation, UsulkanSinergi,
};
use crate::console::forms::fields::{self as ui, field};
use crate::console::forms::{self, Form};
use crate::console::page::{Ctx, Failure};
use crate::labels::{self, Kind};
use axum::body::Bytes;
use axum::extract::Path;
use axum::response::Response;
use maud::{Markup, html};

type Program = doc::program_tulis::ProgramTulisProgram;
type Synergy = doc::program_tulis::ProgramTulisProgramSynergies;

/// Programs (other than `except`) and meetings of the user's region, as (id, label).
async fn choices(
    ctx: &mut Ctx,
    except: &str,
) -> Result<(Vec<(String, String)>, Vec<(String, String)>), Failure> {
    let region = ctx.user().and_then(|u| u.region_scope.clone());
    let data = ctx
        .query::<FormulirSinergi>(doc::formulir_sinergi::Variables { region })
        .await?;
    let programs = data
        .programs
        .edges
        .into_iter()
        .map(|e| e.node)
        .filter(|p| p.id != except)
        .map(|p| {
            let owner = p.owner.as_ref().map_or("–", |o| o.name.as_str());
            let label = format!("{} · {}", p.name, owner);
            (p.id, label)
        })
        .collect();
    let meetings = data
        .meetings
        .edges
        .into_iter()
        .map(|e| {
            let m = e.node;
            let label = format!(
                "{} ({})",
                m.title,
                crate::console::format::date_text(&m.held_on)
            );
            (m.id, label)
        })
        .collect();
    Ok((programs, meetings))
}

/// The program, refused unless the user coordinates its owner's region.
async fn program(ctx: &mut Ctx, id: &str) -> Result<Program, Response> {
    if let Err(e) = may_manage(ctx) {
        return Err(ctx.fail(e));
    }
    let p = match super::program_tulis::program(ctx, id).await {
        Ok(p) => p,
        Err(e) => return Err(ctx.fail(e)),
    };
    if let Some(refused) = super::program_tulis::not_coordinating(ctx, &p) {
        return Err(refused);
    }
    Ok(p)
}

fn owner_name(p: &Program) -> &str {
    p.owner.as_ref().map_or("–", |o| o.name.as_str())
}

fn heading(p: &Program, what: &str) -> Markup {
    html! {
        h1 { (what) }
        p { "Program " a href={ "/program/" (p.id) } { (p.name) } " · " (owner_name(p)) }
    }
}

fn propose_body(ctx: &Ctx, f: &Form, p: &Program, programs: &[(String, String)]) -> Markup {
    let action = format!("/program/{}/sinergi/baru", p.id);
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
    f.set("klaster", super::wire_name(&p.cluster));
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
    let relation = f
        .choice("hubungan", Kind::SynergyRelation, true)
        .and_then(super::enum_of::<SynergyRelation>);
    let cluster = f
        .choice("klaster", Kind::Cluster, true)
        .and_then(super::enum_of);
    let map = forms::field_map(&[
        ("input.programBId", "program_lain"),
        ("input.programAId", "program_lain"),
        ("input.relation", "hubungan"),
        ("input.cluster", "klaster"),
        ("input.note", "catatan"),
    ]);
    // A value missing has put its reason on the form, which is then shown again unsent.
    let sent = match (other, relation, cluster) {
        (Some(program_b_id), Some(relation), Some(cluster)) => {
            let input = doc::usulkan_sinergi::SynergyInput {
                program_a_id: id.clone(),
                program_b_id,
                relation,
                cluster,
                note: f.text("catatan"),
            };
            let vars = doc::usulkan_sinergi::Variables {
                input,
                client_key: Some(f.client_key().to_string()),
            };
            f.send::<UsulkanSinergi>(&mut ctx, vars, map).await
        }
        _ => Ok(None),
    };
    match sent {
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
fn synergy<'a>(p: &'a Program, sid: &str) -> Result<&'a Synergy, Failure> {
    p.synergies
        .iter()
        .find(|s| s.id == sid)
        .ok_or_else(|| Failure::not_found("Sinergi ini tidak ada pada program ini."))
}

fn state_body(
    ctx: &Ctx,
    f: &Form,
    p: &Program,
    s: &Synergy,
    agree: bool,
    meetings: &[(String, String)],
) -> Markup {
    // The other program, as (id, name).
    let a = s
        .program_a
        .as_ref()
        .map(|a| (a.id.as_str(), a.name.as_str()));
    let b = s
        .program_b
        .as_ref()
        .map(|b| (b.id.as_str(), b.name.as_str()));
    let other = if a.is_some_and(|(a, _)| a == p.id) {
        b
    } else {
        a
    };
    let (what, path, id) = if agree {
        ("Sepakati sinergi", "sepakati", "form-sepakati")
    } else {
        ("Batalkan sinergi", "batalkan", "form-batalkan")
    };
    let action = format!("/program/{}/sinergi/{}/{path}", p.id, s.id);
    html! {
        (heading(p, what))
        p { "Dengan " (super::link_or_dash("/program/", other)) " · " (labels::of(Kind::SynergyRelation, &s.relation))
            " · " (labels::of(Kind::SynergyStatus, &s.status)) }
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
        f.set(forms::VERSION, s.version.to_string());
    } else {
        let version = f.version();
        let stored = match version {
            Some(version) if agree => {
                let vars = doc::sepakati_sinergi::Variables {
                    id: sid.clone(),
                    version,
                    meeting_id: f.text("rapat"),
                };
                let map = forms::field_map(&[("meetingId", "rapat")]);
                f.send::<SepakatiSinergi>(&mut ctx, vars, map)
                    .await
                    .map(|stored| stored.map(|_| ()))
            }
            Some(version) => {
                let vars = doc::batalkan_sinergi::Variables {
                    id: sid.clone(),
                    version,
                    note: f.text("catatan"),
                };
                let map = forms::field_map(&[("note", "catatan")]);
                f.send::<BatalkanSinergi>(&mut ctx, vars, map)
                    .await
                    .map(|stored| stored.map(|_| ()))
            }
            None => Ok(None),
        };
        match stored {
            Ok(Some(_)) => return forms::done(&ctx, &format!("/program/{id}#sinergi")),
            Ok(None) => {
                if f.is_stale() {
                    f.stale(&[(forms::VERSION, s.version.to_string())]);
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
