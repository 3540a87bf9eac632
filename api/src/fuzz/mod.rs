//! Properties over every parser of client text: whatever arrives, it never panics and answers a
//! value or an error naming the field. `seeds.jsonl` (one JSON string per line) is the hand-kept
//! corpus of inputs that broke, or nearly broke, a parser; every property runs on it first. Failures
//! proptest finds are kept in `api/proptest-regressions/` and replayed before new cases. CI runs a
//! bounded pass (`PROPTEST_CASES` in `.ci/run`).

use crate::error::AppError;
use crate::pagination::{PageArgs, PageLimits};
use crate::region_code::RegionCode;
use crate::schema::scalars::{Date, DateTime, Rupiah};
use async_graphql::{ScalarType, Value};
use base64::Engine;
use proptest::prelude::*;

/// The seed corpus.
pub fn seeds() -> Vec<String> {
    include_str!("seeds.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("each seed line is a JSON string"))
        .collect()
}

const LIMITS: PageLimits = PageLimits {
    default_size: 20,
    max_size: 100,
};

fn region(raw: &str) -> Result<(), TestCaseError> {
    if let Ok(code) = RegionCode::parse(raw) {
        let s = code.as_str();
        prop_assert!(
            s.split('.')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())),
            "{raw:?} parsed as {s:?}"
        );
        prop_assert_eq!(
            RegionCode::parse(s).ok(),
            Some(code.clone()),
            "parsing is idempotent"
        );
    }
    Ok(())
}

fn field_of(e: &AppError) -> Option<&str> {
    match e {
        AppError::BadInput { field, .. } => Some(field),
        _ => None,
    }
}

fn cursor(raw: &str) -> Result<(), TestCaseError> {
    if let Err(e) = PageArgs::new(LIMITS, Some(10), Some(raw.to_string())) {
        prop_assert_eq!(field_of(&e), Some("after"));
    }
    Ok(())
}

fn scalars(raw: &str) {
    let _ = <Rupiah as ScalarType>::parse(Value::String(raw.to_string()));
    let _ = <Date as ScalarType>::parse(Value::String(raw.to_string()));
    let _ = <DateTime as ScalarType>::parse(Value::String(raw.to_string()));
}

fn filter(raw: &str) -> Result<(), TestCaseError> {
    if let Err(e) = crate::routes::exports::parse_filter(Some(raw)) {
        let field = field_of(&e).unwrap_or_default().to_string();
        prop_assert!(field.starts_with("filter"), "{raw:?}: {e:?}");
    }
    Ok(())
}

fn authorization(raw: &[u8]) -> Result<(), TestCaseError> {
    if let Ok(token) = crate::routes::observe::parse_bearer(raw) {
        prop_assert!(!token.is_empty() && !token.starts_with(' '));
    }
    Ok(())
}

fn all(raw: &str) -> Result<(), TestCaseError> {
    region(raw)?;
    cursor(raw)?;
    scalars(raw);
    filter(raw)?;
    authorization(raw.as_bytes())?;
    let limits = crate::limits::QueryLimits {
        max_query_bytes: 4096,
        max_aliases: 30,
        max_fields: 300,
    };
    let _ = crate::limits::check(raw, &limits);
    Ok(())
}

#[test]
fn the_seed_corpus_never_panics() {
    for raw in seeds() {
        all(&raw).unwrap_or_else(|e| panic!("{raw:?}: {e}"));
    }
    assert!(RegionCode::parse("3\u{ad}").is_err());
}

/// JSON values of any shape, a few levels deep: what a filter or a cursor may decode to.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(|f| serde_json::json!(f)),
        any::<String>().prop_map(serde_json::Value::from),
        "(3[0-9]?(\\.[0-9]{1,4}){0,4}|PLANNED|COMMITTED|APBDES|CSR)"
            .prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
            proptest::collection::hash_map(
                "(region|fiscalYear|status|source|organization|program|helix|cluster|[a-z]{1,8})",
                inner,
                0..6
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn any_text_never_panics_a_parser(raw in any::<String>()) {
        all(&raw)?;
    }

    #[test]
    fn code_like_text_never_panics(raw in "[0-9.\u{ad}\u{663}\u{ff13} -]{0,16}") {
        region(&raw)?;
    }

    #[test]
    fn any_json_filter_is_a_value_or_a_filter_error(v in json_value()) {
        filter(&v.to_string())?;
    }

    #[test]
    fn any_cursor_payload_is_a_page_or_an_after_error(v in json_value()) {
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
        cursor(&raw)?;
    }

    #[test]
    fn any_authorization_bytes_never_panic(raw in proptest::collection::vec(any::<u8>(), 0..200)) {
        authorization(&raw)?;
    }

    #[test]
    fn any_rupiah_number_never_panics(n in any::<f64>(), i in any::<i64>()) {
        let _ = <Rupiah as ScalarType>::parse(Value::from(i));
        if let Some(num) = async_graphql::Number::from_f64(n) {
            let _ = <Rupiah as ScalarType>::parse(Value::Number(num));
        }
    }
}

fn traceparent(raw: &str) -> Option<String> {
    let mut headers = axum::http::HeaderMap::new();
    headers.insert("traceparent", axum::http::HeaderValue::from_str(raw).ok()?);
    crate::routes::observe::trace_id(&headers)
}

#[test]
fn a_w3c_traceparent_gives_its_trace_id_and_anything_else_nothing() {
    assert_eq!(
        traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").as_deref(),
        Some("4bf92f3577b34da6a3ce929d0e0e4736")
    );
    for bad in [
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
        "garbage",
    ] {
        assert_eq!(traceparent(bad), None, "{bad}");
    }
}

proptest! {
    #[test]
    fn any_traceparent_never_panics(raw in "[0-9a-fA-F\\- ]{0,80}") {
        let _ = traceparent(&raw);
    }
}
