//! Write rate limits per client address and site.
//!
//! The limits are the store's (see [`rostra_store::rate`]): in memory for
//! SQLite, which one node uses; in the database for PostgreSQL, so that a
//! client spreading its requests over several nodes gets no more than it
//! would from one.

use crate::error::{ApiError, ApiResult};
use crate::AppState;
use rostra_store::{RateDecision, RatePolicy};
use std::net::IpAddr;

/// What is limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Posting, editing or deleting a comment.
    Write,
    /// Voting.
    Vote,
    /// Reporting a comment (limited as votes are).
    Report,
    /// Signing in (a fixed [`LOGINS_PER_MINUTE`], against password guessing).
    Login,
    /// Subscribing by e-mail (fixed: [`SUBSCRIBES`]; each may mail a
    /// confirmation request to an address).
    Subscribe,
}

/// Subscriptions per client address and site: ten at once, then one a
/// minute.
pub const SUBSCRIBES: RatePolicy = RatePolicy {
    per_minute: 1,
    burst: 10,
};

impl Action {
    /// The name its keys start with.
    pub fn name(self) -> &'static str {
        match self {
            Action::Write => "write",
            Action::Vote => "vote",
            Action::Report => "report",
            Action::Login => "login",
            Action::Subscribe => "subscribe",
        }
    }
}

/// Sign-in attempts per address and minute (and burst).
pub const LOGINS_PER_MINUTE: u32 = 10;

/// The policy of each limit; `None` where it is off.
#[derive(Debug, Clone, Copy)]
pub struct RateLimits {
    writes: Option<RatePolicy>,
    votes: Option<RatePolicy>,
    reports: Option<RatePolicy>,
    logins: Option<RatePolicy>,
}

fn policy(per_minute: u32, burst: u32) -> Option<RatePolicy> {
    (per_minute > 0).then_some(RatePolicy {
        per_minute,
        burst: burst.max(1),
    })
}

impl RateLimits {
    /// `writes_per_minute` comment writes and `votes_per_minute` votes per
    /// address and site, each with a burst of the given size; 0 disables.
    pub fn new(
        writes_per_minute: u32,
        write_burst: u32,
        votes_per_minute: u32,
        vote_burst: u32,
    ) -> Self {
        Self {
            writes: policy(writes_per_minute, write_burst),
            votes: policy(votes_per_minute, vote_burst),
            reports: policy(votes_per_minute, vote_burst),
            logins: policy(LOGINS_PER_MINUTE, LOGINS_PER_MINUTE),
        }
    }

    /// The policy of `action`'s limit, unless it is off.
    pub fn policy(&self, action: Action) -> Option<RatePolicy> {
        match action {
            Action::Write => self.writes,
            Action::Vote => self.votes,
            Action::Report => self.reports,
            Action::Login => self.logins,
            Action::Subscribe => Some(SUBSCRIBES),
        }
    }
}

/// Takes one `action` for the client at `address` on `site` (empty: every
/// site); 429 with the seconds to wait when over the limit.
pub(crate) async fn limit(
    state: &AppState,
    action: Action,
    address: IpAddr,
    site: &str,
) -> ApiResult<()> {
    let Some(policy) = state.rate.policy(action) else {
        return Ok(());
    };
    let address = address.to_string();
    match state
        .service
        .take_rate(action.name(), &address, site, policy)
        .await?
    {
        RateDecision::Allowed => Ok(()),
        RateDecision::RetryAfter { millis } => {
            let secs = u64::try_from(millis.max(1)).unwrap_or(1).div_ceil(1000);
            Err(ApiError::rate_limited(secs))
        }
    }
}
