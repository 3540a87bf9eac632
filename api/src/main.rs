//! `sinergi`: the coordination hub's single binary (serve, migrate, import, demo, export-schema).

use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = sinergi::config::Cli::parse();
    sinergi::telemetry::init(&cli.config.log);
    sinergi::commands::run(cli).await
}
