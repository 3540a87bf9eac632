//! Organisasi baru: an admin, or a coordinator inside its region, registers an organization
//! (`createOrganization`), so that its people can then be added on `/pengguna/baru`.

use crate::console::documents::{self as doc, BuatOrganisasi};
use crate::console::forms::fields::{self as ui, field};
use crate::console::forms::{self, Form, region};
use crate::console::page::Ctx;
use crate::labels::Kind;
use axum::body::Bytes;
use axum::response::Response;
use maud::{Markup, html};

fn field_of(api: &str) -> Option<String> {
    forms::field_map(&[
        ("input.name", "nama"),
        ("input.helix", "heliks"),
        ("input.kind", "jenis"),
        ("input.regionCode", "wilayah"),
    ])(api)
}

fn body(ctx: &Ctx, f: &Form) -> Markup {
    html! {
        h1 { "Tambah organisasi" }
        p { a href="/organisasi" { "Kembali ke daftar organisasi" } }
        (ui::form(ctx, f, "/organisasi/baru", "form-organisasi", html! {
            (ui::client_key(f))
            div.form-grid {
                (ui::input(f, field("nama", "Nama").required(), "text"))
                (ui::enum_select(f, field("heliks", "Heliks").required(), Kind::Helix, Some("– pilih –"), None))
                (ui::enum_select(f, field("jenis", "Jenis").required(), Kind::OrganizationKind, Some("– pilih –"), None))
                (ui::region(f, field("wilayah", "Wilayah").required()))
            }
            (ui::submit("Simpan organisasi"))
        }))
    }
}

fn gate(ctx: &Ctx) -> Option<Response> {
    if let Err(e) = ctx.require_user() {
        return Some(ctx.fail(e));
    }
    (!ctx.manages_people()).then(|| {
        forms::refused(
            ctx,
            "Hanya admin, atau koordinator di wilayahnya, yang menambah organisasi.",
        )
    })
}

/// `GET /organisasi/baru`: the form, the region defaulting to a coordinator's own.
pub async fn form(ctx: Ctx) -> Response {
    if let Some(r) = gate(&ctx) {
        return r;
    }
    let scope = ctx
        .user()
        .and_then(|u| u.region_scope.clone())
        .unwrap_or_default();
    let f = Form::filled([("wilayah", scope)]);
    let b = body(&ctx, &f);
    forms::answer(&ctx, &f, "Tambah organisasi", b)
}

/// `POST /organisasi/baru`: `createOrganization`, then to the new organization's page.
pub async fn create(mut ctx: Ctx, posted: Bytes) -> Response {
    let mut f = match Form::read(&ctx, &posted) {
        Ok(f) => f,
        Err(refused) => return *refused,
    };
    if let Some(r) = gate(&ctx) {
        return r;
    }
    let name = f.required("nama");
    let helix = f
        .choice("heliks", Kind::Helix, true)
        .and_then(super::enum_of);
    let kind = f
        .choice("jenis", Kind::OrganizationKind, true)
        .and_then(super::enum_of);
    let code = match region::resolve(&mut ctx, &mut f, "wilayah", true).await {
        Ok(c) => c,
        Err(e) => return ctx.fail(e),
    };
    // A value missing has put its reason on the form, which is then shown again unsent.
    let sent = match (name, helix, kind, code) {
        (Some(name), Some(helix), Some(kind), Some(region_code)) => {
            let input = doc::buat_organisasi::OrganizationInput {
                name,
                helix,
                kind,
                region_code,
                parent_id: None,
            };
            let vars = doc::buat_organisasi::Variables {
                input,
                client_key: Some(f.client_key().to_string()),
            };
            f.send::<BuatOrganisasi>(&mut ctx, vars, field_of).await
        }
        _ => Ok(None),
    };
    match sent {
        Ok(Some(d)) => {
            let id = d.create_organization.id;
            forms::done(&ctx, &format!("/organisasi/{id}"))
        }
        Ok(None) => {
            let b = body(&ctx, &f);
            forms::answer(&ctx, &f, "Tambah organisasi", b)
        }
        Err(e) => ctx.fail(e),
    }
}
