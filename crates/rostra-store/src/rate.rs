//! Rate limits a store keeps, so that they hold across every node that
//! shares it.
//!
//! A limit is a GCRA (generic cell rate algorithm, what token buckets
//! compute without a timer): each key holds one number, its *theoretical
//! arrival time* (TAT), the moment its bucket would be full again. A take at
//! `now` is allowed while `max(tat, now) - now` stays within the burst
//! tolerance, and then moves the TAT on by one emission interval. A key whose
//! TAT is past is the same as a key never seen, so expired keys can be
//! forgotten at any time ([`Store::forget_rates`](crate::Store::forget_rates)).
//!
//! [`MemoryRates`] keeps the TATs in memory, for a backend that only one node
//! uses; a shared backend keeps them in its database and decides in one
//! atomic statement.

use rostra_core::Timestamp;
use std::collections::HashMap;
use std::sync::Mutex;

/// How fast a key may take: `per_minute` on average, `burst` at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RatePolicy {
    /// Takes per minute, on average (at least 1).
    pub per_minute: u32,
    /// Takes allowed at once after a quiet spell (at least 1).
    pub burst: u32,
}

impl RatePolicy {
    /// Milliseconds between two takes at the average rate (at least 1).
    pub fn interval_ms(self) -> i64 {
        (60_000 / i64::from(self.per_minute.max(1))).max(1)
    }

    /// How far ahead of `now` a key's TAT may be for a take to be allowed.
    pub fn tolerance_ms(self) -> i64 {
        self.interval_ms() * (i64::from(self.burst.max(1)) - 1)
    }

    /// The decision on a take at `now` by a key whose TAT is `tat` (`None`:
    /// never seen, or forgotten), and the key's TAT afterwards.
    pub fn decide(self, tat: Option<i64>, now: Timestamp) -> (RateDecision, i64) {
        let now = now.millis();
        let due = tat.map_or(now, |t| t.max(now));
        let ahead = due - now;
        if ahead > self.tolerance_ms() {
            let wait = ahead - self.tolerance_ms();
            (RateDecision::RetryAfter { millis: wait }, due)
        } else {
            (RateDecision::Allowed, due + self.interval_ms())
        }
    }
}

/// What a take gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateDecision {
    /// Go ahead.
    Allowed,
    /// Over the limit: the same take is allowed again after this long.
    RetryAfter {
        /// Milliseconds to wait (at least 1).
        millis: i64,
    },
}

/// Rate limits in memory, for a store that only one node uses.
#[derive(Debug, Default)]
pub struct MemoryRates {
    tats: Mutex<HashMap<String, i64>>,
}

impl MemoryRates {
    /// One take by `key` at `now` under `policy`.
    pub fn take(&self, key: &str, now: Timestamp, policy: RatePolicy) -> RateDecision {
        let mut tats = self.tats.lock().unwrap_or_else(|e| e.into_inner());
        let (decision, tat) = policy.decide(tats.get(key).copied(), now);
        if decision == RateDecision::Allowed {
            tats.insert(key.to_owned(), tat);
        }
        decision
    }

    /// Forgets the keys whose TAT is past at `now`; returns how many.
    pub fn forget(&self, now: Timestamp) -> u64 {
        let mut tats = self.tats.lock().unwrap_or_else(|e| e.into_inner());
        let before = tats.len();
        tats.retain(|_, tat| *tat > now.millis());
        tats.shrink_to_fit();
        (before - tats.len()) as u64
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const FIVE_PER_MINUTE: RatePolicy = RatePolicy {
        per_minute: 5,
        burst: 3,
    };

    #[test]
    fn a_burst_then_one_per_interval() {
        let rates = MemoryRates::default();
        let t0 = Timestamp(1_000_000);
        for _ in 0..3 {
            assert_eq!(rates.take("k", t0, FIVE_PER_MINUTE), RateDecision::Allowed);
        }
        assert_eq!(
            rates.take("k", t0, FIVE_PER_MINUTE),
            RateDecision::RetryAfter { millis: 12_000 }
        );
        // A refused take does not move the TAT.
        assert_eq!(
            rates.take("k", Timestamp(t0.0 + 11_999), FIVE_PER_MINUTE),
            RateDecision::RetryAfter { millis: 1 }
        );
        assert_eq!(
            rates.take("k", Timestamp(t0.0 + 12_000), FIVE_PER_MINUTE),
            RateDecision::Allowed
        );
    }

    #[test]
    fn forgetting_keeps_keys_still_limited() {
        let rates = MemoryRates::default();
        let t0 = Timestamp(1_000_000);
        rates.take("a", Timestamp(t0.0 - 5_000), FIVE_PER_MINUTE);
        for _ in 0..3 {
            rates.take("b", t0, FIVE_PER_MINUTE);
        }
        // a's TAT is t0 + 7 s, b's t0 + 36 s.
        assert_eq!(rates.forget(Timestamp(t0.0 + 8_000)), 1);
        assert!(matches!(
            rates.take("b", Timestamp(t0.0 + 8_000), FIVE_PER_MINUTE),
            RateDecision::RetryAfter { .. }
        ));
    }
}
