//! The hub the crash and shutdown drills run in a process of their own.

use crate::helpers::test_config;
use sinergi::startup::Application;

/// The database the child serves.
pub const URL_ENV: &str = "SINERGI_DRILL_DATABASE_URL";
/// The child's drain time after SIGTERM, in seconds.
pub const DRAIN_ENV: &str = "SINERGI_DRILL_DRAIN_SECS";
/// The child's import slots, when not the default.
pub const WORKERS_ENV: &str = "SINERGI_DRILL_IMPORT_WORKERS";

/// Serves a hub until killed or stopped by a signal, when a drill runs this test binary as its
/// child; without the drill's environment it does nothing.
#[tokio::test]
#[ignore = "the drills run it as their child process"]
async fn child_server() {
    let Ok(url) = std::env::var(URL_ENV) else {
        return;
    };
    let mut config = test_config(&url);
    config.shutdown_drain_secs = std::env::var(DRAIN_ENV)
        .ok()
        .and_then(|d| d.parse().ok())
        .unwrap_or(10);
    if let Some(workers) = std::env::var(WORKERS_ENV).ok().and_then(|w| w.parse().ok()) {
        config.import_limits.import_workers = workers;
    }
    let app = Application::build(&config)
        .await
        .expect("the child hub builds");
    println!("{}{}", super::ADDR_LINE, app.addr());
    app.run_until_stopped().await.expect("the child hub serves");
}
