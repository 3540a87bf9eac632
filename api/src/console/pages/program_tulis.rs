//! Program, the writing side: a coordinator creates a program (`createProgram`) with its phases,
//! yearly targets and target villages, and edits it (`updateProgram`: the lists given replace the
//! stored ones; the API does not change a program's owner or code afterwards). Synergies are in
//! `program_sinergi`.

use super::rapat_aksi::{Choices, choices};
use super::text;
use crate::console::forms::fields::{self as ui, field};
use crate::console::forms::{self, Form, region};
use crate::console::page::{Ctx, Failure};
use crate::labels::{self, Kind};
use axum::body::Bytes;
use axum::extract::Path;
use axum::response::Response;
use entity::enums::Role;
use maud::{Markup, html};
use serde_json::{Value, json};

/// A program with the versions its forms need.
pub const PROGRAM: &str = include_str!("../queries/program_tulis.graphql");
const CREATE: &str = include_str!("../queries/program_buat.graphql");
const UPDATE: &str = include_str!("../queries/program_ubah.graphql");

/// Rows a form offers beyond those already filled.
const SPARE_ROWS: usize = 2;
/// Most rows of a list a posted form is read for.
const MAX_ROWS: usize = 50;

/// The row lists of a program form: (form prefix, API list, [(form column, API field)]).
const PHASES: (&str, &str, [(&str, &str); 3]) = (
    "tahap",
    "phases",
    [
        ("nama", "name"),
        ("tahun", "fiscalYear"),
        ("uraian", "description"),
    ],
);
const TARGETS: (&str, &str, [(&str, &str); 4]) = (
    "target",
    "targets",
    [
        ("tahun", "fiscalYear"),
        ("satuan", "unit"),
        ("jumlah", "target"),
        ("realisasi", "realised"),
    ],
);

/// Coordinators and admins manage programs (inside a coordinator's region, which the API checks).
pub fn may_manage(ctx: &Ctx) -> Result<(), Failure> {
    let u = ctx.require_user()?;
    if matches!(u.role, Role::Admin | Role::Coordinator) {
        Ok(())
    } else {
        Err(Failure {
            code: "FORBIDDEN".into(),
            message: "Hanya koordinator TKPK (atau admin) yang membuat dan mengubah program."
                .into(),
            field: None,
        })
    }
}

/// The form field of an API input path: `input.targets.1.unit` → `target_1_satuan`.
fn field_of(api: &str) -> Option<String> {
    for (prefix, list, cols) in [
        (PHASES.0, PHASES.1, &PHASES.2[..]),
        (TARGETS.0, TARGETS.1, &TARGETS.2[..]),
    ] {
        if let Some(rest) = api.strip_prefix(&format!("input.{list}.")) {
            let (i, what) = rest.split_once('.').unwrap_or((rest, ""));
            let col = cols
                .iter()
                .find(|(_, a)| *a == what)
                .map_or(cols[0].0, |c| c.0);
            return Some(format!("{prefix}_{i}_{col}"));
        }
    }
    forms::field_map(&[
        ("input.code", "kode"),
        ("input.name", "nama"),
        ("input.description", "uraian"),
        ("input.ownerId", "pemilik"),
        ("input.cluster", "klaster"),
        ("input.startYear", "tahun_mulai"),
        ("input.endYear", "tahun_akhir"),
        ("input.strategies", "strategi"),
        ("input.targetGroups", "kelompok_sasaran"),
        ("input.phases", "tahap_0_nama"),
        ("input.targets", "target_0_tahun"),
        ("input.villageCodes", "desa"),
    ])(api)
}

fn number_text(v: &Value) -> String {
    match v.as_f64() {
        Some(n) if n.fract() == 0.0 => format!("{}", n as i64),
        Some(n) => n.to_string(),
        None => String::new(),
    }
}

