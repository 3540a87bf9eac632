//! What each `sinergi` subcommand does. Every one that touches the database migrates it first.

use crate::config::{Cli, Command, Config, ImportWhat, MigrateAction, SheetArgs, UserAction};
use crate::db;
use crate::services::imports::ImportKind;
use crate::services::{demo, regions};
use crate::startup::Application;
use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use std::time::Instant;

/// Runs the command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Serve { demo: load_demo } => {
            if load_demo {
                let (conn, _) =
                    db::connect_and_migrate(&config.database_url, config.db_pool).await?;
                let report = demo::load(&conn).await?;
                println!("demo data ready ({} new rows)", report.inserted);
                conn.close().await?;
            }
            serve(&config).await
        }
        Command::Migrate { action } => migrate(&config, action.unwrap_or(MigrateAction::Up)).await,
        Command::Import {
            what: ImportWhat::Regions { file },
        } => import_regions(&config, &file).await,
        Command::Import { what } => {
            let (kind, args) = match what {
                ImportWhat::Contributions(a) => (ImportKind::Contributions, a),
                ImportWhat::Organizations(a) => (ImportKind::Organizations, a),
                ImportWhat::Programs(a) => (ImportKind::Programs, a),
                ImportWhat::Indicators(a) => (ImportKind::Indicators, a),
                ImportWhat::Regions { file } => return import_regions(&config, &file).await,
            };
            import_file(&config, kind, args).await
        }
        Command::Demo => {
            let (conn, _) = db::connect_and_migrate(&config.database_url, config.db_pool).await?;
            let report = demo::load(&conn).await?;
            println!(
                "demo data loaded ({} new rows) into {}",
                report.inserted,
                db::redact(&config.database_url)
            );
            Ok(())
        }
        Command::User {
            action:
                UserAction::Create {
                    email,
                    name,
                    role,
                    organization,
                    region,
                },
        } => create_user(&config, (&email, &name, &role), organization, region).await,
        Command::Backup { out } => {
            let (conn, _) = db::connect(&config.database_url, 1).await?;
            let copy = crate::services::backup::sqlite(&conn, &out).await?;
            println!(
                "backed up {} to {} ({} bytes, integrity ok)",
                db::redact(&config.database_url),
                out.display(),
                copy.bytes
            );
            Ok(())
        }
        Command::ExportSchema { out } => {
            std::fs::write(&out, crate::schema::sdl())
                .with_context(|| format!("cannot write {}", out.display()))?;
            println!("wrote {}", out.display());
            Ok(())
        }
    }
}

/// `sinergi import regions FILE`: the official list, checked whole before one transaction.
async fn import_regions(config: &Config, file: &std::path::Path) -> anyhow::Result<()> {
    let (conn, _) = db::connect_and_migrate(&config.database_url, config.db_pool).await?;
    let reader =
        std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    let started = Instant::now();
    let report = regions::import(&conn, std::io::BufReader::new(reader))
        .await
        .with_context(|| format!("{} was not imported; nothing changed", file.display()))?;
    println!(
        "{}: {} rows read, {} regions added, {} renamed, {} unchanged, in {:.1} s",
        file.display(),
        report.rows,
        report.inserted,
        report.updated,
        report.unchanged,
        started.elapsed().as_secs_f64()
    );
    let mut levels = regions::count_by_level(&conn).await?;
    levels.sort_by_key(|(level, _)| *level as u8);
    for (level, n) in levels {
        println!("  {level:?}: {n}");
    }
    Ok(())
}

