//! Sessions that end: which of an account's tokens still count, decided from the account the hub
//! already keeps for every signed-in request (`user_cache`), so checking costs no statement.
//!
//! Every token the hub issues (`login`, the console's `/masuk`) names a session: a random `sid`
//! and the account's `session_epoch` when it was issued (`ver`). A token counts while
//!
//! - its account is active,
//! - its `ver` is the account's current epoch, or its `sid` is the one session the last bump spared
//!   (`spared_session`: whoever changed their own password keeps their session), and
//! - its `sid` is not among the account's `ended_sessions` (signed out: `/keluar` or `logout`).
//!
//! A password change (`changeOwnPassword`) adds one to the epoch and spares the caller's session;
//! an administrator's reset (`updateUser` with a password) and a deactivation add one and spare
//! none. Each of these writes goes through `services` with an audit row, which the change feed
//! announces to every hub process (PostgreSQL LISTEN/NOTIFY; SQLite's audit log, polled), so every
//! process drops its kept copy of the account and reads the new epoch or list on the next request.
//! The list of ended sessions holds only those not yet expired (pruned at each sign-out) and at
//! most [`MAX_ENDED`]; a sign-out beyond that ends every session of the account instead (a bump),
//! so a loop of sign-ins and sign-outs cannot grow the row.
//!
//! Tokens without a `sid` (issued before sessions could end) are refused: their holders sign in
//! again. Single-sign-on tokens have no hub session: their identity provider ends them.

use chrono::{DateTime, Utc};
use entity::user::Model;
use serde::{Deserialize, Serialize};

/// Most ended sessions kept per account; one more ends them all (see the module's doc).
pub const MAX_ENDED: usize = 32;

/// The hub session a request was made with (the `sid` of its token), attached to each GraphQL
/// request so that `logout` and `changeOwnPassword` know which session is the caller's.
#[derive(Clone, Debug)]
pub struct Session {
    /// The session id (the token's `sid`).
    pub sid: String,
    /// Its account.
    pub user_id: String,
    /// When its token expires: after that an ended session need not be remembered.
    pub expires_at: DateTime<Utc>,
}

/// One signed-out session, as kept in `users.ended_sessions`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ended {
    /// The session id.
    pub sid: String,
    /// Its token's expiry, seconds since the epoch.
    pub exp: i64,
}

/// The account's signed-out sessions (an unreadable list reads as empty: it is only ever written
/// by [`write_ended`]).
pub fn ended(user: &Model) -> Vec<Ended> {
    user.ended_sessions
        .as_deref()
        .and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or_default()
}

/// The column's value for a list (none when empty).
pub fn write_ended(list: &[Ended]) -> Option<String> {
    if list.is_empty() {
        None
    } else {
        serde_json::to_string(list).ok()
    }
}

/// Whether a token of session `sid`, issued in epoch `ver`, still counts for this account.
pub fn is_live(user: &Model, sid: &str, ver: i32) -> bool {
    let current = ver == user.session_epoch || user.spared_session.as_deref() == Some(sid);
    user.active && current && !ended(user).iter().any(|e| e.sid == sid)
}

/// A new session id: 128 random bits, URL-safe.
pub fn new_sid() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    use base64::Engine;
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// HMAC-SHA-256 (RFC 2104), for the console's CSRF token bound to a session: a value only the hub
/// can compute, so a token seen with one session is worthless with another.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| k.map(|b| b ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
