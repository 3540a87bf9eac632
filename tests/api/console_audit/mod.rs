//! A write made in the console leaves exactly the audit rows the same mutation leaves over
//! GraphQL: each kind of console write is made twice, once by posting the console's form and once
//! through `/graphql` with the same values, and the two records' audit trails must match (who, for
//! which organization, what, before and after), apart from the records' own ids and times.

use crate::console::demo_app;
use crate::console_writes::{location, post_form};
use crate::helpers::TestApp;
use serde_json::{Value, json};
use sinergi::services::demo::demo_id;

const CSR: &str = "csr@pekalongan.demo";
const LAMPUNG: &str = "koordinator@lampung.demo";
const BOTOSARI: &str = "33.26.02.2008";

/// Keys that differ between two records made the same way: their ids, parents and times.
const OWN: &[&str] = &[
    "id",
    "created_at",
    "updated_at",
    "contribution_id",
    "meeting_id",
    "decision_id",
    "program_id",
    "program_a_id",
    // Indicators are keyed by (village, year): the two writes below record two villages.
    "village_code",
    // User accounts are unique by e-mail: the two writes below add two accounts.
    "email",
];

fn normalized(json: Option<&str>) -> Value {
    let Some(text) = json else {
        return Value::Null;
    };
    let mut v: Value = serde_json::from_str(text).expect("audit JSON");
    if let Some(o) = v.as_object_mut() {
        for k in OWN {
            o.remove(*k);
        }
    }
    v
}

/// The audit rows of a record as the database holds them, oldest first, without ids and times.
async fn rows(app: &TestApp, entity: &str, id: &str) -> Vec<Value> {
    use entity::audit_log::{Column, Entity};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    Entity::find()
        .filter(Column::Entity.eq(entity))
        .filter(Column::EntityId.eq(id))
        .order_by_asc(Column::At)
        .order_by_asc(Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            json!({
                "actor": r.actor_user_id, "organization": r.actor_organization_id,
                "entity": r.entity, "action": r.action,
                "before": normalized(r.before.as_deref()), "after": normalized(r.after.as_deref()),
            })
        })
        .collect()
}

/// The record's trail as `auditTrail` answers it.
async fn trail(app: &TestApp, token: &str, entity: &str, id: &str) -> Vec<Value> {
    let res = app
        .gql_as(
            Some(token),
            "query($e: String!, $id: ID!) { auditTrail(entity: $e, id: $id) { actor { name } organization { name } entity action before after } }",
            json!({ "e": entity, "id": id }),
        )
        .await;
    res["data"]["auditTrail"]
        .as_array()
        .unwrap_or_else(|| panic!("{res}"))
        .iter()
        .map(|e| {
            json!({
                "actor": e["actor"], "organization": e["organization"], "entity": e["entity"],
                "action": e["action"], "before": normalized(e["before"].as_str()),
                "after": normalized(e["after"].as_str()),
            })
        })
        .collect()
}

/// The console's record and the API's have the same audit trail, both in `auditTrail` (for the
/// entities it serves) and in the table.
async fn same_trail(app: &TestApp, token: &str, entity: &str, console: &str, api: &str) {
    let (c, a) = (
        rows(app, entity, console).await,
        rows(app, entity, api).await,
    );
    assert!(!c.is_empty(), "the console's {entity} write is audited");
    assert_eq!(c, a, "{entity}: console {console} vs GraphQL {api}");
    if !matches!(entity, "decision" | "contribution_transaction") {
        let (c, a) = (
            trail(app, token, entity, console).await,
            trail(app, token, entity, api).await,
        );
        assert_eq!(c.len(), rows(app, entity, console).await.len());
        assert_eq!(c, a, "auditTrail of {entity}");
    }
}

async fn gql(app: &TestApp, token: &str, query: &str, vars: Value) -> Value {
    let res = app.gql_as(Some(token), query, vars).await;
    assert!(res.get("errors").is_none(), "{res:#}");
    res["data"].clone()
}

