//! A user account made in the console and over GraphQL: added, deactivated and given a new
//! password, each compared by its audit trail.

use super::*;

pub(super) async fn user_writes(app: &TestApp) {
    let pekalongan = app.token_for("koordinator@pekalongan.demo").await;
    let org = demo_id("dinsos-pekalongan");
    let add = |email: &'static str| {
        [
            ("clientKey", email),
            ("email", email),
            ("nama", "Staf Dinsos"),
            ("peran", "MEMBER"),
            ("organisasi", org.as_str()),
            ("kata_sandi", "awal-yang-panjang"),
        ]
    };
    console(
        app,
        &pekalongan,
        "/pengguna/baru",
        &add("konsol@pekalongan.demo"),
    )
    .await;
    let input = json!({ "email": "api@pekalongan.demo", "name": "Staf Dinsos", "role": "MEMBER",
        "organizationId": org, "password": "awal-yang-panjang" });
    let a = gql(
        app,
        &pekalongan,
        "mutation($i: UserInput!) { createUser(input: $i) { id } }",
        json!({ "i": input }),
    )
    .await;
    let a = a["createUser"]["id"].as_str().unwrap().to_string();
    let c = {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        entity::user::Entity::find()
            .filter(entity::user::Column::Email.eq("konsol@pekalongan.demo"))
            .one(&app.db)
            .await
            .unwrap()
            .expect("the console's user")
            .id
    };
    same_trail(app, &pekalongan, "user", &c, &a).await;

    console(
        app,
        &pekalongan,
        &format!("/pengguna/{c}/aktif"),
        &[("versi", "1"), ("aktif", "tidak")],
    )
    .await;
    gql(
        app,
        &pekalongan,
        "mutation($id: ID!) { updateUser(id: $id, version: 1, input: {active: false}) { id } }",
        json!({ "id": a }),
    )
    .await;
    same_trail(app, &pekalongan, "user", &c, &a).await;

    let reset = [("versi", "2"), ("kata_sandi", "sementara-yang-panjang")];
    console(
        app,
        &pekalongan,
        &format!("/pengguna/{c}/kata-sandi"),
        &reset,
    )
    .await;
    gql(app, &pekalongan, "mutation($id: ID!) { updateUser(id: $id, version: 2, input: {password: \"sementara-yang-panjang\"}) { id } }", json!({ "id": a })).await;
    same_trail(app, &pekalongan, "user", &c, &a).await;
}
