//! Coordination analytics computed by the database: funding totals grouped by any dimensions, coverage
//! gaps, overlaps and follow-up. Every figure goes through the same contribution filter and draft rule
//! as the lists, so a caller's totals always add up to what it can list.
//!
//! The SQL is built with sea-query and rendered by the connection's backend: values are bound, enum
//! values come from the entity enums, and nothing is spliced into SQL text.

mod follow_up;
mod gaps;
mod overlaps;
mod summary;

pub use follow_up::{FollowUpCounts, follow_up};
pub use gaps::{Gap, Need, coverage_gaps};
pub use overlaps::{Overlap, overlaps};
pub use summary::{Bucket, Dim, funding_summary};

use entity::enums::Cluster;
use sea_orm::sea_query::{Asterisk, Expr, ExprTrait, Func, IntoColumnRef, Query};
use sea_orm::{ActiveEnum, ColumnTrait, Condition};

/// `COUNT(*)`.
fn count_all() -> Expr {
    Expr::col(Asterisk).count()
}

/// `CAST(COALESCE(SUM(column), 0) AS BIGINT)`: PostgreSQL sums BIGINT as NUMERIC, and an empty group
/// sums to NULL.
fn total(column: impl IntoColumnRef) -> Expr {
    Func::coalesce([Expr::col(column).sum(), Expr::val(0)]).cast_as("BIGINT")
}

/// `CAST(SUM(column) AS BIGINT)`, NULL when every value is.
fn sum_or_null(column: impl IntoColumnRef) -> Expr {
    Expr::col(column).sum().cast_as("BIGINT")
}

/// `SUBSTR(column, 1, len)`: the ancestor code `len` characters long (codes are zero-padded, so every
/// level has a fixed width).
pub(crate) fn code_prefix(column: impl IntoColumnRef, len: i32) -> Expr {
    Func::cust("SUBSTR")
        .arg(Expr::col(column))
        .arg(1)
        .arg(len)
        .into()
}

/// The cluster of a contribution's program as a scalar subquery (NULL without a program).
fn program_cluster() -> Expr {
    use entity::{contribution as c, program as p};
    Query::select()
        .column((p::Entity, p::Column::Cluster))
        .from(p::Entity)
        .and_where(Expr::col((p::Entity, p::Column::Id)).equals((c::Entity, c::Column::ProgramId)))
        .take()
        .into()
}

/// Contributions under a program of `cluster` (none: no restriction), as a condition on
/// `contributions`.
fn in_cluster(cluster: Option<Cluster>) -> Condition {
    use entity::program as p;
    match cluster {
        None => Condition::all(),
        Some(k) => Condition::all().add(
            entity::contribution::Column::ProgramId.in_subquery(
                Query::select()
                    .column(p::Column::Id)
                    .from(p::Entity)
                    .and_where(p::Column::Cluster.eq(k))
                    .to_owned(),
            ),
        ),
    }
}

/// An enum read back as text (from a scalar subquery, which the backends do not type as the enum).
fn parse_enum<E: ActiveEnum<Value = String>>(text: Option<String>) -> Option<E> {
    text.and_then(|s| E::try_from_value(&s).ok())
}
