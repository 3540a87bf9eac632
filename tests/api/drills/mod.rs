//! Drills: what happens to acknowledged writes when the hub is killed, when its database goes away,
//! when SQLite is contended, when the hub is stopped under load, and when it is backed up while it
//! writes (issue 15). Each prints what it checked.
//!
//! The crash and shutdown drills need a hub in a process of its own, to kill it: the test binary
//! runs itself again with only [`child::child_server`] selected (an ignored test that serves until
//! it is killed), so no other binary has to be built first.

mod backup;
mod child;
mod contention;
mod crash;
mod outage;
mod shutdown;

use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::Stdio;
use std::time::Duration;

/// How the child announces where it listens.
const ADDR_LINE: &str = "SINERGI_DRILL_ADDR=";

/// A hub running in a child process (killed when dropped).
pub struct ChildHub {
    process: std::process::Child,
    /// Where it listens.
    pub addr: SocketAddr,
}

impl Drop for ChildHub {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

impl ChildHub {
    /// Starts a hub on `database_url` in a new process and waits until it listens.
    pub async fn start(database_url: &str, drain_secs: u64) -> ChildHub {
        Self::start_with_workers(database_url, drain_secs, None).await
    }

    /// As `start`, with `import_workers` import slots instead of the default.
    pub async fn start_with_workers(
        database_url: &str,
        drain_secs: u64,
        import_workers: Option<usize>,
    ) -> ChildHub {
        let exe = std::env::current_exe().expect("the test binary's path");
        let mut command = std::process::Command::new(exe);
        // The child dies with this test process, even when it is killed itself (a timeout, ^C):
        // no hub is left behind holding a database.
        // SAFETY: prctl(2) only, between fork and exec; it allocates nothing.
        unsafe {
            use std::os::unix::process::CommandExt;
            command.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
        let mut process = command
            .args([
                "drills::child::child_server",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(child::URL_ENV, database_url)
            .env(child::DRAIN_ENV, drain_secs.to_string())
            .env(
                child::WORKERS_ENV,
                import_workers.map(|w| w.to_string()).unwrap_or_default(),
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the child hub starts");
        let stdout = process.stdout.take().expect("piped");
        // A thread reads the child's output: it announces its address, then anything else it
        // prints is drained so a chatty child never blocks on a full pipe.
        let (found, announced) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                // The test harness may print its own "test ... " before it on the same line.
                if let Some(at) = line.find(ADDR_LINE) {
                    let _ = found.send(line[at + ADDR_LINE.len()..].trim().to_string());
                }
            }
        });
        let addr =
            tokio::task::spawn_blocking(move || announced.recv_timeout(Duration::from_secs(120)))
                .await
                .expect("the reader")
                .expect("the child hub listens within two minutes")
                .parse::<SocketAddr>()
                .expect("an address");
        ChildHub { process, addr }
    }

    /// Sends a signal to the child.
    pub fn signal(&self, signal: libc::c_int) {
        let pid = self.process.id() as libc::pid_t;
        // SAFETY: kill(2) on our own child's pid; no memory is shared.
        unsafe {
            libc::kill(pid, signal);
        }
    }

    /// Kills the child with SIGKILL (no chance to finish anything) and reaps it.
    pub fn kill(mut self) {
        self.signal(libc::SIGKILL);
        self.process.wait().expect("the child is reaped");
    }

    /// Waits for the child to exit, at most `limit`; its exit status, or `None` when it still runs.
    pub async fn wait(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let started = std::time::Instant::now();
        while started.elapsed() < limit {
            if let Some(status) = self.process.try_wait().expect("the child's status") {
                return Some(status);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        None
    }

    /// The child's memory, in kB, from `/proc/PID/status`: `VmRSS` (now) and `VmHWM` (its peak).
    pub fn memory_kb(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.process.id()))
            .expect("the child's status");
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                .unwrap_or_else(|| panic!("{name} in {status}"))
        };
        (field("VmRSS:"), field("VmHWM:"))
    }

    /// The URL of a path on the child.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
}

/// Prints what a drill checked, even when the test harness captures output (it captures `print!`
/// and `eprint!`, not writes to the stderr handle): `.ci/run` shows these lines on both databases.
pub fn report(line: &str) {
    use std::io::Write;
    let backend = if std::env::var(crate::helpers::PG_ENV).is_ok_and(|v| !v.is_empty()) {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let _ = writeln!(std::io::stderr(), "[{backend}] {line}");
}

/// The answer to one GraphQL request, or why there was none (connection refused or reset).
pub async fn gql(
    client: &reqwest::Client,
    hub: SocketAddr,
    token: &str,
    query: &str,
    variables: Value,
) -> Result<Value, String> {
    let res = client
        .post(format!("http://{hub}/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .map_err(|e| format!("no answer: {e}"))?;
    res.json::<Value>()
        .await
        .map_err(|e| format!("cut off: {e}"))
}
