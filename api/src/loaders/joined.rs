//! A contribution row together with the to-one relations the query selects under it (contributor,
//! program, region), read by the statement that reads the row: one LEFT JOIN per relation, each
//! relation's columns under its own prefix. A dashboard of a thousand contributions then costs no
//! loader look-ups and no further statements for their contributors and programs; the resolvers fall
//! back to the loaders for rows read without them (mutations, other lists).

use entity::{contribution, organization, program, region};
use sea_orm::sea_query::{
    Alias, Asterisk, Expr, ExprTrait, IntoIden, JoinType, Order, Query, SelectStatement,
};
use sea_orm::{DbErr, EntityTrait, FromQueryResult, IdenStatic, Iterable, QueryResult};

/// Which to-one relations to read with the rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Joins {
    /// The contributing organization.
    pub contributor: bool,
    /// The program, for rows that have one.
    pub program: bool,
    /// The region the contribution goes to.
    pub region: bool,
}

impl Joins {
    /// The relations selected under a contribution, from its look-ahead (fragments included).
    pub fn selected(node: &async_graphql::Lookahead<'_>) -> Self {
        Self {
            contributor: node.field("contributor").exists(),
            program: node.field("program").exists(),
            region: node.field("region").exists(),
        }
    }

    /// The relations selected under the nodes of a contribution connection.
    pub fn selected_in_connection(conn: &async_graphql::Lookahead<'_>) -> Self {
        let a = Self::selected(&conn.field("edges").field("node"));
        let b = Self::selected(&conn.field("nodes"));
        Self {
            contributor: a.contributor || b.contributor,
            program: a.program || b.program,
            region: a.region || b.region,
        }
    }
}

/// The relations read with one row; `None` where they were not read (or do not exist).
#[derive(Clone, Debug, Default)]
pub struct Joined {
    /// The contributing organization.
    pub contributor: Option<organization::Model>,
    /// The program.
    pub program: Option<program::Model>,
    /// The region.
    pub region: Option<region::Model>,
}

/// A contribution with the relations read with it.
pub type JoinedRow = (contribution::Model, Joined);

/// Alias of the contribution rows inside the joined statement.
const ROWS: &str = "c";

/// Wraps `rows`, a SELECT of whole contribution rows (and maybe more columns), so that each row comes
/// with the relations in `joins`, in `order`. The rows stay a subquery so that their WHERE clause
/// (which names columns without a table, like `region_code`, also a column of organizations) is never
/// ambiguous.
pub fn select(
    rows: SelectStatement,
    joins: Joins,
    order: &[(contribution::Column, Order)],
) -> SelectStatement {
    let mut q = Query::select()
        .column((Alias::new(ROWS), Asterisk))
        .from_subquery(rows, Alias::new(ROWS))
        .to_owned();
    if joins.contributor {
        join::<organization::Entity>(
            &mut q,
            "jo",
            contribution::Column::ContributorId,
            organization::Column::Id,
        );
    }
    if joins.program {
        join::<program::Entity>(
            &mut q,
            "jp",
            contribution::Column::ProgramId,
            program::Column::Id,
        );
    }
    if joins.region {
        join::<region::Entity>(
            &mut q,
            "jr",
            contribution::Column::RegionCode,
            region::Column::Code,
        );
    }
    for (col, dir) in order {
        q.order_by((Alias::new(ROWS), *col), dir.clone());
    }
    q
}

fn join<E: EntityTrait>(
    q: &mut SelectStatement,
    alias: &'static str,
    fk: contribution::Column,
    key: E::Column,
) {
    for col in E::Column::iter() {
        q.expr_as(
            Expr::col((Alias::new(alias), col)),
            Alias::new(format!("{alias}_{}", col.as_str())),
        );
    }
    q.join_as(
        JoinType::LeftJoin,
        E::default(),
        Alias::new(alias).into_iden(),
        Expr::col((Alias::new(alias), key)).equals((Alias::new(ROWS), fk)),
    );
}

/// Reads one row of a statement built by [`select`] with the same `joins`.
pub fn decode(row: &QueryResult, joins: Joins) -> Result<JoinedRow, DbErr> {
    let c = contribution::Model::from_query_result(row, "")?;
    let mut j = Joined::default();
    if joins.contributor {
        j.contributor = optional(row, "jo_", "id")?;
    }
    if joins.program {
        j.program = optional(row, "jp_", "id")?;
    }
    if joins.region {
        j.region = optional(row, "jr_", "code")?;
    }
    Ok((c, j))
}

/// The joined model under `prefix`, or `None` when the LEFT JOIN found no row (its key is null).
fn optional<M: FromQueryResult>(
    row: &QueryResult,
    prefix: &str,
    key: &str,
) -> Result<Option<M>, DbErr> {
    if row.try_get::<Option<String>>(prefix, key)?.is_none() {
        return Ok(None);
    }
    M::from_query_result(row, prefix).map(Some)
}
