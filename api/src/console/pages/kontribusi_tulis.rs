//! Kontribusi, the writing side: recording a contribution of the user's own organization and
//! editing it, through `createContribution` and `updateContribution` run as the user (the API
//! decides who may; the console only leaves out what would be refused). Status, cancellation and
//! transactions are in `kontribusi_aksi`.

use super::{Params, param, text};
use crate::console::forms::fields::{self as ui, field};
use crate::console::forms::{self, Form, region};
use crate::console::page::{Ctx, Failure};
use crate::labels::Kind;
use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::response::Response;
use entity::enums::Role;
use maud::{Markup, html};
use serde_json::{Value, json};

const ME: &str = include_str!("../queries/me.graphql");
const CHOICES: &str = include_str!("../queries/formulir_kontribusi.graphql");
/// The contribution's page document: the form shows what it shows.
pub const SHOW: &str = include_str!("../queries/kontribusi.graphql");
const CREATE: &str = include_str!("../queries/kontribusi_buat.graphql");
const UPDATE: &str = include_str!("../queries/kontribusi_ubah.graphql");

/// The API's input fields and the form fields they are shown beside.
const FIELDS: &[(&str, &str)] = &[
    ("input.title", "judul"),
    ("input.regionCode", "wilayah"),
    ("input.programId", "program"),
    ("input.source", "sumber"),
    ("input.kind", "jenis"),
    ("input.targetGroup", "kelompok_sasaran"),
    ("input.beneficiaries", "penerima_manfaat"),
    ("input.fiscalYear", "tahun"),
    ("input.amountPlanned", "rencana"),
    ("input.amountCommitted", "komitmen"),
    ("input.status", "status"),
    ("input.description", "deskripsi"),
    ("input.contributorId", "kontributor"),
];

const PICK: &str = "– pilih –";
const NONE: &str = "– tidak ada –";

/// What the form offers: the organization it records for, programs, and (admins) organizations.
struct Choices {
    organization: Option<String>,
    programs: Vec<(String, String)>,
    organizations: Option<Vec<(String, String)>>,
}

fn is_admin(ctx: &Ctx) -> bool {
    ctx.user().is_some_and(|u| u.role == Role::Admin)
}

/// Members and coordinators record for their organization, admins for any; viewers only read.
fn may_record(ctx: &Ctx) -> Result<(), Failure> {
    let u = ctx.require_user()?;
    let ok = u.role == Role::Admin
        || (matches!(u.role, Role::Member | Role::Coordinator) && u.organization_id.is_some());
    if ok {
        Ok(())
    } else {
        Err(Failure {
            code: crate::error::Code::Forbidden,
            message: "Hanya anggota sebuah organisasi yang dapat mencatat kontribusinya.".into(),
            field: None,
        })
    }
}

/// Whether to offer "Catat kontribusi" to the user.
pub fn can_record(ctx: &Ctx) -> bool {
    may_record(ctx).is_ok()
}

/// "Bedah Rumah · Klaster I: Bantuan Sosial · 2024–2026": the cluster a contribution falls in
/// follows from its program.
fn program_label(p: &Value) -> String {
    format!(
        "{} · {} · {}–{}",
        text(&p["name"]),
        super::lbl(Kind::Cluster, &p["cluster"]),
        p["startYear"],
        p["endYear"]
    )
}

async fn choices(ctx: &mut Ctx, current: Option<&Value>) -> Result<Choices, Failure> {
    let me = ctx.run(ME, json!({})).await?;
    let org = &me["me"]["organization"];
    let region = super::default_region(ctx.user(), org["region"]["code"].as_str());
    let data = ctx
        .run(
            CHOICES,
            json!({ "region": (!region.is_empty()).then_some(region), "admin": is_admin(ctx) }),
        )
        .await?;
    let mut programs: Vec<(String, String)> = super::nodes(&data["programs"])
        .into_iter()
        .map(|p| (text(&p["id"]).to_string(), program_label(p)))
        .collect();
    if let Some(p) = current.filter(|p| !p.is_null())
        && !programs.iter().any(|(id, _)| id == text(&p["id"]))
    {
        programs.insert(0, (text(&p["id"]).to_string(), program_label(p)));
    }
    let organizations = data.get("organizations").map(|o| {
        super::nodes(o)
            .into_iter()
            .map(|o| (text(&o["id"]).to_string(), text(&o["name"]).to_string()))
            .collect()
    });
    Ok(Choices {
        organization: org["name"].as_str().map(str::to_string),
        programs,
        organizations,
    })
}

