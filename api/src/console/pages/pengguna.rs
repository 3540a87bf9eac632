//! Pengguna: the accounts the signed-in admin or coordinator may manage (the API's `users` list,
//! so a coordinator sees the members and viewers of organizations in its region), each with
//! "Nonaktifkan"/"Aktifkan" and "Atur ulang kata sandi". Members and viewers get the API's refusal.

use super::{Params, param};
use crate::console::documents::{self as doc, Pengguna, UbahPengguna};
use crate::console::forms::{self, Form};
use crate::console::page::{Ctx, Failure};
use crate::labels::{self, Kind};
use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::response::Response;
use maud::{Markup, html};

type Users = doc::pengguna::PenggunaUsers;
type User = doc::pengguna::PenggunaUsersEdgesNode;

fn status(u: &User) -> &'static str {
    match (u.active, u.must_change_password) {
        (false, _) => "Nonaktif",
        (true, true) => "Aktif, wajib ganti kata sandi",
        (true, false) => "Aktif",
    }
}

fn actions(ctx: &Ctx, u: &User) -> Markup {
    let id = &u.id;
    let active = u.active;
    html! {
        form.inline method="post" action={ "/pengguna/" (id) "/aktif" } hx-boost="false" {
            input type="hidden" name="csrf" value=(ctx.csrf);
            input type="hidden" name=(forms::VERSION) value=(u.version);
            input type="hidden" name="aktif" value=(if active { "tidak" } else { "ya" });
            button type="submit" { (if active { "Nonaktifkan" } else { "Aktifkan" }) }
        }
        " "
        a href={ "/pengguna/" (id) "/kata-sandi" } { "Atur ulang kata sandi" }
    }
}

fn body(ctx: &Ctx, q: &Params, conn: &Users, notice: Option<&str>) -> Markup {
    let rows: Vec<Markup> = conn
        .edges
        .iter()
        .map(|e| {
            let u = &e.node;
            html! { tr id={ "pengguna-" (u.id) } {
                td { (u.name) }
                td { (u.email) }
                td { (labels::of(Kind::Role, &u.role)) }
                td { (u.organization.as_ref().map_or("–", |o| o.name.as_str())) }
                td { (status(u)) }
                td { (actions(ctx, u)) }
            } }
        })
        .collect();
    html! {
        h1 { "Pengguna" }
        @if let Some(n) = notice { p.error role="alert" { (n) } }
        p {
            a.button href="/pengguna/baru" { "Tambah pengguna" }
            " "
            a href="/organisasi/baru" { "Tambah organisasi" }
        }
        p { (conn.total_count) " pengguna yang dapat Anda kelola" }
        (super::table("Pengguna", &["Nama", "E-mail", "Peran", "Organisasi", "Status", "Tindakan"], rows))
        (super::pager_at("/pengguna", q, conn.page_info.has_next_page, conn.page_info.end_cursor.as_deref()))
    }
}

async fn load(ctx: &mut Ctx, q: &Params) -> Result<Users, Failure> {
    ctx.require_user()?;
    let vars = doc::pengguna::Variables {
        filter: None,
        after: param(q, "setelah").map(String::from),
    };
    Ok(ctx.query::<Pengguna>(vars).await?.users)
}

/// `GET /pengguna`.
pub async fn list(mut ctx: Ctx, Query(q): Query<Params>) -> Response {
    match load(&mut ctx, &q).await {
        Ok(data) => {
            let b = body(&ctx, &q, &data, None);
            ctx.render("Pengguna", b)
        }
        Err(e) => ctx.fail(e),
    }
}

/// `POST /pengguna/{id}/aktif`: `updateUser(active)` at the version the list showed. A stale
/// version shows the list again, as it is now, with the reason.
pub async fn set_active(mut ctx: Ctx, Path(id): Path<String>, posted: Bytes) -> Response {
    let mut f = match Form::read(&ctx, &posted) {
        Ok(f) => f,
        Err(refused) => return *refused,
    };
    if let Err(e) = ctx.require_user() {
        return ctx.fail(e);
    }
    // Someone the user may not manage is 404, as on the user's other pages.
    if let Err(e) = super::pengguna_tulis::one(&mut ctx, &id).await {
        return ctx.fail(e);
    }
    let version = f.version().unwrap_or_default();
    let input = doc::ubah_pengguna::UserPatch {
        active: Some(f.value("aktif") == "ya"),
        ..super::pengguna_tulis::patch()
    };
    let vars = doc::ubah_pengguna::Variables { id, version, input };
    match f.send::<UbahPengguna>(&mut ctx, vars, |_| None).await {
        Ok(Some(_)) => return forms::done(&ctx, "/pengguna"),
        Ok(None) => {}
        Err(e) => return ctx.fail(e),
    }
    let q = Params::new();
    let data = match load(&mut ctx, &q).await {
        Ok(d) => d,
        Err(e) => return ctx.fail(e),
    };
    let notice = f
        .notice
        .clone()
        .or_else(|| f.errors().first().map(|(_, r)| r.clone()));
    let b = body(&ctx, &q, &data, notice.as_deref());
    forms::answer(&ctx, &f, "Pengguna", b)
}