/// The form's values of a stored program.
fn values_of(p: &Value) -> Vec<(String, String)> {
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    let joined = |v: &Value| {
        super::list(v)
            .iter()
            .map(|x| text(x).to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    let mut out = vec![
        ("nama".to_string(), s(&p["name"])),
        ("uraian".into(), s(&p["description"])),
        ("klaster".into(), s(&p["cluster"])),
        ("tahun_mulai".into(), p["startYear"].to_string()),
        ("tahun_akhir".into(), p["endYear"].to_string()),
        ("strategi".into(), joined(&p["strategies"])),
        ("kelompok_sasaran".into(), joined(&p["targetGroups"])),
        (
            "desa".into(),
            super::nodes(&p["villages"])
                .iter()
                .map(|v| text(&v["code"]).to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (forms::VERSION.into(), p["version"].to_string()),
    ];
    for (i, ph) in super::list(&p["phases"]).iter().enumerate() {
        out.push((format!("tahap_{i}_nama"), s(&ph["name"])));
        out.push((format!("tahap_{i}_tahun"), ph["fiscalYear"].to_string()));
        out.push((format!("tahap_{i}_uraian"), s(&ph["description"])));
    }
    for (i, t) in super::list(&p["targets"]).iter().enumerate() {
        out.push((format!("target_{i}_tahun"), t["fiscalYear"].to_string()));
        out.push((format!("target_{i}_satuan"), s(&t["unit"])));
        out.push((format!("target_{i}_jumlah"), number_text(&t["target"])));
        out.push((format!("target_{i}_realisasi"), number_text(&t["realised"])));
    }
    out
}

fn rows_in(f: &Form, prefix: &str, cols: &[(&str, &str)]) -> usize {
    (0..MAX_ROWS)
        .rev()
        .find(|i| {
            cols.iter()
                .any(|(c, _)| !f.value(&format!("{prefix}_{i}_{c}")).trim().is_empty())
        })
        .map_or(0, |i| i + 1)
}

fn phases(f: &mut Form) -> Vec<Value> {
    let mut out = Vec::new();
    for i in 0..rows_in(f, PHASES.0, &PHASES.2) {
        let name = f.required(&format!("tahap_{i}_nama"));
        let year = f.whole(&format!("tahap_{i}_tahun"), 2000..=2100, true);
        let description = f.text(&format!("tahap_{i}_uraian"));
        out.push(json!({ "name": name, "fiscalYear": year, "description": description }));
    }
    out
}

fn targets(f: &mut Form) -> Vec<Value> {
    let mut out = Vec::new();
    for i in 0..rows_in(f, TARGETS.0, &TARGETS.2) {
        let year = f.whole(&format!("target_{i}_tahun"), 2000..=2100, true);
        let unit = f.required(&format!("target_{i}_satuan"));
        let target = f.whole(&format!("target_{i}_jumlah"), 0..=1_000_000_000_000, true);
        let realised = f.whole(
            &format!("target_{i}_realisasi"),
            0..=1_000_000_000_000,
            false,
        );
        out.push(
            json!({ "fiscalYear": year, "unit": unit, "target": target, "realised": realised }),
        );
    }
    out
}

fn enum_values(f: &Form, name: &str, kind: Kind) -> Vec<String> {
    f.all(name)
        .into_iter()
        .filter(|v| labels::table(kind).iter().any(|(w, _)| w == v))
        .collect()
}

async fn read(ctx: &mut Ctx, f: &mut Form, editing: bool) -> Result<Option<Value>, Failure> {
    let name = f.required("nama");
    let cluster = f.choice("klaster", Kind::Cluster, true);
    let start = f.whole("tahun_mulai", 2000..=2100, true);
    let end = f.whole("tahun_akhir", 2000..=2100, true);
    let phases = phases(f);
    let targets = targets(f);
    let mut input = json!({
        "name": name,
        "description": f.text("uraian"),
        "cluster": cluster,
        "startYear": start,
        "endYear": end,
        "strategies": enum_values(f, "strategi", Kind::Strategy),
        "targetGroups": enum_values(f, "kelompok_sasaran", Kind::TargetGroup),
        "phases": phases,
        "targets": targets,
        "villageCodes": region::resolve_list(ctx, f, "desa").await?,
    });
    if !editing {
        input["code"] = json!(f.text("kode"));
        input["ownerId"] = json!(f.required("pemilik"));
    }
    Ok((!f.has_errors()).then_some(input))
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

fn body(ctx: &Ctx, f: &Form, ch: &Choices, p: Option<&Value>) -> Markup {
    let editing = p.is_some();
    let action = match p {
        Some(p) => format!("/program/{}/ubah", text(&p["id"])),
        None => "/program/baru".into(),
    };
    html! {
        h1 { @if let Some(p) = p { "Ubah program: " (text(&p["name"])) } @else { "Buat program" } }
        @if let Some(p) = p {
            p { "Pemilik " (super::org_link(&p["owner"])) " · " a href={ "/program/" (text(&p["id"])) } { "Kembali ke program" } }
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

async fn choices_for(ctx: &mut Ctx, p: Option<&Value>) -> Result<Choices, Failure> {
    let scope = ctx.user().and_then(|u| u.region_scope.clone());
    let named: Vec<(String, String)> = p
        .map(|p| {
            vec![(
                text(&p["owner"]["id"]).to_string(),
                text(&p["owner"]["name"]).to_string(),
            )]
        })
        .unwrap_or_default();
    choices(ctx, scope.as_deref(), &named).await
}

fn page(ctx: &Ctx, f: &Form, ch: &Choices, p: Option<&Value>) -> Response {
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
            &format!("/program/{}", text(&data["createProgram"]["id"])),
        ),
        Ok(None) => match choices_for(&mut ctx, None).await {
            Ok(ch) => page(&ctx, &f, &ch, None),
            Err(e) => ctx.fail(e),
        },
        Err(e) => ctx.fail(e),
    }
}

/// Loads a program to write to: 404 when there is none.
pub async fn load(ctx: &mut Ctx, id: &str) -> Result<Value, Failure> {
    let data = ctx.run(PROGRAM, json!({ "id": id })).await?;
    let p = data["program"].clone();
    if p.is_null() {
        return Err(Failure::not_found("Program ini tidak ada."));
    }
    Ok(p)
}

/// The refusal of a program's forms for those who do not coordinate its owner's region.
pub fn not_coordinator(ctx: &Ctx, p: &Value) -> Option<Response> {
    (!forms::coordinates(ctx, p["owner"]["region"]["code"].as_str())).then(|| {
        forms::refused(
            ctx,
            "Hanya koordinator wilayah pemilik program (atau admin) yang dapat mengubah program ini.",
        )
    })
}

/// `GET /program/{id}/ubah`.
pub async fn edit_form(mut ctx: Ctx, Path(id): Path<String>) -> Response {
    let p = match load(&mut ctx, &id).await {
        Ok(p) => p,
        Err(e) => return ctx.fail(e),
    };
    if let Some(refused) = not_coordinator(&ctx, &p) {
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
                let vars = json!({ "id": id, "version": version, "input": input });
                f.submit(&mut ctx, UPDATE, vars, field_of).await
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
    let p = match load(&mut ctx, &id).await {
        Ok(p) => p,
        Err(e) => return ctx.fail(e),
    };
    if f.is_stale() {
        let values = values_of(&p);
        let now: Vec<(&str, String)> = values
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        if f.already_saved(&now) {
            return forms::done(&ctx, &to);
        }
        f.stale(now);
    }
    match choices_for(&mut ctx, Some(&p)).await {
        Ok(ch) => page(&ctx, &f, &ch, Some(&p)),
        Err(e) => ctx.fail(e),
    }
}
