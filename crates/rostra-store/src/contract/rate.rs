//! Rate limits a store keeps (see [`crate::rate`]).

use crate::{RateDecision, RatePolicy, Store};
use rostra_core::Timestamp;
use std::sync::Arc;

const POLICY: RatePolicy = RatePolicy {
    per_minute: 6,
    burst: 3,
};
const T0: Timestamp = Timestamp(1_800_000_000_000);

fn at(millis: i64) -> Timestamp {
    Timestamp(T0.0 + millis)
}

pub async fn rate_limits_allow_a_burst_then_refuse(store: Arc<dyn Store>) {
    for _ in 0..3 {
        let got = store.take_rate("write:demo:a", T0, POLICY).await.unwrap();
        assert_eq!(got, RateDecision::Allowed);
    }
    // One every 10 s on average: the fourth waits 10 s.
    let refused = store.take_rate("write:demo:a", T0, POLICY).await.unwrap();
    assert_eq!(refused, RateDecision::RetryAfter { millis: 10_000 });
    // A refusal is not counted.
    let later = store.take_rate("write:demo:a", at(9_000), POLICY).await;
    assert_eq!(later.unwrap(), RateDecision::RetryAfter { millis: 1_000 });
    // Other keys have their own limits.
    let other = store.take_rate("write:demo:b", T0, POLICY).await.unwrap();
    assert_eq!(other, RateDecision::Allowed);
    let site = store.take_rate("write:other:a", T0, POLICY).await.unwrap();
    assert_eq!(site, RateDecision::Allowed);
    // Once the wait is over, one more; after a long quiet spell, a burst.
    let after = store.take_rate("write:demo:a", at(10_000), POLICY).await;
    assert_eq!(after.unwrap(), RateDecision::Allowed);
    for _ in 0..3 {
        let got = store.take_rate("write:demo:a", at(600_000), POLICY).await;
        assert_eq!(got.unwrap(), RateDecision::Allowed);
    }
    let again = store.take_rate("write:demo:a", at(600_000), POLICY).await;
    assert!(matches!(again.unwrap(), RateDecision::RetryAfter { .. }));
}

pub async fn racing_takes_are_counted_once_each(store: Arc<dyn Store>) {
    let policy = RatePolicy {
        per_minute: 1,
        burst: 7,
    };
    let takes = (0..40).map(|_| {
        let store = store.clone();
        tokio::spawn(async move { store.take_rate("vote:demo:x", T0, policy).await.unwrap() })
    });
    let mut allowed = 0;
    for take in takes {
        if take.await.unwrap() == RateDecision::Allowed {
            allowed += 1;
        }
    }
    assert_eq!(allowed, 7);
}

pub async fn forgetting_rates_keeps_limited_keys(store: Arc<dyn Store>) {
    // `quiet` is free again 5 s after T0, `busy` (three takes) 30 s after.
    store.take_rate("quiet", at(-5_000), POLICY).await.unwrap();
    for _ in 0..3 {
        store.take_rate("busy", T0, POLICY).await.unwrap();
    }
    assert_eq!(store.forget_rates(at(4_000)).await.unwrap(), 0);
    assert_eq!(store.forget_rates(at(5_000)).await.unwrap(), 1);
    // `busy` is remembered: still over its limit.
    let busy = store.take_rate("busy", at(5_000), POLICY).await.unwrap();
    assert_eq!(busy, RateDecision::RetryAfter { millis: 5_000 });
}
