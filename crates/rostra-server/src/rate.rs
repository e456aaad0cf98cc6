//! Write rate limits per client address and site.

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

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
    /// Subscribing by e-mail (a fixed [`SUBSCRIBES_PER_HOUR`]: each may
    /// mail a confirmation request to an address).
    Subscribe,
}

/// Subscriptions per address and hour (and burst).
pub const SUBSCRIBES_PER_HOUR: u32 = 10;

/// Sign-in attempts per address and minute (and burst).
pub const LOGINS_PER_MINUTE: u32 = 10;

/// Per-address, per-site token buckets.
#[derive(Clone)]
pub struct RateLimits {
    writes: Option<Arc<DefaultKeyedRateLimiter<(IpAddr, String)>>>,
    votes: Option<Arc<DefaultKeyedRateLimiter<(IpAddr, String)>>>,
    reports: Option<Arc<DefaultKeyedRateLimiter<(IpAddr, String)>>>,
    logins: Option<Arc<DefaultKeyedRateLimiter<(IpAddr, String)>>>,
    subscribes: Option<Arc<DefaultKeyedRateLimiter<(IpAddr, String)>>>,
}

fn limiter(per_minute: u32, burst: u32) -> Option<Arc<DefaultKeyedRateLimiter<(IpAddr, String)>>> {
    let rate = NonZeroU32::new(per_minute)?;
    let burst = NonZeroU32::new(burst.max(1)).unwrap_or(NonZeroU32::MIN);
    Some(Arc::new(DefaultKeyedRateLimiter::keyed(
        Quota::per_minute(rate).allow_burst(burst),
    )))
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
            writes: limiter(writes_per_minute, write_burst),
            votes: limiter(votes_per_minute, vote_burst),
            reports: limiter(votes_per_minute, vote_burst),
            logins: limiter(LOGINS_PER_MINUTE, LOGINS_PER_MINUTE),
            subscribes: NonZeroU32::new(SUBSCRIBES_PER_HOUR).map(|n| {
                Arc::new(DefaultKeyedRateLimiter::keyed(
                    Quota::per_hour(n).allow_burst(n),
                ))
            }),
        }
    }

    /// `Ok` if allowed, else the seconds to wait.
    pub fn check(&self, action: Action, address: IpAddr, site: &str) -> Result<(), u64> {
        let limiter = match action {
            Action::Write => &self.writes,
            Action::Vote => &self.votes,
            Action::Report => &self.reports,
            Action::Login => &self.logins,
            Action::Subscribe => &self.subscribes,
        };
        let Some(limiter) = limiter else {
            return Ok(());
        };
        limiter
            .check_key(&(address, site.to_owned()))
            .map_err(|not_until| {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
            })
    }

    /// Forgets idle buckets (call now and then).
    pub fn shrink(&self) {
        for l in [
            &self.writes,
            &self.votes,
            &self.reports,
            &self.logins,
            &self.subscribes,
        ]
        .into_iter()
        .flatten()
        {
            l.retain_recent();
            l.shrink_to_fit();
        }
    }
}
