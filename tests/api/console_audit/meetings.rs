//! A rakor made in the console and over GraphQL: the meeting, its edit, a decision with action
//! items, and their follow-up, each compared by its audit trail.

use super::*;

pub(super) async fn meeting_writes(app: &TestApp) {
    let lampung = app.token_for(LAMPUNG).await;
    let bappeda = demo_id("bappeda-lampung");
    let dinsos = demo_id("dinsos-lampung");
    let bansos = demo_id("bansos-lampung");
    let m = console(
        app,
        &lampung,
        "/rapat/baru",
        &[
            ("clientKey", "audit-m"),
            ("judul", "Rakor evaluasi semester"),
            ("tingkat", "PROVINCE"),
            ("wilayah", "18"),
            ("tanggal", "2017-02-15"),
            ("penyelenggara", &bappeda),
            ("tempat", "Bandar Lampung"),
            ("agenda", "Evaluasi\nRencana"),
            ("notulen", "Sepakat"),
            ("peserta_0_organisasi", &dinsos),
            ("peserta_0_wakil", "Kepala Dinas"),
            ("program", &bansos),
            ("wilayah_terkait", "18.01"),
        ],
    )
    .await;
    let m = m.trim_start_matches("/rapat/").to_string();
    let input = json!({ "title": "Rakor evaluasi semester", "level": "PROVINCE", "regionCode": "18", "heldOn": "2017-02-15",
        "hostId": bappeda, "location": "Bandar Lampung", "agenda": ["Evaluasi", "Rencana"], "minutes": "Sepakat",
        "participants": [{ "organizationId": dinsos, "representative": "Kepala Dinas" }],
        "programIds": [bansos], "regionCodes": ["18.01"] });
    let a = gql(
        app,
        &lampung,
        "mutation($i: MeetingInput!) { createMeeting(input: $i) { id } }",
        json!({ "i": input }),
    )
    .await;
    let a = a["createMeeting"]["id"].as_str().unwrap().to_string();
    same_trail(app, &lampung, "meeting", &m, &a).await;

    console(
        app,
        &lampung,
        &format!("/rapat/{m}/ubah"),
        &[
            ("versi", "1"),
            ("judul", "Rakor evaluasi semester I"),
            ("tanggal", "2017-02-16"),
            ("tempat", "Bandar Lampung"),
            ("agenda", "Evaluasi"),
            ("notulen", "Sepakat bulat"),
            ("peserta_0_organisasi", &dinsos),
            ("peserta_0_wakil", "Kepala Dinas"),
        ],
    )
    .await;
    let patch = json!({ "title": "Rakor evaluasi semester I", "heldOn": "2017-02-16", "location": "Bandar Lampung",
        "agenda": ["Evaluasi"], "minutes": "Sepakat bulat",
        "participants": [{ "organizationId": dinsos, "representative": "Kepala Dinas" }] });
    gql(app, &lampung, "mutation($id: ID!, $p: MeetingPatch!) { updateMeeting(id: $id, version: 1, input: $p) { id } }", json!({ "id": a, "p": patch })).await;
    same_trail(app, &lampung, "meeting", &m, &a).await;

    console(
        app,
        &lampung,
        &format!("/rapat/{m}/keputusan"),
        &[
            ("clientKey", "audit-d"),
            ("teks_keputusan", "Tetapkan desa prioritas"),
            ("aksi_teks", "SK desa prioritas"),
            ("aksi_pelaksana", &dinsos),
            ("aksi_tenggat", "2017-03-31"),
            ("aksi_program", &bansos),
            ("aksi_wilayah", "18.01"),
        ],
    )
    .await;
    gql(app, &lampung, "mutation($m: ID!, $items: [ActionItemInput!]!) { addDecision(meetingId: $m, text: \"Tetapkan desa prioritas\", actionItems: $items) { id } }",
        json!({ "m": a, "items": [{ "text": "SK desa prioritas", "ownerId": dinsos, "dueOn": "2017-03-31", "programIds": [bansos], "regionCodes": ["18.01"] }] })).await;
    let ids = |id: String| {
        let token = lampung.clone();
        async move {
            let d = gql(
                app,
                &token,
                "query($id: ID!) { meeting(id: $id) { decisions { id actionItems { id } } } }",
                json!({ "id": id }),
            )
            .await;
            let d = &d["meeting"]["decisions"][0];
            let items = d["actionItems"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].as_str().unwrap().to_string())
                .collect::<Vec<_>>();
            (d["id"].as_str().unwrap().to_string(), items)
        }
    };
    let ((cd, ci), (ad, ai)) = (ids(m.clone()).await, ids(a.clone()).await);
    same_trail(app, &lampung, "decision", &cd, &ad).await;
    same_trail(app, &lampung, "action_item", &ci[0], &ai[0]).await;

    console(
        app,
        &lampung,
        &format!("/rapat/{m}/keputusan/{cd}/rencana-aksi"),
        &[
            ("clientKey", "audit-i"),
            ("aksi_teks", "Sosialisasi SK"),
            ("aksi_pelaksana", &bappeda),
            ("aksi_tenggat", "2017-04-30"),
        ],
    )
    .await;
    gql(app, &lampung, "mutation($d: ID!, $o: ID!) { addActionItem(decisionId: $d, input: {text: \"Sosialisasi SK\", ownerId: $o, dueOn: \"2017-04-30\"}) { id } }",
        json!({ "d": ad, "o": bappeda })).await;
    let ((_, ci), (_, ai)) = (ids(m.clone()).await, ids(a.clone()).await);
    same_trail(app, &lampung, "action_item", &ci[1], &ai[1]).await;

    console(
        app,
        &lampung,
        &format!("/rapat/{m}/rencana-aksi/{}/ubah", ci[1]),
        &[
            ("versi", "1"),
            ("aksi_teks", "Sosialisasi SK ke kabupaten"),
            ("aksi_pelaksana", &dinsos),
            ("aksi_tenggat", "2017-05-31"),
        ],
    )
    .await;
    gql(app, &lampung, "mutation($id: ID!, $o: ID!) { updateActionItem(id: $id, version: 1, input: {text: \"Sosialisasi SK ke kabupaten\", ownerId: $o, dueOn: \"2017-05-31\"}) { id } }",
        json!({ "id": ai[1], "o": dinsos })).await;
    same_trail(app, &lampung, "action_item", &ci[1], &ai[1]).await;

    console(
        app,
        &lampung,
        &format!("/rapat/{m}/rencana-aksi/{}", ci[0]),
        &[
            ("versi", "1"),
            ("status", "IN_PROGRESS"),
            ("catatan", "Draf disusun"),
        ],
    )
    .await;
    gql(app, &lampung, "mutation($id: ID!) { setActionItemStatus(id: $id, version: 1, status: IN_PROGRESS, note: \"Draf disusun\") { id } }", json!({ "id": ai[0] })).await;
    same_trail(app, &lampung, "action_item", &ci[0], &ai[0]).await;
    console(
        app,
        &lampung,
        &format!("/rapat/{m}/rencana-aksi/{}", ci[0]),
        &[
            ("versi", "2"),
            ("status", "IN_PROGRESS"),
            ("catatan", "Menunggu tanda tangan"),
        ],
    )
    .await;
    gql(app, &lampung, "mutation($id: ID!) { addActionItemProgress(id: $id, version: 2, note: \"Menunggu tanda tangan\") { id } }", json!({ "id": ai[0] })).await;
    same_trail(app, &lampung, "action_item", &ci[0], &ai[0]).await;
}