/// `sinergi user create`: the password comes from `SINERGI_USER_PASSWORD` or standard input, never
/// from the command line (where `ps` would show it).
async fn create_user(
    config: &Config,
    (email, name, role): (&str, &str, &str),
    organization: Option<String>,
    region: Option<String>,
) -> anyhow::Result<()> {
    let (conn, _) = db::connect_and_migrate(&config.database_url, config.db_pool).await?;
    let password = match std::env::var("SINERGI_USER_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .context("cannot read the password from standard input")?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    let user =
        crate::services::users::create(&conn, email, name, role, organization, region, password)
            .await?;
    println!(
        "created {} ({:?}) with id {}",
        user.email, user.role, user.id
    );
    Ok(())
}

/// `sinergi import contributions|programs|organizations|indicators FILE`: prints progress on stderr every
/// [`crate::services::imports::PROGRESS_EVERY`] rows, every problem on stderr, and fails (nothing stored) when there is
/// any.
async fn import_file(config: &Config, kind: ImportKind, args: SheetArgs) -> anyhow::Result<()> {
    let SheetArgs {
        file,
        dry_run,
        regency,
        as_user,
    } = args;
    let file = file.as_path();
    use crate::services::imports::{Format, Importer, Job, Options};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let (conn, _) = db::connect_and_migrate(&config.database_url, config.db_pool).await?;
    let bytes = crate::services::imports::Bytes::from(
        std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?,
    );
    let user = match &as_user {
        None => None,
        Some(email) => {
            let u = entity::user::Entity::find()
                .filter(entity::user::Column::Email.eq(email.trim().to_lowercase()))
                .one(&conn)
                .await?
                .filter(|u| u.active)
                .with_context(|| format!("no active user {email}"))?;
            Some(u)
        }
    };
    let importer = match &user {
        Some(u) => Importer::User(u),
        None => Importer::System,
    };
    let started = Instant::now();
    let mut progress = |phase: &str, done: usize, total: usize| {
        eprintln!(
            "  {done} of {total} rows {phase} ({:.1} s)",
            started.elapsed().as_secs_f64()
        );
    };
    let gate = crate::services::writes::WriteGate::default();
    // The same limits as an upload: an operator trusting a bigger file raises them (`--import-max-rows`, ...).
    let options = Options {
        dry_run,
        regency,
        limits: config.import_limits.reader(),
    };
    let format = Format::from_path(file);
    let job = Job {
        db: &conn,
        gate: &gate,
        importer,
        bytes: &bytes,
        format,
        options: &options,
    };
    let result = kind.run(&job, &mut progress).await;
    let report = result
        .map_err(|e| match e {
            crate::error::AppError::Internal(cause) => cause,
            other => anyhow::anyhow!("{other}"),
        })
        .with_context(|| format!("{} was not imported; nothing changed", file.display()))?;
    for p in &report.problems {
        eprintln!(
            "row {}, column `{}`, value `{}`: {}",
            p.row, p.column, p.value, p.reason
        );
    }
    if !report.problems.is_empty() {
        anyhow::bail!(
            "{}: {} problem(s); nothing stored",
            file.display(),
            report.problems.len()
        );
    }
    println!(
        "{}: {} rows, {} new, {} changed, {} unchanged{}, in {:.1} s",
        file.display(),
        report.rows,
        report.inserted,
        report.updated,
        report.unchanged,
        if report.dry_run {
            " (dry run: nothing stored)"
        } else {
            ""
        },
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn serve(config: &Config) -> anyhow::Result<()> {
    let app = Application::build(config).await?;
    let url = format!("http://{}/graphql", app.addr());
    tracing::info!(%url, database = %db::redact(&config.database_url), "Sinergi is listening");
    println!(
        "Sinergi is running: open {url} (GraphiQL in a browser; POST GraphQL to the same URL)"
    );
    app.run_until_stopped().await
}

async fn migrate(config: &Config, action: MigrateAction) -> anyhow::Result<()> {
    let (conn, _) = db::connect(&config.database_url, config.db_pool).await?;
    match action {
        MigrateAction::Up => Migrator::up(&conn, None).await?,
        MigrateAction::Down { all: true, .. } => Migrator::reset(&conn).await?,
        MigrateAction::Down { steps, .. } => Migrator::down(&conn, Some(steps)).await?,
        MigrateAction::Status => {
            for m in Migrator::get_applied_migrations(&conn).await? {
                println!("applied  {}", m.name());
            }
            for m in Migrator::get_pending_migrations(&conn).await? {
                println!("pending  {}", m.name());
            }
        }
    }
    Ok(())
}
