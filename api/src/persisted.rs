//! Persisted operations: automatic persisted queries (Apollo's `persistedQuery` extension: a client
//! sends the SHA-256 of a document, and the document itself only when the hub answers
//! `PERSISTED_QUERY_NOT_FOUND`) and trusted documents, a set of approved operations loaded at start
//! (optionally the only ones non-admins may run).

use anyhow::Context as _;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::num::NonZeroUsize;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// The lowercase hex SHA-256 of a document's text.
pub fn sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Why a persisted operation cannot run.
#[derive(Debug, PartialEq, Eq)]
pub enum PersistedError {
    /// The id is unknown: send the document with it (`PERSISTED_QUERY_NOT_FOUND`).
    NotFound,
    /// The `persistedQuery` extension is malformed or its hash does not match the document.
    BadExtension(&'static str),
}

/// Where the document of a request came from.
#[derive(Debug, Default)]
pub struct Resolved {
    /// The document is one of the trusted documents.
    pub trusted: bool,
    /// A new automatic persisted query to remember once the caller is allowed to run it.
    pub register: Option<(String, Arc<str>)>,
    /// The request named its document by id (a persisted query).
    pub persisted: bool,
}

/// Trusted documents and the automatic persisted query cache.
pub struct Persisted {
    trusted: HashMap<String, Arc<str>>,
    trusted_hashes: HashSet<String>,
    only: bool,
    cache: Mutex<lru::LruCache<String, Arc<str>>>,
}

impl Persisted {
    /// Loads the trusted documents the settings name.
    pub fn load(path: Option<&Path>, only: bool, cache_size: usize) -> anyhow::Result<Self> {
        let trusted = match path {
            None => HashMap::new(),
            Some(p) => load_trusted(p)?,
        };
        if only && trusted.is_empty() {
            anyhow::bail!(
                "SINERGI_TRUSTED_DOCUMENTS_ONLY needs SINERGI_TRUSTED_DOCUMENTS with at least one document"
            );
        }
        let trusted_hashes = trusted.values().map(|d| sha256(d)).collect();
        Ok(Self {
            trusted,
            trusted_hashes,
            only,
            cache: Mutex::new(lru::LruCache::new(
                NonZeroUsize::new(cache_size).unwrap_or(NonZeroUsize::MIN),
            )),
        })
    }

    /// Whether only trusted documents run for non-admins.
    pub fn trusted_only(&self) -> bool {
        self.only
    }

    /// How many trusted documents are loaded.
    pub fn trusted_count(&self) -> usize {
        self.trusted.len()
    }

    /// Fills in the request's document when it names one by id, and says where it came from.
    pub fn resolve(
        &self,
        request: &mut async_graphql::Request,
    ) -> Result<Resolved, PersistedError> {
        let Some(ext) = request.extensions.get("persistedQuery") else {
            let trusted = self.only && self.trusted_hashes.contains(&sha256(&request.query));
            return Ok(Resolved {
                trusted,
                ..Default::default()
            });
        };
        let ext = serde_json::to_value(ext)
            .map_err(|_| PersistedError::BadExtension("persistedQuery must be an object"))?;
        if ext.get("version").and_then(|v| v.as_i64()) != Some(1) {
            return Err(PersistedError::BadExtension(
                "persistedQuery.version must be 1",
            ));
        }
        let id = ext
            .get("sha256Hash")
            .and_then(|v| v.as_str())
            .filter(|h| {
                (1..=128).contains(&h.len())
                    && h.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"_-:.".contains(&b))
            })
            .ok_or(PersistedError::BadExtension(
                "persistedQuery.sha256Hash must be the document's hex SHA-256",
            ))?
            .to_string();
        if request.query.is_empty() {
            if let Some(doc) = self.trusted.get(&id) {
                request.query = doc.to_string();
                return Ok(Resolved {
                    trusted: true,
                    register: None,
                    persisted: true,
                });
            }
            let cached = self
                .cache
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(&id)
                .cloned();
            return match cached {
                Some(doc) => {
                    request.query = doc.to_string();
                    Ok(Resolved {
                        trusted: false,
                        register: None,
                        persisted: true,
                    })
                }
                None => Err(PersistedError::NotFound),
            };
        }
        if self
            .trusted
            .get(&id)
            .is_some_and(|doc| **doc == *request.query)
        {
            return Ok(Resolved {
                trusted: true,
                register: None,
                persisted: true,
            });
        }
        if sha256(&request.query) != id.to_ascii_lowercase() {
            return Err(PersistedError::BadExtension(
                "persistedQuery.sha256Hash is not the SHA-256 of the query",
            ));
        }
        let trusted = self.only && self.trusted_hashes.contains(&id.to_ascii_lowercase());
        Ok(Resolved {
            trusted,
            register: Some((id.to_ascii_lowercase(), Arc::from(request.query.as_str()))),
            persisted: true,
        })
    }

    /// Remembers an automatic persisted query.
    pub fn remember(&self, id: String, doc: Arc<str>) {
        self.cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .put(id, doc);
    }
}

/// Reads a directory of `.graphql` files (ids: the SHA-256 of each file's text) or a JSON object
/// mapping ids to documents (GraphQL Code Generator's `persisted-documents.json`).
fn load_trusted(path: &Path) -> anyhow::Result<HashMap<String, Arc<str>>> {
    let mut out = HashMap::new();
    if path.is_dir() {
        let mut files: Vec<_> = std::fs::read_dir(path)
            .with_context(|| format!("cannot read {}", path.display()))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "graphql" || x == "gql"))
            .collect();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            check_document(&text).with_context(|| format!("in {}", file.display()))?;
            out.insert(sha256(&text), Arc::from(text));
        }
    } else {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let map: HashMap<String, String> = serde_json::from_str(&text).with_context(|| {
            format!(
                "{} must be a JSON object of id → document, or a directory of .graphql files",
                path.display()
            )
        })?;
        for (id, doc) in map {
            check_document(&doc).with_context(|| format!("document {id}"))?;
            out.insert(id, Arc::from(doc));
        }
    }
    Ok(out)
}

fn check_document(text: &str) -> anyhow::Result<()> {
    async_graphql::parser::parse_query(text)
        .map(|_| ())
        .map_err(|e| anyhow::anyhow!("not a GraphQL document: {e}"))
}
