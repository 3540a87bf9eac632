//! Relay connections with keyset cursors. A cursor is the sort key of the last row seen (opaque to
//! clients: base64 of a small JSON array), so paging never skips or repeats a row, even while rows are
//! being added, and costs an index range scan rather than an OFFSET.

use crate::error::{AppError, AppResult};
use crate::services::oldest_first::After;
use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, OutputType, SimpleObject};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Page-size limits, from the configuration.
#[derive(Clone, Copy, Debug)]
pub struct PageLimits {
    /// Used when the caller gives no `first`.
    pub default_size: u32,
    /// Largest allowed `first`.
    pub max_size: u32,
}

/// A validated page request.
#[derive(Debug, Clone)]
pub struct PageArgs {
    /// How many rows to return.
    pub first: u64,
    /// Sort key of the row to start after, decoded from the cursor.
    pub after: Option<Vec<serde_json::Value>>,
}

impl PageArgs {
    /// Checks `first` against the limits and decodes `after`.
    pub fn new(limits: PageLimits, first: Option<i32>, after: Option<String>) -> AppResult<Self> {
        let first = match first {
            None => limits.default_size as u64,
            Some(n) if n < 0 => return Err(AppError::bad_input("first", "must not be negative")),
            Some(n) if n as u32 > limits.max_size => {
                return Err(AppError::bad_input(
                    "first",
                    format!(
                        "at most {} rows per page; ask for the next page with `after`",
                        limits.max_size
                    ),
                ));
            }
            Some(n) => n as u64,
        };
        let after = after.map(|c| decode_cursor(&c)).transpose()?;
        Ok(Self { first, after })
    }

    /// Reads the limits from the request context.
    pub fn from_ctx(
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Self> {
        let limits = *ctx.data_unchecked::<PageLimits>();
        Self::new(limits, first, after)
    }

    /// The `after` key's `i`-th part as text.
    pub fn after_str(&self, i: usize) -> AppResult<Option<String>> {
        match &self.after {
            None => Ok(None),
            Some(k) => k
                .get(i)
                .and_then(|v| v.as_str())
                .map(|s| Some(s.to_string()))
                .ok_or_else(|| AppError::bad_input("after", "this cursor belongs to another list")),
        }
    }
}

/// The place a page of a work list read oldest first starts after (`services::oldest_first`),
/// from `after`; none without it.
pub fn oldest_first_after(args: &PageArgs) -> AppResult<Option<After>> {
    let (Some(at), Some(id)) = (args.after_str(0)?, args.after_str(1)?) else {
        return Ok(None);
    };
    let at = chrono::DateTime::parse_from_rfc3339(&at)
        .map_err(|_| AppError::bad_input("after", "not a cursor this API issued"))?
        .with_timezone(&chrono::Utc);
    Ok(Some(After { at, id }))
}

/// The cursor of a row of a work list read oldest first: its time (to the nanosecond, so that the
/// next page starts exactly after it) and its id.
pub fn oldest_first_cursor(at: chrono::DateTime<chrono::Utc>, id: &str) -> String {
    encode_cursor(&[
        at.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)
            .into(),
        id.into(),
    ])
}

/// Encodes a sort key as an opaque cursor.
pub fn encode_cursor(key: &[serde_json::Value]) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(key).unwrap_or_default())
}

fn decode_cursor(cursor: &str) -> AppResult<Vec<serde_json::Value>> {
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor)
        .map_err(|_| AppError::bad_input("after", "not a cursor this API issued"))?;
    serde_json::from_slice(&bytes)
        .map_err(|_| AppError::bad_input("after", "not a cursor this API issued"))
}

/// Fields every connection carries besides edges and pageInfo.
#[derive(SimpleObject, Debug, Clone, Copy)]
pub struct ConnectionTotals {
    /// How many rows the whole list holds, across all pages.
    pub total_count: i64,
}

/// A Relay connection of `N` with `totalCount`.
pub type Conn<N> = Connection<String, N, ConnectionTotals>;

/// Whether the caller selected `totalCount`, so that the count query runs only when asked for.
pub fn wants_total(ctx: &Context<'_>) -> bool {
    ctx.look_ahead().field("totalCount").exists()
}

/// Builds a connection from rows fetched with `LIMIT first + 1` (the extra row tells there is a next
/// page and is dropped).
pub fn connection<T, N: OutputType>(
    args: &PageArgs,
    mut rows: Vec<T>,
    total: Option<i64>,
    key: impl Fn(&T) -> Vec<serde_json::Value>,
    node: impl Fn(T) -> N,
) -> Conn<N> {
    let has_next = rows.len() as u64 > args.first;
    rows.truncate(args.first as usize);
    let mut conn = Connection::with_additional_fields(
        args.after.is_some(),
        has_next,
        ConnectionTotals {
            total_count: total.unwrap_or(0),
        },
    );
    conn.edges.extend(
        rows.into_iter()
            .map(|r| Edge::new(encode_cursor(&key(&r)), node(r))),
    );
    conn
}

/// A connection over a complete list already sorted by `key` ascending, for relations that stay small
/// (a district's villages, an organization's units). The cursor is the row's key.
pub fn connection_from_list<T, N: OutputType>(
    args: &PageArgs,
    rows: Vec<T>,
    key: impl Fn(&T) -> String,
    node: impl Fn(T) -> N,
) -> AppResult<Conn<N>> {
    let total = rows.len() as i64;
    let after = args.after_str(0)?;
    let rest: Vec<T> = rows
        .into_iter()
        .filter(|r| after.as_deref().is_none_or(|a| key(r).as_str() > a))
        .take(args.first as usize + 1)
        .collect();
    Ok(connection(
        args,
        rest,
        Some(total),
        |r| vec![key(r).into()],
        node,
    ))
}

/// Complexity of a connection field: its children count once per row asked for.
pub fn page_complexity(first: Option<i32>, child_complexity: usize) -> usize {
    let rows = first.unwrap_or(20).clamp(0, 10_000) as usize;
    rows.saturating_mul(child_complexity).saturating_add(1)
}
