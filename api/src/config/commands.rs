//! The subcommands of `sinergi` and their arguments.

use clap::{Args, Subcommand};
use std::path::PathBuf;

/// The subcommands of `sinergi`.
#[derive(Subcommand, Debug, Clone)]
pub enum Command {
    /// Run the hub (migrating the database first).
    Serve {
        /// Load the demo dataset before serving (idempotent: safe on every start).
        #[arg(long)]
        demo: bool,
    },
    /// Apply or roll back migrations.
    Migrate {
        #[command(subcommand)]
        action: Option<MigrateAction>,
    },
    /// Load reference data from a file.
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Load the demo dataset (Kabupaten Pekalongan, Lampung, Kabupaten Malang) and demo users.
    Demo,
    /// Manage user accounts (the first admin is made here).
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Copy a SQLite hub to a file while it serves and writes (one consistent snapshot, checked
    /// with `PRAGMA integrity_check`). A PostgreSQL hub is backed up with PostgreSQL's own tools
    /// (`pg_dump`, base backups): see the README.
    Backup {
        /// The copy to write; it must not exist yet.
        #[arg(long)]
        out: PathBuf,
    },
    /// Write the GraphQL schema (SDL) to a file.
    ExportSchema {
        /// Where to write it.
        #[arg(long, short, default_value = "schema.graphql")]
        out: PathBuf,
    },
}

/// Migration actions.
#[derive(Subcommand, Debug, Clone)]
pub enum MigrateAction {
    /// Apply every pending migration (the default).
    Up,
    /// Roll back the last N migrations (all of them with --all).
    Down {
        /// How many to roll back.
        #[arg(long, default_value_t = 1)]
        steps: u32,
        /// Roll back every migration.
        #[arg(long)]
        all: bool,
    },
    /// List applied and pending migrations.
    Status,
}

/// What `sinergi import` can load.
#[derive(Subcommand, Debug, Clone)]
pub enum ImportWhat {
    /// The official `code,name` list of regions (dotted or undotted codes).
    Regions {
        /// The CSV file.
        file: PathBuf,
    },
    /// Contributions from a CSV or XLSX file (the template: `GET /imports/contributions/template.xlsx`).
    /// Every row is checked first; a file with any bad row stores nothing and lists every problem.
    /// Re-importing the same file changes nothing: rows are matched on (contributor, `kunci`).
    Contributions(SheetArgs),
    /// Programs with their yearly targets and target villages, one row per program, from a CSV or
    /// XLSX file (the template: `GET /imports/programs/template.xlsx`). All or nothing; rows are
    /// matched on the program code.
    Programs(SheetArgs),
    /// Organizations from a CSV or XLSX file (the template: `GET
    /// /imports/organizations/template.xlsx`). All or nothing; rows are matched on the name.
    Organizations(SheetArgs),
    /// Village indicators (one row per village and year) from a CSV or XLSX file (the template:
    /// `GET /imports/indicators/template.xlsx`). All or nothing, as for contributions; rows are
    /// matched on (village, year).
    Indicators(SheetArgs),
}

/// User account actions.
#[derive(Subcommand, Debug, Clone)]
pub enum UserAction {
    /// Create a user. The password is read from `SINERGI_USER_PASSWORD`, or from the first line of
    /// standard input, so it never appears in the shell history or the process list.
    Create {
        /// Sign-in e-mail.
        #[arg(long)]
        email: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// admin, coordinator, member or viewer.
        #[arg(long, default_value = "admin")]
        role: String,
        /// Organization id (members and coordinators).
        #[arg(long)]
        organization: Option<String>,
        /// Region prefix (coordinators).
        #[arg(long)]
        region: Option<String>,
    },
}

/// The arguments of every spreadsheet import.
#[derive(Args, Debug, Clone)]
pub struct SheetArgs {
    /// The file (`.xlsx` is read as a workbook, anything else as CSV).
    pub file: PathBuf,
    /// Check and count only; store nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Regency code (e.g. 33.26) under which region and village names in the file are looked up.
    #[arg(long)]
    pub regency: Option<String>,
    /// Act as this user (its permissions apply); without it, as a system administrator.
    #[arg(long = "as", value_name = "EMAIL")]
    pub as_user: Option<String>,
}
