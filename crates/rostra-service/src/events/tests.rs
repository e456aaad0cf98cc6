#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use rostra_core::UrlPolicy;
use std::time::Duration;
use tokio::time::timeout;

fn site(id: &str) -> SiteId {
    SiteId::parse(id).unwrap()
}

fn url(path: &str) -> PageUrl {
    PageUrl::parse(
        &format!("https://example.org{path}"),
        &UrlPolicy::default(),
        2048,
    )
    .unwrap()
}

fn created(id: i64, count: i64) -> Change {
    Change::Comment {
        id: CommentId(id),
        parent: None,
        kind: CommentChange::Created,
        count,
    }
}

/// Publishes a comment event on `path` of site `demo`.
fn publish(bus: &EventBus, path: &str, id: i64) -> EventId {
    bus.publish(site("demo"), url(path), created(id, id))
}

fn watch(bus: &EventBus, path: &str, last_seen: Option<&str>) -> Subscription {
    bus.subscribe(site("demo"), url(path), last_seen)
}

/// The next delivery; fails the test rather than hang.
async fn next(sub: &mut Subscription) -> Option<Delivery> {
    timeout(Duration::from_secs(5), sub.next())
        .await
        .expect("a delivery within 5 s")
}

/// Nothing is delivered for a while.
async fn quiet(sub: &mut Subscription) {
    let got = timeout(Duration::from_millis(50), sub.next()).await;
    assert!(got.is_err(), "nothing expected, got {got:?}");
}

async fn event(sub: &mut Subscription) -> Arc<Event> {
    match next(sub).await {
        Some(Delivery::Event(e)) => e,
        other => panic!("an event expected, got {other:?}"),
    }
}

async fn position(sub: &mut Subscription) -> EventId {
    match next(sub).await {
        Some(Delivery::Position(id)) => id,
        other => panic!("a position expected, got {other:?}"),
    }
}

#[tokio::test]
async fn subscribers_hear_their_own_thread_only() {
    let bus = EventBus::default();
    let mut a = watch(&bus, "/a", None);
    let mut b = watch(&bus, "/b", None);
    assert_eq!(position(&mut a).await.seq(), 0);
    assert_eq!(position(&mut b).await.seq(), 0);
    let first = publish(&bus, "/a", 1);
    publish(&bus, "/b", 2);
    bus.publish(site("other"), url("/a"), created(3, 1));
    let fourth = publish(&bus, "/a", 4);
    let e = event(&mut a).await;
    assert_eq!((e.id, &e.change), (first, &created(1, 1)));
    assert_eq!(event(&mut a).await.id, fourth);
    quiet(&mut a).await;
    assert_eq!(event(&mut b).await.change, created(2, 2));
    quiet(&mut b).await;
    assert_eq!(fourth.seq(), 4, "ids count every event of the bus");
}

#[tokio::test]
async fn a_returning_subscriber_gets_exactly_what_it_missed() {
    let bus = EventBus::default();
    let seen = publish(&bus, "/a", 1);
    publish(&bus, "/b", 2);
    let missed1 = publish(&bus, "/a", 3);
    publish(&bus, "/b", 4);
    let missed2 = publish(&bus, "/a", 5);
    let mut a = watch(&bus, "/a", Some(&seen.to_string()));
    assert_eq!(event(&mut a).await.id, missed1);
    assert_eq!(event(&mut a).await.id, missed2);
    assert_eq!(position(&mut a).await.seq(), 5);
    let live = publish(&bus, "/a", 6);
    assert_eq!(event(&mut a).await.id, live);
    quiet(&mut a).await;

    // Coming back at the head, or at a position, replays nothing.
    let mut again = watch(&bus, "/a", Some(&live.to_string()));
    let head = position(&mut again).await;
    assert_eq!(head, live);
    publish(&bus, "/b", 7);
    let mut b = watch(&bus, "/a", Some(&head.to_string()));
    assert_eq!(position(&mut b).await.seq(), 7);
    quiet(&mut b).await;
}

#[tokio::test]
async fn ids_that_cannot_be_replayed_get_a_reset() {
    let bus = EventBus::new(4);
    let first = publish(&bus, "/a", 1);
    for i in 2..=6 {
        publish(&bus, "/a", i);
    }
    // The ring holds 3..=6: replay can start after 2, not after 1.
    let mut sub = watch(
        &bus,
        "/a",
        Some(&EventId::new(first.epoch(), 2).to_string()),
    );
    for seq in 3..=6 {
        assert_eq!(event(&mut sub).await.id.seq(), seq);
    }
    assert_eq!(position(&mut sub).await.seq(), 6);

    let other = EventBus::default();
    let foreign = publish(&other, "/a", 1);
    let future = EventId::new(first.epoch(), 99);
    for (head, last) in (6..).zip([
        first.to_string(),
        foreign.to_string(),
        future.to_string(),
        "garbage".into(),
        format!("{}-", first.epoch()),
    ]) {
        let mut sub = watch(&bus, "/a", Some(&last));
        match next(&mut sub).await {
            Some(Delivery::Reset(Some(at))) => assert_eq!(at.seq(), head, "{last}"),
            got => panic!("a reset expected for {last:?}, got {got:?}"),
        }
        let live = publish(&bus, "/a", 7);
        assert_eq!(event(&mut sub).await.id, live, "{last}");
    }
}

