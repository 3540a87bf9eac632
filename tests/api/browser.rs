//! A real browser for console and GraphiQL tests: Debian's `chromium` driven through
//! `chromedriver` (WebDriver) with fantoccini. Each test gets its own chromedriver and a fresh,
//! headless browser profile, killed when the test ends. When chromium or chromedriver is missing
//! (`.ci/run` installs both), the test prints why and is skipped.

use fantoccini::{Client, ClientBuilder, Locator};
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running chromedriver and one browser session on it.
pub struct Browser {
    /// The WebDriver session.
    pub client: Client,
    driver: Child,
}

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

impl Browser {
    /// Starts chromedriver on a free port and opens a headless chromium at `width`×`height`;
    /// `None` (with the reason printed) when the browser is not installed.
    pub async fn start(width: u32, height: u32) -> Option<Self> {
        for path in [CHROMIUM, CHROMEDRIVER] {
            if !std::path::Path::new(path).exists() {
                eprintln!("skipped: {path} is missing (apt-get install chromium chromium-driver)");
                return None;
            }
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("chromedriver starts");
        let mut guard = Starting(Some(driver));
        let caps = serde_json::json!({
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--lang=id-ID",
                    format!("--window-size={width},{height}"),
                ],
            }
        });
        let caps = caps.as_object().cloned().expect("an object");
        let url = format!("http://127.0.0.1:{port}");
        // chromedriver takes a moment to listen; retry the session for up to ten seconds.
        let mut last = None;
        for _ in 0..100 {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    let driver = guard.0.take().expect("the driver is still held");
                    return Some(Browser { client, driver });
                }
                Err(e) => {
                    last = Some(e);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
        panic!("cannot open a browser session: {last:?}");
    }

    /// The visible text of the page's `<body>`.
    pub async fn body_text(&self) -> String {
        self.client
            .find(Locator::Css("body"))
            .await
            .expect("a body")
            .text()
            .await
            .expect("its text")
    }

    /// Waits (up to ten seconds) until the body's text contains `needle`, and returns the text.
    pub async fn wait_for_text(&self, needle: &str) -> String {
        let mut text = String::new();
        for _ in 0..100 {
            text = self.body_text().await;
            if text.contains(needle) {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the page never showed {needle:?}; it shows:\n{text}");
    }

    /// Closes the session; chromedriver is killed on drop.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

/// Kills a chromedriver that never got a session (a failed start must not leave it running).
struct Starting(Option<Child>);

impl Drop for Starting {
    fn drop(&mut self) {
        if let Some(child) = &mut self.0 {
            kill_group(child);
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        kill_group(&mut self.driver);
    }
}

/// Kills chromedriver and the browsers it started (its own process group), so a failed test leaves
/// no chromium behind.
fn kill_group(child: &mut Child) {
    // killpg with the group id, never the `kill` command: procps-ng 4.0.2 read
    // `kill -KILL -<pgid>` so that it signalled every process on the machine (PostgreSQL included).
    let Ok(pgid) = libc::pid_t::try_from(child.id()) else {
        return;
    };
    if pgid > 1 {
        // SAFETY: killpg only sends a signal; the group is chromedriver's own (process_group(0)).
        unsafe {
            libc::killpg(pgid, libc::SIGKILL);
        }
    }
    let _ = child.wait();
}
