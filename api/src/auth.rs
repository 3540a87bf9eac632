//! Sign-in: JWT keys and the one `Validation` per key, the `Viewer` of a request, and who may read.
//!
//! Tokens the hub issues are HS256, signed with a secret from the configuration or, when none is
//! configured, one generated on first start and kept in the database (so the two-command start works,
//! tokens survive restarts, and every replica shares it). Optionally a province's single sign-on may be
//! trusted by configuring its public key: one pinned algorithm, with `exp`, `iss` and `aud` required.
//! A token's `alg` header picks the key, and a key only ever accepts its own algorithm, so an HS256
//! token "signed" with the public key (algorithm confusion) is checked against the HS256 secret and
//! fails; `alg: none` is not an algorithm the library accepts at all.
//!
//! A hub token also names its session (`sid`) and the account's session epoch (`ver`): signing out,
//! a password change, a reset or a deactivation end sessions on the server, checked against the
//! kept account at no cost per request (see [`session`]).

use crate::config::Config;
use crate::error::{AppError, AppResult};
use crate::region_code::RegionCode;
use crate::services::contributions::DraftVisibility;
use anyhow::Context as _;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use entity::enums::Role;
use jsonwebtoken::{
    Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, decode_header, encode,
};
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};

/// Sessions that end: the session of a token, and whether it still counts.
pub mod session;
pub use session::Session;

/// Issuer and audience of the tokens the hub itself issues.
pub const ISSUER: &str = "sinergi";
/// Audience of the hub's own tokens.
pub const AUDIENCE: &str = "sinergi-api";
const SECRET_SETTING: &str = "jwt_hs256_secret";

/// What a token says.
#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    /// The user's id (hub tokens) or the identity provider's subject.
    pub sub: String,
    /// The user's e-mail: how single-sign-on tokens are matched to a hub user.
    #[serde(default)]
    pub email: Option<String>,
    /// Expiry, seconds since the epoch.
    pub exp: i64,
    /// Issued at.
    #[serde(default)]
    pub iat: i64,
    /// Not valid before, seconds since the epoch (checked when present).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
    /// The session (hub tokens): refused once signed out (see [`session`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// The account's session epoch when issued (hub tokens): refused once a password change, a
    /// reset or a deactivation moved the epoch on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ver: Option<i32>,
}

struct Sso {
    algorithm: Algorithm,
    key: DecodingKey,
    validation: Validation,
}

/// Token keys and validation rules, built once at start-up.
pub struct Auth {
    encoding: EncodingKey,
    decoding: DecodingKey,
    /// Earlier secrets, still accepted while tokens signed with them expire (key rotation).
    previous: Vec<DecodingKey>,
    validation: Validation,
    ttl: Duration,
    sso: Option<Sso>,
    dummy_hash: String,
    /// Key of the console's CSRF tokens, derived from the token secret.
    csrf_key: [u8; 32],
    /// Accounts of hub tokens, kept between requests.
    pub users: std::sync::Arc<crate::user_cache::UserCache>,
}

fn strict_validation(algorithm: Algorithm, issuer: &str, audience: &str) -> Validation {
    let mut v = Validation::new(algorithm);
    v.set_required_spec_claims(&["exp", "iss", "aud"]);
    v.set_issuer(&[issuer]);
    v.set_audience(&[audience]);
    v.validate_exp = true;
    v.validate_nbf = true;
    v.leeway = 30;
    v
}

