//! A resolver that panics on purpose, so the end-to-end tests can prove that a panic while resolving
//! becomes a 500 `INTERNAL` and the server keeps serving. It is a schema extension registered only
//! when the hidden `--panic-probe` setting is on: production schemas (and `schema.graphql`) do not
//! contain it. With it on, any field aliased `panicProbe` panics while it resolves.

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextResolve, ResolveInfo,
};
use async_graphql::{ServerResult, Value};
use std::sync::Arc;

/// The alias that makes a field panic.
pub const ALIAS: &str = "panicProbe";

/// Registers the probe.
pub struct PanicProbe;

impl ExtensionFactory for PanicProbe {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Probe)
    }
}

struct Probe;

#[async_graphql::async_trait::async_trait]
impl Extension for Probe {
    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        if info.alias == Some(ALIAS) {
            panic!("the panic probe was asked to panic");
        }
        next.run(ctx, info).await
    }
}
