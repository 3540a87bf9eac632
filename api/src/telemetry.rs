//! Logging: one subscriber with the request span's fields (`request_id`, `route`, `trace_id`) on
//! every line, as text or JSON (`SINERGI_LOG_FORMAT`); a panic hook that logs a panic once, inside the
//! span of the request that panicked; and, in a build with the `otlp` feature, OpenTelemetry export
//! of the spans when `OTEL_EXPORTER_OTLP_ENDPOINT` is set, with a W3C `traceparent` as parent.

use crate::config::LogFormat;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Installs the global subscriber and the panic hook; `RUST_LOG` wins over the configured filter.
pub fn init(filter: &str, format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(filter));
    let (text, json) = match format {
        LogFormat::Text => (
            Some(tracing_subscriber::fmt::layer().with_writer(std::io::stderr)),
            None,
        ),
        LogFormat::Json => (
            None,
            Some(
                tracing_subscriber::fmt::layer()
                    .json()
                    .with_current_span(true)
                    .with_span_list(false)
                    .with_writer(std::io::stderr),
            ),
        ),
    };
    let registry = tracing_subscriber::registry()
        .with(filter)
        .with(text)
        .with(json)
        .with(otlp::layer());
    let _ = registry.try_init();
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".into());
        tracing::error!(panic = %message, location = %location, "panic: answered 500 INTERNAL");
    }));
}

/// Flushes spans still waiting for export (call before the process exits).
pub fn shutdown() {
    otlp::shutdown();
}

/// Makes a W3C `traceparent` the parent of `span` when OpenTelemetry export is on; otherwise the
/// trace id is only recorded on the span (by `routes::observe`).
pub fn set_parent(span: &tracing::Span, headers: &axum::http::HeaderMap) {
    otlp::set_parent(span, headers);
}

#[cfg(feature = "otlp")]
mod otlp {
    use opentelemetry::trace::TracerProvider as _;
    use opentelemetry_sdk::trace::SdkTracerProvider;
    use std::sync::OnceLock;
    use tracing_opentelemetry::OpenTelemetrySpanExt;

    static PROVIDER: OnceLock<SdkTracerProvider> = OnceLock::new();

    /// The export layer, when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (the exporter reads the standard
    /// `OTEL_*` variables itself: endpoint, headers, timeout, service name).
    pub fn layer<S>()
    -> Option<tracing_opentelemetry::OpenTelemetryLayer<S, opentelemetry_sdk::trace::Tracer>>
    where
        S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
    {
        std::env::var_os("OTEL_EXPORTER_OTLP_ENDPOINT")?;
        let exporter = match opentelemetry_otlp::SpanExporter::builder()
            .with_http()
            .build()
        {
            Ok(e) => e,
            Err(e) => {
                eprintln!("OpenTelemetry export is off: {e}");
                return None;
            }
        };
        let resource = opentelemetry_sdk::Resource::builder()
            .with_service_name(
                std::env::var("OTEL_SERVICE_NAME").unwrap_or_else(|_| "sinergi".into()),
            )
            .build();
        let provider = SdkTracerProvider::builder()
            .with_batch_exporter(exporter)
            .with_resource(resource)
            .build();
        opentelemetry::global::set_text_map_propagator(
            opentelemetry_sdk::propagation::TraceContextPropagator::new(),
        );
        let tracer = provider.tracer("sinergi");
        let _ = PROVIDER.set(provider);
        Some(tracing_opentelemetry::layer().with_tracer(tracer))
    }

    pub fn shutdown() {
        if let Some(p) = PROVIDER.get() {
            let _ = p.shutdown();
        }
    }

    struct Headers<'a>(&'a axum::http::HeaderMap);

    impl opentelemetry::propagation::Extractor for Headers<'_> {
        fn get(&self, key: &str) -> Option<&str> {
            self.0.get(key).and_then(|v| v.to_str().ok())
        }
        fn keys(&self) -> Vec<&str> {
            self.0.keys().map(|k| k.as_str()).collect()
        }
    }

    pub fn set_parent(span: &tracing::Span, headers: &axum::http::HeaderMap) {
        if PROVIDER.get().is_none() {
            return;
        }
        let parent =
            opentelemetry::global::get_text_map_propagator(|p| p.extract(&Headers(headers)));
        let _ = span.set_parent(parent);
    }
}

#[cfg(not(feature = "otlp"))]
mod otlp {
    /// Without the `otlp` feature there is no exporter; a configured endpoint is reported once.
    pub fn layer() -> Option<tracing_subscriber::layer::Identity> {
        if std::env::var_os("OTEL_EXPORTER_OTLP_ENDPOINT").is_some() {
            eprintln!(
                "OTEL_EXPORTER_OTLP_ENDPOINT is set, but this build has no OpenTelemetry export: \
                 build with `--features otlp`"
            );
        }
        None
    }

    pub fn shutdown() {}

    pub fn set_parent(_span: &tracing::Span, _headers: &axum::http::HeaderMap) {}
}
