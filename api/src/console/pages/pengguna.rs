//! Pengguna: the accounts the signed-in admin or coordinator may manage (the API's `users` list,
//! so a coordinator sees the members and viewers of organizations in its region), each with
//! "Nonaktifkan"/"Aktifkan" and "Atur ulang kata sandi". Members and viewers get the API's refusal.

use super::{Params, lbl, param, text};
use crate::console::forms::{self, Form};
use crate::console::page::{Ctx, Failure};
use crate::labels::Kind;
use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::response::Response;
use maud::{Markup, html};
use serde_json::{Value, json};

const LIST: &str = include_str!("../queries/pengguna_daftar.graphql");
const UPDATE: &str = include_str!("../queries/pengguna_ubah.graphql");

/// Whether the signed-in user manages users and organizations at all (admin or coordinator): who
/// sees the links to these pages.
pub fn manages(ctx: &Ctx) -> bool {
    use entity::enums::Role;
    ctx.user()
        .is_some_and(|u| matches!(u.role, Role::Admin | Role::Coordinator))
}

fn status(u: &Value) -> &'static str {
    match (u["active"] == true, u["mustChangePassword"] == true) {
        (false, _) => "Nonaktif",
        (true, true) => "Aktif, wajib ganti kata sandi",
        (true, false) => "Aktif",
    }
}

fn actions(ctx: &Ctx, u: &Value) -> Markup {
    let id = text(&u["id"]);
    let active = u["active"] == true;
    html! {
        form.inline method="post" action={ "/pengguna/" (id) "/aktif" } hx-boost="false" {
            input type="hidden" name="csrf" value=(ctx.csrf);
            input type="hidden" name=(forms::VERSION) value=(u["version"]);
            input type="hidden" name="aktif" value=(if active { "tidak" } else { "ya" });
            button type="submit" { (if active { "Nonaktifkan" } else { "Aktifkan" }) }
        }
        " "
        a href={ "/pengguna/" (id) "/kata-sandi" } { "Atur ulang kata sandi" }
    }
}

fn body(ctx: &Ctx, q: &Params, data: &Value, notice: Option<&str>) -> Markup {
    let conn = &data["users"];
    let rows: Vec<Markup> = super::nodes(conn)
        .into_iter()
        .map(|u| {
            html! { tr id={ "pengguna-" (text(&u["id"])) } {
                td { (text(&u["name"])) }
                td { (text(&u["email"])) }
                td { (lbl(Kind::Role, &u["role"])) }
                td { (text(&u["organization"]["name"])) }
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
        p { (conn["totalCount"]) " pengguna yang dapat Anda kelola" }
        (super::table("Pengguna", &["Nama", "E-mail", "Peran", "Organisasi", "Status", "Tindakan"], rows))
        (super::pager("/pengguna", q, conn))
    }
}

async fn load(ctx: &mut Ctx, q: &Params) -> Result<Value, Failure> {
    ctx.require_user()?;
    ctx.run(LIST, json!({ "after": param(q, "setelah") })).await
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
    let version = f.version();
    let active = f.value("aktif") == "ya";
    let vars = json!({ "id": id, "version": version, "input": { "active": active } });
    match f.submit(&mut ctx, UPDATE, vars, |_| None).await {
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
