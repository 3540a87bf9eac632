//! Token buckets (GCRA, from `governor`): requests per signed-in user and, for anonymous callers,
//! per client address; sign-in attempts per account and per address, so that guessing a password
//! stalls after a few tries and the caller is told when to try again.

use crate::config::RateLimits;
use crate::error::AppError;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Which bucket refused a request (the `scope` label of `sinergi_rate_limited_total`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Requests of one signed-in user.
    User,
    /// Requests of one client address, not signed in.
    Address,
    /// Sign-in attempts for one account.
    LoginAccount,
    /// Sign-in attempts from one client address.
    LoginAddress,
    /// Complaints filed without signing in from one client address.
    ComplaintAddress,
}

impl Scope {
    /// The metric label.
    pub fn label(self) -> &'static str {
        match self {
            Scope::User => "user",
            Scope::Address => "address",
            Scope::LoginAccount => "login_account",
            Scope::LoginAddress => "login_address",
            Scope::ComplaintAddress => "complaint_address",
        }
    }
}

/// A refusal: which bucket, and how long until it has a token again.
#[derive(Clone, Copy, Debug)]
pub struct Limited {
    /// The bucket.
    pub scope: Scope,
    /// Whole seconds to wait (at least 1), as sent in `Retry-After`.
    pub retry_after_secs: u64,
}

type Bucket = Option<DefaultKeyedRateLimiter<String>>;

/// Every bucket of the hub (in memory, per replica).
pub struct RateLimiter {
    user: Bucket,
    address: Bucket,
    login_account: Bucket,
    login_address: Bucket,
    complaint_address: Bucket,
    checks: AtomicU64,
    clock: DefaultClock,
}

fn bucket(per_minute: u32, burst: u32) -> Bucket {
    let per_minute = NonZeroU32::new(per_minute)?;
    let burst = NonZeroU32::new(burst).unwrap_or(per_minute);
    Some(DefaultKeyedRateLimiter::hashmap(
        Quota::per_minute(per_minute).allow_burst(burst),
    ))
}

fn hourly(per_hour: u32, burst: u32) -> Bucket {
    let per_hour = NonZeroU32::new(per_hour)?;
    let burst = NonZeroU32::new(burst).unwrap_or(per_hour);
    Some(DefaultKeyedRateLimiter::hashmap(
        Quota::per_hour(per_hour).allow_burst(burst),
    ))
}

/// The address of the caller, attached to each request (see `routes::observe`).
#[derive(Clone, Copy, Debug)]
pub struct ClientAddr(pub Option<IpAddr>);

impl RateLimiter {
    /// Builds the buckets from the settings.
    pub fn new(s: &RateLimits) -> Self {
        Self {
            user: bucket(s.user_per_minute, s.user_burst),
            address: bucket(s.anonymous_per_minute, s.anonymous_burst),
            login_account: bucket(s.login_account_per_minute, s.login_account_burst),
            login_address: bucket(s.login_address_per_minute, s.login_address_burst),
            complaint_address: hourly(
                s.anonymous_complaints_per_hour,
                s.anonymous_complaints_burst,
            ),
            checks: AtomicU64::new(0),
            clock: DefaultClock::default(),
        }
    }

    fn take(&self, bucket: &Bucket, scope: Scope, key: &str) -> Result<(), Limited> {
        let Some(limiter) = bucket else {
            return Ok(());
        };
        // Forget idle keys now and then, so one-off addresses do not pile up in memory.
        if self.checks.fetch_add(1, Ordering::Relaxed) % 4096 == 4095 {
            limiter.retain_recent();
        }
        limiter.check_key(&key.to_string()).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            Limited {
                scope,
                retry_after_secs: whole_seconds(wait),
            }
        })
    }

    /// One request of a signed-in user (`subject`) or else of a client address.
    pub fn request(&self, subject: Option<&str>, addr: ClientAddr) -> Result<(), Limited> {
        match (subject, addr.0) {
            (Some(s), _) => self.take(&self.user, Scope::User, s),
            (None, Some(ip)) => self.take(&self.address, Scope::Address, &ip.to_string()),
            (None, None) => Ok(()),
        }
    }

    /// One sign-in attempt for `email` from `addr`.
    pub fn sign_in(&self, email: &str, addr: Option<ClientAddr>) -> Result<(), Limited> {
        if let Some(ip) = addr.and_then(|a| a.0) {
            self.take(&self.login_address, Scope::LoginAddress, &ip.to_string())?;
        }
        self.take(
            &self.login_account,
            Scope::LoginAccount,
            &email.trim().to_lowercase(),
        )
    }
}

/// Called by the `login` resolver before it checks a password: a refusal becomes RATE_LIMITED
/// with `retryAfter` (seconds), which the HTTP handler also turns into `429` and `Retry-After`.
pub fn check_sign_in(ctx: &async_graphql::Context<'_>, email: &str) -> Result<(), AppError> {
    let Some(limiter) = ctx.data_opt::<Arc<RateLimiter>>() else {
        return Ok(());
    };
    limiter
        .sign_in(email, ctx.data_opt::<ClientAddr>().copied())
        .map_err(|l| {
            if let Some(m) = ctx.data_opt::<Arc<crate::metrics::Metrics>>() {
                m.rate_limited(l.scope.label());
            }
            AppError::RateLimited {
                retry_after_secs: l.retry_after_secs,
            }
        })
}

/// Called by `fileComplaint` for a caller who is not signed in: one complaint from its address.
/// A refusal is RATE_LIMITED with `retryAfter`, like every limit.
pub fn check_anonymous_complaint(ctx: &async_graphql::Context<'_>) -> Result<(), AppError> {
    let (Some(limiter), Some(ClientAddr(Some(ip)))) = (
        ctx.data_opt::<Arc<RateLimiter>>(),
        ctx.data_opt::<ClientAddr>().copied(),
    ) else {
        return Ok(());
    };
    limiter
        .take(
            &limiter.complaint_address,
            Scope::ComplaintAddress,
            &ip.to_string(),
        )
        .map_err(|l| {
            if let Some(m) = ctx.data_opt::<Arc<crate::metrics::Metrics>>() {
                m.rate_limited(l.scope.label());
            }
            AppError::RateLimited {
                retry_after_secs: l.retry_after_secs,
            }
        })
}

/// Whole seconds to wait, rounded up, at least one.
pub fn whole_seconds(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}
