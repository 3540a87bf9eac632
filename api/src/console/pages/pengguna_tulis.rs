//! Pengguna, the writing side: an admin or coordinator adds a user (`createUser`: a coordinator
//! only members and viewers of organizations in its region, so only those are offered) and sets a
//! temporary password for one (`updateUser`), which its owner must replace at the next sign-in.

use crate::console::documents::{
    self as doc, BuatPengguna, PilihanOrganisasi, SatuPengguna, UbahPengguna,
};
use crate::console::forms::fields::{self as ui, field};
use crate::console::forms::{self, Form};
use crate::console::page::{Ctx, Failure};
use crate::labels::Kind;
use axum::body::Bytes;
use axum::extract::Path;
use axum::response::Response;
use entity::enums::Role;
use maud::{Markup, html};

type User = doc::satu_pengguna::SatuPenggunaUser;

const NO_SUCH_USER: &str = "Pengguna ini tidak ada atau tidak Anda kelola.";

const NOT_ALLOWED: &str =
    "Hanya admin, atau koordinator untuk organisasi di wilayahnya, yang mengelola pengguna.";

fn is_admin(ctx: &Ctx) -> bool {
    ctx.user().is_some_and(|u| u.role == Role::Admin)
}

/// Organizations the user may add people to: a coordinator's region, everything for an admin.
async fn organizations(ctx: &mut Ctx) -> Result<Vec<(String, String)>, Failure> {
    let region = ctx.user().and_then(|u| u.region_scope.clone());
    let region = if is_admin(ctx) { None } else { region };
    let vars = doc::pilihan_organisasi::Variables { region };
    let data = ctx.query::<PilihanOrganisasi>(vars).await?;
    Ok(data
        .organizations
        .edges
        .into_iter()
        .map(|e| {
            let o = e.node;
            let region = o.region.as_ref().map_or("–", |r| r.name.as_str());
            let label = format!("{} ({region})", o.name);
            (o.id, label)
        })
        .collect())
}

fn new_body(ctx: &Ctx, f: &Form, orgs: &[(String, String)]) -> Markup {
    let roles: &[&str] = if is_admin(ctx) {
        &["ADMIN", "COORDINATOR", "MEMBER", "VIEWER"]
    } else {
        &["MEMBER", "VIEWER"]
    };
    html! {
        h1 { "Tambah pengguna" }
        p { a href="/pengguna" { "Kembali ke daftar pengguna" } }
        (ui::form(ctx, f, "/pengguna/baru", "form-pengguna", html! {
            (ui::client_key(f))
            div.form-grid {
                (ui::input(f, field("email", "E-mail").required(), "email"))
                (ui::input(f, field("nama", "Nama").required(), "text"))
                (ui::enum_select(f, field("peran", "Peran").required(), Kind::Role, Some("– pilih –"), Some(roles)))
                (ui::select(f, field("organisasi", "Organisasi").hint("Wajib bagi anggota dan koordinator"), orgs, Some("– tanpa organisasi –")))
                @if is_admin(ctx) {
                    (ui::input(f, field("wilayah", "Wilayah koordinator").hint("Kode wilayah, hanya untuk koordinator (mis. 33.26)"), "text"))
                }
                (ui::input(f, field("kata_sandi", "Kata sandi awal").required().hint("Minimal 10 karakter; sampaikan kepada pengguna secara langsung"), "password"))
            }
            (ui::submit("Simpan pengguna"))
        }))
    }
}

fn field_of(api: &str) -> Option<String> {
    forms::field_map(&[
        ("input.email", "email"),
        ("input.name", "nama"),
        ("input.role", "peran"),
        ("input.organizationId", "organisasi"),
        ("input.regionScope", "wilayah"),
        ("input.password", "kata_sandi"),
    ])(api)
}

async fn show_new(mut ctx: Ctx, mut f: Form) -> Response {
    let orgs = match organizations(&mut ctx).await {
        Ok(o) => o,
        Err(e) => return ctx.fail(e),
    };
    // The password is never sent back to the browser.
    f.set("kata_sandi", "");
    let b = new_body(&ctx, &f, &orgs);
    forms::answer(&ctx, &f, "Tambah pengguna", b)
}

fn gate(ctx: &Ctx) -> Option<Response> {
    if let Err(e) = ctx.require_user() {
        return Some(ctx.fail(e));
    }
    (!ctx.manages_people()).then(|| forms::refused(ctx, NOT_ALLOWED))
}

/// `GET /pengguna/baru`.
pub async fn new_form(ctx: Ctx) -> Response {
    if let Some(r) = gate(&ctx) {
        return r;
    }
    show_new(ctx, Form::new()).await
}

