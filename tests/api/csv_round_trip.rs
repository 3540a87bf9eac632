//! The contributions CSV imports back: what a coordinator downloads, uploaded as it is, changes
//! nothing; edited, it updates the records it came from (matched on `kunci`, the record's own id when
//! it was made in the hub) and adds no copies.

use crate::helpers::{TestApp, count_rows, spawn_app};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::Value;

const COORDINATOR: &str = "koordinator@pekalongan.demo";
const ADMIN: &str = "admin@sinergi.demo";
const MEMBER: &str = "skpd@pekalongan.demo";

async fn download(app: &TestApp, email: &str) -> String {
    let res = app
        .client
        .get(app.url("/exports/contributions.csv"))
        .bearer_auth(app.token_for(email).await)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.text().await.unwrap()
}

async fn upload(app: &TestApp, email: &str, body: String) -> (u16, Value) {
    let res = app
        .client
        .post(app.url("/imports/contributions"))
        .bearer_auth(app.token_for(email).await)
        .header("content-type", "text/csv")
        .body(body)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

/// Every contribution's id, version and title, and the number of audit rows.
async fn state(app: &TestApp) -> (Vec<String>, i64) {
    let rows = app
        .db
        .query_all_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT id, version, title FROM contributions ORDER BY id",
        ))
        .await
        .unwrap();
    let rows = rows
        .iter()
        .map(|r| {
            format!(
                "{}|{}|{}",
                r.try_get::<String>("", "id").unwrap(),
                r.try_get::<i32>("", "version").unwrap(),
                r.try_get::<String>("", "title").unwrap(),
            )
        })
        .collect();
    (rows, count_rows(&app.db, "audit_log").await)
}

/// The file's header and rows.
fn parse(text: &str) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().clone();
    (header, r.records().map(Result::unwrap).collect())
}

fn column(header: &csv::StringRecord, name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

#[tokio::test]
async fn a_downloaded_contributions_csv_imports_back_unchanged() {
    let app = spawn_app().await;
    app.load_demo().await;
    let text = download(&app, COORDINATOR).await;
    let (header, rows) = parse(&text);
    assert!(rows.len() > 20, "the demo's contributions are listed");
    // Planners' words, not code names.
    let source = column(&header, "sumber_dana");
    let status = column(&header, "status");
    assert!(rows.iter().any(|r| &r[source] == "APBD Kabupaten/Kota"));
    assert!(rows.iter().any(|r| &r[status] == "Berjalan"));
    assert!(!text.contains("ApbdRegency") && !text.contains("InProgress"));

    let before = state(&app).await;
    let (code, report) = upload(&app, COORDINATOR, text).await;
    assert_eq!(code, 200, "{report:#}");
    assert_eq!(
        report["problems"].as_array().unwrap().len(),
        0,
        "{report:#}"
    );
    assert_eq!(report["inserted"], 0, "{report:#}");
    assert_eq!(report["updated"], 0, "{report:#}");
    assert_eq!(report["unchanged"], rows.len(), "{report:#}");
    assert_eq!(
        state(&app).await,
        before,
        "no version, title or audit row moved"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_edited_csv_updates_the_record_it_came_from() {
    let app = spawn_app().await;
    app.load_demo().await;
    let (header, mut rows) = parse(&download(&app, ADMIN).await);
    let (key, title, id, contributor, status) = (
        column(&header, "kunci"),
        column(&header, "judul"),
        column(&header, "id"),
        column(&header, "kontributor"),
        column(&header, "status"),
    );
    // A record made without a key (the demo's, like the API's): its key is its id.
    let edited = rows
        .iter()
        .position(|r| {
            &r[contributor] == "Dinas Sosial Kabupaten Pekalongan" && &r[status] == "Komitmen"
        })
        .expect("a committed Dinas Sosial contribution");
    assert_eq!(rows[edited][key], rows[edited][id]);
    let record_id = rows[edited][id].to_string();
    let mut cells: Vec<String> = rows[edited].iter().map(str::to_string).collect();
    cells[title] = format!("{} (revisi)", cells[title]);
    rows[edited] = csv::StringRecord::from(cells);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).unwrap();
    for r in &rows {
        w.write_record(r).unwrap();
    }
    let file = String::from_utf8(w.into_inner().unwrap()).unwrap();

    let contributions = count_rows(&app.db, "contributions").await;
    // The member of Dinas Sosial may change its own row, and needs no right over the rows it leaves
    // as they are.
    let (code, report) = upload(&app, MEMBER, file).await;
    assert_eq!(code, 200, "{report:#}");
    assert_eq!(report["updated"], 1, "{report:#}");
    assert_eq!(report["inserted"], 0, "{report:#}");
    assert_eq!(count_rows(&app.db, "contributions").await, contributions);
    let row = app
        .db
        .query_one_raw(Statement::from_sql_and_values(
            app.db.get_database_backend(),
            match app.db.get_database_backend() {
                sea_orm::DatabaseBackend::Postgres => {
                    "SELECT title, version, external_key FROM contributions WHERE id = $1"
                }
                _ => "SELECT title, version, external_key FROM contributions WHERE id = ?",
            },
            [record_id.into()],
        ))
        .await
        .unwrap()
        .unwrap();
    assert!(
        row.try_get::<String>("", "title")
            .unwrap()
            .ends_with("(revisi)")
    );
    assert_eq!(row.try_get::<i32>("", "version").unwrap(), 2);
    assert_eq!(
        row.try_get::<Option<String>>("", "external_key").unwrap(),
        None,
        "the record keeps being matched by its id"
    );
    app.stop().await;
}
