//! `sinergi`: the coordination hub's single binary (serve, migrate, import, demo, export-schema).

use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = sinergi::config::Cli::parse();
    sinergi::telemetry::init(&cli.config.log, cli.config.log_format);
    let result = sinergi::commands::run(cli).await;
    sinergi::telemetry::shutdown();
    result
}