/// `POST /pengguna/baru`: `createUser`, then back to the list.
pub async fn create(mut ctx: Ctx, posted: Bytes) -> Response {
    let mut f = match Form::read(&ctx, &posted) {
        Ok(f) => f,
        Err(refused) => return *refused,
    };
    if let Some(r) = gate(&ctx) {
        return r;
    }
    let input = doc::buat_pengguna::UserInput {
        email: f.required("email").unwrap_or_default(),
        name: f.required("nama").unwrap_or_default(),
        // A missing role has put its reason beside the field, so nothing is sent with this one.
        role: f
            .choice("peran", Kind::Role, true)
            .and_then(super::enum_of)
            .unwrap_or(Role::Viewer),
        organization_id: f.text("organisasi"),
        region_scope: f.text("wilayah"),
        password: f.required("kata_sandi").unwrap_or_default(),
    };
    let vars = doc::buat_pengguna::Variables {
        input,
        client_key: Some(f.client_key().to_string()),
    };
    // The initial password must never be echoed back in "Lihat GraphQL": its variables are hidden.
    let result = f
        .send_secret::<BuatPengguna>(&mut ctx, vars, field_of)
        .await;
    match result {
        Ok(Some(_)) => forms::done(&ctx, "/pengguna"),
        Ok(None) => show_new(ctx, f).await,
        Err(e) => ctx.fail(e),
    }
}

fn reset_body(ctx: &Ctx, f: &Form, u: &User) -> Markup {
    let id = &u.id;
    html! {
        h1 { "Atur ulang kata sandi" }
        p { a href="/pengguna" { "Kembali ke daftar pengguna" } }
        p { strong { (u.name) } " · " (u.email) " · " (u.organization.as_ref().map_or("–", |o| o.name.as_str())) }
        p.muted { "Pengguna ini wajib mengganti kata sandi sementara saat masuk berikutnya." }
        (ui::form(ctx, f, &format!("/pengguna/{id}/kata-sandi"), "form-atur-ulang", html! {
            (ui::version(f))
            (ui::input(f, field("kata_sandi", "Kata sandi sementara").required().hint("Minimal 10 karakter"), "password"))
            (ui::submit("Atur ulang kata sandi"))
        }))
    }
}

/// The user, when the signed-in one may manage it; anyone else's page is 404, as an unknown id's.
pub(super) async fn one(ctx: &mut Ctx, id: &str) -> Result<User, Failure> {
    let vars = doc::satu_pengguna::Variables { id: id.into() };
    let data = ctx.query::<SatuPengguna>(vars).await?;
    data.user.ok_or_else(|| Failure::not_found(NO_SUCH_USER))
}

/// `GET /pengguna/{id}/kata-sandi`.
pub async fn reset_form(mut ctx: Ctx, Path(id): Path<String>) -> Response {
    if let Some(r) = gate(&ctx) {
        return r;
    }
    let u = match one(&mut ctx, &id).await {
        Ok(u) => u,
        Err(e) => return ctx.fail(e),
    };
    let f = Form::filled([(forms::VERSION, u.version.to_string())]);
    let b = reset_body(&ctx, &f, &u);
    forms::answer(&ctx, &f, "Atur ulang kata sandi", b)
}

/// `POST /pengguna/{id}/kata-sandi`: `updateUser(password)` at the version the form showed.
pub async fn reset(mut ctx: Ctx, Path(id): Path<String>, posted: Bytes) -> Response {
    let mut f = match Form::read(&ctx, &posted) {
        Ok(f) => f,
        Err(refused) => return *refused,
    };
    if let Some(r) = gate(&ctx) {
        return r;
    }
    if let Err(e) = one(&mut ctx, &id).await {
        return ctx.fail(e);
    }
    // A missing version has already put its notice on the form, so nothing is sent with 0.
    let version = f.version().unwrap_or_default();
    let input = doc::ubah_pengguna::UserPatch {
        password: Some(f.required("kata_sandi").unwrap_or_default()),
        ..patch()
    };
    let vars = doc::ubah_pengguna::Variables {
        id: id.clone(),
        version,
        input,
    };
    let map = forms::field_map(&[("input.password", "kata_sandi")]);
    let result = f.send_secret::<UbahPengguna>(&mut ctx, vars, map).await;
    match result {
        Ok(Some(_)) => return forms::done(&ctx, "/pengguna"),
        Ok(None) => {}
        Err(e) => return ctx.fail(e),
    }
    let u = match one(&mut ctx, &id).await {
        Ok(u) => u,
        Err(e) => return ctx.fail(e),
    };
    f.set("kata_sandi", "");
    if f.is_stale() {
        f.set(forms::VERSION, u.version.to_string());
    }
    let b = reset_body(&ctx, &f, &u);
    forms::answer(&ctx, &f, "Atur ulang kata sandi", b)
}

/// A `UserPatch` changing nothing: each page sets what it changes.
pub(super) fn patch() -> doc::ubah_pengguna::UserPatch {
    doc::ubah_pengguna::UserPatch {
        name: None,
        role: None,
        organization_id: None,
        region_scope: None,
        active: None,
        password: None,
    }
}
