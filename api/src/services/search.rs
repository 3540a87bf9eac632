//! Search over the names of regions, organizations and programs: case- and accent-insensitive (on the
//! folded `search_name` columns), ranked (exact name, then name prefix, then word prefix, then anywhere;
//! shorter names first), and paged with a keyset on the rank.

use crate::error::AppResult;
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

/// One hit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// REGION, ORGANIZATION or PROGRAM.
    pub kind: String,
    /// Region code or record id.
    pub id: String,
    /// 0 exact, 1 prefix, 2 word prefix, 3 anywhere.
    pub rank: i32,
    /// Length of the folded name.
    pub name_len: i32,
}

impl Hit {
    /// The cursor key.
    pub fn key(&self) -> Vec<serde_json::Value> {
        vec![
            self.rank.into(),
            self.name_len.into(),
            self.kind.clone().into(),
            self.id.clone().into(),
        ]
    }
}

const TABLES: [(&str, &str, &str); 3] = [
    ("REGION", "code", "regions"),
    ("ORGANIZATION", "id", "organizations"),
    ("PROGRAM", "id", "programs"),
];

/// The union of matches as a subquery, with its bound values.
fn union(q: &str, regions_only: bool) -> (String, Vec<Value>) {
    let mut parts = Vec::new();
    let mut values = Vec::new();
    for (kind, id, table) in TABLES
        .into_iter()
        .take(if regions_only { 1 } else { TABLES.len() })
    {
        parts.push(format!(
            "SELECT '{kind}' AS kind, {id} AS id, \
             CASE WHEN search_name = ? THEN 0 WHEN search_name LIKE ? THEN 1 WHEN search_name LIKE ? THEN 2 ELSE 3 END AS rnk, \
             LENGTH(search_name) AS name_len FROM {table} WHERE search_name LIKE ?"
        ));
        values.push(q.into());
        values.push(format!("{q}%").into());
        values.push(format!("% {q}%").into());
        values.push(format!("%{q}%").into());
    }
    (parts.join(" UNION ALL "), values)
}

/// Writes `?` placeholders the way the backend wants them.
fn statement(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = if backend == DbBackend::Postgres {
        let mut out = String::with_capacity(sql.len() + 16);
        let mut n = 0;
        for ch in sql.chars() {
            if ch == '?' {
                n += 1;
                out.push_str(&format!("${n}"));
            } else {
                out.push(ch);
            }
        }
        out
    } else {
        sql.to_string()
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// One page of hits for the folded text `q`, after the hit `after`; only regions when `regions_only`
/// (what a caller who is not signed in may see).
pub async fn page(
    db: &impl ConnectionTrait,
    q: &str,
    regions_only: bool,
    after: Option<&Hit>,
    limit: u64,
) -> AppResult<Vec<Hit>> {
    let (inner, mut values) = union(q, regions_only);
    let mut sql = format!("SELECT kind, id, rnk, name_len FROM ({inner}) hits");
    if let Some(a) = after {
        sql.push_str(" WHERE (rnk, name_len, kind, id) > (?, ?, ?, ?)");
        values.extend([
            a.rank.into(),
            a.name_len.into(),
            a.kind.clone().into(),
            a.id.clone().into(),
        ]);
    }
    sql.push_str(&format!(" ORDER BY rnk, name_len, kind, id LIMIT {limit}"));
    let rows = db
        .query_all_raw(statement(db.get_database_backend(), &sql, values))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Hit {
                kind: r.try_get("", "kind")?,
                id: r.try_get("", "id")?,
                rank: r.try_get("", "rnk")?,
                name_len: r.try_get("", "name_len")?,
            })
        })
        .collect::<Result<_, sea_orm::DbErr>>()
        .map_err(Into::into)
}

/// How many hits there are for `q`.
pub async fn count(db: &impl ConnectionTrait, q: &str, regions_only: bool) -> AppResult<i64> {
    let (inner, values) = union(q, regions_only);
    let sql = format!("SELECT COUNT(*) AS n FROM ({inner}) hits");
    let row = db
        .query_one_raw(statement(db.get_database_backend(), &sql, values))
        .await?;
    Ok(row
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0))
}
