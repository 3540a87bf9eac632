//! Rapat, the writing side: a coordinator records a coordination meeting (`createMeeting`) and
//! edits its record (`updateMeeting`: title, date, place, agenda, minutes, participants; the API
//! does not change a meeting's level, region or host afterwards). Decisions and action items are in
//! `rapat_aksi`.

use super::rapat_isian::{Choices, Meeting, choices, load, named, not_coordinator, region_code};
use super::{org_of, region_of};
use crate::console::documents::{self as doc, CatatRapat, UbahRapat};
use crate::console::forms::fields::{self as ui, field};
use crate::console::forms::{self, Form, region};
use crate::console::page::{Ctx, Failure};
use crate::labels::{self, Kind};
use axum::body::Bytes;
use axum::extract::Path;
use axum::response::Response;
use entity::enums::Role;
use maud::{Markup, html};

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
fn values_of(m: &Meeting) -> Vec<(String, String)> {
    let mut out = vec![
        ("judul".to_string(), m.title.clone()),
        ("tanggal".into(), m.held_on.clone()),
        ("tempat".into(), m.location.clone().unwrap_or_default()),
        ("agenda".into(), m.agenda.join("\n")),
        ("notulen".into(), m.minutes.clone().unwrap_or_default()),
        (forms::VERSION.into(), m.version.to_string()),
    ];
    for (i, p) in m.participants.iter().enumerate() {
        let org = p.organization.as_ref().map(|o| o.id.clone());
        out.push((format!("peserta_{i}_organisasi"), org.unwrap_or_default()));
        let rep = p.representative.clone().unwrap_or_default();
        out.push((format!("peserta_{i}_wakil"), rep));
        out.push((
            format!("peserta_{i}_peran"),
            p.role.clone().unwrap_or_default(),
        ));
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

/// One participant row of a meeting's form.
struct Participant {
    organization_id: String,
    representative: Option<String>,
    role: Option<String>,
}

/// Reads the participant rows; a row with a name or role but no organization is refused.
fn participants(f: &mut Form) -> Vec<Participant> {
    let mut out = Vec::new();
    for i in 0..rows_in(f) {
        let org = f.text(&format!("peserta_{i}_organisasi"));
        let representative = f.text(&format!("peserta_{i}_wakil"));
        let role = f.text(&format!("peserta_{i}_peran"));
        match org {
            Some(organization_id) => out.push(Participant {
                organization_id,
                representative,
                role,
            }),
            None if representative.is_some() || role.is_some() => {
                f.reject(&format!("peserta_{i}_organisasi"), "pilih organisasinya");
            }
            None => {}
        }
    }
    out
}

/// What both of a meeting's forms say: the fields the API lets change after it is recorded.
struct Written {
    title: String,
    held_on: String,
    location: String,
    agenda: Vec<String>,
    minutes: String,
    participants: Vec<Participant>,
}

/// Reads the fields both forms have. Blank required fields have their reasons on the form (and
/// then nothing is sent), so their values here are only placeholders.
fn written(f: &mut Form) -> Written {
    let title = f.required("judul").unwrap_or_default();
    let held_on = f.date("tanggal", true).unwrap_or_default();
    let participants = participants(f);
    Written {
        title,
        held_on,
        location: f.text("tempat").unwrap_or_default(),
        agenda: f.lines("agenda"),
        minutes: f.text("notulen").unwrap_or_default(),
        participants,
    }
}

/// The new meeting a form describes, `None` when a field has its reason beside it.
async fn read_new(
    ctx: &mut Ctx,
    f: &mut Form,
) -> Result<Option<doc::catat_rapat::MeetingInput>, Failure> {
    let w = written(f);
    let level = f
        .choice("tingkat", Kind::MeetingLevel, true)
        .and_then(super::enum_of);
    let region_code = region::resolve(ctx, f, "wilayah", true).await?;
    let host_id = f.required("penyelenggara");
    let program_ids = f.all("program");
    let region_codes = region::resolve_list(ctx, f, "wilayah_terkait").await?;
    let (Some(level), Some(region_code), Some(host_id)) = (level, region_code, host_id) else {
        return Ok(None);
    };
    let participants = w
        .participants
        .into_iter()
        .map(|p| doc::catat_rapat::ParticipantInput {
            organization_id: p.organization_id,
            representative: p.representative,
            role: p.role,
        })
        .collect();
    let input = doc::catat_rapat::MeetingInput {
        title: w.title,
        level,
        region_code,
        held_on: w.held_on,
        host_id,
        location: Some(w.location),
        agenda: w.agenda,
        minutes: Some(w.minutes),
        participants,
        program_ids,
        region_codes,
    };
    Ok((!f.has_errors()).then_some(input))
}

/// The changes an edit form describes, `None` when a field has its reason beside it.
fn read_patch(f: &mut Form) -> Option<doc::ubah_rapat::MeetingPatch> {
    let w = written(f);
    let participants = w
        .participants
        .into_iter()
        .map(|p| doc::ubah_rapat::ParticipantInput {
            organization_id: p.organization_id,
            representative: p.representative,
            role: p.role,
        })
        .collect();
    let patch = doc::ubah_rapat::MeetingPatch {
        title: Some(w.title),
        held_on: Some(w.held_on),
        location: Some(w.location),
        agenda: Some(w.agenda),
        minutes: Some(w.minutes),
        participants: Some(participants),
    };
    (!f.has_errors()).then_some(patch)
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

fn body(ctx: &Ctx, f: &Form, ch: &Choices, m: Option<&Meeting>) -> Markup {
    let editing = m.is_some();
    let action = match m {
        Some(m) => format!("/rapat/{}/ubah", m.id),
        None => "/rapat/baru".into(),
    };
    html! {
        h1 { @if let Some(m) = m { "Ubah rapat: " (m.title) } @else { "Catat rapat koordinasi" } }
        @if let Some(m) = m {
            p { (labels::of(Kind::MeetingLevel, &m.level)) " · " (region_of(m.region.as_ref())) " · "
                "Penyelenggara " (org_of(m.host.as_ref())) " · " a href={ "/rapat/" (m.id) } { "Kembali ke rapat" } }
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
        match read_new(&mut ctx, &mut f).await? {
            Some(input) => {
                let client_key = Some(f.client_key().to_string());
                let vars = doc::catat_rapat::Variables { input, client_key };
                f.send::<CatatRapat>(&mut ctx, vars, field_of).await
            }
            None => Ok(None),
        }
    }
    .await;
    match result {
        Ok(Some(data)) => forms::done(&ctx, &format!("/rapat/{}", data.create_meeting.id)),
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
    match choices(&mut ctx, region_code(&m), &named(&m)).await {
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
        match (read_patch(&mut f), version) {
            (Some(input), Some(version)) => {
                let vars = doc::ubah_rapat::Variables {
                    id: id.clone(),
                    version,
                    input,
                };
                f.send::<UbahRapat>(&mut ctx, vars, field_of).await
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
    match choices(&mut ctx, region_code(&m), &named(&m)).await {
        Ok(ch) => {
            let b = body(&ctx, &f, &ch, Some(&m));
            forms::answer(&ctx, &f, "Ubah rapat", b)
        }
        Err(e) => ctx.fail(e),
    }
}
