//! Reading the import page's multipart upload: one file under a size limit, a few short text
//! fields, and a clear refusal of anything else. Client input (see `fuzz`).

use axum::extract::Multipart;
use axum::http::StatusCode;
use std::collections::HashMap;

/// Room for the multipart envelope and the small fields around the file.
pub const ENVELOPE: usize = 64 * 1024;

/// The file field of the upload form.
pub(super) const FILE: &str = "berkas";
/// Text fields the upload form has, and how long each may be.
const TEXT_FIELDS: usize = 8;
const TEXT_BYTES: usize = 1024;

/// A multipart upload as read: its small text fields and at most one file.
#[derive(Debug, Default)]
pub struct Upload {
    /// Text fields by name.
    pub fields: HashMap<String, String>,
    /// The file: its name, media type and bytes.
    pub file: Option<(String, String, Vec<u8>)>,
}

/// Why an upload could not be read.
#[derive(Debug, PartialEq, Eq)]
pub enum UploadError {
    /// The file is larger than the limit (with the kind chosen, when read before the file).
    TooLarge(Option<String>),
    /// Not a multipart form this page sent.
    Malformed,
}

fn upload_error(e: axum::extract::multipart::MultipartError) -> UploadError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        UploadError::TooLarge(None)
    } else {
        UploadError::Malformed
    }
}

/// Reads the upload form: a file of at most `limit` bytes under [`FILE`], a few short text fields.
/// Client input: whatever arrives, this ends with a value or an error (see `fuzz`).
pub async fn read_upload(mut mp: Multipart, limit: usize) -> Result<Upload, UploadError> {
    let mut up = Upload::default();
    while let Some(mut field) = mp.next_field().await.map_err(upload_error)? {
        let name = field.name().unwrap_or("").to_string();
        if name == FILE {
            if up.file.is_some() {
                return Err(UploadError::Malformed);
            }
            let file_name = field.file_name().unwrap_or("").to_string();
            let media = field.content_type().unwrap_or("").to_string();
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(upload_error)? {
                if bytes.len() + chunk.len() > limit {
                    return Err(UploadError::TooLarge(up.fields.remove("jenis")));
                }
                bytes.extend_from_slice(&chunk);
            }
            up.file = Some((file_name, media, bytes));
        } else {
            let mut text = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(upload_error)? {
                if text.len() + chunk.len() > TEXT_BYTES || up.fields.len() >= TEXT_FIELDS {
                    return Err(UploadError::Malformed);
                }
                text.extend_from_slice(&chunk);
            }
            up.fields
                .insert(name, String::from_utf8_lossy(&text).trim().to_string());
        }
    }
    Ok(up)
}
