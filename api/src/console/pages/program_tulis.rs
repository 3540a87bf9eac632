//! Program, the writing side: a coordinator creates a program (`createProgram`) with its phases,
//! yearly targets and target villages, and edits it (`updateProgram`: the lists given replace the
//! stored ones; the API does not change a program's owner or code afterwards). Synergies are in
//! `program_sinergi`.

use super::program_isian::{PHASES, Program, TARGETS, field_of, read, rows_in, values_of};
use super::rapat_isian::{Choices, choices};
use crate::console::documents::{self as doc, BuatProgram, ProgramTulis, UbahProgram};
use crate::console::forms::fields::{self as ui, field};
use crate::console::forms::{self, Form};
use crate::console::page::{Ctx, Failure};
use crate::labels::{self, Kind};
use axum::body::Bytes;
use axum::extract::Path;
use axum::response::Response;
use entity::enums::Role;
use maud::{Markup, html};

/// Rows a form offers beyond those already filled.
const SPARE_ROWS: usize = 2;

/// Coordinators and admins manage programs (inside a coordinator's region, which the API checks).
pub fn may_manage(ctx: &Ctx) -> Result<(), Failure> {
    let u = ctx.require_user()?;
    if matches!(u.role, Role::Admin | Role::Coordinator) {
        Ok(())
    } else {
        Err(Failure {
            code: crate::error::Code::Forbidden,
            message: "Hanya koordinator TKPK (atau admin) yang membuat dan mengubah program."
                .into(),
            field: None,
        })
    }
}

fn options(kind: Kind) -> Vec<(String, String)> {
    labels::table(kind)
        .iter()
        .map(|(w, l)| ((*w).to_string(), (*l).to_string()))
        .collect()
}

fn rows(f: &Form, legend: &str, prefix: &str, cols: &[(&str, &str)], labels: &[&str]) -> Markup {
    let n = rows_in(f, prefix, cols) + SPARE_ROWS;
    html! {
        fieldset.participants id={ (prefix) "-baris" } {
            legend { (legend) }
            p.muted { "Baris kosong diabaikan." }
            @for i in 0..n {
                div.form-grid.row {
                    @for ((col, _), label) in cols.iter().zip(labels) {
                        @let name = format!("{prefix}_{i}_{col}");
                        @let label = format!("{label} {}", i + 1);
                        (ui::input(f, field(&name, &label), "text"))
                    }
                }
            }
        }
    }
}

fn body(ctx: &Ctx, f: &Form, ch: &Choices, p: Option<&Program>) -> Markup {
    let editing = p.is_some();
    let action = match p {
        Some(p) => format!("/program/{}/ubah", p.id),
        None => "/program/baru".into(),
    };
    html! {
        h1 { @if let Some(p) = p { "Ubah program: " (p.name) } @else { "Buat program" } }
        @if let Some(p) = p {
            p {
                "Pemilik "
                (super::link_or_dash("/organisasi/", p.owner.as_ref().map(|o| (o.id.as_str(), o.name.as_str()))))
                " · " a href={ "/program/" (p.id) } { "Kembali ke program" }
            }
        }
        (ui::form(ctx, f, &action, "form-program", html! {
            @if editing { (ui::version(f)) } @else { (ui::client_key(f)) }
            div.form-grid {
                (ui::input(f, field("nama", "Nama program").required(), "text"))
                @if !editing {
                    (ui::input(f, field("kode", "Kode program").hint("Kode pemilik sendiri, unik; boleh kosong"), "text"))
                    (ui::select(f, field("pemilik", "Pemilik").required(), &ch.organizations, Some("– pilih –")))
                }
                (ui::enum_select(f, field("klaster", "Klaster").required(), Kind::Cluster, Some("– pilih –"), None))
                (ui::number(f, field("tahun_mulai", "Tahun mulai").required()))
                (ui::number(f, field("tahun_akhir", "Tahun akhir").required()))
            }
            (ui::textarea(f, field("uraian", "Uraian"), 3))
            (ui::checkboxes(f, field("strategi", "Strategi"), &options(Kind::Strategy)))
            (ui::checkboxes(f, field("kelompok_sasaran", "Kelompok sasaran"), &options(Kind::TargetGroup)))
            (rows(f, "Tahapan", PHASES.0, &PHASES.2, &["Nama tahap", "Tahun tahap", "Uraian tahap"]))
            (rows(f, "Target tahunan", TARGETS.0, &TARGETS.2, &["Tahun target", "Satuan", "Target", "Realisasi"]))
            (ui::textarea(f, field("desa", "Desa sasaran").hint("Kode Kemendagri atau nama desa, dipisah koma atau baris baru"), 3))
            (ui::submit(if editing { "Simpan perubahan" } else { "Buat program" }))
        }))
    }
}

async fn choices_for(ctx: &mut Ctx, p: Option<&Program>) -> Result<Choices, Failure> {
    let scope = ctx.user().and_then(|u| u.region_scope.clone());
    let named: Vec<(String, String)> = p
        .map(|p| {
            let (id, name) = match &p.owner {
                Some(o) => (o.id.clone(), o.name.clone()),
                None => ("–".to_string(), "–".to_string()),
            };
            vec![(id, name)]
        })
        .unwrap_or_default();
    choices(ctx, scope.as_deref(), &named).await
}

