//! Subscription clients as a partner's code would be: graphql-ws (graphql-transport-ws) over a
//! WebSocket, and GraphQL over SSE through plain HTTP.

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// One graphql-ws connection.
pub struct Ws {
    socket: Socket,
}

impl Ws {
    /// Connects and initialises with `token` in `connection_init` (none: anonymous); `Err` with the
    /// server's closing reason when it refuses.
    pub async fn connect(hub: SocketAddr, token: Option<&str>) -> Result<Ws, String> {
        let mut request = format!("ws://{hub}/graphql")
            .into_client_request()
            .expect("a request");
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            "graphql-transport-ws".parse().unwrap(),
        );
        let (socket, _) = tokio_tungstenite::connect_async(request)
            .await
            .map_err(|e| format!("no WebSocket: {e}"))?;
        let mut ws = Ws { socket };
        let payload = match token {
            Some(t) => json!({ "Authorization": format!("Bearer {t}") }),
            None => json!({}),
        };
        ws.send(json!({ "type": "connection_init", "payload": payload }))
            .await;
        match ws.next_message(Duration::from_secs(10)).await {
            Some(m) if m["type"] == "connection_ack" => Ok(ws),
            other => Err(format!("no connection_ack: {other:?}")),
        }
    }

    async fn send(&mut self, v: Value) {
        self.socket
            .send(Message::text(v.to_string()))
            .await
            .expect("sent");
    }

    /// Starts subscription `id`.
    pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        self.send(json!({ "type": "subscribe", "id": id, "payload": { "query": query, "variables": variables } }))
            .await;
    }

    /// The next protocol message (pings answered), or `None` after `wait` or when the socket
    /// closed (then `{"type": "closed", "reason": ...}`).
    pub async fn next_message(&mut self, wait: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let msg = tokio::time::timeout_at(deadline, self.socket.next())
                .await
                .ok()??;
            match msg {
                Ok(Message::Text(t)) => {
                    let v: Value = serde_json::from_str(&t).expect("JSON from the hub");
                    if v["type"] == "ping" {
                        self.send(json!({ "type": "pong" })).await;
                        continue;
                    }
                    return Some(v);
                }
                Ok(Message::Close(frame)) => {
                    return Some(
                        json!({ "type": "closed", "reason": frame.map(|f| f.reason.to_string()) }),
                    );
                }
                Ok(_) => continue,
                Err(e) => return Some(json!({ "type": "closed", "reason": e.to_string() })),
            }
        }
    }

    /// The payload of the next `next` message of any subscription, within `wait`.
    /// (Any other message is returned whole: an `error`, `complete` or `closed`.)
    pub async fn next_payload(&mut self, wait: Duration) -> Option<Value> {
        let m = self.next_message(wait).await?;
        Some(if m["type"] == "next" {
            m["payload"].clone()
        } else {
            m
        })
    }

    /// Closes the connection.
    pub async fn close(mut self) {
        let _ = self.socket.close(None).await;
    }
}

/// One GraphQL over SSE subscription: the response body read as it arrives.
pub struct Sse {
    response: reqwest::Response,
    buffer: String,
}

impl Sse {
    /// Sends the subscription with `Accept: text/event-stream`; the HTTP response when refused.
    pub async fn subscribe(
        client: &reqwest::Client,
        hub: SocketAddr,
        token: &str,
        query: &str,
        variables: Value,
    ) -> Result<Sse, (u16, String)> {
        let response = client
            .post(format!("http://{hub}/graphql"))
            .bearer_auth(token)
            .header("Accept", "text/event-stream")
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("an answer");
        let ok = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/event-stream"));
        if !ok {
            let status = response.status().as_u16();
            return Err((status, response.text().await.unwrap_or_default()));
        }
        Ok(Sse {
            response,
            buffer: String::new(),
        })
    }

    /// The next event as (event name, data), within `wait`.
    pub async fn next_event(&mut self, wait: Duration) -> Option<(String, String)> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut name = String::new();
                let mut data = String::new();
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        name = v.trim().to_string();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim_start());
                    }
                }
                if name.is_empty() && data.is_empty() {
                    continue; // a keep-alive comment
                }
                return Some((name, data));
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk())
                .await
                .ok()?
                .ok()??;
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}
