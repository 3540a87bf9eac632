//! Users and passwords in the console: a coordinator adds a member of an organization in its
//! region, deactivates another (who then cannot sign in) and resets a third's password; that user
//! is sent to `/kata-sandi` after signing in, cannot use other pages until done, and then signs in
//! with the new password. A member opening `/pengguna/baru` by URL is refused and nothing changes.

use super::*;
use crate::console::{demo_app, sign_in};
use crate::helpers::{PASSWORD, count_rows};
use sinergi::services::demo::demo_id;

const DESA: &str = "desa@botosari.demo";

async fn user(app: &TestApp, email: &str) -> entity::user::Model {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    entity::user::Entity::find()
        .filter(entity::user::Column::Email.eq(email))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no user {email}"))
}

async fn can_sign_in(app: &TestApp, email: &str, password: &str) -> bool {
    let res = app
        .gql_as(
            None,
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
            json!({ "e": email, "p": password }),
        )
        .await;
    res["data"]["login"]["token"].is_string()
}

#[tokio::test]
async fn a_coordinator_manages_users_and_a_reset_password_is_replaced_at_sign_in() {
    let app = demo_app().await;
    let Some(b) = Browser::start(1280, 900).await else {
        return;
    };
    let dinsos = user(&app, "skpd@pekalongan.demo")
        .await
        .organization_id
        .unwrap();
    sign_in(&b, &app, COORDINATOR, "/pengguna").await;
    b.wait_for_text("pengguna yang dapat Anda kelola").await;
    b.click_link("Tambah pengguna").await;
    b.wait_for_path("/pengguna/baru").await;
    fits(&b, "/pengguna/baru").await;
    b.fill("#email", "staf.baru@pekalongan.demo").await;
    b.fill("#nama", "Staf Baru Dinsos").await;
    choose(&b, "#peran", "MEMBER").await;
    choose(&b, "#organisasi", &dinsos).await;
    b.fill("#kata_sandi", "awal-yang-panjang").await;
    submit(&b, "#form-pengguna").await;
    // The form's own path starts with /pengguna too: wait for the list itself.
    b.wait_for_text("pengguna yang dapat Anda kelola").await;
    b.wait_for_text("staf.baru@pekalongan.demo").await;
    let added = user(&app, "staf.baru@pekalongan.demo").await;
    assert_eq!(added.organization_id.as_deref(), Some(dinsos.as_str()));

    let csr = demo_id(CSR);
    b.click(&format!("#pengguna-{csr} form button")).await;
    let status = format!("document.querySelector('#pengguna-{csr} td:nth-child(5)')?.innerText");
    wait_until(&b, &format!("return {status} === 'Nonaktif'")).await;
    assert!(!user(&app, CSR).await.active);
    assert!(!can_sign_in(&app, CSR, PASSWORD).await);

    b.open(&app.url(&format!("/pengguna/{}/kata-sandi", demo_id(DESA))))
        .await;
    b.fill("#kata_sandi", "sementara-dari-koordinator").await;
    submit(&b, "#form-atur-ulang").await;
    b.wait_for_text("pengguna yang dapat Anda kelola").await;
    assert!(user(&app, DESA).await.must_change_password);

    b.client.delete_all_cookies().await.unwrap();
    b.open(&app.url("/masuk")).await;
    b.fill("#email", DESA).await;
    b.fill("#password", "sementara-dari-koordinator").await;
    b.click("form[action='/masuk'] button[type=submit]").await;
    b.wait_for_path("/kata-sandi").await;
    b.wait_for_text("Pilih kata sandi baru sebelum melanjutkan")
        .await;
    b.open(&app.url("/kontribusi")).await;
    b.wait_for_path("/kata-sandi").await;
    b.fill("#sekarang", "sementara-dari-koordinator").await;
    b.fill("#baru", "pilihan-saya-sendiri").await;
    submit(&b, "#form-kata-sandi").await;
    // Every path starts with "/": wait for the overview itself.
    wait_until(&b, "return location.pathname === '/'").await;
    b.open(&app.url("/kontribusi")).await;
    b.wait_for_path("/kontribusi").await;
    assert!(!user(&app, DESA).await.must_change_password);
    assert!(can_sign_in(&app, DESA, "pilihan-saya-sendiri").await);
    assert!(!can_sign_in(&app, DESA, "sementara-dari-koordinator").await);
    b.close().await;
    app.stop().await;
}

