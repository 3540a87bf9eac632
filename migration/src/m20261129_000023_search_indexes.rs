//! Indexes for search (issue 13), so that `search_name LIKE '%text%'` over regions, organizations and
//! programs stops reading every row. The folding (case, accents, spaces) stays in Rust, on both the
//! stored `search_name` and the query text: the indexes only narrow the candidates, the comparison is
//! still the same `LIKE` on the same folded strings, so both databases return the same hits.
//!
//! - **PostgreSQL**: `pg_trgm` (a trusted extension since PostgreSQL 13, so a database owner may
//!   create it) and a GIN trigram index per table, which the planner uses for `LIKE '%text%'`:
//!   `EXPLAIN SELECT code FROM regions WHERE search_name LIKE '%botosari%'` on the national dataset
//!   gives `Bitmap Heap Scan on regions … Recheck Cond: (search_name ~~ '%botosari%')` over
//!   `Bitmap Index Scan on idx_regions_search_trgm`. `fastupdate = off`: with GIN's default pending
//!   list, freshly written names are kept in an unindexed list that every search reads until the next
//!   vacuum; after the bench's bulk insert that made `LIKE '%botosari%'` on regions take 14 ms instead
//!   of 0.1 ms. Names are written rarely, searched often, so writes pay instead.
//! - **SQLite**: an external-content FTS5 table per table with the `trigram` tokenizer
//!   (`case_sensitive 1`: the names are folded already, and FTS5's own folding must not make it match
//!   what `LIKE` would not), kept in step by triggers and keyed on the table's rowid. The rowids are
//!   stable: these tables have a text primary key, hence an index, and for such tables both `VACUUM`
//!   and the backup's `VACUUM INTO` copy rowids unchanged. The search queries it with
//!   `rowid IN (SELECT rowid FROM regions_fts WHERE regions_fts MATCH '"text"')`;
//!   `EXPLAIN QUERY PLAN` shows `SCAN regions_fts VIRTUAL TABLE INDEX 0:M1` and
//!   `SEARCH regions USING INTEGER PRIMARY KEY (rowid=?)` instead of `SCAN regions`.
//!
//! Neither index can help a text of fewer than 3 characters (there is no trigram in it); such
//! searches still scan, see `api/src/services/search.rs`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables with a folded `search_name`.
const TABLES: [&str; 3] = ["regions", "organizations", "programs"];

/// The SQLite statements that create the index of `table` and fill it from the existing rows.
fn sqlite_up(table: &str) -> Vec<String> {
    let fts = format!("{table}_fts");
    vec![
        format!(
            "CREATE VIRTUAL TABLE {fts} USING fts5(search_name, content='{table}', \
             content_rowid='rowid', tokenize='trigram case_sensitive 1')"
        ),
        format!(
            "CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN \
             INSERT INTO {fts}(rowid, search_name) VALUES (new.rowid, new.search_name); END"
        ),
        // An external-content index must be told the old value to remove it.
        format!(
            "CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN \
             INSERT INTO {fts}({fts}, rowid, search_name) VALUES ('delete', old.rowid, old.search_name); END"
        ),
        format!(
            "CREATE TRIGGER {fts}_update AFTER UPDATE OF search_name ON {table} BEGIN \
             INSERT INTO {fts}({fts}, rowid, search_name) VALUES ('delete', old.rowid, old.search_name); \
             INSERT INTO {fts}(rowid, search_name) VALUES (new.rowid, new.search_name); END"
        ),
        format!("INSERT INTO {fts}({fts}) VALUES ('rebuild')"),
    ]
}

fn sqlite_down(table: &str) -> Vec<String> {
    let fts = format!("{table}_fts");
    vec![
        format!("DROP TRIGGER IF EXISTS {fts}_insert"),
        format!("DROP TRIGGER IF EXISTS {fts}_delete"),
        format!("DROP TRIGGER IF EXISTS {fts}_update"),
        format!("DROP TABLE IF EXISTS {fts}"),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let mut statements = Vec::new();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                statements.push("CREATE EXTENSION IF NOT EXISTS pg_trgm".to_string());
                for table in TABLES {
                    statements.push(format!(
                        "CREATE INDEX idx_{table}_search_trgm ON {table} \
                         USING gin (search_name gin_trgm_ops) WITH (fastupdate = off)"
                    ));
                }
            }
            _ => {
                for table in TABLES {
                    statements.extend(sqlite_up(table));
                }
            }
        }
        for sql in statements {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let mut statements = Vec::new();
        match manager.get_database_backend() {
            // The extension stays: other objects of the database may use it, and `up` tolerates it.
            DbBackend::Postgres => {
                for table in TABLES {
                    statements.push(format!("DROP INDEX IF EXISTS idx_{table}_search_trgm"));
                }
            }
            _ => {
                for table in TABLES {
                    statements.extend(sqlite_down(table));
                }
            }
        }
        for sql in statements {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }
}
