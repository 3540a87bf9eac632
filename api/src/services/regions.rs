//! Regions: lookups and the import of the official Kemendagri list.

use crate::region_code::RegionCode;
use crate::services::audit::AuditEntity;
use crate::text::fold;
use entity::enums::RegionLevel;
use entity::region::{ActiveModel, Column, Entity, Model};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, TransactionTrait,
};
use std::collections::{HashMap, HashSet};
use std::io::Read;

/// Longest region name accepted (the longest in the 2025 list has 45 characters).
pub const MAX_NAME_LEN: usize = 200;

/// The audit log's entity of a region import (the feed turns it into `Event::Regions`).
pub const IMPORT_ENTITY: AuditEntity = AuditEntity::Region;
/// The audit row's record id of a region import: the whole list.
pub const IMPORT_ID: &str = "*";

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Data rows read from the file.
    pub rows: usize,
    /// Regions that were not in the database before.
    pub inserted: usize,
    /// Regions whose name changed.
    pub updated: usize,
    /// Regions already present with the same name.
    pub unchanged: usize,
}

/// Why an import was refused; nothing was written.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
#[error("line {line}: {reason}")]
pub struct ImportError {
    /// 1-based line of the file (the header is line 1).
    pub line: u64,
    /// What is wrong with it.
    pub reason: String,
}

struct Row {
    line: u64,
    code: RegionCode,
    name: String,
}

/// Reads and checks a `code,name` file completely before anything is written.
fn parse(reader: impl Read) -> Result<Vec<Row>, ImportError> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(reader);
    let mut records = csv.records();
    let err = |line: u64, reason: String| ImportError { line, reason };
    let header = match records.next() {
        None => {
            return Err(err(
                1,
                "the file is empty: expected the header `code,name`".into(),
            ));
        }
        Some(r) => r.map_err(|e| err(1, format!("unreadable header: {e}")))?,
    };
    let cols: Vec<String> = header
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_lowercase())
        .collect();
    if cols != ["code", "name"] {
        return Err(err(
            1,
            format!("the header must be `code,name`, found `{}`", cols.join(",")),
        ));
    }
    let mut rows = Vec::new();
    let mut seen: HashMap<RegionCode, u64> = HashMap::new();
    for record in records {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            err(line, format!("unreadable row: {e}"))
        })?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.iter().all(|f| f.is_empty()) {
            continue;
        }
        if record.len() != 2 {
            return Err(err(
                line,
                format!("expected 2 fields (code,name), found {}", record.len()),
            ));
        }
        let code =
            RegionCode::parse(&record[0]).map_err(|r| err(line, format!("bad code: {r}")))?;
        let name = record[1].to_string();
        if name.is_empty() {
            return Err(err(line, format!("region {code} has no name")));
        }
        if name.chars().count() > MAX_NAME_LEN {
            return Err(err(
                line,
                format!("the name of {code} is longer than {MAX_NAME_LEN} characters"),
            ));
        }
        if let Some(first) = seen.insert(code.clone(), line) {
            return Err(err(
                line,
                format!("code {code} already appears on line {first}"),
            ));
        }
        rows.push(Row { line, code, name });
    }
    if rows.is_empty() {
        return Err(err(2, "the file has a header but no regions".into()));
    }
    Ok(rows)
}

/// Imports the official `code,name` list: derives level, parent and desa/kelurahan from each code, and
/// inserts or renames regions in one transaction. A second run with the same file changes nothing. Any
/// bad row aborts the whole import with its line and reason, leaving the table as it was. Regions in
/// the database but absent from the file are kept: contributions may point at them. An import that
/// changed anything writes one audit row (entity `region`, by the system) in its transaction, which
/// tells every hub process to drop its region cache.
pub async fn import(db: &DatabaseConnection, reader: impl Read) -> anyhow::Result<ImportReport> {
    let rows = parse(reader)?;
    let txn = db.begin().await?;
    let existing: HashMap<String, String> = Entity::find()
        .select_only()
        .column(Column::Code)
        .column(Column::Name)
        .into_tuple::<(String, String)>()
        .all(&txn)
        .await?
        .into_iter()
        .collect();
    let in_file: HashSet<&str> = rows.iter().map(|r| r.code.as_str()).collect();
    for row in &rows {
        if let Some(parent) = row.code.parent()
            && !in_file.contains(parent.as_str())
            && !existing.contains_key(parent.as_str())
        {
            return Err(ImportError {
                line: row.line,
                reason: format!(
                    "the parent {parent} of {} is neither in the file nor in the hub",
                    row.code
                ),
            }
            .into());
        }
    }
    let mut report = ImportReport {
        rows: rows.len(),
        ..Default::default()
    };
    let mut new_rows: Vec<&Row> = Vec::new();
    for row in &rows {
        match existing.get(row.code.as_str()) {
            None => new_rows.push(row),
            Some(name) if *name == row.name => report.unchanged += 1,
            Some(_) => {
                Entity::update_many()
                    .col_expr(Column::Name, Expr::value(row.name.clone()))
                    .col_expr(Column::SearchName, Expr::value(fold(&row.name)))
                    .filter(Column::Code.eq(row.code.as_str()))
                    .exec(&txn)
                    .await?;
                report.updated += 1;
            }
        }
    }
    // Parents before children, so every foreign key holds as rows arrive.
    new_rows.sort_by_key(|r| (r.code.as_str().len(), r.code.clone()));
    report.inserted = new_rows.len();
    for chunk in new_rows.chunks(1_000) {
        Entity::insert_many(chunk.iter().map(|r| model(&r.code, &r.name)))
            .on_conflict(OnConflict::column(Column::Code).do_nothing().to_owned())
            .exec_without_returning(&txn)
            .await?;
    }
    if report.inserted + report.updated > 0 {
        // One audit row for the whole import, in its transaction: the change feed announces it to
        // every hub process, whose region caches drop what they keep (`region_cache`).
        let summary = serde_json::json!({
            "rows": report.rows,
            "inserted": report.inserted,
            "updated": report.updated,
            "unchanged": report.unchanged,
        });
        crate::services::audit::record(
            &txn,
            &crate::services::authz::Actor::System,
            IMPORT_ENTITY,
            IMPORT_ID,
            "import",
            None::<&()>,
            Some(&summary),
        )
        .await?;
    }
    txn.commit().await?;
    // This process's hubs on the same database need not wait for the feed.
    crate::region_cache::changed(db);
    Ok(report)
}

fn model(code: &RegionCode, name: &str) -> ActiveModel {
    ActiveModel {
        code: Set(code.to_string()),
        name: Set(name.to_string()),
        level: Set(code.level()),
        parent_code: Set(code.parent().map(|p| p.to_string())),
        village_kind: Set(code.village_kind()),
        search_name: Set(fold(name)),
    }
}

/// One region by code.
pub async fn get(
    db: &impl ConnectionTrait,
    code: &RegionCode,
) -> crate::error::AppResult<Option<Model>> {
    Ok(Entity::find_by_id(code.to_string()).one(db).await?)
}

/// Counts regions by level (used by the import command's summary).
pub async fn count_by_level(
    db: &impl ConnectionTrait,
) -> Result<Vec<(RegionLevel, i64)>, sea_orm::DbErr> {
    Entity::find()
        .select_only()
        .column(Column::Level)
        .column_as(Column::Code.count(), "n")
        .group_by(Column::Level)
        .into_tuple::<(RegionLevel, i64)>()
        .all(db)
        .await
}
