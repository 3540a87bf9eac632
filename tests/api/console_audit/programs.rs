//! A program made in the console and over GraphQL: create, edit, and a synergy proposed, agreed
//! and dropped, each compared by its audit trail.

use super::*;

pub(super) async fn program_writes(app: &TestApp) {
    let pekalongan = app.token_for("koordinator@pekalongan.demo").await;
    let bappeda = demo_id("bappeda-pekalongan");
    let p = console(
        app,
        &pekalongan,
        "/program/baru",
        &[
            ("clientKey", "audit-p"),
            ("nama", "Dapur sehat"),
            ("pemilik", &bappeda),
            ("klaster", "SOCIAL_ASSISTANCE"),
            ("tahun_mulai", "2025"),
            ("tahun_akhir", "2026"),
            ("strategi", "REDUCE_SPENDING_BURDEN"),
            ("kelompok_sasaran", "TODDLERS"),
            ("tahap_0_nama", "Rintisan"),
            ("tahap_0_tahun", "2025"),
            ("target_0_tahun", "2025"),
            ("target_0_satuan", "keluarga"),
            ("target_0_jumlah", "40"),
            ("desa", BOTOSARI),
        ],
    )
    .await;
    let p = p.trim_start_matches("/program/").to_string();
    let input = json!({ "name": "Dapur sehat", "ownerId": bappeda, "cluster": "SOCIAL_ASSISTANCE", "startYear": 2025,
        "endYear": 2026, "strategies": ["REDUCE_SPENDING_BURDEN"], "targetGroups": ["TODDLERS"],
        "phases": [{ "name": "Rintisan", "fiscalYear": 2025 }], "targets": [{ "fiscalYear": 2025, "unit": "keluarga", "target": 40 }],
        "villageCodes": [BOTOSARI] });
    let a = gql(
        app,
        &pekalongan,
        "mutation($i: ProgramInput!) { createProgram(input: $i) { id } }",
        json!({ "i": input }),
    )
    .await;
    let a = a["createProgram"]["id"].as_str().unwrap().to_string();
    same_trail(app, &pekalongan, "program", &p, &a).await;

    console(
        app,
        &pekalongan,
        &format!("/program/{p}/ubah"),
        &[
            ("versi", "1"),
            ("nama", "Dapur sehat atasi stunting"),
            ("klaster", "SOCIAL_ASSISTANCE"),
            ("tahun_mulai", "2025"),
            ("tahun_akhir", "2027"),
            ("kelompok_sasaran", "TODDLERS"),
            ("target_0_tahun", "2026"),
            ("target_0_satuan", "keluarga"),
            ("target_0_jumlah", "60"),
            ("target_0_realisasi", "10"),
        ],
    )
    .await;
    let patch = json!({ "name": "Dapur sehat atasi stunting", "cluster": "SOCIAL_ASSISTANCE", "startYear": 2025,
        "endYear": 2027, "strategies": [], "targetGroups": ["TODDLERS"], "phases": [],
        "targets": [{ "fiscalYear": 2026, "unit": "keluarga", "target": 60, "realised": 10 }], "villageCodes": [] });
    gql(app, &pekalongan, "mutation($id: ID!, $p: ProgramPatch!) { updateProgram(id: $id, version: 1, input: $p) { id } }", json!({ "id": a, "p": patch })).await;
    same_trail(app, &pekalongan, "program", &p, &a).await;

    let rtlh = demo_id("rtlh");
    console(
        app,
        &pekalongan,
        &format!("/program/{p}/sinergi/baru"),
        &[
            ("clientKey", "audit-s"),
            ("program_lain", &rtlh),
            ("hubungan", "CO_FINANCES"),
            ("klaster", "SOCIAL_ASSISTANCE"),
            ("catatan", "Dibiayai bersama"),
        ],
    )
    .await;
    gql(app, &pekalongan, "mutation($a: ID!, $b: ID!) { proposeSynergy(input: {programAId: $a, programBId: $b, relation: CO_FINANCES, cluster: SOCIAL_ASSISTANCE, note: \"Dibiayai bersama\"}) { id } }",
        json!({ "a": a, "b": rtlh })).await;
    let synergy = |id: String| {
        let token = pekalongan.clone();
        async move {
            let d = gql(
                app,
                &token,
                "query($id: ID!) { program(id: $id) { synergies { id } } }",
                json!({ "id": id }),
            )
            .await;
            d["program"]["synergies"][0]["id"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let (cs, as_) = (synergy(p.clone()).await, synergy(a.clone()).await);
    same_trail(app, &pekalongan, "synergy", &cs, &as_).await;

    let rakor = demo_id("rakor-pekalongan-2025");
    console(
        app,
        &pekalongan,
        &format!("/program/{p}/sinergi/{cs}/sepakati"),
        &[("versi", "1"), ("rapat", &rakor)],
    )
    .await;
    gql(
        app,
        &pekalongan,
        "mutation($id: ID!, $m: ID) { agreeSynergy(id: $id, version: 1, meetingId: $m) { id } }",
        json!({ "id": as_, "m": rakor }),
    )
    .await;
    same_trail(app, &pekalongan, "synergy", &cs, &as_).await;
    console(
        app,
        &pekalongan,
        &format!("/program/{p}/sinergi/{cs}/batalkan"),
        &[("versi", "2"), ("catatan", "Anggaran dialihkan")],
    )
    .await;
    gql(app, &pekalongan, "mutation($id: ID!) { dropSynergy(id: $id, version: 2, note: \"Anggaran dialihkan\") { id } }", json!({ "id": as_ })).await;
    same_trail(app, &pekalongan, "synergy", &cs, &as_).await;
}
