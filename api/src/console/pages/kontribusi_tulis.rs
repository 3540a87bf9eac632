//! Kontribusi, the writing side: recording a contribution of the user's own organization and
//! editing it, through `createContribution` and `updateContribution` run as the user (the API
//! decides who may; the console only leaves out what would be refused). Status, cancellation and
//! transactions are in `kontribusi_aksi`.

use super::{Params, param};
use crate::console::documents::{
    self as doc, CatatKontribusi, FormulirKontribusi, Kontribusi, PilihanOrganisasi, Saya,
    UbahKontribusi,
};
use crate::console::forms::fields::{self as ui, field};
use crate::console::forms::{self, Form};
use crate::console::page::{Ctx, Failure};
use crate::labels::{self, Kind};
use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::response::Response;
use entity::enums::Role;
use maud::{Markup, html};

use super::kontribusi_isian::read;
pub use super::kontribusi_isian::{Contribution, values_of};

type Program = doc::kontribusi::KontribusiContributionProgram;

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
fn program_label(name: &str, cluster: &doc::Cluster, years: Option<(i64, i64)>) -> String {
    let cluster = labels::of(Kind::Cluster, cluster);
    match years {
        Some((start, end)) => format!("{name} · {cluster} · {start}–{end}"),
        // The contribution's own program, outside the region's list: its page names no years
        // (the untyped page printed "null–null" there).
        None => format!("{name} · {cluster}"),
    }
}

async fn choices(ctx: &mut Ctx, current: Option<&Program>) -> Result<Choices, Failure> {
    let me = ctx.query::<Saya>(doc::saya::Variables).await?;
    let org = me.me.and_then(|m| m.organization);
    let org_region = org.as_ref().and_then(|o| o.region.as_ref());
    let region = super::default_region(ctx.user(), org_region.map(|r| r.code.as_str()));
    let vars = doc::formulir_kontribusi::Variables {
        region: (!region.is_empty()).then_some(region),
    };
    let data = ctx.query::<FormulirKontribusi>(vars).await?;
    let mut programs: Vec<(String, String)> = data
        .programs
        .edges
        .into_iter()
        .map(|e| {
            let p = e.node;
            let label = program_label(&p.name, &p.cluster, Some((p.start_year, p.end_year)));
            (p.id, label)
        })
        .collect();
    if let Some(p) = current
        && !programs.iter().any(|(id, _)| *id == p.id)
    {
        programs.insert(0, (p.id.clone(), program_label(&p.name, &p.cluster, None)));
    }
    // Admins record for any organization, so they pick it.
    let organizations = if is_admin(ctx) {
        let vars = doc::pilihan_organisasi::Variables { region: None };
        let all = ctx.query::<PilihanOrganisasi>(vars).await?;
        Some(
            all.organizations
                .edges
                .into_iter()
                .map(|e| (e.node.id, e.node.name))
                .collect(),
        )
    } else {
        None
    };
    Ok(Choices {
        organization: org.map(|o| o.name),
        programs,
        organizations,
    })
}

fn body(ctx: &Ctx, f: &Form, ch: &Choices, c: Option<&Contribution>) -> Markup {
    let editing = c.is_some();
    let action = match c {
        Some(c) => format!("/kontribusi/{}/ubah", c.id),
        None => "/kontribusi/baru".into(),
    };
    // An edit cannot take a program or target group away (the API keeps an absent one).
    let program_blank = (!editing || f.value("program").is_empty()).then_some(NONE);
    let target_blank = (!editing || f.value("kelompok_sasaran").is_empty()).then_some(NONE);
    html! {
        h1 { @if let Some(c) = c { "Ubah kontribusi: " (c.title) } @else { "Catat kontribusi" } }
        @if let Some(c) = c {
            p { "Atas nama " strong { (contributor_name(c)) } " · " a href={ "/kontribusi/" (c.id) } { "Kembali ke kontribusi" } }
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
                let vars = doc::catat_kontribusi::Variables {
                    input: input.create(),
                    client_key: Some(f.client_key().to_string()),
                };
                f.send::<CatatKontribusi>(&mut ctx, vars, forms::field_map(FIELDS))
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
            &format!("/kontribusi/{}", data.create_contribution.id),
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
pub async fn load(ctx: &mut Ctx, id: &str) -> Result<Contribution, Failure> {
    let vars = doc::kontribusi::Variables { id: id.into() };
    let data = ctx.query::<Kontribusi>(vars).await?;
    data.contribution
        .ok_or_else(|| Failure::not_found("Kontribusi ini tidak ada atau belum boleh Anda lihat."))
}

/// The name of the organization a contribution is recorded for (`–` when none).
fn contributor_name(c: &Contribution) -> &str {
    c.contributor.as_ref().map_or("–", |o| o.name.as_str())
}

/// The refusal of a contribution page the user reached by URL but may not write.
pub fn not_yours(ctx: &Ctx, c: &Contribution) -> Option<Response> {
    let contributor = c.contributor.as_ref().map(|o| o.id.as_str());
    (!forms::acts_for(ctx, contributor)).then(|| {
        forms::refused(
            ctx,
            &format!(
                "Kontribusi ini milik {}: hanya organisasi itu (atau admin) yang dapat mengubahnya.",
                contributor_name(c)
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
    match choices(&mut ctx, c.program.as_ref()).await {
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
                let vars = doc::ubah_kontribusi::Variables {
                    id: id.clone(),
                    version,
                    input: input.patch(),
                };
                f.send::<UbahKontribusi>(&mut ctx, vars, forms::field_map(FIELDS))
                    .await?
                    .map(|_| ())
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
            match choices(&mut ctx, c.program.as_ref()).await {
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
