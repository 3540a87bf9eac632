//! Rapat, the writing side: a coordinator records a coordination meeting (`createMeeting`) and
//! edits its record (`updateMeeting`: title, date, place, agenda, minutes, participants; the API
//! does not change a meeting's level, region or host afterwards). Decisions and action items are in
//! `rapat_aksi`.

use super::rapat_aksi::{Choices, choices, named};
use super::text;
use crate::console::forms::fields::{self as ui, field};
use crate::console::forms::{self, Form, region};
use crate::console::page::{Ctx, Failure};
use crate::labels::Kind;
use axum::body::Bytes;
use axum::extract::Path;
use axum::response::Response;
use entity::enums::Role;
use maud::{Markup, html};
use serde_json::{Value, json};

/// A meeting with the versions its forms need.
pub const MEETING: &str = include_str!("../queries/rapat_tulis.graphql");
const CREATE: &str = include_str!("../queries/rapat_buat.graphql");
const UPDATE: &str = include_str!("../queries/rapat_ubah.graphql");

/// Participant rows a form offers beyond those already filled.
const SPARE_ROWS: usize = 3;
/// Most participant rows a posted form is read for.
const MAX_ROWS: usize = 100;

/// Coordinators and admins record meetings (inside a coordinator's region, which the API checks).
fn may_record(ctx: &Ctx) -> Result<(), Failure> {
    let u = ctx.require_user()?;
    if matches!(u.role, Role::Admin | Role::Coordinator) {
        Ok(())
    } else {
        Err(Failure {
            code: crate::error::Code::Forbidden,
            message: "Hanya koordinator TKPK (atau admin) yang mencatat rapat koordinasi.".into(),
            field: None,
        })
    }
}

/// The form field of an API input path: `input.participants.2.role` → `peserta_2_peran`.
fn field_of(api: &str) -> Option<String> {
    if let Some(rest) = api.strip_prefix("input.participants.") {
        let (i, what) = rest.split_once('.')?;
        let what = match what {
            "organizationId" => "organisasi",
            "representative" => "wakil",
            "role" => "peran",
            _ => return None,
        };
        return Some(format!("peserta_{i}_{what}"));
    }
    forms::field_map(&[
        ("input.title", "judul"),
        ("input.level", "tingkat"),
        ("input.regionCode", "wilayah"),
        ("input.heldOn", "tanggal"),
        ("input.hostId", "penyelenggara"),
        ("input.location", "tempat"),
        ("input.agenda", "agenda"),
        ("input.minutes", "notulen"),
        ("input.programIds", "program"),
        ("input.regionCodes", "wilayah_terkait"),
    ])(api)
}

