//! The console's overview and follow-up pages update themselves when the record changes.

use super::*;
use crate::browser::Browser;
use crate::console::sign_in;
use crate::helpers::spawn_app;
use sea_orm::EntityTrait;

#[tokio::test]
async fn the_overview_shows_a_new_commitment_without_being_reloaded() {
    let app = spawn_app().await;
    app.load_demo().await;
    let Some(b) = Browser::start(1366, 768).await else {
        return;
    };
    sign_in(&b, &app, COORD, "/").await;
    b.wait_for_text("Ringkasan Kabupaten Pekalongan").await;
    b.wait_for_text("diperbarui otomatis").await;
    // The page listens: its EventSource is one subscription on the hub.
    subscribed(&app, 1).await;
    // A marker that only survives if the page is not loaded again.
    b.js("window.__tidakDimuatUlang = true; return true;").await;

    let member = app.token_for(MEMBER).await;
    let id = create(
        &app,
        &member,
        "33.26.02.2008",
        "Sumur bor Botosari",
        "COMMITTED",
    )
    .await;
    b.wait_for_text("Diperbarui otomatis pukul").await;
    let shown = b
        .js(&format!(
            "return document.querySelector('main a[href=\"/kontribusi/{id}\"]') !== null \
             && window.__tidakDimuatUlang === true;"
        ))
        .await;
    assert_eq!(
        shown,
        serde_json::Value::Bool(true),
        "the new commitment is in the recent changes, in the same page"
    );
    b.close().await;
}

#[tokio::test]
async fn the_follow_up_page_listens_for_action_items() {
    let app = spawn_app().await;
    app.load_demo().await;
    let Some(b) = Browser::start(1366, 768).await else {
        return;
    };
    // The admin's page follows every region, whichever meeting the item is from.
    sign_in(&b, &app, "admin@sinergi.demo", "/tindak-lanjut").await;
    b.wait_for_text("diperbarui otomatis").await;
    subscribed(&app, 1).await;
    let item = entity::action_item::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .expect("a demo action item");
    let token = app.token_for("admin@sinergi.demo").await;
    let res = app
        .gql_as(
            Some(&token),
            "mutation($id: ID!, $v: Int!) { setActionItemStatus(id: $id, version: $v, status: IN_PROGRESS, note: \"Sedang berjalan\") { status } }",
            json!({ "id": item.id, "v": item.version }),
        )
        .await;
    assert!(res.get("errors").is_none(), "{res}");
    b.wait_for_text("Diperbarui otomatis pukul").await;
    b.close().await;
}
