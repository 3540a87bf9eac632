//! The live-update marker of a console page: where its script (`/aset/langsung-1.js`) listens for
//! changes (a GraphQL subscription over SSE on this hub, signed in by the session cookie), and a
//! status line read out politely to screen readers.

use maud::{Markup, html};
use serde_json::json;

/// Contributions in `region` (every region when empty) change.
pub fn contributions(region: &str) -> Markup {
    marker(
        "subscription($r: String) { contributionChanges(region: $r) { action } }",
        region,
    )
}

/// Action items in `region` (every region when empty) change or fall overdue.
pub fn action_items(region: &str) -> Markup {
    marker(
        "subscription($r: String) { actionItemChanges(region: $r) { action } }",
        region,
    )
}

fn marker(query: &str, region: &str) -> Markup {
    let region = if region.is_empty() {
        serde_json::Value::Null
    } else {
        json!(region)
    };
    let address = format!(
        "/graphql?{}",
        serde_urlencoded::to_string([
            ("query", query.to_string()),
            ("variables", json!({ "r": region }).to_string()),
        ])
        .unwrap_or_default()
    );
    html! {
        p.langsung data-langsung=(address) aria-live="polite" {
            span.langsung-status { (super::words::LIVE_NOTE) }
        }
    }
}