fn page(ctx: &Ctx, f: &Form, ch: &Choices, p: Option<&Program>) -> Response {
    let b = body(ctx, f, ch, p);
    let title = if p.is_some() {
        "Ubah program"
    } else {
        "Buat program"
    };
    forms::answer(ctx, f, title, b)
}

/// `GET /program/baru`.
pub async fn new_form(mut ctx: Ctx) -> Response {
    if let Err(e) = may_manage(&ctx) {
        return ctx.fail(e);
    }
    let mut f = Form::new();
    if let Some(org) = ctx.user().and_then(|u| u.organization_id.clone()) {
        f.set("pemilik", org);
    }
    match choices_for(&mut ctx, None).await {
        Ok(ch) => page(&ctx, &f, &ch, None),
        Err(e) => ctx.fail(e),
    }
}

/// `POST /program/baru`: `createProgram` with the form's client key.
pub async fn create(mut ctx: Ctx, body_bytes: Bytes) -> Response {
    let mut f = match Form::read(&ctx, &body_bytes) {
        Ok(f) => f,
        Err(refused) => return *refused,
    };
    let result = async {
        may_manage(&ctx)?;
        match read(&mut ctx, &mut f, false).await? {
            Some(input) => {
                let vars = doc::buat_program::Variables {
                    input: input.create(),
                    client_key: Some(f.client_key().to_string()),
                };
                f.send::<BuatProgram>(&mut ctx, vars, field_of).await
            }
            None => Ok(None),
        }
    }
    .await;
    match result {
        Ok(Some(data)) => forms::done(&ctx, &format!("/program/{}", data.create_program.id)),
        Ok(None) => match choices_for(&mut ctx, None).await {
            Ok(ch) => page(&ctx, &f, &ch, None),
            Err(e) => ctx.fail(e),
        },
        Err(e) => ctx.fail(e),
    }
}

const NO_SUCH_PROGRAM: &str = "Program ini tidak ada.";

/// Loads a program to write to: 404 when there is none.
pub async fn program(ctx: &mut Ctx, id: &str) -> Result<Program, Failure> {
    let vars = doc::program_tulis::Variables { id: id.into() };
    let data = ctx.query::<ProgramTulis>(vars).await?;
    data.program
        .ok_or_else(|| Failure::not_found(NO_SUCH_PROGRAM))
}

/// The refusal of a program's forms for those who do not coordinate its owner's region.
pub fn not_coordinating(ctx: &Ctx, p: &Program) -> Option<Response> {
    let region = p.owner.as_ref().and_then(|o| o.region.as_ref());
    refusal_outside(ctx, region.map(|r| r.code.as_str()))
}

fn refusal_outside(ctx: &Ctx, owner_region: Option<&str>) -> Option<Response> {
    (!forms::coordinates(ctx, owner_region)).then(|| {
        forms::refused(
            ctx,
            "Hanya koordinator wilayah pemilik program (atau admin) yang dapat mengubah program ini.",
        )
    })
}

/// `GET /program/{id}/ubah`.
pub async fn edit_form(mut ctx: Ctx, Path(id): Path<String>) -> Response {
    let p = match program(&mut ctx, &id).await {
        Ok(p) => p,
        Err(e) => return ctx.fail(e),
    };
    if let Some(refused) = not_coordinating(&ctx, &p) {
        return refused;
    }
    let values = values_of(&p);
    let f = Form::filled(values.iter().map(|(k, v)| (k.as_str(), v.clone())));
    match choices_for(&mut ctx, Some(&p)).await {
        Ok(ch) => page(&ctx, &f, &ch, Some(&p)),
        Err(e) => ctx.fail(e),
    }
}

/// `POST /program/{id}/ubah`: `updateProgram` with the version the form was read at.
pub async fn update(mut ctx: Ctx, Path(id): Path<String>, body_bytes: Bytes) -> Response {
    let mut f = match Form::read(&ctx, &body_bytes) {
        Ok(f) => f,
        Err(refused) => return *refused,
    };
    let result = async {
        may_manage(&ctx)?;
        let version = f.version();
        match (read(&mut ctx, &mut f, true).await?, version) {
            (Some(input), Some(version)) => {
                let vars = doc::ubah_program::Variables {
                    id: id.clone(),
                    version,
                    input: input.patch(),
                };
                f.send::<UbahProgram>(&mut ctx, vars, field_of)
                    .await
                    .map(|d| d.map(|_| ()))
            }
            _ => Ok(None),
        }
    }
    .await;
    let to = format!("/program/{id}");
    match result {
        Ok(Some(_)) => return forms::done(&ctx, &to),
        Ok(None) => {}
        Err(e) => return ctx.fail(e),
    }
    let p = match program(&mut ctx, &id).await {
        Ok(p) => p,
        Err(e) => return ctx.fail(e),
    };
    if f.saved_after_stale(&values_of(&p)) {
        return forms::done(&ctx, &to);
    }
    match choices_for(&mut ctx, Some(&p)).await {
        Ok(ch) => page(&ctx, &f, &ch, Some(&p)),
        Err(e) => ctx.fail(e),
    }
}