async fn console(app: &TestApp, token: &str, path: &str, fields: &[(&str, &str)]) -> String {
    let res = post_form(app, token, path, fields).await;
    let status = res.status();
    if status != 303 {
        panic!("{path}: {status}\n{}", res.text().await.unwrap());
    }
    location(&res)
}

async fn first_transaction(app: &TestApp, token: &str, id: &str) -> String {
    let d = gql(
        app,
        token,
        "query($id: ID!) { contribution(id: $id) { transactions { id } } }",
        json!({ "id": id }),
    )
    .await;
    d["contribution"]["transactions"][0]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn contribution_writes(app: &TestApp) {
    let csr = app.token_for(CSR).await;
    let fields = [
        ("clientKey", "audit-1"),
        ("judul", "Pelatihan membatik lanjutan"),
        ("wilayah", BOTOSARI),
        ("program", &demo_id("umkm-batik")),
        ("sumber", "CSR"),
        ("jenis", "CASH"),
        ("kelompok_sasaran", "WOMEN"),
        ("penerima_manfaat", "30"),
        ("tahun", "2025"),
        ("rencana", "Rp 80.000.000"),
        ("status", "PLANNED"),
        ("deskripsi", "Untuk 30 perempuan pengrajin"),
    ];
    let c = console(app, &csr, "/kontribusi/baru", &fields).await;
    let c = c.trim_start_matches("/kontribusi/").to_string();
    let input = json!({ "source": "CSR", "kind": "CASH", "regionCode": BOTOSARI, "programId": demo_id("umkm-batik"),
        "fiscalYear": 2025, "title": "Pelatihan membatik lanjutan", "description": "Untuk 30 perempuan pengrajin",
        "targetGroup": "WOMEN", "beneficiaries": 30, "amountPlanned": "80000000", "status": "PLANNED" });
    let a = gql(
        app,
        &csr,
        "mutation($i: ContributionInput!) { createContribution(input: $i) { id } }",
        json!({ "i": input }),
    )
    .await;
    let a = a["createContribution"]["id"].as_str().unwrap().to_string();
    same_trail(app, &csr, "contribution", &c, &a).await;

    let mut edit: Vec<(&str, &str)> = fields[1..11].to_vec();
    edit.retain(|(k, _)| *k != "status");
    edit.extend([
        ("versi", "1"),
        ("komitmen", "75.000.000"),
        ("rencana", "90.000.000"),
    ]);
    console(app, &csr, &format!("/kontribusi/{c}/ubah"), &edit).await;
    let patch = json!({ "regionCode": BOTOSARI, "programId": demo_id("umkm-batik"), "fiscalYear": 2025,
        "title": "Pelatihan membatik lanjutan", "description": "", "targetGroup": "WOMEN", "beneficiaries": 30,
        "amountPlanned": "90000000", "amountCommitted": "75000000", "source": "CSR", "kind": "CASH" });
    gql(app, &csr, "mutation($id: ID!, $p: ContributionPatch!) { updateContribution(id: $id, version: 1, input: $p) { id } }", json!({ "id": a, "p": patch })).await;
    same_trail(app, &csr, "contribution", &c, &a).await;

    console(
        app,
        &csr,
        &format!("/kontribusi/{c}/status"),
        &[("versi", "2"), ("status", "COMMITTED")],
    )
    .await;
    gql(app, &csr, "mutation($id: ID!) { setContributionStatus(id: $id, version: 2, status: COMMITTED) { id } }", json!({ "id": a })).await;
    same_trail(app, &csr, "contribution", &c, &a).await;

    console(
        app,
        &csr,
        &format!("/kontribusi/{c}/transaksi"),
        &[
            ("versi", "3"),
            ("clientKey", "audit-tx"),
            ("jenis_transaksi", "DISBURSEMENT"),
            ("nilai", "25.000.000"),
            ("tanggal", "2025-04-01"),
            ("catatan", "Tahap 1"),
        ],
    )
    .await;
    gql(app, &csr, "mutation($id: ID!) { addContributionTransaction(contributionId: $id, version: 3, input: {type: DISBURSEMENT, amount: \"25000000\", date: \"2025-04-01\", note: \"Tahap 1\"}) { id } }", json!({ "id": a })).await;
    same_trail(app, &csr, "contribution", &c, &a).await;
    same_trail(
        app,
        &csr,
        "contribution_transaction",
        &first_transaction(app, &csr, &c).await,
        &first_transaction(app, &csr, &a).await,
    )
    .await;

    console(
        app,
        &csr,
        &format!("/kontribusi/{c}/batal"),
        &[("versi", "4"), ("yakin", "ya")],
    )
    .await;
    gql(
        app,
        &csr,
        "mutation($id: ID!) { cancelContribution(id: $id, version: 4) { id } }",
        json!({ "id": a }),
    )
    .await;
    same_trail(app, &csr, "contribution", &c, &a).await;
}

async fn meeting_writes(app: &TestApp) {
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

async fn program_writes(app: &TestApp) {
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

#[tokio::test]
async fn every_console_write_leaves_the_audit_rows_of_the_same_graphql_mutation() {
    let app = demo_app().await;
    contribution_writes(&app).await;
    meeting_writes(&app).await;
    program_writes(&app).await;
    indicator_writes(&app).await;
    user_writes(&app).await;
}

async fn user_writes(app: &TestApp) {
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

async fn indicator_writes(app: &TestApp) {
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

/// A member's contribution, as the queue would get it: two made alike, one per way of deciding.
async fn submitted_pair(app: &TestApp, member: &str, title: &str) -> (String, String) {
    let input = json!({ "source": "APBD_REGENCY", "kind": "CASH", "regionCode": BOTOSARI,
        "programId": demo_id("rtlh"), "fiscalYear": 2025, "title": title,
        "amountPlanned": "30000000", "amountCommitted": "30000000", "status": "COMMITTED" });
    let mut ids = Vec::new();
    for _ in 0..2 {
        let d = gql(
            app,
            member,
            "mutation($i: ContributionInput!) { createContribution(input: $i) { id } }",
            json!({ "i": input }),
        )
        .await;
        ids.push(d["createContribution"]["id"].as_str().unwrap().to_string());
    }
    (ids[0].clone(), ids[1].clone())
}

#[tokio::test]
async fn verifying_and_returning_in_the_console_leave_the_audit_rows_of_the_same_mutations() {
    let app = demo_app().await;
    let member = app.token_for("skpd@pekalongan.demo").await;
    let coordinator = app.token_for("koordinator@pekalongan.demo").await;

    let (c, a) = submitted_pair(&app, &member, "Jamban sehat tahap 2").await;
    let to = console(
        &app,
        &coordinator,
        &format!("/verifikasi/kontribusi/{c}/verifikasi"),
        &[("versi", "1")],
    )
    .await;
    assert_eq!(to, "/verifikasi");
    gql(
        &app,
        &coordinator,
        "mutation($id: ID!) { verifyContribution(id: $id, version: 1) { id } }",
        json!({ "id": a }),
    )
    .await;
    same_trail(&app, &coordinator, "contribution", &c, &a).await;

    let note = "Lampirkan SK bupati untuk nilai komitmen ini";
    let (c, a) = submitted_pair(&app, &member, "Jamban sehat tahap 3").await;
    console(
        &app,
        &coordinator,
        &format!("/verifikasi/kontribusi/{c}/kembalikan"),
        &[("versi", "1"), ("catatan", note)],
    )
    .await;
    gql(&app, &coordinator, "mutation($id: ID!, $n: String!) { returnContribution(id: $id, version: 1, note: $n) { id } }", json!({ "id": a, "n": note })).await;
    same_trail(&app, &coordinator, "contribution", &c, &a).await;
}
