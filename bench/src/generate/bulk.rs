//! Bulk writes: multi-row INSERTs sized to the backend's bound-parameter limit, the refusal to write
//! over existing data, and the `--force` wipe.

use anyhow::Context;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, Iterable,
    Statement,
};

/// Most bound parameters one statement may carry: SQLite's SQLITE_MAX_VARIABLE_NUMBER (32,766 since
/// 3.32) and PostgreSQL's wire protocol limit (a 16-bit count).
fn max_parameters(backend: DbBackend) -> usize {
    match backend {
        DbBackend::Sqlite => 32_766,
        _ => 65_535,
    }
}

/// How many rows of an entity fit in one INSERT on this backend. Fewer, larger statements are what
/// make generation fast: one round trip and one statement parse for thousands of rows.
pub fn rows_per_statement<E: EntityTrait>(backend: DbBackend) -> usize {
    let columns = E::Column::iter().count().max(1);
    (max_parameters(backend) / columns).max(1)
}

/// Inserts every row with as few statements as the parameter limit allows, on `conn` (normally a
/// transaction). Returns the number of rows written.
pub async fn insert_all<A, C>(conn: &C, rows: Vec<A>) -> Result<u64, DbErr>
where
    A: ActiveModelTrait,
    C: ConnectionTrait,
{
    let per_statement = rows_per_statement::<A::Entity>(conn.get_database_backend());
    let mut written = 0;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(per_statement).collect();
        written += chunk.len() as u64;
        A::Entity::insert_many(chunk)
            .exec_without_returning(conn)
            .await?;
    }
    Ok(written)
}

/// Gives the connection behind a bulk-loading transaction a page cache large enough to hold the
/// contributions' indexes (about 256 MB) on SQLite, whose default of 2 MB turns every insert into the
/// four secondary indexes into page reads and writes once the table passes a few hundred thousand rows.
/// PostgreSQL manages its own buffers.
pub async fn prepare_transaction<C: ConnectionTrait>(conn: &C) -> Result<(), DbErr> {
    if conn.get_database_backend() == DbBackend::Sqlite {
        conn.execute_unprepared("PRAGMA cache_size = -262144")
            .await?;
    }
    Ok(())
}

/// Tables the generator fills (and `--force` empties), children before parents so that foreign keys
/// hold at every step. Regions stay: they are reference data, imported idempotently.
const DATA_TABLES: &[&str] = &[
    "action_item_updates",
    "action_item_regions",
    "action_item_programs",
    "action_items",
    "decisions",
    "program_synergies",
    "meeting_regions",
    "meeting_programs",
    "meeting_participants",
    "meeting_agenda_items",
    "meetings",
    "contribution_transactions",
    "contributions",
    "client_keys",
    "audit_log",
    "users",
    "village_indicators",
    "program_villages",
    "program_targets",
    "program_phases",
    "program_target_groups",
    "program_strategies",
    "programs",
    "organizations",
];

/// Tables whose rows mean "this database already holds a dataset".
const GUARDED_TABLES: &[&str] = &[
    "contributions",
    "users",
    "organizations",
    "programs",
    "meetings",
    "village_indicators",
];

/// Counts the rows of a table named by a constant of this module (never user input).
pub async fn count_rows(db: &DatabaseConnection, table: &str) -> anyhow::Result<i64> {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_string(
            backend,
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .await
        .with_context(|| format!("cannot count the rows of {table}"))?;
    match row {
        Some(row) => Ok(row.try_get::<i64>("", "n")?),
        None => Ok(0),
    }
}

/// Refuses to generate into a database that already holds data (a second dataset on top of the first
/// would double every figure, and unique keys such as program codes would collide), unless `force`,
/// which empties every data table first.
pub async fn ensure_empty(db: &DatabaseConnection, force: bool, url: &str) -> anyhow::Result<()> {
    let mut present = Vec::new();
    for table in GUARDED_TABLES {
        let n = count_rows(db, table).await?;
        if n > 0 {
            present.push(format!("{n} {table}"));
        }
    }
    if present.is_empty() {
        return Ok(());
    }
    if !force {
        anyhow::bail!(
            "refusing to generate: {} already holds data ({}). Generating on top would double every \
             figure. Use a fresh database, or pass --force to DELETE every row except the regions \
             and generate again.",
            sinergi::db::redact(url),
            present.join(", ")
        );
    }
    println!(
        "--force: deleting the existing data ({}); regions are kept",
        present.join(", ")
    );
    let backend = db.get_database_backend();
    if backend == DbBackend::Postgres {
        // One TRUNCATE of all tables at once satisfies every foreign key and is instant.
        db.execute_unprepared(&format!("TRUNCATE {}", DATA_TABLES.join(", ")))
            .await
            .context("cannot empty the data tables")?;
    } else {
        // ON DELETE RESTRICT is checked row by row on SQLite, so SKPDs pointing at their
        // government would stop a plain DELETE; cut the self-references first.
        db.execute_unprepared("UPDATE organizations SET parent_id = NULL")
            .await
            .context("cannot detach organizations from their parents")?;
        for table in DATA_TABLES {
            db.execute_unprepared(&format!("DELETE FROM {table}"))
                .await
                .with_context(|| format!("cannot empty {table}"))?;
        }
    }
    Ok(())
}