/// The form's values of a stored contribution (to edit it, or to show it after a stale version).
pub fn values_of(c: &Value) -> Vec<(&'static str, String)> {
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    let money = |v: &Value| {
        crate::console::format::amount(v)
            .and_then(|n| i64::try_from(n).ok())
            .map(forms::rupiah::show)
            .unwrap_or_default()
    };
    vec![
        ("judul", s(&c["title"])),
        ("wilayah", s(&c["region"]["code"])),
        ("program", s(&c["program"]["id"])),
        ("sumber", s(&c["source"])),
        ("jenis", s(&c["kind"])),
        ("kelompok_sasaran", s(&c["targetGroup"])),
        (
            "penerima_manfaat",
            c["beneficiaries"]
                .as_i64()
                .map(forms::rupiah::show)
                .unwrap_or_default(),
        ),
        ("tahun", c["fiscalYear"].to_string()),
        ("rencana", money(&c["amountPlanned"])),
        ("komitmen", money(&c["amountCommitted"])),
        ("deskripsi", s(&c["description"])),
        (forms::VERSION, c["version"].to_string()),
    ]
}

/// Reads the form into the API's input; `None` when a field is wrong (its reason is beside it).
async fn read(ctx: &mut Ctx, f: &mut Form, editing: bool) -> Result<Option<Value>, Failure> {
    let title = f.required("judul");
    let region = region::resolve(ctx, f, "wilayah", true).await?;
    let source = f.choice("sumber", Kind::Source, true);
    let kind = f.choice("jenis", Kind::ContributionKind, true);
    let target = f.choice("kelompok_sasaran", Kind::TargetGroup, false);
    let beneficiaries = f.whole(
        "penerima_manfaat",
        0..=i64::from(crate::services::rules::BENEFICIARIES_MAX),
        false,
    );
    let year = f.whole("tahun", 2000..=2100, true);
    let planned = f.rupiah("rencana", true);
    let committed = f.rupiah("komitmen", false);
    let status = if editing {
        None
    } else {
        f.choice("status", Kind::ContributionStatus, true)
    };
    if f.has_errors() {
        return Ok(None);
    }
    let mut input = json!({
        "title": title,
        "regionCode": region,
        "programId": f.text("program"),
        "source": source,
        "kind": kind,
        "targetGroup": target,
        "beneficiaries": beneficiaries,
        "fiscalYear": year,
        "amountPlanned": planned.map(|n| n.to_string()),
        // Emptied on an edit, the committed amount is zero; on a new record, left to the API.
        "amountCommitted": committed.or(editing.then_some(0)).map(|n| n.to_string()),
        // An emptied description is removed (the API stores a blank one as none).
        "description": f.text("deskripsi").unwrap_or_default(),
    });
    if !editing {
        input["status"] = json!(status);
        input["contributorId"] = json!(f.text("kontributor"));
    }
    Ok(Some(input))
}