#[tokio::test]
async fn a_member_cannot_add_users_and_nothing_changes() {
    let app = demo_app().await;
    let skpd = app.token_for("skpd@pekalongan.demo").await;
    let users = count_rows(&app.db, "users").await;
    let res = reqwest::Client::new()
        .get(app.url("/pengguna/baru"))
        .header("Cookie", format!("sinergi_sesi={skpd}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let dinsos = user(&app, "skpd@pekalongan.demo")
        .await
        .organization_id
        .unwrap();
    let fields = [
        ("email", "penyusup@pekalongan.demo"),
        ("nama", "Penyusup"),
        ("peran", "MEMBER"),
        ("organisasi", dinsos.as_str()),
        ("kata_sandi", "panjang-sekali-123"),
    ];
    let res = post_form(&app, &skpd, "/pengguna/baru", &fields).await;
    assert_eq!(res.status(), 403);
    let res = post_form(
        &app,
        &skpd,
        &format!("/pengguna/{}/aktif", demo_id(CSR)),
        &[("versi", "1"), ("aktif", "tidak")],
    )
    .await;
    assert_eq!(res.status(), 403);
    assert_eq!(count_rows(&app.db, "users").await, users);
    assert!(user(&app, CSR).await.active);
    app.stop().await;
}

/// "Lihat GraphQL" shows the documents a password page ran, never the password: not after a
/// wrong sign-in, a refused change of one's own password, a refused new user or a refused reset.
#[tokio::test]
async fn lihat_graphql_never_shows_a_password() {
    let app = demo_app().await;
    let secret = "rahasia-9x7q-tidak-boleh-tampak";
    let short = "rhs9x7q";
    let shown = |page: &str, document: &str| {
        assert!(page.contains(document), "the document is shown: {page}");
        assert!(page.contains("•••"), "its variables are hidden: {page}");
        for pw in [secret, short, PASSWORD] {
            assert!(!page.contains(pw), "no password in the page: {page}");
        }
    };

    let res = super::send_form(
        &app,
        &format!("sinergi_csrf={CSRF}"),
        "/masuk",
        format!("csrf={CSRF}&kembali=%2F&email={COORDINATOR}&password={secret}"),
    )
    .await;
    assert_eq!(res.status(), 401);
    shown(&res.text().await.unwrap(), "login(email");

    let coordinator = app.token_for(COORDINATOR).await;
    let own = [("sekarang", secret), ("baru", "baru-yang-panjang-sekali")];
    let res = post_form(&app, &coordinator, "/kata-sandi", &own).await;
    assert_eq!(res.status(), 422);
    shown(&res.text().await.unwrap(), "changeOwnPassword");

    let dinsos = user(&app, "skpd@pekalongan.demo")
        .await
        .organization_id
        .unwrap();
    let fields = [
        ("email", "staf.lain@pekalongan.demo"),
        ("nama", "Staf Lain"),
        ("peran", "MEMBER"),
        ("organisasi", dinsos.as_str()),
        ("kata_sandi", short),
    ];
    let res = post_form(&app, &coordinator, "/pengguna/baru", &fields).await;
    assert_eq!(res.status(), 422);
    shown(&res.text().await.unwrap(), "createUser");

    let desa = user(&app, DESA).await;
    let version = desa.version.to_string();
    let reset = [("versi", version.as_str()), ("kata_sandi", short)];
    let path = format!("/pengguna/{}/kata-sandi", desa.id);
    let res = post_form(&app, &coordinator, &path, &reset).await;
    assert_eq!(res.status(), 422);
    shown(&res.text().await.unwrap(), "updateUser");
    app.stop().await;
}
