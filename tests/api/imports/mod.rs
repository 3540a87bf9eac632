//! Spreadsheet import of contributions (issue 6), over HTTP (`POST /imports/contributions`) and the
//! command line (`sinergi import contributions`): clean CSV and XLSX files, one bad row of each kind
//! (every failing case leaves every table exactly as it was), a re-import that changes nothing, an
//! edit that updates one row, a dry run, permissions, and the templates.

mod contributions;
mod indicators;
mod organizations;
mod programs;
mod refusals;

use crate::helpers::{TestApp, count_rows, spawn_app};
use clap::Parser;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use std::io::Write;

pub(super) const CSV: &str = "text/csv";
pub(super) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub(super) const ADMIN: &str = "admin@sinergi.demo";
pub(super) const MEMBER: &str = "skpd@pekalongan.demo";
pub(super) const COORDINATOR: &str = "koordinator@pekalongan.demo";

/// Every table an import could touch (and a few it must not).
pub(super) const TABLES: [&str; 8] = [
    "contributions",
    "contribution_transactions",
    "audit_log",
    "organizations",
    "programs",
    "regions",
    "users",
    "client_keys",
];

/// A member's clean file: its own organization (empty contributor), Indonesian headers and labels,
/// a dotted code, an undotted code, and a village name under the regency given in the query.
pub(super) const MEMBER_FILE: &str = "\
kunci,sumber_dana,jenis,kode_wilayah,tahun_anggaran,judul,rencana,komitmen,status,kelompok_sasaran
DS-1,APBD Kabupaten,Tunai,33.26.02.2008,2026,Bantuan bibit,150.000.000,0,Rencana,Rumah Tangga Miskin
DS-2,APBD_REGENCY,CASH,3326022014,2026,Jambanisasi,75000000,75000000,COMMITTED,
DS-3,APBD Kabupaten,Barang,Sawangan,2026,Paket sembako,10000000,,,Umum
";

/// Two good rows for an admin, English headers, naming the contributor; `{bad}` is replaced by a
/// third row.
pub(super) const ADMIN_FILE: &str = "\
key,contributor,source,kind,region_code,fiscal_year,title,amount_planned,amount_committed
A-1,Dinas Sosial Kabupaten Pekalongan,APBD_REGENCY,CASH,33.26.02.2008,2026,Pelatihan,5000000,0
A-2,PT Batik Pesisir Lestari (contoh),CSR,IN_KIND,33.26.02.2014,2026,Mesin jahit,20000000,20000000
";

/// Row counts of [`TABLES`].
pub(super) async fn counts(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for t in TABLES {
        out.push(count_rows(&app.db, t).await);
    }
    out
}

/// Every contribution's id, version, amounts, title and key.
pub(super) async fn snapshot(app: &TestApp) -> Vec<String> {
    let rows = app
        .db
        .query_all_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT id, version, amount_planned, amount_committed, title, region_code, external_key FROM contributions ORDER BY id",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|r| {
            format!(
                "{}|{}|{}|{}|{}|{}|{:?}",
                r.try_get::<String>("", "id").unwrap(),
                r.try_get::<i32>("", "version").unwrap(),
                r.try_get::<i64>("", "amount_planned").unwrap(),
                r.try_get::<i64>("", "amount_committed").unwrap(),
                r.try_get::<String>("", "title").unwrap(),
                r.try_get::<String>("", "region_code").unwrap(),
                r.try_get::<Option<String>>("", "external_key").unwrap(),
            )
        })
        .collect()
}

/// POSTs a file to `/imports/contributions{query}` and returns the status and JSON report.
pub(super) async fn upload(
    app: &TestApp,
    email: &str,
    query: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    upload_to(app, "contributions", email, query, content_type, body).await
}

/// POSTs a CSV file to `/imports/{kind}{query}` and returns the status and JSON report.
pub(super) async fn upload_csv(
    app: &TestApp,
    kind: &str,
    email: &str,
    query: &str,
    body: &str,
) -> (u16, Value) {
    upload_to(app, kind, email, query, CSV, body.as_bytes().to_vec()).await
}

async fn upload_to(
    app: &TestApp,
    kind: &str,
    email: &str,
    query: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let token = app.token_for(email).await;
    let res = app
        .client
        .post(app.url(&format!("/imports/{kind}{query}")))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("upload sent");
    let status = res.status().as_u16();
    (status, res.json().await.expect("a JSON report"))
}

/// Runs `sinergi import contributions FILE ARGS...` in-process, exactly as the binary does.
pub(super) async fn cli(
    app: &TestApp,
    contents: &[u8],
    ext: &str,
    args: &[&str],
) -> anyhow::Result<()> {
    let mut file = tempfile::Builder::new().suffix(ext).tempfile().unwrap();
    file.write_all(contents).unwrap();
    let path = file.path().to_str().unwrap().to_string();
    let mut argv = vec![
        "sinergi",
        "--database-url",
        &app.database_url,
        "import",
        "contributions",
        &path,
    ];
    argv.extend_from_slice(args);
    sinergi::commands::run(sinergi::config::Cli::parse_from(argv)).await
}

/// A demo hub.
pub(super) async fn demo() -> TestApp {
    let app = spawn_app().await;
    app.load_demo().await;
    app
}

pub(super) fn problems(report: &Value) -> &Vec<Value> {
    report["problems"].as_array().expect("a problem list")
}
