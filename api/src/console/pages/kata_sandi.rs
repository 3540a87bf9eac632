//! Kata sandi: any signed-in user changes their own password (`changeOwnPassword`). A user whose
//! password someone else set is sent here after signing in, and every other console page sends
//! them back here until they have chosen their own (see `page::Ctx`).

use crate::console::documents::{self as doc, GantiKataSandi};
use crate::console::forms::fields::{self as ui, field};
use crate::console::forms::{self, Form};
use crate::console::page::Ctx;
use axum::body::Bytes;
use axum::response::Response;
use maud::{Markup, html};

/// Where a user who must change the password is sent.
pub use crate::console::page::PASSWORD_PATH as PATH;

fn body(ctx: &Ctx, f: &Form) -> Markup {
    let must = ctx.user().is_some_and(|u| u.must_change_password);
    html! {
        h1 { "Ganti kata sandi" }
        @if must {
            p.note role="status" #wajib-ganti {
                "Kata sandi Anda diatur oleh orang lain. Pilih kata sandi baru sebelum melanjutkan."
            }
        }
        (ui::form(ctx, f, PATH, "form-kata-sandi", html! {
            (ui::input(f, field("sekarang", "Kata sandi sekarang").required(), "password"))
            (ui::input(f, field("baru", "Kata sandi baru").required().hint("Minimal 10 karakter, berbeda dari yang sekarang"), "password"))
            (ui::submit("Simpan kata sandi"))
        }))
    }
}

/// `GET /kata-sandi`.
pub async fn form(ctx: Ctx) -> Response {
    if let Err(e) = ctx.require_user() {
        return ctx.fail(e);
    }
    let f = Form::new();
    let b = body(&ctx, &f);
    forms::answer(&ctx, &f, "Ganti kata sandi", b)
}

/// `POST /kata-sandi`: `changeOwnPassword`, then to the overview.
pub async fn change(mut ctx: Ctx, posted: Bytes) -> Response {
    let mut f = match Form::read(&ctx, &posted) {
        Ok(f) => f,
        Err(refused) => return *refused,
    };
    if let Err(e) = ctx.require_user() {
        return ctx.fail(e);
    }
    let vars = doc::ganti_kata_sandi::Variables {
        current: f.required("sekarang").unwrap_or_default(),
        new: f.required("baru").unwrap_or_default(),
    };
    let map = forms::field_map(&[("current", "sekarang"), ("new", "baru")]);
    // Passwords are never echoed back, neither in the form nor in "Lihat GraphQL" (its
    // variables are hidden).
    let result = f.send_secret::<GantiKataSandi>(&mut ctx, vars, map).await;
    f.set("sekarang", "");
    f.set("baru", "");
    match result {
        Ok(Some(_)) => forms::done(&ctx, "/"),
        Ok(None) => {
            let b = body(&ctx, &f);
            forms::answer(&ctx, &f, "Ganti kata sandi", b)
        }
        Err(e) => ctx.fail(e),
    }
}
