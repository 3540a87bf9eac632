//! A contribution's whole life made in the console and over GraphQL: create, edit, status,
//! a transaction and cancel, each compared by its audit trail.

use super::*;

pub(super) async fn contribution_writes(app: &TestApp) {
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
