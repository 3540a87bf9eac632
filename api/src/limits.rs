//! Limits async-graphql does not enforce itself: the size of the query text and the number of aliases
//! (each alias re-runs a field, so a few hundred of them multiply the work of a small query). Checked on
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
}

/// Checks a query text; `Err` says which limit it breaks. Unparsable text passes: the executor reports
/// the syntax error itself.
pub fn check(query: &str, limits: &QueryLimits) -> Result<(), String> {
    if query.len() > limits.max_query_bytes {
        return Err(format!(
            "the query is {} bytes; at most {} are accepted",
            query.len(),
            limits.max_query_bytes
        ));
    }
    let Ok(doc) = async_graphql::parser::parse_query(query) else {
        return Ok(());
    };
    let mut aliases = 0;
    for (_, op) in doc.operations.iter() {
        count_aliases(&doc, &op.node.selection_set.node, 0, &mut aliases);
    }
    if aliases > limits.max_aliases {
        return Err(format!(
            "the query uses {aliases} aliases; at most {} are accepted",
            limits.max_aliases
        ));
    }
    Ok(())
}

fn count_aliases(doc: &ExecutableDocument, set: &SelectionSet, depth: usize, n: &mut usize) {
    // Fragment cycles are a validation error anyway; the depth cap only keeps this walk finite.
    if depth > 64 {
        return;
    }
    for item in &set.items {
        match &item.node {
            Selection::Field(f) => {
                if f.node.alias.is_some() {
                    *n += 1;
                }
                count_aliases(doc, &f.node.selection_set.node, depth + 1, n);
            }
            Selection::InlineFragment(fr) => {
                count_aliases(doc, &fr.node.selection_set.node, depth + 1, n)
            }
            Selection::FragmentSpread(sp) => {
                if let Some(def) = doc.fragments.get(&sp.node.fragment_name.node) {
                    count_aliases(doc, &def.node.selection_set.node, depth + 1, n);
                }
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
    fn refuses_oversized_text() {
        assert!(check(&format!("{{ __typename }} #{}", "x".repeat(300)), &LIMITS).is_err());
    }
}
