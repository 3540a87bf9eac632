//! Limits async-graphql does not enforce itself: the size of the query text, the number of aliases
//! (each alias re-runs a field, so a few hundred of them multiply the work of a small query) and the
//! number of fields (complexity alone lets 500 copies of `__typename` through). Checked on
//! the parsed document before execution, so a refused query runs no SQL. Depth and complexity limits
//! are set on the schema (`schema::build`); all of them come from `Config`.

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

/// The limits checked before execution.
#[derive(Clone, Copy, Debug)]
pub struct QueryLimits {
    /// Largest query text, in bytes.
    pub max_query_bytes: usize,
    /// Most aliases in one document (counted through fragment spreads).
    pub max_aliases: usize,
    /// Most fields in one document, `__typename` included, counted through fragment spreads (a
    /// fragment spread twice counts twice, as complexity does).
    pub max_fields: usize,
}

/// Checks a query text; `Err` says which limit it breaks. Unparsable text passes: the executor reports
/// the syntax error itself.
pub fn check(query: &str, limits: &QueryLimits) -> Result<(), String> {
    check_size(query, limits)?;
    match async_graphql::parser::parse_query(query) {
        Ok(doc) => check_document(&doc, limits),
        Err(_) => Ok(()),
    }
}

/// The size limit alone, checked before the document is parsed.
pub fn check_size(query: &str, limits: &QueryLimits) -> Result<(), String> {
    if query.len() > limits.max_query_bytes {
        return Err(format!(
            "the query is {} bytes; at most {} are accepted",
            query.len(),
            limits.max_query_bytes
        ));
    }
    Ok(())
}

/// The alias and field limits of a parsed document (its size was checked before parsing).
pub fn check_document(doc: &ExecutableDocument, limits: &QueryLimits) -> Result<(), String> {
    let mut count = Count::default();
    for (_, op) in doc.operations.iter() {
        count.walk(doc, &op.node.selection_set.node, 0, limits);
    }
    if count.aliases > limits.max_aliases {
        return Err(format!(
            "the query uses more than {} aliases; at most {} are accepted",
            limits.max_aliases, limits.max_aliases
        ));
    }
    if count.fields > limits.max_fields {
        return Err(format!(
            "the query selects more than {} fields (counted through fragments); at most {} are accepted",
            limits.max_fields, limits.max_fields
        ));
    }
    Ok(())
}

/// Whether every operation of the document selects only `__schema`, `__type` or `__typename` at its
/// root (what GraphiQL and code generators send to learn the schema).
pub fn is_introspection_only(doc: &ExecutableDocument) -> bool {
    fn only_meta(doc: &ExecutableDocument, set: &SelectionSet, depth: usize) -> bool {
        depth < 16
            && set.items.iter().all(|item| match &item.node {
                Selection::Field(f) => f.node.name.node.starts_with("__"),
                Selection::InlineFragment(fr) => {
                    only_meta(doc, &fr.node.selection_set.node, depth + 1)
                }
                Selection::FragmentSpread(sp) => doc
                    .fragments
                    .get(&sp.node.fragment_name.node)
                    .is_some_and(|d| only_meta(doc, &d.node.selection_set.node, depth + 1)),
            })
    }
    let mut ops = doc.operations.iter().peekable();
    ops.peek().is_some() && ops.all(|(_, op)| only_meta(doc, &op.node.selection_set.node, 0))
}

#[derive(Default)]
struct Count {
    aliases: usize,
    fields: usize,
}

impl Count {
    /// Stops as soon as a limit is passed, so fragments spread into each other (each doubling the
    /// fields of the next) cannot make the walk itself the expensive part.
    fn walk(
        &mut self,
        doc: &ExecutableDocument,
        set: &SelectionSet,
        depth: usize,
        l: &QueryLimits,
    ) {
        // Fragment cycles are a validation error anyway; the depth cap only keeps this walk finite.
        if depth > 64 || self.aliases > l.max_aliases || self.fields > l.max_fields {
            return;
        }
        for item in &set.items {
            match &item.node {
                Selection::Field(f) => {
                    self.fields += 1;
                    if f.node.alias.is_some() {
                        self.aliases += 1;
                    }
                    self.walk(doc, &f.node.selection_set.node, depth + 1, l);
                }
                Selection::InlineFragment(fr) => {
                    self.walk(doc, &fr.node.selection_set.node, depth + 1, l)
                }
                Selection::FragmentSpread(sp) => {
                    if let Some(def) = doc.fragments.get(&sp.node.fragment_name.node) {
                        self.walk(doc, &def.node.selection_set.node, depth + 1, l);
                    }
                }
            }
            if self.aliases > l.max_aliases || self.fields > l.max_fields {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: QueryLimits = QueryLimits {
        max_query_bytes: 200,
        max_aliases: 2,
        max_fields: 5,
    };

    #[test]
    fn counts_aliases_through_fragments() {
        assert!(check("{ a: __typename b: __typename }", &LIMITS).is_ok());
        assert!(check("{ a: __typename b: __typename c: __typename }", &LIMITS).is_err());
        let via_fragment = "query { ...F ...F } fragment F on Query { x: __typename }";
        assert!(check(via_fragment, &LIMITS).is_ok());
        let three = "query { ...F ...F ...F } fragment F on Query { x: __typename }";
        assert!(check(three, &LIMITS).is_err());
    }

    #[test]
    fn counts_fields_through_fragments() {
        assert!(
            check(
                "{ __typename __typename __typename __typename __typename }",
                &LIMITS
            )
            .is_ok()
        );
        let six = "{ __typename __typename __typename __typename __typename __typename }";
        assert!(check(six, &LIMITS).is_err());
        let spread = "query { ...F ...F ...F } fragment F on Query { __typename __typename }";
        assert!(check(spread, &LIMITS).is_err());
    }

    #[test]
    fn refuses_oversized_text() {
        assert!(check(&format!("{{ __typename }} #{}", "x".repeat(300)), &LIMITS).is_err());
    }
}