fn body(ctx: &Ctx, f: &Form, ch: &Choices, c: Option<&Value>) -> Markup {
    let editing = c.is_some();
    let action = match c {
        Some(c) => format!("/kontribusi/{}/ubah", text(&c["id"])),
        None => "/kontribusi/baru".into(),
    };
    // An edit cannot take a program or target group away (the API keeps an absent one).
    let program_blank = (!editing || f.value("program").is_empty()).then_some(NONE);
    let target_blank = (!editing || f.value("kelompok_sasaran").is_empty()).then_some(NONE);
    html! {
        h1 { @if let Some(c) = c { "Ubah kontribusi: " (text(&c["title"])) } @else { "Catat kontribusi" } }
        @if let Some(c) = c {
            p { "Atas nama " strong { (text(&c["contributor"]["name"])) } " · " a href={ "/kontribusi/" (text(&c["id"])) } { "Kembali ke kontribusi" } }
        } @else if let Some(o) = &ch.organization {
            p { "Dicatat atas nama " strong #atas-nama { (o) } ". Kontribusi baru berstatus Rencana (draf, hanya terlihat oleh organisasi Anda dan koordinator wilayah) sampai Anda memilih Komitmen." }
        }
        (ui::form(ctx, f, &action, "form-kontribusi", html! {
            @if editing { (ui::version(f)) } @else { (ui::client_key(f)) }
            div.form-grid {
                (ui::input(f, field("judul", "Kegiatan").required().hint("mis. Bedah rumah 12 RTLH"), "text"))
                @if let (false, Some(orgs)) = (editing, &ch.organizations) {
                    (ui::select(f, field("kontributor", "Pemberi kontribusi").required(), orgs, Some(PICK)))
                }
                (ui::region(f, field("wilayah", "Wilayah").required()))
                (ui::select(f, field("program", "Program").hint("Klaster kontribusi mengikuti klaster programnya."), &ch.programs, program_blank))
                (ui::enum_select(f, field("sumber", "Sumber dana").required(), Kind::Source, Some(PICK), None))
                (ui::enum_select(f, field("jenis", "Jenis").required(), Kind::ContributionKind, Some(PICK), None))
                (ui::enum_select(f, field("kelompok_sasaran", "Kelompok sasaran"), Kind::TargetGroup, target_blank, None))
                (ui::number(f, field("penerima_manfaat", "Penerima manfaat").hint("Rumah tangga atau orang")))
                (ui::number(f, field("tahun", "Tahun anggaran").required()))
                (ui::rupiah(f, field("rencana", "Nilai rencana").required()))
                (ui::rupiah(f, field("komitmen", "Nilai komitmen")))
                @if !editing {
                    (ui::enum_select(f, field("status", "Status").required(), Kind::ContributionStatus, None, Some(&["PLANNED", "COMMITTED"])))
                }
            }
            (ui::textarea(f, field("deskripsi", "Uraian"), 4))
            (ui::submit(if editing { "Simpan perubahan" } else { "Catat kontribusi" }))
        }))
    }
}

/// `GET /kontribusi/baru?wilayah=&program=`: the form, for the user's own organization.
pub async fn new_form(mut ctx: Ctx, Query(q): Query<Params>) -> Response {
    let result = async {
        may_record(&ctx)?;
        let ch = choices(&mut ctx, None).await?;
        let mut f = Form::new();
        f.set("tahun", super::this_year().to_string());
        f.set("status", "PLANNED");
        for (param_name, name) in [("wilayah", "wilayah"), ("program", "program")] {
            if let Some(v) = param(&q, param_name) {
                f.set(name, v);
            }
        }
        Ok::<_, Failure>((f, ch))
    }
    .await;
    match result {
        Ok((f, ch)) => {
            let b = body(&ctx, &f, &ch, None);
            forms::answer(&ctx, &f, "Catat kontribusi", b)
        }
        Err(e) => ctx.fail(e),
    }
}

/// `POST /kontribusi/baru`: `createContribution` with the form's client key, so a double submit
/// stores one contribution.
pub async fn create(mut ctx: Ctx, body_bytes: Bytes) -> Response {
    let mut f = match Form::read(&ctx, &body_bytes) {
        Ok(f) => f,
        Err(refused) => return *refused,
    };
    let result = async {
        may_record(&ctx)?;
        let input = read(&mut ctx, &mut f, false).await?;
        let stored = match input {
            Some(input) => {
                let vars = json!({ "input": input, "clientKey": f.client_key() });
                f.submit(&mut ctx, CREATE, vars, forms::field_map(FIELDS))
                    .await?
            }
            None => None,
        };
        Ok::<_, Failure>(stored)
    }
    .await;
    match result {
        Ok(Some(data)) => forms::done(
            &ctx,
            &format!("/kontribusi/{}", text(&data["createContribution"]["id"])),
        ),
        Ok(None) => match choices(&mut ctx, None).await {
            Ok(ch) => {
                let b = body(&ctx, &f, &ch, None);
                forms::answer(&ctx, &f, "Catat kontribusi", b)
            }
            Err(e) => ctx.fail(e),
        },
        Err(e) => ctx.fail(e),
    }
}

/// Loads a contribution to write to: not found (or another organization's draft) is a 404.
pub async fn load(ctx: &mut Ctx, id: &str) -> Result<Value, Failure> {
    let data = ctx.run(SHOW, json!({ "id": id })).await?;
    let c = data["contribution"].clone();
    if c.is_null() {
        return Err(Failure::not_found(
            "Kontribusi ini tidak ada atau belum boleh Anda lihat.",
        ));
    }
    Ok(c)
}

/// The refusal of a contribution page the user reached by URL but may not write.
pub fn not_yours(ctx: &Ctx, c: &Value) -> Option<Response> {
    (!forms::acts_for(ctx, c["contributor"]["id"].as_str())).then(|| {
        forms::refused(
            ctx,
            &format!(
                "Kontribusi ini milik {}: hanya organisasi itu (atau admin) yang dapat mengubahnya.",
                text(&c["contributor"]["name"])
            ),
        )
    })
}

/// `GET /kontribusi/{id}/ubah`.
pub async fn edit_form(mut ctx: Ctx, Path(id): Path<String>) -> Response {
    let c = match load(&mut ctx, &id).await {
        Ok(c) => c,
        Err(e) => return ctx.fail(e),
    };
    if let Some(refused) = not_yours(&ctx, &c) {
        return refused;
    }
    let f = Form::filled(values_of(&c));
    match choices(&mut ctx, Some(&c["program"])).await {
        Ok(ch) => {
            let b = body(&ctx, &f, &ch, Some(&c));
            forms::answer(&ctx, &f, "Ubah kontribusi", b)
        }
        Err(e) => ctx.fail(e),
    }
}

/// `POST /kontribusi/{id}/ubah`: `updateContribution` with the version the form was read at.
pub async fn update(mut ctx: Ctx, Path(id): Path<String>, body_bytes: Bytes) -> Response {
    let mut f = match Form::read(&ctx, &body_bytes) {
        Ok(f) => f,
        Err(refused) => return *refused,
    };
    let result = async {
        ctx.require_user()?;
        let version = f.version();
        let input = read(&mut ctx, &mut f, true).await?;
        let stored = match (input, version) {
            (Some(input), Some(version)) => {
                let vars = json!({ "id": id, "version": version, "input": input });
                f.submit(&mut ctx, UPDATE, vars, forms::field_map(FIELDS))
                    .await?
            }
            _ => None,
        };
        Ok::<_, Failure>(stored)
    }
    .await;
    let to = format!("/kontribusi/{id}");
    match result {
        Ok(Some(_)) => forms::done(&ctx, &to),
        Ok(None) => {
            let c = match load(&mut ctx, &id).await {
                Ok(c) => c,
                Err(e) => return ctx.fail(e),
            };
            if f.saved_after_stale(&values_of(&c)) {
                return forms::done(&ctx, &to);
            }
            match choices(&mut ctx, Some(&c["program"])).await {
                Ok(ch) => {
                    let b = body(&ctx, &f, &ch, Some(&c));
                    forms::answer(&ctx, &f, "Ubah kontribusi", b)
                }
                Err(e) => ctx.fail(e),
            }
        }
        Err(e) => ctx.fail(e),
    }
}
