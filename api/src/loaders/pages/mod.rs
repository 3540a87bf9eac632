//! Paged relations (a region's contributions, an organization's commitments, the villages below a
//! regency, ...): the first page of every parent in the batch comes from ONE windowed statement,
//! `ROW_NUMBER() OVER (PARTITION BY parent ORDER BY key)`, so a dashboard listing fifty villages with
//! their contributions costs one statement for all fifty, whatever the row counts.

mod contributions;
mod meetings;
mod villages;

pub use contributions::*;
pub use meetings::*;
pub use villages::*;

use crate::services::analytics::code_prefix;
use entity::enums::RegionLevel;
use sea_orm::sea_query::{
    Asterisk, Condition, Expr, ExprTrait, Frame, FrameType, Func, IntoColumnRef, JoinType, Order,
    OverStatement, Query, SelectStatement, WindowStatement,
};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QuerySelect};
use std::collections::HashMap;

/// Length of a dotted code at each level: a row's ancestor at that level is this long prefix.
fn code_len(level: RegionLevel) -> usize {
    match level {
        RegionLevel::Province => 2,
        RegionLevel::Regency => 5,
        RegionLevel::District => 8,
        RegionLevel::Village => 13,
    }
}

/// The ancestor code at `level` of `column` (a fixed-width prefix: codes are zero-padded).
fn ancestor(column: impl IntoColumnRef, level: RegionLevel) -> Expr {
    match level {
        RegionLevel::Village => Expr::col(column),
        l => code_prefix(column, code_len(l) as i32),
    }
}

/// The rows of `E` matching `cond`, at most `limit` per partition, ordered by `order` inside each.
async fn windowed<E: EntityTrait>(
    db: &impl ConnectionTrait,
    cond: Condition,
    partition: Expr,
    order: &[(E::Column, Order)],
    limit: u64,
) -> Result<Vec<E::Model>, DbErr>
where
    E::Model: FromQueryResult,
{
    let mut outer = windowed_statement::<E>(cond, partition, order, limit, false, None);
    for (col, dir) in order {
        outer.order_by(*col, dir.clone());
    }
    let stmt = db.get_database_backend().build(&outer);
    E::find().from_raw_sql(stmt).all(db).await
}

/// The statement behind [`windowed`], without its final order: every row of `E` matching `cond`
/// numbered `rn` inside its partition, the first `limit` of each kept. With `total`, each row also
/// carries `total`, the number of rows of its partition: a page and its `totalCount` in one statement.
///
/// With `key` (the primary key), rows are numbered by their key alone and only the kept ones are read
/// whole, by key: the window then sorts narrow rows rather than every matching row in full (on the
/// dashboard, about 2,000 contribution rows numbered for the 1,000 shown). The result's columns are
/// then those of `E` and `rn` (and `total`) under the table name `t`.
fn windowed_statement<E: EntityTrait>(
    cond: Condition,
    partition: Expr,
    order: &[(E::Column, Order)],
    limit: u64,
    total: bool,
    key: Option<E::Column>,
) -> SelectStatement {
    // `add_partition_by` is the one way to partition by an expression (a code prefix) rather than a
    // column.
    let mut window = WindowStatement::new();
    window.add_partition_by(partition);
    for (col, dir) in order {
        window.order_by(*col, dir.clone());
    }
    let mut inner = Query::select()
        .from(E::default())
        .cond_where(cond)
        .to_owned();
    match key {
        Some(key) => inner.column(key),
        None => inner.column(Asterisk),
    };
    if total {
        // One named window for both functions, so that the rows are partitioned and sorted once (two
        // copies of a prefix expression with separately bound lengths would not be recognised as
        // one). ROW_NUMBER ignores the frame; COUNT over the whole frame is the partition's size.
        window.frame_between(
            FrameType::Rows,
            Frame::UnboundedPreceding,
            Frame::UnboundedFollowing,
        );
        inner
            .window("w", window)
            .expr_window_name_as(Func::cust("ROW_NUMBER"), "w", "rn")
            .expr_window_name_as(Expr::col(Asterisk).count(), "w", "total");
    } else {
        inner.expr_window_as(Func::cust("ROW_NUMBER"), window, "rn");
    }
    let Some(key) = key else {
        return Query::select()
            .column(Asterisk)
            .from_subquery(inner, "paged")
            .and_where(Expr::col("rn").lte(limit))
            .to_owned();
    };
    let mut outer = Query::select()
        .column(("t", Asterisk))
        .column(("paged", "rn"))
        .from_subquery(inner, "paged")
        .join_as(
            JoinType::InnerJoin,
            E::default(),
            "t",
            Expr::col(("t", key)).equals(("paged", key)),
        )
        .and_where(Expr::col(("paged", "rn")).lte(limit))
        .to_owned();
    if total {
        outer.column(("paged", "total"));
    }
    outer
}

/// `(parent, COUNT(*))` of the rows of `E` matching `cond`, grouped by `parent`.
async fn counted<E: EntityTrait>(
    db: &impl ConnectionTrait,
    cond: Condition,
    parent: Expr,
) -> Result<HashMap<String, i64>, DbErr> {
    // Grouped by the output name: PostgreSQL would not match two copies of a prefix expression whose
    // lengths are separate parameters.
    Ok(E::find()
        .select_only()
        .expr_as(parent, "parent")
        .expr_as(Expr::col(Asterisk).count(), "n")
        .filter(cond)
        .group_by(Expr::col("parent"))
        .into_tuple::<(String, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}
