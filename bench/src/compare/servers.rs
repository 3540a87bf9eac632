//! The two servers under comparison, each a child process of its own so that neither shares the
//! load generator's memory or threads, and both killed when the comparison ends, fails or is
//! interrupted (the guard kills on drop).

use anyhow::{Context, bail};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A child server, killed and reaped when dropped.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    pub name: &'static str,
}

impl Server {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory of the server process in KiB, from `/proc` (Linux only; None elsewhere).
    pub fn rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    /// Fails when the server has exited (a crash mid-run must not read as a slow server).
    pub fn check_alive(&mut self) -> anyhow::Result<()> {
        if let Some(status) = self.child.try_wait()? {
            bail!("{} exited during the comparison ({status})", self.name);
        }
        Ok(())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// Waits until `GET url` answers 2xx, or fails when the child exits or a minute passes.
async fn wait_ready(server: &mut Server, path: &str, probe_post: bool) -> anyhow::Result<()> {
    let http = reqwest::Client::builder().no_proxy().build()?;
    let url = format!("http://{}{path}", server.addr);
    for _ in 0..1200 {
        server.check_alive()?;
        let answer = if probe_post {
            http.post(&url)
                .header("content-type", "application/json")
                .body(r#"{"query":"{ __typename }"}"#)
                .send()
                .await
        } else {
            http.get(&url).send().await
        };
        if let Ok(r) = answer
            && r.status().is_success()
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("{} did not become ready within two minutes", server.name)
}

/// How the hub is started.
pub struct HubOptions<'a> {
    pub bin: &'a Path,
    pub database_url: &'a str,
    pub db_pool: u32,
    /// Extra environment (`KEY=VALUE`), e.g. allocator settings for a memory experiment.
    pub env: &'a [String],
    pub log_to: Option<&'a Path>,
}

/// Starts `sinergi serve` on a free loopback port. Rate limits are turned off (the load generator is
/// one user sending thousands of requests a second), and so are metrics and request logs, since
/// PostGraphile runs without either.
pub async fn start_hub(opts: &HubOptions<'_>) -> anyhow::Result<Server> {
    let addr: SocketAddr = format!("127.0.0.1:{}", free_port()?).parse()?;
    let mut cmd = Command::new(opts.bin);
    cmd.args(["serve", "--bind", &addr.to_string()])
        .env("DATABASE_URL", opts.database_url)
        .env("SINERGI_DB_POOL", opts.db_pool.to_string())
        .env("SINERGI_LOG", "warn")
        .env("SINERGI_METRICS", "false")
        .env("SINERGI_RATE_USER_PER_MINUTE", "0")
        .env("SINERGI_RATE_ANONYMOUS_PER_MINUTE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log_file(opts.log_to)?);
    for kv in opts.env {
        let (k, v) = kv
            .split_once('=')
            .with_context(|| format!("--hub-env {kv}: expected KEY=VALUE"))?;
        cmd.env(k, v);
    }
    let child = cmd
        .spawn()
        .with_context(|| format!("cannot start {}", opts.bin.display()))?;
    let mut server = Server {
        child,
        addr,
        name: "the hub",
    };
    wait_ready(&mut server, "/ready", false).await?;
    Ok(server)
}

fn log_file(path: Option<&Path>) -> anyhow::Result<Stdio> {
    Ok(match path {
        Some(p) => std::fs::File::create(p)
            .with_context(|| format!("cannot create {}", p.display()))?
            .into(),
        None => Stdio::null(),
    })
}

/// Installs `bench/postgraphile` with `npm ci` (the versions of its package-lock.json) when its
/// node_modules is missing.
pub fn ensure_postgraphile(dir: &Path) -> anyhow::Result<PathBuf> {
    let cli = dir.join("node_modules/postgraphile/cli.js");
    if cli.is_file() {
        return Ok(cli);
    }
    eprintln!("installing PostGraphile: npm ci in {}", dir.display());
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(dir)
        .stdin(Stdio::null())
        .status()
        .context("cannot run npm (Node.js 18+ and npm are needed for the comparison)")?;
    if !status.success() || !cli.is_file() {
        bail!("npm ci in {} failed ({status})", dir.display());
    }
    Ok(cli)
}

/// Starts PostGraphile 4 on the same database, configured as for production: no GraphiQL, no
/// watch mode, no query log, the connection-filter plugin, and as many database connections as the
/// hub's pool.
pub async fn start_postgraphile(
    cli: &Path,
    database_url: &str,
    db_pool: u32,
    log_to: Option<&Path>,
) -> anyhow::Result<Server> {
    let addr: SocketAddr = format!("127.0.0.1:{}", free_port()?).parse()?;
    let child = Command::new("node")
        .arg(cli)
        .args(["-c", database_url, "--schema", "public"])
        .args(["--append-plugins", "postgraphile-plugin-connection-filter"])
        .args(["--host", "127.0.0.1", "--port", &addr.port().to_string()])
        .args(["--max-pool-size", &db_pool.to_string()])
        .args([
            "--disable-graphiql",
            "--disable-query-log",
            "--dynamic-json",
        ])
        .args([
            "--no-setof-functions-contain-nulls",
            "--no-ignore-rbac",
            "--legacy-relations",
            "omit",
        ])
        .env("NODE_ENV", "production")
        .stdin(Stdio::null())
        .stdout(log_file(log_to)?)
        .stderr(log_file(
            log_to.map(|p| p.with_extension("err")).as_deref(),
        )?)
        .spawn()
        .context("cannot start node (Node.js 18+ is needed for the comparison)")?;
    let mut server = Server {
        child,
        addr,
        name: "PostGraphile",
    };
    wait_ready(&mut server, "/graphql", true).await?;
    Ok(server)
}