impl Auth {
    /// Builds the keys: the configured secret, or the one kept in the database (generated on first
    /// start), plus the single-sign-on key when configured.
    pub async fn load(config: &Config, db: &DatabaseConnection) -> anyhow::Result<Self> {
        let secret = match &config.jwt_secret {
            Some(s) if s.len() >= 32 => s.clone().into_bytes(),
            Some(_) => anyhow::bail!("SINERGI_JWT_SECRET must be at least 32 characters"),
            None => stored_secret(db).await?,
        };
        let sso = match &config.sso_public_key_file {
            None => None,
            Some(path) => {
                let pem = std::fs::read(path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                let algorithm: Algorithm = config.sso_algorithm.parse().map_err(|_| {
                    anyhow::anyhow!(
                        "SINERGI_SSO_ALGORITHM `{}` is not a JWT algorithm",
                        config.sso_algorithm
                    )
                })?;
                let key = match algorithm {
                    Algorithm::RS256
                    | Algorithm::RS384
                    | Algorithm::RS512
                    | Algorithm::PS256
                    | Algorithm::PS384
                    | Algorithm::PS512 => DecodingKey::from_rsa_pem(&pem)?,
                    Algorithm::ES256 | Algorithm::ES384 => DecodingKey::from_ec_pem(&pem)?,
                    Algorithm::EdDSA => DecodingKey::from_ed_pem(&pem)?,
                    _ => anyhow::bail!(
                        "single sign-on needs a public-key algorithm (RS*, PS*, ES*, EdDSA)"
                    ),
                };
                let (Some(iss), Some(aud)) = (&config.sso_issuer, &config.sso_audience) else {
                    anyhow::bail!(
                        "single sign-on needs SINERGI_SSO_ISSUER and SINERGI_SSO_AUDIENCE"
                    );
                };
                Some(Sso {
                    algorithm,
                    key,
                    validation: strict_validation(algorithm, iss, aud),
                })
            }
        };
        let mut previous = Vec::new();
        for old in config.jwt_previous_secrets.iter().filter(|s| !s.is_empty()) {
            if old.len() < 32 {
                anyhow::bail!(
                    "every SINERGI_JWT_PREVIOUS_SECRETS entry must be at least 32 characters"
                );
            }
            previous.push(DecodingKey::from_secret(old.as_bytes()));
        }
        let csrf_key = session::hmac_sha256(&secret, b"sinergi console csrf");
        Ok(Self {
            encoding: EncodingKey::from_secret(&secret),
            decoding: DecodingKey::from_secret(&secret),
            previous,
            validation: strict_validation(Algorithm::HS256, ISSUER, AUDIENCE),
            ttl: Duration::minutes(config.token_ttl_minutes as i64),
            sso,
            dummy_hash: crate::services::passwords::hash(
                base64::engine::general_purpose::STANDARD.encode(secret),
            )
            .await?,
            csrf_key,
            users: Default::default(),
        })
    }

    /// A real argon2id hash of nothing anyone knows, checked when a sign-in names an unknown e-mail.
    pub fn dummy_hash(&self) -> &str {
        &self.dummy_hash
    }

    /// The console's CSRF token for a session: computed, not stored, so every page of the session
    /// carries the same one and no other session's token is accepted with it.
    pub fn csrf_for(&self, sid: &str) -> String {
        let mac = session::hmac_sha256(&self.csrf_key, sid.as_bytes());
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&mac[..24])
    }

    /// Issues a token for a user: a new session, in the account's current epoch.
    pub fn issue(&self, user: &entity::user::Model) -> AppResult<(String, DateTime<Utc>)> {
        let now = Utc::now();
        let expires = now + self.ttl;
        let claims = Claims {
            sub: user.id.clone(),
            email: Some(user.email.clone()),
            exp: expires.timestamp(),
            iat: now.timestamp(),
            nbf: Some(now.timestamp()),
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            sid: Some(session::new_sid()),
            ver: Some(user.session_epoch),
        };
        let token = encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("cannot sign a token: {e}")))?;
        Ok((token, expires))
    }

    /// The checked claims of a token (signature, `exp`, `nbf`, `iss`, `aud`), and whether it is a
    /// single-sign-on token. No database work: the rate limiter calls it on every request.
    fn claims(&self, token: &str) -> AppResult<(Claims, bool)> {
        let header = decode_header(token).map_err(|_| AppError::Unauthenticated)?;
        if header.alg == Algorithm::HS256 {
            // The current secret first; earlier ones only while an operator rotates the secret.
            let data = std::iter::once(&self.decoding)
                .chain(&self.previous)
                .find_map(|key| decode::<Claims>(token, key, &self.validation).ok())
                .ok_or(AppError::Unauthenticated)?;
            return Ok((data.claims, false));
        }
        let sso = self
            .sso
            .as_ref()
            .filter(|s| s.algorithm == header.alg)
            .ok_or(AppError::Unauthenticated)?;
        let data = decode::<Claims>(token, &sso.key, &sso.validation)
            .map_err(|_| AppError::Unauthenticated)?;
        Ok((data.claims, true))
    }

    /// Who a valid token speaks for (the rate limiter's key), without reading the database.
    pub fn subject(&self, token: &str) -> Option<String> {
        match self.claims(token).ok()? {
            (c, false) => Some(c.sub),
            (c, true) => c.email.map(|e| format!("sso:{}", e.to_lowercase())),
        }
    }

    /// Checks a bearer token and finds its active user.
    pub async fn viewer(&self, db: &DatabaseConnection, token: &str) -> AppResult<Viewer> {
        Ok(self.signed_in(db, token).await?.0)
    }

    /// Checks a token and finds its active user and, for a hub token, its session, which must still
    /// count (not signed out, not ended by a password change or reset: see [`session`]). The
    /// account comes from the cache when kept, so a signed-in request costs no statement.
    pub async fn signed_in(
        &self,
        db: &DatabaseConnection,
        token: &str,
    ) -> AppResult<(Viewer, Option<Session>)> {
        use entity::user::{Column, Entity};
        let (claims, sso) = self.claims(token)?;
        if sso {
            let email = claims
                .email
                .ok_or(AppError::Unauthenticated)?
                .to_lowercase();
            let user = Entity::find()
                .filter(Column::Email.eq(email))
                .one(db)
                .await?;
            return match user {
                Some(u) if u.active => Ok((Viewer::User(Box::new(u)), None)),
                _ => Err(AppError::Unauthenticated),
            };
        }
        // A hub token without a session predates sessions that end: sign in again.
        let (Some(sid), Some(ver)) = (claims.sid, claims.ver) else {
            return Err(AppError::Unauthenticated);
        };
        let user = match self.users.get(&claims.sub) {
            Some(u) => u,
            None => {
                let generation = self.users.generation();
                let user = Entity::find_by_id(claims.sub)
                    .one(db)
                    .await?
                    .ok_or(AppError::Unauthenticated)?;
                self.users.put(generation, user.clone());
                user
            }
        };
        if !session::is_live(&user, &sid, ver) {
            return Err(AppError::Unauthenticated);
        }
        let session = Session {
            sid,
            user_id: user.id.clone(),
            expires_at: DateTime::from_timestamp(claims.exp, 0).unwrap_or_else(Utc::now),
        };
        Ok((Viewer::User(Box::new(user)), Some(session)))
    }
}

