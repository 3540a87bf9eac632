//! One GraphQL request over HTTP, timed from sending to the last byte of the body, as a dashboard
//! experiences it.

use anyhow::Context;
use serde_json::Value;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// An HTTP client bound to the in-process server.
pub struct Client {
    http: reqwest::Client,
    url: String,
    token: Option<String>,
    persisted: bool,
}

impl Client {
    /// A client for `addr`, which must be a loopback address: the benchmark never talks to anything
    /// but the server it started itself. Proxies from the environment are ignored for the same reason.
    pub fn new(addr: SocketAddr, timeout: Duration) -> anyhow::Result<Self> {
        if !addr.ip().is_loopback() {
            anyhow::bail!("refusing to benchmark {addr}: only 127.0.0.1 is allowed");
        }
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(timeout)
            .build()
            .context("cannot build the HTTP client")?;
        Ok(Self {
            http,
            url: format!("http://{addr}/graphql"),
            token: None,
            persisted: false,
        })
    }

    /// Sends persisted-query hashes instead of documents from now on.
    pub fn use_persisted_queries(&mut self) {
        self.persisted = true;
    }

    /// Sends `Authorization: Bearer <token>` with every later request.
    pub fn set_token(&mut self, token: String) {
        self.token = Some(token);
    }

    /// Signs in through the hub's `login` mutation and returns the token.
    pub async fn login(&self, email: &str, password: &str) -> Result<String, String> {
        let query = "mutation($email: String!, $password: String!) { \
                     login(email: $email, password: $password) { token } }";
        let vars = serde_json::json!({ "email": email, "password": password });
        let (_, body) = self.send(query, &vars).await?;
        body.pointer("/data/login/token")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| "the login answer holds no token".to_owned())
    }

    /// Sends one query and returns its latency and response, or the reason it failed: a transport
    /// error, an HTTP status other than 200, or a GraphQL `errors` entry (its first message).
    pub async fn send(&self, query: &str, variables: &Value) -> Result<(Duration, Value), String> {
        let body = if self.persisted {
            // Automatic persisted queries: the hash alone; the document once, when the hub asks.
            let hash = sinergi::persisted::sha256(query);
            let ext = serde_json::json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
            let short = serde_json::json!({ "variables": variables, "extensions": ext });
            match self.post(&short).await {
                Err(e) if e == "PersistedQueryNotFound" => {}
                other => return other,
            }
            serde_json::json!({ "query": query, "variables": variables, "extensions": ext })
        } else {
            serde_json::json!({ "query": query, "variables": variables })
        };
        self.post(&body).await
    }

    async fn post(&self, body: &Value) -> Result<(Duration, Value), String> {
        let mut req = self
            .http
            .post(&self.url)
            .header("content-type", "application/json")
            .header("accept", "application/json")
            .body(body.to_string());
        if let Some(t) = &self.token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let started = Instant::now();
        let resp = req.send().await.map_err(|e| format!("HTTP error: {e}"))?;
        let status = resp.status();
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| format!("cannot read the response: {e}"))?;
        let took = started.elapsed();
        let json: Value = serde_json::from_slice(&bytes).map_err(|_| {
            let text = String::from_utf8_lossy(&bytes);
            format!(
                "HTTP {status}, not JSON: {}",
                text.chars().take(200).collect::<String>()
            )
        })?;
        if let Some(first) = json
            .get("errors")
            .and_then(Value::as_array)
            .and_then(|e| e.first())
        {
            let message = first
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("(an error without a message)");
            return Err(message.to_owned());
        }
        if !status.is_success() {
            return Err(format!("HTTP {status}"));
        }
        if json.get("data").is_none_or(Value::is_null) {
            return Err("the response has no data".to_owned());
        }
        Ok((took, json))
    }
}
