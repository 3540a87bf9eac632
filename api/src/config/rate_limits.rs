//! The rate limits' settings (enforced in `crate::rate_limit`).

use clap::Args;

/// Token buckets: a steady rate per minute and a burst. 0 turns a limit off.
#[derive(Args, Debug, Clone)]
pub struct RateLimits {
    /// Requests per minute a signed-in user may sustain.
    #[arg(
        long,
        env = "SINERGI_RATE_USER_PER_MINUTE",
        default_value_t = 6000,
        global = true
    )]
    pub user_per_minute: u32,

    /// Requests a signed-in user may send at once before the steady rate applies.
    #[arg(
        long,
        env = "SINERGI_RATE_USER_BURST",
        default_value_t = 5000,
        global = true
    )]
    pub user_burst: u32,

    /// Requests per minute one client address may sustain without signing in.
    #[arg(
        long,
        env = "SINERGI_RATE_ANONYMOUS_PER_MINUTE",
        default_value_t = 1200,
        global = true
    )]
    pub anonymous_per_minute: u32,

    /// Requests one client address may send at once without signing in.
    #[arg(
        long,
        env = "SINERGI_RATE_ANONYMOUS_BURST",
        default_value_t = 1000,
        global = true
    )]
    pub anonymous_burst: u32,

    /// Sign-in attempts per minute for one account (after the burst).
    #[arg(
        long,
        env = "SINERGI_RATE_LOGIN_ACCOUNT_PER_MINUTE",
        default_value_t = 6,
        global = true
    )]
    pub login_account_per_minute: u32,

    /// Sign-in attempts one account may get at once.
    #[arg(
        long,
        env = "SINERGI_RATE_LOGIN_ACCOUNT_BURST",
        default_value_t = 10,
        global = true
    )]
    pub login_account_burst: u32,

    /// Sign-in attempts per minute from one client address (after the burst).
    #[arg(
        long,
        env = "SINERGI_RATE_LOGIN_ADDRESS_PER_MINUTE",
        default_value_t = 30,
        global = true
    )]
    pub login_address_per_minute: u32,

    /// Sign-in attempts one client address may make at once.
    #[arg(
        long,
        env = "SINERGI_RATE_LOGIN_ADDRESS_BURST",
        default_value_t = 60,
        global = true
    )]
    pub login_address_burst: u32,

    /// Complaints one client address may file per hour without signing in (after the burst). A
    /// bucket of its own, so a flood of complaints is refused without eating the address's
    /// budget for anything else.
    #[arg(
        long,
        env = "SINERGI_RATE_ANONYMOUS_COMPLAINTS_PER_HOUR",
        default_value_t = 5,
        global = true
    )]
    pub anonymous_complaints_per_hour: u32,

    /// Complaints one client address may file at once without signing in.
    #[arg(
        long,
        env = "SINERGI_RATE_ANONYMOUS_COMPLAINTS_BURST",
        default_value_t = 5,
        global = true
    )]
    pub anonymous_complaints_burst: u32,
}
