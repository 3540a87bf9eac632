//! Every setting of the hub, from a flag or an environment variable (the README's table mirrors this).

mod commands;
mod import_limits;
mod rate_limits;
pub use commands::{Command, ImportWhat, MigrateAction, SheetArgs, UserAction};
pub use import_limits::ImportLimits;
pub use rate_limits::RateLimits;

use clap::{Args, Parser};
use std::path::PathBuf;

/// How long a request waits for a database connection by default (`SINERGI_DB_ACQUIRE_TIMEOUT_SECS`):
/// when the database is gone, a request fails with INTERNAL after this long instead of hanging.
pub const ACQUIRE_TIMEOUT_SECS: u64 = 5;
/// The `sinergi` command line.
#[derive(Parser, Debug, Clone)]
#[command(
    name = "sinergi",
    version,
    about = "Sinergi: the poverty-reduction coordination hub"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Settings shared by every subcommand.
#[derive(Args, Debug, Clone)]
pub struct Config {
    /// Database to use: `sqlite://PATH` (created when missing) or `postgres://USER@HOST/DB`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://sinergi.db",
        global = true
    )]
    pub database_url: String,

    /// Address the server listens on (`127.0.0.1:0` picks a free port).
    #[arg(
        long,
        env = "SINERGI_BIND",
        default_value = "127.0.0.1:8000",
        global = true
    )]
    pub bind: String,

    /// Largest number of pooled database connections. SQLite in WAL mode lets readers run beside the
    /// one writer, so it too gets a pool.
    #[arg(long, env = "SINERGI_DB_POOL", default_value_t = 8, global = true)]
    pub db_pool: u32,

    /// Seconds a request waits for a database connection (opening one included). When the
    /// database is down, requests fail with INTERNAL after this long instead of hanging; when it
    /// returns, the pool reconnects by itself.
    #[arg(
        long,
        env = "SINERGI_DB_ACQUIRE_TIMEOUT_SECS",
        default_value_t = ACQUIRE_TIMEOUT_SECS,
        global = true
    )]
    pub db_acquire_timeout_secs: u64,

    /// Seconds the server, after SIGTERM or Ctrl-C, lets the requests in flight finish before it
    /// exits anyway. New connections are refused from the signal on.
    #[arg(
        long,
        env = "SINERGI_SHUTDOWN_DRAIN_SECS",
        default_value_t = 20,
        global = true
    )]
    pub shutdown_drain_secs: u64,

    /// Log filter (tracing `EnvFilter` syntax); `RUST_LOG` overrides it.
    #[arg(
        long,
        env = "SINERGI_LOG",
        default_value = "info,sqlx=warn,sea_orm=warn",
        global = true
    )]
    pub log: String,

    /// Page size of a connection when the caller gives no `first`.
    #[arg(
        long,
        env = "SINERGI_DEFAULT_PAGE_SIZE",
        default_value_t = 20,
        global = true
    )]
    pub default_page_size: u32,

    /// Largest `first` a caller may ask for; more is a BAD_USER_INPUT error, not a silent clamp.
    #[arg(
        long,
        env = "SINERGI_MAX_PAGE_SIZE",
        default_value_t = 100,
        global = true
    )]
    pub max_page_size: u32,

    /// Deepest field nesting a query may have.
    #[arg(long, env = "SINERGI_MAX_DEPTH", default_value_t = 12, global = true)]
    pub max_depth: usize,

    /// Largest query complexity (each field counts 1, a connection multiplies by its page size).
    #[arg(
        long,
        env = "SINERGI_MAX_COMPLEXITY",
        default_value_t = 20_000,
        global = true
    )]
    pub max_complexity: usize,

    /// Most aliases one query may use (each alias runs its field again).
    #[arg(long, env = "SINERGI_MAX_ALIASES", default_value_t = 30, global = true)]
    pub max_aliases: usize,

    /// Largest query text, in bytes.
    #[arg(long, env = "SINERGI_MAX_QUERY_BYTES", default_value_t = 32 * 1024, global = true)]
    pub max_query_bytes: usize,

    /// Largest request body, in bytes.
    #[arg(long, env = "SINERGI_MAX_BODY_BYTES", default_value_t = 256 * 1024, global = true)]
    pub max_body_bytes: usize,

    /// Largest spreadsheet upload to `POST /imports/{kind}`, in bytes (CSV or XLSX).
    #[arg(long, env = "SINERGI_MAX_IMPORT_BYTES", default_value_t = 8 * 1024 * 1024, global = true)]
    pub max_import_bytes: usize,

    /// Secret for signing the hub's tokens (HS256, at least 32 characters). When unset, the hub
    /// generates one on first start and keeps it in its database.
    #[arg(
        long,
        env = "SINERGI_JWT_SECRET",
        global = true,
        hide_env_values = true
    )]
    pub jwt_secret: Option<String>,

    /// How long a token from `login` stays valid, in minutes.
    #[arg(
        long,
        env = "SINERGI_TOKEN_TTL_MINUTES",
        default_value_t = 720,
        global = true
    )]
    pub token_ttl_minutes: u32,

    /// PEM public key of a trusted single sign-on provider; its tokens are accepted too.
    #[arg(long, env = "SINERGI_SSO_PUBLIC_KEY_FILE", global = true)]
    pub sso_public_key_file: Option<PathBuf>,

    /// The one algorithm the single sign-on key accepts (RS256, ES256, EdDSA, ...).
    #[arg(
        long,
        env = "SINERGI_SSO_ALGORITHM",
        default_value = "RS256",
        global = true
    )]
    pub sso_algorithm: String,

    /// Required `iss` of single sign-on tokens.
    #[arg(long, env = "SINERGI_SSO_ISSUER", global = true)]
    pub sso_issuer: Option<String>,

    /// Required `aud` of single sign-on tokens.
    #[arg(long, env = "SINERGI_SSO_AUDIENCE", global = true)]
    pub sso_audience: Option<String>,

    /// Longest time one request may take, in seconds.
    #[arg(
        long,
        env = "SINERGI_REQUEST_TIMEOUT_SECS",
        default_value_t = 30,
        global = true
    )]
    pub request_timeout_secs: u64,

    /// Most fields one query may select, counted through fragments as complexity is (`__typename`
    /// included), so a document repeating one cheap field hundreds of times is refused.
    #[arg(long, env = "SINERGI_MAX_FIELDS", default_value_t = 300, global = true)]
    pub max_fields: usize,

    /// Who may introspect the schema: `on` (everyone), `signed-in` or `off`. When a caller may not,
    /// "Did you mean" suggestions are left out of its errors too.
    #[arg(
        long,
        env = "SINERGI_INTROSPECTION",
        value_enum,
        default_value = "on",
        global = true
    )]
    pub introspection: Introspection,

    /// Browser origins (exact, comma-separated, e.g. `https://dasbor.example.go.id`) allowed to call
    /// `/graphql` from another site. None by default.
    #[arg(
        long,
        env = "SINERGI_CORS_ORIGINS",
        value_delimiter = ',',
        global = true
    )]
    pub cors_origins: Vec<String>,

    /// The hub's own origin as browsers see it (e.g. `https://sinergi.example.go.id`), when a proxy
    /// in front rewrites the `Host` header. Console posts whose `Origin` is neither this nor the
    /// request's own host are refused. Unset: the request's `Host` alone.
    #[arg(long, env = "SINERGI_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// Approved GraphQL operations, loaded at start: a directory of `.graphql` files (each one's id
    /// is the SHA-256 of its text) or a JSON file mapping ids to documents.
    #[arg(long, env = "SINERGI_TRUSTED_DOCUMENTS", global = true)]
    pub trusted_documents: Option<PathBuf>,

    /// Execute only the trusted documents for callers who are not admins.
    #[arg(
        long,
        env = "SINERGI_TRUSTED_DOCUMENTS_ONLY",
        default_value_t = false,
        global = true
    )]
    pub trusted_documents_only: bool,

    /// How many automatic persisted queries the hub remembers (least recently used are forgotten).
    #[arg(
        long,
        env = "SINERGI_PERSISTED_QUERY_CACHE",
        default_value_t = 2000,
        global = true
    )]
    pub persisted_query_cache: usize,

    /// Megabytes of answers to repeated queries kept in memory (`0` turns the cache off). A query
    /// asked again by the same user, with the same variables, is answered from memory as long as
    /// nothing was written since (on any hub process) and for at most 10 seconds; see README,
    /// "Answers kept between requests".
    #[arg(
        long,
        env = "SINERGI_RESPONSE_CACHE_MB",
        default_value_t = 32,
        global = true
    )]
    pub response_cache_mb: usize,

    /// Earlier token secrets, comma-separated, still accepted (never used to sign) while an operator
    /// rotates `SINERGI_JWT_SECRET`.
    #[arg(
        long,
        env = "SINERGI_JWT_PREVIOUS_SECRETS",
        value_delimiter = ',',
        global = true,
        hide_env_values = true
    )]
    pub jwt_previous_secrets: Vec<String>,

    #[command(flatten)]
    pub rate_limits: RateLimits,

    #[command(flatten)]
    pub import_limits: ImportLimits,

    /// Header naming the client address when the hub runs behind a proxy (e.g.
    /// `X-Forwarded-For`: its last address, the one the proxy added, is used). Unset: the TCP peer.
    #[arg(long, env = "SINERGI_CLIENT_IP_HEADER", global = true)]
    pub client_ip_header: Option<String>,

    /// `Strict-Transport-Security: max-age=N` on responses to requests that a TLS-terminating proxy
    /// marks as HTTPS (`X-Forwarded-Proto: https` or `Forwarded: proto=https`); `0` sends none.
    #[arg(
        long,
        env = "SINERGI_HSTS_MAX_AGE_SECS",
        default_value_t = 31_536_000,
        global = true
    )]
    pub hsts_max_age_secs: u64,

    /// Add `includeSubDomains` to HSTS. Turn it off only when the hub's domain has subdomains
    /// still served over plain HTTP.
    #[arg(
        long,
        env = "SINERGI_HSTS_INCLUDE_SUBDOMAINS",
        default_value_t = true,
        action = clap::ArgAction::Set,
        global = true
    )]
    pub hsts_include_subdomains: bool,

    /// Collect Prometheus metrics and serve them on `GET /metrics`.
    #[arg(
        long,
        env = "SINERGI_METRICS",
        default_value_t = true,
        action = clap::ArgAction::Set,
        global = true
    )]
    pub metrics: bool,

    /// Log line format: `text` for people, `json` for log collectors.
    #[arg(
        long,
        env = "SINERGI_LOG_FORMAT",
        value_enum,
        default_value = "text",
        global = true
    )]
    pub log_format: LogFormat,

    /// Makes any field aliased `panicProbe` panic, for the test of the catch-panic layer. Never in
    /// production.
    #[arg(long, env = "SINERGI_PANIC_PROBE", hide = true, global = true)]
    pub panic_probe: bool,
}

/// Who may introspect the schema.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Introspection {
    /// Everyone, signed in or not (the schema is public: `schema.graphql` is in the repository).
    On,
    /// Signed-in callers only.
    SignedIn,
    /// Nobody.
    Off,
}

/// Format of log lines.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One human-readable line per event.
    Text,
    /// One JSON object per event, with the request's span fields (`request_id`, ...).
    Json,
}

impl Default for Config {
    fn default() -> Self {
        Cli::parse_from(["sinergi"]).config
    }
}
