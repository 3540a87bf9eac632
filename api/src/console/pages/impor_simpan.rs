//! Uploads kept between an import's dry run and its confirmation.
//!
//! The confirmation must import the very file the dry run checked, without trusting the browser to
//! send it again unchanged: the dry run keeps the bytes in a server-side file named by a random
//! token, and the confirmation form carries only that token. The file's metadata binds it to the
//! user who uploaded it and to that browser's CSRF token (so a token seen elsewhere is useless), and
//! records its SHA-256 (a file altered on disk is refused). Files expire after [`KEEP`] and are swept
//! at each upload; a confirmed file is removed. Size is bounded by `max_import_bytes` before a file
//! gets here.
//!
//! The directory is local to one server: behind a load balancer without sticky sessions, a
//! confirmation reaching another replica finds nothing and asks for the file again (nothing is
//! imported by mistake).

use crate::services::imports::{Format, ImportKind};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

/// How long a checked upload waits for its confirmation.
pub const KEEP: Duration = Duration::from_secs(30 * 60);

/// A checked upload waiting for its confirmation.
pub struct Pending {
    /// What it imports.
    pub kind: ImportKind,
    /// CSV or XLSX.
    pub format: Format,
    /// The regency village names are looked up in.
    pub regency: Option<String>,
    /// The file's name as uploaded (shown, never used as a path).
    pub name: String,
    /// The file.
    pub bytes: Vec<u8>,
}

#[derive(Serialize, Deserialize)]
struct Meta {
    user: String,
    csrf: String,
    kind: String,
    xlsx: bool,
    regency: Option<String>,
    name: String,
    sha256: String,
}

fn dir() -> PathBuf {
    std::env::temp_dir().join("sinergi-impor")
}

fn digest(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Tokens are ours (URL-safe base64); anything else could name a path outside the directory.
fn valid(token: &str) -> bool {
    (16..=64).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn paths(token: &str) -> (PathBuf, PathBuf) {
    let d = dir();
    (
        d.join(format!("{token}.berkas")),
        d.join(format!("{token}.json")),
    )
}

/// Keeps `p` for `user` (acting from the browser holding `csrf`); the token names it.
pub async fn keep(user: &str, csrf: &str, p: &Pending) -> std::io::Result<String> {
    tokio::fs::create_dir_all(dir()).await?;
    sweep().await;
    let token = crate::console::session::new_token();
    let meta = Meta {
        user: user.to_string(),
        csrf: digest(csrf.as_bytes()),
        kind: p.kind.segment().to_string(),
        xlsx: p.format == Format::Xlsx,
        regency: p.regency.clone(),
        name: p.name.clone(),
        sha256: digest(&p.bytes),
    };
    let (file, meta_path) = paths(&token);
    tokio::fs::write(&file, &p.bytes).await?;
    tokio::fs::write(&meta_path, serde_json::to_vec(&meta).unwrap_or_default()).await?;
    Ok(token)
}

/// The upload `token` names, if it belongs to `user` in the browser holding `csrf`, has not
/// expired and is intact.
pub async fn find(token: &str, user: &str, csrf: &str) -> Option<Pending> {
    if !valid(token) {
        return None;
    }
    let (file, meta_path) = paths(token);
    let fresh = tokio::fs::metadata(&meta_path)
        .await
        .ok()?
        .modified()
        .ok()
        .and_then(|m| SystemTime::now().duration_since(m).ok())
        .is_some_and(|age| age < KEEP);
    let meta: Meta = serde_json::from_slice(&tokio::fs::read(&meta_path).await.ok()?).ok()?;
    if !fresh || meta.user != user || meta.csrf != digest(csrf.as_bytes()) {
        return None;
    }
    let bytes = tokio::fs::read(&file).await.ok()?;
    if digest(&bytes) != meta.sha256 {
        return None;
    }
    Some(Pending {
        kind: ImportKind::from_segment(&meta.kind)?,
        format: if meta.xlsx { Format::Xlsx } else { Format::Csv },
        regency: meta.regency,
        name: meta.name,
        bytes,
    })
}

/// Forgets an upload (after it was imported).
pub async fn forget(token: &str) {
    if valid(token) {
        let (file, meta_path) = paths(token);
        let _ = tokio::fs::remove_file(meta_path).await;
        let _ = tokio::fs::remove_file(file).await;
    }
}

/// Removes uploads older than [`KEEP`].
async fn sweep() {
    let Ok(mut entries) = tokio::fs::read_dir(dir()).await else {
        return;
    };
    while let Ok(Some(e)) = entries.next_entry().await {
        let old = e
            .metadata()
            .await
            .ok()
            .and_then(|m| m.modified().ok())
            .and_then(|m| SystemTime::now().duration_since(m).ok())
            .is_some_and(|age| age > KEEP);
        if old {
            let _ = tokio::fs::remove_file(e.path()).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_upload_is_found_only_by_its_owner_in_the_same_browser() {
        let p = Pending {
            kind: ImportKind::Programs,
            format: Format::Csv,
            regency: Some("33.26".into()),
            name: "program.csv".into(),
            bytes: b"kode,nama\n".to_vec(),
        };
        let token = keep("u1", "csrf-a", &p).await.unwrap();
        assert!(find(&token, "u2", "csrf-a").await.is_none(), "another user");
        assert!(
            find(&token, "u1", "csrf-b").await.is_none(),
            "another browser"
        );
        assert!(find("../../etc/passwd", "u1", "csrf-a").await.is_none());
        let found = find(&token, "u1", "csrf-a").await.unwrap();
        assert_eq!(found.bytes, p.bytes);
        assert_eq!(found.kind, ImportKind::Programs);
        // Altered on disk: refused.
        tokio::fs::write(paths(&token).0, b"kode,nama\nX,Y\n")
            .await
            .unwrap();
        assert!(find(&token, "u1", "csrf-a").await.is_none());
        forget(&token).await;
        assert!(!paths(&token).1.exists());
    }
}
