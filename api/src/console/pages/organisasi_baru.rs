//! Organisasi baru: an admin, or a coordinator inside its region, registers an organization
//! (`createOrganization`), so that its people can then be added on `/pengguna/baru`.

use super::pengguna::manages;
use crate::console::forms::fields::{self as ui, field};
use crate::console::forms::{self, Form, region};
use crate::console::page::Ctx;
use crate::labels::Kind;
use axum::body::Bytes;
use axum::response::Response;
use maud::{Markup, html};
use serde_json::json;

const CREATE: &str = include_str!("../queries/organisasi_buat.graphql");

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
    (!manages(ctx)).then(|| {
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
    let helix = f.choice("heliks", Kind::Helix, true);
    let kind = f.choice("jenis", Kind::OrganizationKind, true);
    let code = match region::resolve(&mut ctx, &mut f, "wilayah", true).await {
        Ok(c) => c,
        Err(e) => return ctx.fail(e),
    };
    let input = json!({ "name": name, "helix": helix, "kind": kind, "regionCode": code });
    let vars = json!({ "input": input, "clientKey": f.client_key() });
    match f.submit(&mut ctx, CREATE, vars, field_of).await {
        Ok(Some(d)) => {
            let id = d["createOrganization"]["id"].as_str().unwrap_or_default();
            forms::done(&ctx, &format!("/organisasi/{id}"))
        }
        Ok(None) => {
            let b = body(&ctx, &f);
            forms::answer(&ctx, &f, "Tambah organisasi", b)
        }
        Err(e) => ctx.fail(e),
    }
}
