//! What the hub needs to know about one GraphQL operation before and after it runs: which form of
//! the schema it runs on (introspection rules), its name, and its outcome code (spans and metrics).

use crate::auth::Viewer;
use crate::config::Introspection;
use crate::limits;
use crate::state::AppState;

/// The operation's name for spans and metrics: the one asked for, else the document's only named
/// operation, else `anonymous`.
///
/// This and the functions below read the document through `Request::parsed_query`, which parses it
/// once and keeps it in the request, where execution takes it: one parse per request.
pub(crate) fn name(request: &mut async_graphql::Request) -> String {
    if let Some(name) = &request.operation_name {
        return name.clone();
    }
    request
        .parsed_query()
        .ok()
        .and_then(|doc| {
            doc.operations
                .iter()
                .next()
                .and_then(|(name, _)| name.map(|n| n.to_string()))
        })
        .unwrap_or_else(|| "anonymous".into())
}

/// The type of the operation the request selects (`None`: the document does not parse, or names
/// no such operation).
pub(crate) fn kind(
    request: &mut async_graphql::Request,
) -> Option<async_graphql::parser::types::OperationType> {
    let wanted = request.operation_name.clone();
    let doc = request.parsed_query().ok()?;
    doc.operations
        .iter()
        .find(|(name, _)| match (&wanted, name) {
            (Some(wanted), Some(n)) => n.as_str() == wanted,
            (Some(_), None) => false,
            (None, _) => true,
        })
        .map(|(_, op)| op.node.ty)
}

/// `OK`, or the code of the first error.
pub(crate) fn outcome(response: &async_graphql::Response) -> &'static str {
    let Some(err) = response.errors.first() else {
        return "OK";
    };
    let code = err
        .extensions
        .as_ref()
        .and_then(|e| e.get("code"))
        .and_then(|v| match v {
            async_graphql::Value::String(s) => Some(s.as_str()),
            _ => None,
        });
    crate::error::Code::parse(code.unwrap_or_default()).as_str()
}

/// The schema a request runs on: the introspection-only one (no depth limit) for a document that
/// reads only the schema, when the caller may introspect; without introspection and suggestions for
/// a caller who may not; the full one otherwise.
pub(crate) fn pick_schema<'a>(
    state: &'a AppState,
    viewer: &Viewer,
    request: &mut async_graphql::Request,
) -> &'a crate::schema::AppSchema {
    let may_introspect = match state.introspection {
        Introspection::On => true,
        Introspection::SignedIn => matches!(viewer, Viewer::User(_)),
        Introspection::Off => false,
    };
    if !may_introspect {
        return &state.schemas.closed;
    }
    let introspection_only = request
        .parsed_query()
        .is_ok_and(limits::is_introspection_only);
    if introspection_only {
        &state.schemas.introspection
    } else {
        &state.schemas.open
    }
}