/// The form's values of a stored meeting.
fn values_of(m: &Value) -> Vec<(String, String)> {
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    let mut out = vec![
        ("judul".to_string(), s(&m["title"])),
        ("tanggal".into(), s(&m["heldOn"])),
        ("tempat".into(), s(&m["location"])),
        (
            "agenda".into(),
            super::list(&m["agenda"])
                .iter()
                .map(|a| text(a).to_string())
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        ("notulen".into(), s(&m["minutes"])),
        (forms::VERSION.into(), m["version"].to_string()),
    ];
    for (i, p) in super::list(&m["participants"]).iter().enumerate() {
        out.push((
            format!("peserta_{i}_organisasi"),
            s(&p["organization"]["id"]),
        ));
        out.push((format!("peserta_{i}_wakil"), s(&p["representative"])));
        out.push((format!("peserta_{i}_peran"), s(&p["role"])));
    }
    out
}

fn rows_in(f: &Form) -> usize {
    (0..MAX_ROWS)
        .rev()
        .find(|i| {
            ["organisasi", "wakil", "peran"]
                .iter()
                .any(|w| !f.value(&format!("peserta_{i}_{w}")).is_empty())
        })
        .map_or(0, |i| i + 1)
}

/// Reads the participant rows; a row with a name or role but no organization is refused.
fn participants(f: &mut Form) -> Vec<Value> {
    let mut out = Vec::new();
    for i in 0..rows_in(f) {
        let org = f.text(&format!("peserta_{i}_organisasi"));
        let rep = f.text(&format!("peserta_{i}_wakil"));
        let role = f.text(&format!("peserta_{i}_peran"));
        match org {
            Some(org) => {
                out.push(json!({ "organizationId": org, "representative": rep, "role": role }))
            }
            None if rep.is_some() || role.is_some() => {
                f.reject(&format!("peserta_{i}_organisasi"), "pilih organisasinya");
            }
            None => {}
        }
    }
    out
}

async fn read(ctx: &mut Ctx, f: &mut Form, editing: bool) -> Result<Option<Value>, Failure> {
    let title = f.required("judul");
    let held_on = f.date("tanggal", true);
    let participants = participants(f);
    let mut input = json!({
        "title": title,
        "heldOn": held_on,
        "location": f.text("tempat").unwrap_or_default(),
        "agenda": f.lines("agenda"),
        "minutes": f.text("notulen").unwrap_or_default(),
        "participants": participants,
    });
    if !editing {
        input["level"] = json!(f.choice("tingkat", Kind::MeetingLevel, true));
        input["regionCode"] = json!(region::resolve(ctx, f, "wilayah", true).await?);
        input["hostId"] = json!(f.required("penyelenggara"));
        input["programIds"] = json!(f.all("program"));
        input["regionCodes"] = json!(region::resolve_list(ctx, f, "wilayah_terkait").await?);
    }
    Ok((!f.has_errors()).then_some(input))
}

fn participant_rows(f: &Form, ch: &Choices) -> Markup {
    let rows = rows_in(f) + SPARE_ROWS;
    html! {
        fieldset.participants {
            legend { "Peserta" }
            p.muted { "Satu baris per organisasi yang hadir; baris kosong diabaikan." }
            @for i in 0..rows {
                @let org = format!("peserta_{i}_organisasi");
                @let rep = format!("peserta_{i}_wakil");
                @let role = format!("peserta_{i}_peran");
                div.form-grid.row {
                    (ui::select(f, field(&org, &format!("Organisasi {}", i + 1)), &ch.organizations, Some("– tidak ada –")))
                    (ui::input(f, field(&rep, "Yang hadir"), "text"))
                    (ui::input(f, field(&role, "Peran"), "text"))
                }
            }
        }
    }
}

fn body(ctx: &Ctx, f: &Form, ch: &Choices, m: Option<&Value>) -> Markup {
    let editing = m.is_some();
    let action = match m {
        Some(m) => format!("/rapat/{}/ubah", text(&m["id"])),
        None => "/rapat/baru".into(),
    };
    html! {
        h1 { @if let Some(m) = m { "Ubah rapat: " (text(&m["title"])) } @else { "Catat rapat koordinasi" } }
        @if let Some(m) = m {
            p { (super::lbl(Kind::MeetingLevel, &m["level"])) " · " (super::region_link(&m["region"])) " · "
                "Penyelenggara " (super::org_link(&m["host"])) " · " a href={ "/rapat/" (text(&m["id"])) } { "Kembali ke rapat" } }
        }
        (ui::form(ctx, f, &action, "form-rapat", html! {
            @if editing { (ui::version(f)) } @else { (ui::client_key(f)) }
            div.form-grid {
                (ui::input(f, field("judul", "Judul rapat").required(), "text"))
                @if !editing {
                    (ui::enum_select(f, field("tingkat", "Tingkat").required(), Kind::MeetingLevel, Some("– pilih –"), None))
                    (ui::region(f, field("wilayah", "Wilayah").required().hint("Kode Kemendagri (mis. 18 untuk Lampung) atau nama wilayah")))
                }
                (ui::input(f, field("tanggal", "Tanggal").required(), "date"))
                @if !editing {
                    (ui::select(f, field("penyelenggara", "Penyelenggara").required(), &ch.organizations, Some("– pilih –")))
                }
                (ui::input(f, field("tempat", "Tempat"), "text"))
            }
            (ui::textarea(f, field("agenda", "Agenda").hint("Satu butir agenda per baris"), 4))
            (ui::textarea(f, field("notulen", "Notulen"), 6))
            (participant_rows(f, ch))
            @if !editing {
                (ui::checkboxes(f, field("program", "Program yang dibahas"), &ch.programs))
                (ui::input(f, field("wilayah_terkait", "Wilayah yang dibahas").hint("Kode atau nama, dipisah koma"), "text"))
            }
            (ui::submit(if editing { "Simpan perubahan" } else { "Catat rapat" }))
        }))
    }
}

/// `GET /rapat/baru`.
pub async fn new_form(mut ctx: Ctx) -> Response {
    let result = async {
        may_record(&ctx)?;
        let scope = ctx.user().and_then(|u| u.region_scope.clone());
        let ch = choices(&mut ctx, scope.as_deref(), &[]).await?;
        let mut f = Form::new();
        if let Some(s) = scope {
            f.set("wilayah", s);
        }
        Ok::<_, Failure>((f, ch))
    }
    .await;
    match result {
        Ok((f, ch)) => {
            let b = body(&ctx, &f, &ch, None);
            forms::answer(&ctx, &f, "Catat rapat", b)
        }
        Err(e) => ctx.fail(e),
    }
}

/// `POST /rapat/baru`: `createMeeting` with the form's client key.
pub async fn create(mut ctx: Ctx, body_bytes: Bytes) -> Response {
    let mut f = match Form::read(&ctx, &body_bytes) {
        Ok(f) => f,
        Err(refused) => return *refused,
    };
    let result = async {
        may_record(&ctx)?;
        match read(&mut ctx, &mut f, false).await? {
            Some(input) => {
                let vars = json!({ "input": input, "clientKey": f.client_key() });
                f.submit(&mut ctx, CREATE, vars, field_of).await
            }
            None => Ok(None),
        }
    }
    .await;
    match result {
        Ok(Some(data)) => forms::done(
            &ctx,
            &format!("/rapat/{}", text(&data["createMeeting"]["id"])),
        ),
        Ok(None) => {
            let scope = ctx.user().and_then(|u| u.region_scope.clone());
            match choices(&mut ctx, scope.as_deref(), &[]).await {
                Ok(ch) => {
                    let b = body(&ctx, &f, &ch, None);
                    forms::answer(&ctx, &f, "Catat rapat", b)
                }
                Err(e) => ctx.fail(e),
            }
        }
        Err(e) => ctx.fail(e),
    }
}

/// Loads a meeting to write to; a 404 when there is none, a 403 for those who do not coordinate
/// its region.
pub async fn load(ctx: &mut Ctx, id: &str) -> Result<Value, Failure> {
    let data = ctx.run(MEETING, json!({ "id": id })).await?;
    let m = data["meeting"].clone();
    if m.is_null() {
        return Err(Failure::not_found("Rapat ini tidak ada."));
    }
    Ok(m)
}

/// The refusal of a meeting's form for those who do not coordinate its region.
pub fn not_coordinator(ctx: &Ctx, m: &Value) -> Option<Response> {
    (!forms::coordinates(ctx, m["region"]["code"].as_str())).then(|| {
        forms::refused(
            ctx,
            &format!(
                "Hanya koordinator wilayah {} (atau admin) yang dapat mengubah rapat ini.",
                text(&m["region"]["name"])
            ),
        )
    })
}

/// `GET /rapat/{id}/ubah`.
pub async fn edit_form(mut ctx: Ctx, Path(id): Path<String>) -> Response {
    let m = match load(&mut ctx, &id).await {
        Ok(m) => m,
        Err(e) => return ctx.fail(e),
    };
    if let Some(refused) = not_coordinator(&ctx, &m) {
        return refused;
    }
    let values = values_of(&m);
    let f = Form::filled(values.iter().map(|(k, v)| (k.as_str(), v.clone())));
    match choices(&mut ctx, m["region"]["code"].as_str(), &named(&m)).await {
        Ok(ch) => {
            let b = body(&ctx, &f, &ch, Some(&m));
            forms::answer(&ctx, &f, "Ubah rapat", b)
        }
        Err(e) => ctx.fail(e),
    }
}

/// `POST /rapat/{id}/ubah`: `updateMeeting` with the version the form was read at.
pub async fn update(mut ctx: Ctx, Path(id): Path<String>, body_bytes: Bytes) -> Response {
    let mut f = match Form::read(&ctx, &body_bytes) {
        Ok(f) => f,
        Err(refused) => return *refused,
    };
    let result = async {
        ctx.require_user()?;
        let version = f.version();
        match (read(&mut ctx, &mut f, true).await?, version) {
            (Some(input), Some(version)) => {
                let vars = json!({ "id": id, "version": version, "input": input });
                f.submit(&mut ctx, UPDATE, vars, field_of).await
            }
            _ => Ok(None),
        }
    }
    .await;
    let to = format!("/rapat/{id}");
    match result {
        Ok(Some(_)) => return forms::done(&ctx, &to),
        Ok(None) => {}
        Err(e) => return ctx.fail(e),
    }
    let m = match load(&mut ctx, &id).await {
        Ok(m) => m,
        Err(e) => return ctx.fail(e),
    };
    if f.saved_after_stale(&values_of(&m)) {
        return forms::done(&ctx, &to);
    }
    match choices(&mut ctx, m["region"]["code"].as_str(), &named(&m)).await {
        Ok(ch) => {
            let b = body(&ctx, &f, &ch, Some(&m));
            forms::answer(&ctx, &f, "Ubah rapat", b)
        }
        Err(e) => ctx.fail(e),
    }
}
