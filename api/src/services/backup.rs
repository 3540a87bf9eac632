//! `sinergi backup`: a consistent copy of a SQLite hub taken while it serves and writes.
//!
//! `VACUUM INTO` reads the database inside one read transaction, so the copy is the database as it
//! stood at one commit, whatever writers do meanwhile (in WAL mode they are not blocked), and it is
//! compact. The copy is then opened on its own and checked with `PRAGMA integrity_check`.
//! PostgreSQL has its own, better tools for this (`pg_dump`, base backups with WAL archiving); the
//! README says how, and this refuses a PostgreSQL hub rather than reimplement them.

use anyhow::{Context, bail};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use std::path::Path;

/// What a backup wrote.
#[derive(Debug, Clone)]
pub struct Copy {
    /// Size of the copy, in bytes.
    pub bytes: u64,
}

/// Copies the SQLite hub behind `db` to `out`, which must not exist, and checks the copy.
pub async fn sqlite(db: &DatabaseConnection, out: &Path) -> anyhow::Result<Copy> {
    if db.get_database_backend() != DbBackend::Sqlite {
        bail!(
            "`sinergi backup` copies SQLite hubs; back up PostgreSQL with pg_dump or a base backup (see the README, \"Backups\")"
        );
    }
    if out.exists() {
        bail!("{} exists already: name a new file", out.display());
    }
    let target = out
        .to_str()
        .with_context(|| format!("{} is not a UTF-8 path", out.display()))?;
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "VACUUM INTO ?",
        [target.into()],
    ))
    .await
    .with_context(|| format!("cannot write the copy to {}", out.display()))?;
    check(out).await?;
    Ok(Copy {
        bytes: std::fs::metadata(out)?.len(),
    })
}

/// Opens a copy on its own and runs `PRAGMA integrity_check` on it.
pub async fn check(path: &Path) -> anyhow::Result<()> {
    let url = format!("sqlite://{}?mode=ro", path.display());
    let copy = sea_orm::Database::connect(&url)
        .await
        .with_context(|| format!("cannot open the copy {}", path.display()))?;
    let rows = copy
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA integrity_check",
        ))
        .await?;
    copy.close().await.ok();
    let verdict: Vec<String> = rows
        .iter()
        .filter_map(|r| r.try_get_by_index::<String>(0).ok())
        .collect();
    if verdict != ["ok"] {
        bail!(
            "the copy {} is damaged: {}",
            path.display(),
            verdict.join("; ")
        );
    }
    Ok(())
}
