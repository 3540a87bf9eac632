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
        Self::launch(width, height, false).await
    }

    /// A phone: a 390×844 viewport at pixel ratio 3, through Chrome's device emulation (a desktop
    /// window cannot be made that narrow on every platform).
    pub async fn phone() -> Option<Self> {
        Self::launch(390, 844, true).await
    }

    async fn launch(width: u32, height: u32, phone: bool) -> Option<Self> {
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
        let mut caps = caps.as_object().cloned().expect("an object");
        if phone {
            caps["goog:chromeOptions"]["mobileEmulation"] = serde_json::json!({
                "deviceMetrics": { "width": width, "height": height, "pixelRatio": 3.0, "touch": true }
            });
        }
        let url = format!("http://127.0.0.1:{port}");
        // Wait until chromedriver listens: a session request sent before that can hang fantoccini
        // rather than fail.
        let mut listening = false;
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                listening = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(listening, "chromedriver never listened on {port}");
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let last = match tokio::time::timeout(
            Duration::from_secs(60),
            ClientBuilder::new(connector)
                .capabilities(caps)
                .connect(&url),
        )
        .await
        {
            Ok(Ok(client)) => {
                let driver = guard.0.take().expect("the driver is still held");
                return Some(Browser { client, driver });
            }
            Ok(Err(e)) => format!("{e}"),
            Err(_) => "no answer within a minute".to_string(),
        };
        panic!("cannot open a browser session: {last:?}");
    }

    /// The visible text of the page's `<body>`. A page that is being replaced (a form's post, a
    /// redirect) can drop the body between finding it and reading it: then it is read again.
    pub async fn body_text(&self) -> String {
        let mut last = None;
        for _ in 0..50 {
            match self.client.find(Locator::Css("body")).await {
                Ok(body) => match body.text().await {
                    Ok(text) => return text,
                    Err(e) => last = Some(e),
                },
                Err(e) => last = Some(e),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the page's text could not be read: {last:?}");
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

    /// Opens `url` and waits until the document has loaded.
    pub async fn open(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
    }

    /// Types `text` into the element `css` (after clearing it).
    pub async fn fill(&self, css: &str, text: &str) {
        let el = self
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css}: {e}"));
        el.clear().await.expect("clear the field");
        el.send_keys(text).await.expect("type into the field");
    }

    /// Clicks the element `css`.
    pub async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css}: {e}"))
            .click()
            .await
            .expect("click");
    }

    /// Clicks the link whose text is exactly `text`.
    pub async fn click_link(&self, text: &str) {
        self.client
            .find(Locator::LinkText(text))
            .await
            .unwrap_or_else(|e| panic!("no link {text:?}: {e}"))
            .click()
            .await
            .expect("click the link");
    }

    /// The current URL's path and query.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("the current URL");
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        }
    }

    /// Waits (up to ten seconds) until the path and query start with `prefix`.
    pub async fn wait_for_path(&self, prefix: &str) -> String {
        let mut path = String::new();
        for _ in 0..100 {
            path = self.path().await;
            if path.starts_with(prefix) {
                return path;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the browser never reached {prefix}; it is at {path}");
    }

    /// Runs JavaScript in the page and returns its result.
    pub async fn js(&self, script: &str) -> serde_json::Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// The value of the cookie `name`, if the browser holds it.
    pub async fn cookie(&self, name: &str) -> Option<String> {
        self.client
            .get_named_cookie(name)
            .await
            .ok()
            .map(|c| c.value().to_string())
    }

    /// Resizes the browser window.
    pub async fn resize(&self, width: u32, height: u32) {
        self.client
            .set_window_size(width, height)
            .await
            .expect("resize the window");
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
/// no chromium behind. `killpg` with the group id, never the `kill` command: procps-ng 4.0.2 read
/// `kill -KILL -<pgid>` so that it signalled every process on the machine.
fn kill_group(child: &mut Child) {
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
