//! The door every spreadsheet upload passes, through the API (`POST /imports/{kind}`) and the
//! console (`POST /impor`): at most `SINERGI_IMPORT_WORKERS` uploads are read and checked at once,
//! each holding a slot from before its body is read until its import is done, so the memory and
//! cores that uploads can take are bounded however many arrive. One more is answered at once,
//! "busy, try again" (503 with `Retry-After`), rather than queued: a queue of 8 MB bodies is the
//! memory the slots exist to bound. A body larger than the upload limit is refused from its
//! declared length before a byte of it is read, or at the limit when it declares none; a body
//! that does not arrive within the read timeout gives its slot back.

use crate::config::ImportLimits;
use crate::services::imports::read::{Code, Limits};
use crate::services::imports::{Problem, Report};
use axum::Json;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Seconds a client is told to wait when every slot is taken.
pub const RETRY_AFTER_SECS: u64 = 5;

/// The upload slots and limits.
pub struct ImportDoor {
    slots: Arc<Semaphore>,
    workers: usize,
    /// What a file may hold.
    pub limits: Limits,
    /// Largest upload body, in bytes.
    pub max_bytes: usize,
    read_timeout: Duration,
}

/// An upload refused at the door: its status and the one-problem report that says why.
#[derive(Debug)]
pub struct Refused {
    /// 413, 503 or 408.
    pub status: StatusCode,
    /// Why, with its code, setting and limit.
    pub problem: Box<Problem>,
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        let busy = self.status == StatusCode::SERVICE_UNAVAILABLE;
        let mut res = (self.status, Json(Report::refused(*self.problem))).into_response();
        if busy {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECS));
        }
        res
    }
}

impl ImportDoor {
    /// The door for these settings and upload limit.
    pub fn new(settings: &ImportLimits, max_bytes: usize) -> Self {
        let workers = settings.import_workers.max(1);
        Self {
            slots: Arc::new(Semaphore::new(workers)),
            workers,
            limits: settings.reader(),
            max_bytes,
            read_timeout: Duration::from_secs(settings.import_read_timeout_secs.max(1)),
        }
    }

    /// A slot, held until the import is done; `Err` when every slot is taken.
    pub fn enter(&self) -> Result<OwnedSemaphorePermit, Refused> {
        self.slots.clone().try_acquire_owned().map_err(|_| Refused {
            status: StatusCode::SERVICE_UNAVAILABLE,
            problem: Box::new(Problem::upload(Code::Busy, self.workers as u64)),
        })
    }

    /// Whether the declared length already breaks a limit of `max` bytes.
    pub fn declared_too_large(headers: &HeaderMap, max: usize) -> bool {
        headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .is_some_and(|n| n > max as u64)
    }

    /// The refusal of a body over the upload limit.
    pub fn too_large(&self) -> Refused {
        Refused {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            problem: Box::new(Problem::upload(Code::TooLarge, self.max_bytes as u64)),
        }
    }

    /// The refusal of a body that took too long.
    pub fn too_slow(&self) -> Refused {
        Refused {
            status: StatusCode::REQUEST_TIMEOUT,
            problem: Box::new(Problem::upload(
                Code::ReadTimeout,
                self.read_timeout.as_secs(),
            )),
        }
    }

    /// Runs `read` (the body's reading) within the read timeout.
    pub async fn in_time<T>(&self, read: impl Future<Output = T>) -> Result<T, Refused> {
        tokio::time::timeout(self.read_timeout, read)
            .await
            .map_err(|_| self.too_slow())
    }

    /// Reads a raw upload body: refused from its declared length, at the limit, or when slow.
    pub async fn read_body(&self, headers: &HeaderMap, body: Body) -> Result<Bytes, Refused> {
        use futures_util::StreamExt;
        if Self::declared_too_large(headers, self.max_bytes) {
            return Err(self.too_large());
        }
        let read = async {
            let mut stream = body.into_data_stream();
            let mut bytes = Vec::new();
            while let Some(chunk) = stream.next().await {
                // A client that went away mid-body: nobody reads the answer, the slot is freed.
                let chunk = chunk.map_err(|_| Refused {
                    status: StatusCode::BAD_REQUEST,
                    problem: Box::new(Problem::refused(
                        crate::services::imports::read::Refusal::plain(Code::Unreadable),
                    )),
                })?;
                if bytes.len() + chunk.len() > self.max_bytes {
                    return Err(self.too_large());
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(Bytes::from(bytes))
        };
        self.in_time(read).await?
    }
}
