//! Search over the names of regions, organizations and programs: case- and accent-insensitive (on the
//! folded `search_name` columns), ranked (exact name, then name prefix, then word prefix, then anywhere;
//! shorter names first), and paged with a keyset on the rank.
//!
//! The match is `search_name LIKE '%text%'` on both databases, on strings folded in Rust, so both give
//! the same hits. Trigram indexes (migration 23) find the candidates without reading every name:
//! PostgreSQL's `pg_trgm` GIN index serves the `LIKE` itself; on SQLite an FTS5 trigram table is asked
//! first (see [`MIN_INDEXED_CHARS`]) and the `LIKE` is kept as the final word on each candidate.

use crate::error::AppResult;
use sea_orm::sea_query::{
    Asterisk, Expr, ExprTrait, Func, Order, Query, SelectStatement, UnionType,
};
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend};

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

/// The keyset of a page, in order: rank, name length, kind, id.
const KEY: [&str; 4] = ["rnk", "name_len", "kind", "id"];

/// The shortest text the SQLite trigram index can answer: FTS5's trigram tokenizer finds nothing in a
/// phrase of one or two characters, so shorter texts (the API accepts two) fall back to reading every
/// name, which is slower but gives the same hits. PostgreSQL's planner makes the same choice itself.
pub const MIN_INDEXED_CHARS: usize = 3;

/// `q` as an FTS5 phrase: inside double quotes every character is literal (`*`, `-`, `AND`, `NEAR`…),
/// and a double quote is written twice.
fn fts_phrase(q: &str) -> String {
    format!("\"{}\"", q.replace('"', "\"\""))
}

/// The matches of the folded text `q` among the names (`name`) of one table, ranked.
fn matches<C: ColumnTrait>(
    backend: DbBackend,
    kind: &'static str,
    id: C,
    name: C,
    q: &str,
) -> SelectStatement {
    let rank = Expr::case(Expr::col(name).eq(q), 0)
        .case(Expr::col(name).like(format!("{q}%")), 1)
        .case(Expr::col(name).like(format!("% {q}%")), 2)
        .finally(3);
    let table = name.entity_name().to_string();
    let mut stmt = Query::select();
    stmt.expr_as(Expr::val(kind), "kind")
        .expr_as(Expr::col(id), "id")
        .expr_as(rank, "rnk")
        .expr_as(Func::char_length(Expr::col(name)), "name_len")
        .from(name.entity_name())
        .and_where(Expr::col(name).like(format!("%{q}%")));
    if backend == DbBackend::Sqlite && q.chars().count() >= MIN_INDEXED_CHARS {
        // The table names are our own constants, not input; the text is a bound value.
        stmt.and_where(Expr::cust_with_values(
            format!(
                "\"{table}\".rowid IN (SELECT rowid FROM \"{table}_fts\" WHERE \"{table}_fts\" MATCH ?)"
            ),
            [fts_phrase(q)],
        ));
    }
    stmt
}

/// The matches among regions, organizations and programs (only regions when `regions_only`) as one
/// UNION ALL.
fn union(backend: DbBackend, q: &str, regions_only: bool) -> SelectStatement {
    use entity::{organization as o, program as p, region as r};
    let mut all = matches(backend, "REGION", r::Column::Code, r::Column::SearchName, q);
    if !regions_only {
        let orgs = matches(
            backend,
            "ORGANIZATION",
            o::Column::Id,
            o::Column::SearchName,
            q,
        );
        let programs = matches(backend, "PROGRAM", p::Column::Id, p::Column::SearchName, q);
        all.unions([(UnionType::All, orgs), (UnionType::All, programs)]);
    }
    all
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
    let mut stmt = Query::select();
    stmt.columns(KEY)
        .from_subquery(union(db.get_database_backend(), q, regions_only), "hits");
    if let Some(a) = after {
        stmt.and_where(Expr::tuple(KEY.map(Expr::col)).gt(Expr::tuple([
            Expr::val(a.rank),
            Expr::val(a.name_len),
            Expr::val(a.kind.as_str()),
            Expr::val(a.id.as_str()),
        ])));
    }
    for column in KEY {
        stmt.order_by(column, Order::Asc);
    }
    let rows = db.query_all(&stmt.limit(limit).take()).await?;
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
    let stmt = Query::select()
        .expr_as(Expr::col(Asterisk).count(), "n")
        .from_subquery(union(db.get_database_backend(), q, regions_only), "hits")
        .take();
    let row = db.query_one(&stmt).await?;
    Ok(row
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::sea_query::SqliteQueryBuilder;

    #[test]
    fn sqlite_asks_the_trigram_index_from_three_characters_on() {
        let sql = |q: &str| union(DbBackend::Sqlite, q, false).to_string(SqliteQueryBuilder);
        assert_eq!(sql("bot").matches(" MATCH ").count(), 3, "{}", sql("bot"));
        assert!(sql("bo").contains("LIKE '%bo%'") && !sql("bo").contains("MATCH"));
        assert!(
            sql(r#"a"b"#).contains(r#"MATCH '"a""b"'"#),
            "a double quote is doubled inside the phrase: {}",
            sql(r#"a"b"#)
        );
    }
}
