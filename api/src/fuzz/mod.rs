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
    match PageArgs::new(LIMITS, Some(10), Some(raw.to_string())) {
        Err(e) => prop_assert_eq!(field_of(&e), Some("after")),
        // A well-formed key of the wrong shape or with a bad time: the work lists refuse it too.
        Ok(args) => {
            if let Err(e) = crate::pagination::oldest_first_after(&args) {
                prop_assert_eq!(field_of(&e), Some("after"));
            }
        }
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
    if let Ok(token) = crate::context::parse_bearer(raw) {
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
    fn a_work_list_cursor_gives_back_the_place_it_was_made_of(
        secs in 946_684_800i64..4_102_444_800, nanos in 0u32..1_000_000_000, id in "\\PC{0,40}",
    ) {
        let at = chrono::DateTime::from_timestamp(secs, nanos).unwrap();
        let raw = crate::pagination::oldest_first_cursor(at, &id);
        let args = PageArgs::new(LIMITS, Some(10), Some(raw)).unwrap();
        let place = crate::pagination::oldest_first_after(&args).unwrap().unwrap();
        prop_assert_eq!(place, crate::services::oldest_first::After { at, id });
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

/// Reads `body` as the console's import upload (`multipart/form-data` with `boundary`) with a small
/// limit; it must answer, within a second, with an upload whose file fits the limit or an error.
fn upload(boundary: &str, body: Vec<u8>) -> Result<(), TestCaseError> {
    use crate::console::pages::impor::{UploadError, read_upload};
    use axum::extract::{FromRequest, Multipart};
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    let answer = rt.block_on(async {
        let req = axum::http::Request::builder()
            .method("POST")
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(axum::body::Body::from(body))
            .expect("a request");
        let read = async {
            match Multipart::from_request(req, &()).await {
                Ok(mp) => read_upload(mp, 64).await,
                Err(_) => Err(UploadError::Malformed),
            }
        };
        tokio::time::timeout(std::time::Duration::from_secs(1), read).await
    });
    let Ok(result) = answer else {
        return Err(TestCaseError::fail("the upload reader hung"));
    };
    if let Ok(up) = result {
        prop_assert!(up.file.is_none_or(|(_, _, b)| b.len() <= 64));
    }
    Ok(())
}

/// Bodies that look like multipart: boundaries, headers and file parts in any order, cut anywhere.
fn multipart_like() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"--XyZ\r\n".to_vec()),
        Just(b"--XyZ--\r\n".to_vec()),
        Just(b"Content-Disposition: form-data; name=\"berkas\"; filename=\"a.csv\"\r\n".to_vec()),
        Just(b"Content-Disposition: form-data; name=\"csrf\"\r\n".to_vec()),
        Just(b"Content-Type: text/csv\r\n".to_vec()),
        Just(b"\r\n".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..100),
    ];
    proptest::collection::vec(piece, 0..12).prop_map(|p| p.concat())
}

proptest! {
    #[test]
    fn any_upload_bytes_are_read_or_refused(body in proptest::collection::vec(any::<u8>(), 0..400)) {
        upload("XyZ", body)?;
    }

    #[test]
    fn any_multipart_like_body_is_read_or_refused(body in multipart_like(), boundary in "[A-Za-z0-9 '()+_,./:=?-]{0,8}") {
        upload("XyZ", body.clone())?;
        upload(&boundary, body)?;
    }
}

#[test]
fn a_file_over_the_limit_is_too_large_and_one_within_is_read() {
    use crate::console::pages::impor::{UploadError, read_upload};
    use axum::extract::{FromRequest, Multipart};
    let body = |n: usize| {
        format!(
            "--XyZ\r\nContent-Disposition: form-data; name=\"jenis\"\r\n\r\nprograms\r\n--XyZ\r\nContent-Disposition: form-data; name=\"berkas\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\n{}\r\n--XyZ--\r\n",
            "x".repeat(n)
        )
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let read = |n: usize| {
        rt.block_on(async {
            let req = axum::http::Request::builder()
                .method("POST")
                .header("content-type", "multipart/form-data; boundary=XyZ")
                .body(axum::body::Body::from(body(n)))
                .unwrap();
            read_upload(Multipart::from_request(req, &()).await.unwrap(), 64).await
        })
    };
    let up = read(64).unwrap();
    assert_eq!(up.fields["jenis"], "programs");
    assert_eq!(up.file.unwrap().2.len(), 64);
    assert_eq!(
        read(65).unwrap_err(),
        UploadError::TooLarge(Some("programs".into()))
    );
}
