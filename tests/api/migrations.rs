//! Every migration runs up, down and up again on the database under test.

use crate::helpers::fresh_db;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Statement};

/// The tables of the data model; on SQLite without the search index's FTS5 tables (a virtual table
/// and its shadow tables, which are an index, not data).
async fn user_tables(db: &sea_orm::DatabaseConnection) -> Vec<String> {
    tables(db, "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations' ORDER BY name").await
}

/// Every table, FTS5 ones included.
async fn all_tables(db: &sea_orm::DatabaseConnection) -> Vec<String> {
    tables(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations' ORDER BY name").await
}

async fn tables(db: &sea_orm::DatabaseConnection, sqlite: &str) -> Vec<String> {
    let sql = if db.get_database_backend() == sea_orm::DbBackend::Sqlite {
        sqlite
    } else {
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'seaql_migrations' ORDER BY table_name"
    };
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get::<String>("", "name").unwrap())
        .collect()
}

#[tokio::test]
async fn migrations_go_up_down_and_up_again() {
    let test_db = fresh_db().await;
    let (db, _) = sinergi::db::connect(&test_db.url, 1).await.unwrap();
    Migrator::up(&db, None).await.unwrap();
    let tables = user_tables(&db).await;
    let everything = all_tables(&db).await;
    assert_eq!(
        tables.len(),
        27,
        "every table of the data model: {tables:?}"
    );
    assert!(
        Migrator::get_pending_migrations(&db)
            .await
            .unwrap()
            .is_empty()
    );

    // One step at a time, so every migration's own `down` runs.
    let total = Migrator::migrations().len() as u32;
    for _ in 0..total {
        Migrator::down(&db, Some(1)).await.unwrap();
    }
    assert!(all_tables(&db).await.is_empty(), "down removes every table");
    assert_eq!(
        Migrator::get_pending_migrations(&db).await.unwrap().len(),
        total as usize
    );

    Migrator::up(&db, None).await.unwrap();
    assert_eq!(user_tables(&db).await, tables);
    assert_eq!(all_tables(&db).await, everything);
}

#[tokio::test]
async fn the_database_refuses_negative_money_and_absurd_years() {
    let app = crate::helpers::spawn_app().await;
    app.load_demo().await;
    let backend = app.db.get_database_backend();
    for (what, sql) in [
        (
            "negative amount",
            "UPDATE contributions SET amount_planned = -1",
        ),
        ("year 20025", "UPDATE contributions SET fiscal_year = 20025"),
        (
            "disbursed above committed",
            "UPDATE contributions SET amount_disbursed = amount_committed + 1",
        ),
        ("unknown status", "UPDATE contributions SET status = 'LOST'"),
        (
            "a kelurahan province",
            "UPDATE regions SET village_kind = 'KELURAHAN' WHERE code = '33'",
        ),
    ] {
        let res = app
            .db
            .execute_raw(Statement::from_string(backend, sql))
            .await;
        assert!(res.is_err(), "the database must refuse: {what}");
    }
}