#[tokio::test]
async fn a_subscriber_that_lags_gets_a_reset_then_goes_on() {
    let bus = EventBus::new(4);
    let mut sub = watch(&bus, "/a", None);
    position(&mut sub).await;
    for i in 1..=10 {
        publish(&bus, "/a", i);
    }
    assert_eq!(sub.position(), None, "events are waiting");
    assert_eq!(next(&mut sub).await, Some(Delivery::Reset(None)));
    for seq in 7..=10 {
        assert_eq!(event(&mut sub).await.id.seq(), seq);
    }
    assert_eq!(sub.position().map(EventId::seq), Some(10));
    quiet(&mut sub).await;
}

/// Replay and live delivery meet exactly, however publishing races
/// subscribing: each subscription sees every event after the id it came back
/// with, once, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replay_and_live_meet_exactly_under_concurrent_publishing() {
    const EVENTS: u64 = 400;
    let bus = EventBus::default();
    let publisher = {
        let bus = bus.clone();
        std::thread::spawn(move || {
            for i in 1..=EVENTS {
                publish(&bus, "/a", i as i64);
                std::thread::sleep(Duration::from_micros(50));
            }
        })
    };
    let mut checked = 0;
    while !publisher.is_finished() {
        let from = EventId::new(bus.inner.epoch, 0);
        let mut sub = watch(&bus, "/a", Some(&from.to_string()));
        let mut expected = from.seq() + 1;
        loop {
            match next(&mut sub).await {
                Some(Delivery::Event(e)) => {
                    assert_eq!(e.id.seq(), expected);
                    expected += 1;
                }
                Some(Delivery::Position(head)) => {
                    assert_eq!(head.seq() + 1, expected, "replay ends at the head");
                    break;
                }
                other => panic!("{other:?}"),
            }
        }
        if expected <= EVENTS {
            match next(&mut sub).await {
                Some(Delivery::Event(e)) => assert_eq!(e.id.seq(), expected, "first live event"),
                Some(Delivery::Reset(None)) => {} // lagged on a slow machine: allowed
                other => panic!("{other:?}"),
            }
        }
        checked += 1;
    }
    publisher.join().unwrap();
    assert!(checked > 0);
}

#[tokio::test]
async fn close_ends_every_subscription() {
    let bus = EventBus::default();
    let mut sub = watch(&bus, "/a", None);
    position(&mut sub).await;
    let waiting = tokio::spawn(async move { sub.next().await });
    tokio::task::yield_now().await;
    bus.close();
    let got = timeout(Duration::from_secs(5), waiting).await.unwrap();
    assert_eq!(got.unwrap(), None);
    let mut late = watch(&bus, "/a", None);
    assert_eq!(
        next(&mut late).await,
        None,
        "a subscription after close ends at once"
    );
}

#[tokio::test]
async fn threads_nobody_watches_are_forgotten() {
    let bus = EventBus::default();
    let a1 = watch(&bus, "/a", None);
    let a2 = watch(&bus, "/a", None);
    let b = watch(&bus, "/b", None);
    assert_eq!(bus.watched_threads(), 2);
    drop(a1);
    assert_eq!(bus.watched_threads(), 2);
    drop(a2);
    drop(b);
    assert_eq!(bus.watched_threads(), 0);
    publish(&bus, "/a", 1);
}

async fn reset(sub: &mut Subscription) -> EventId {
    match next(sub).await {
        Some(Delivery::Reset(Some(at))) => at,
        other => panic!("a reset expected, got {other:?}"),
    }
}

#[tokio::test]
async fn a_thread_reset_reaches_that_thread_in_order_and_blocks_replay_across_it() {
    let bus = EventBus::default();
    let mut a = watch(&bus, "/a", None);
    let mut b = watch(&bus, "/b", None);
    position(&mut a).await;
    position(&mut b).await;
    let before = publish(&bus, "/a", 1);
    let at = bus.reset(site("demo"), url("/a"));
    let after = publish(&bus, "/a", 2);
    assert_eq!(event(&mut a).await.id, before);
    assert_eq!(reset(&mut a).await, at);
    assert_eq!(event(&mut a).await.id, after);
    quiet(&mut b).await;

    // From before the reset: a reset, at the head. From it: a replay.
    let mut back = watch(&bus, "/a", Some(&before.to_string()));
    assert_eq!(reset(&mut back).await, after);
    let mut back = watch(&bus, "/a", Some(&at.to_string()));
    assert_eq!(event(&mut back).await.id, after);
    // Another thread's reset does not stop its replay.
    let mut other = watch(&bus, "/b", Some(&before.to_string()));
    assert_eq!(position(&mut other).await, after);
}

#[tokio::test]
async fn reset_all_reaches_every_reader_and_blocks_every_replay_across_it() {
    let bus = EventBus::default();
    let mut a = watch(&bus, "/a", None);
    let mut b = watch(&bus, "/b", None);
    position(&mut a).await;
    position(&mut b).await;
    let before = publish(&bus, "/b", 1);
    let at = bus.reset_all();
    assert_eq!(reset(&mut a).await, at);
    assert_eq!(event(&mut b).await.id, before);
    assert_eq!(reset(&mut b).await, at);
    quiet(&mut a).await;
    let mut back = watch(&bus, "/a", Some(&before.to_string()));
    assert_eq!(reset(&mut back).await, at);
    let mut back = watch(&bus, "/a", Some(&at.to_string()));
    assert_eq!(position(&mut back).await, at);
    assert_eq!(bus.reset_all().seq(), at.seq() + 1);
}