/// The token secret kept in the database, created on first use. Replicas starting together race to
/// insert it; the loser reads the winner's.
async fn stored_secret(db: &DatabaseConnection) -> anyhow::Result<Vec<u8>> {
    use entity::setting::{ActiveModel, Column, Entity};
    let engine = base64::engine::general_purpose::STANDARD;
    if let Some(s) = Entity::find_by_id(SECRET_SETTING).one(db).await? {
        return Ok(engine.decode(s.value)?);
    }
    let mut bytes = [0u8; 48];
    OsRng.fill_bytes(&mut bytes);
    Entity::insert(ActiveModel {
        key: Set(SECRET_SETTING.into()),
        value: Set(engine.encode(bytes)),
        created_at: Set(Utc::now()),
    })
    .on_conflict(
        sea_orm::sea_query::OnConflict::column(Column::Key)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let stored = Entity::find_by_id(SECRET_SETTING)
        .one(db)
        .await?
        .context("the token secret was not stored")?;
    Ok(engine.decode(stored.value)?)
}

/// Who is making a request.
#[derive(Debug, Clone, Default)]
pub enum Viewer {
    /// No token: may read public reference data (regions) only.
    #[default]
    Anonymous,
    /// A signed-in, active user.
    User(Box<entity::user::Model>),
}

impl Viewer {
    /// The signed-in user, or UNAUTHENTICATED.
    pub fn user(&self) -> AppResult<&entity::user::Model> {
        match self {
            Viewer::User(u) => Ok(u),
            Viewer::Anonymous => Err(AppError::Unauthenticated),
        }
    }

    /// The draft rule for this caller.
    pub fn draft_visibility(&self) -> DraftVisibility {
        match self {
            Viewer::Anonymous => DraftVisibility::default(),
            Viewer::User(u) => DraftVisibility {
                organization_id: u.organization_id.clone(),
                region_scopes: match (u.role, &u.region_scope) {
                    (Role::Coordinator, Some(scope)) => {
                        RegionCode::parse(scope).into_iter().collect()
                    }
                    _ => Vec::new(),
                },
                all: u.role == Role::Admin,
            },
        }
    }
}

/// Refuses a field to callers who are not signed in.
pub struct SignedIn;

impl async_graphql::Guard for SignedIn {
    async fn check(&self, ctx: &async_graphql::Context<'_>) -> async_graphql::Result<()> {
        ctx.data_unchecked::<Viewer>().user()?;
        Ok(())
    }
}

/// Name of the console's session cookie (it holds a hub token).
pub const SESSION_COOKIE: &str = "sinergi_sesi";

/// The token in the console's session cookie, when the request carries one.
pub fn session_token(headers: &axum::http::HeaderMap) -> Option<String> {
    crate::http::cookie(headers, SESSION_COOKIE).filter(|t| !t.is_empty())
}
