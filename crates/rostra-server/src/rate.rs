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
}

/// Per-address, per-site token buckets.
#[derive(Clone)]
pub struct RateLimits {
    writes: Option<Arc<DefaultKeyedRateLimiter<(IpAddr, String)>>>,
    votes: Option<Arc<DefaultKeyedRateLimiter<(IpAddr, String)>>>,
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
        }
    }

    /// `Ok` if allowed, else the seconds to wait.
    pub fn check(&self, action: Action, address: IpAddr, site: &str) -> Result<(), u64> {
        let limiter = match action {
            Action::Write => &self.writes,
            Action::Vote => &self.votes,
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
        for l in [&self.writes, &self.votes].into_iter().flatten() {
            l.retain_recent();
            l.shrink_to_fit();
        }
    }
}
