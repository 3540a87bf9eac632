//! Village indicators recorded in the console and over GraphQL, then edited, each compared by
//! its audit trail.

use super::*;

pub(super) async fn indicator_writes(app: &TestApp) {
    use sea_orm::{ConnectionTrait, Statement};
    let pekalongan = app.token_for("koordinator@pekalongan.demo").await;
    let other = "33.26.02.2014";
    let id_of = |code: &'static str| async move {
        app.db
            .query_one_raw(Statement::from_string(
                app.db.get_database_backend(),
                format!("SELECT id FROM village_indicators WHERE village_code = '{code}' AND fiscal_year = 2027"),
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get::<String>("", "id")
            .unwrap()
    };
    let fields = [
        ("sumber", "BPS"),
        ("per_tanggal", "2027-03-31"),
        ("rtm", "97"),
        ("desil_1", "10"),
        ("desil_2", "20"),
        ("desil_3", "30"),
        ("desil_4", "40"),
        ("prevalensi", "7,5"),
        ("status_idm", "DEVELOPING"),
        ("prioritas", "ya"),
    ];
    console(
        app,
        &pekalongan,
        &format!("/wilayah/{BOTOSARI}/indikator?tahun=2027"),
        &fields,
    )
    .await;
    let input = |code: &str| {
        json!({ "villageCode": code, "fiscalYear": 2027, "source": "BPS", "asOf": "2027-03-31",
        "poorHouseholds": 97, "householdsByDecile": [10, 20, 30, 40], "stuntingPrevalence": 7.5,
        "idmStatus": "DEVELOPING", "priority": true })
    };
    gql(
        app,
        &pekalongan,
        "mutation($i: VillageIndicatorsInput!) { setVillageIndicators(input: $i) { version } }",
        json!({ "i": input(other) }),
    )
    .await;
    let (c, a) = (id_of(BOTOSARI).await, id_of(other).await);
    same_trail(app, &pekalongan, "village_indicator", &c, &a).await;

    let mut edit = fields.to_vec();
    edit.retain(|(k, _)| *k != "rtm");
    edit.extend([("rtm", "90"), ("versi", "1")]);
    console(
        app,
        &pekalongan,
        &format!("/wilayah/{BOTOSARI}/indikator?tahun=2027"),
        &edit,
    )
    .await;
    let mut changed = input(other);
    changed["poorHouseholds"] = json!(90);
    gql(app, &pekalongan, "mutation($i: VillageIndicatorsInput!) { setVillageIndicators(input: $i, version: 1) { version } }", json!({ "i": changed })).await;
    same_trail(app, &pekalongan, "village_indicator", &c, &a).await;
}
