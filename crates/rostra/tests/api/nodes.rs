//! Two nodes on one PostgreSQL database: what is written on one reaches the
//! other's live-update streams and caches (LISTEN/NOTIFY, the relay).
//! Pages are addressed by the first node's URLs on both, as a site embedding
//! either node would.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// How soon another node's comment must reach a stream.
const LIVE_WITHIN: Duration = Duration::from_secs(1);

/// Two nodes on one database; `None` when PostgreSQL is not there.
async fn two_nodes() -> Option<(TestApp, TestApp)> {
    let a = TestApp::spawn().await?;
    let b = a.spawn_node().await;
    assert_ne!(a.addr, b.addr);
    Some((a, b))
}

/// The next event, which must come within `LIVE_WITHIN` of `since`.
async fn arrives(events: &mut EventStream, since: Instant) -> SseEvent {
    let left = LIVE_WITHIN.saturating_sub(since.elapsed());
    match tokio::time::timeout(left, events.next_or_end()).await {
        Ok(Some(event)) => event,
        Ok(None) => panic!("the stream ended"),
        Err(_) => panic!("nothing arrived within {LIVE_WITHIN:?}"),
    }
}

#[tokio::test]
async fn a_comment_posted_on_one_node_reaches_the_other_nodes_stream_within_a_second() {
    let Some((a, b)) = two_nodes().await else {
        return;
    };
    let page = a.page("/nodes/live");
    let mut on_b = EventStream::new(b.stream_at(&page, None).await);

    let posted = Instant::now();
    let (id, _) = a.comment("/nodes/live", None, "from A").await;
    let e = arrives(&mut on_b, posted).await;
    assert_eq!(
        (e.event.as_str(), &e.data),
        (
            "comment",
            &json!({"id": id, "parent": null, "kind": "created", "count": 1})
        )
    );
    assert!(e.id.is_some(), "B numbers A's events itself: {e:?}");

    let replied = Instant::now();
    let (reply, _) = a.comment("/nodes/live", Some(id), "again").await;
    let e = arrives(&mut on_b, replied).await;
    assert_eq!(
        e.data,
        json!({"id": reply, "parent": id, "kind": "created", "count": 2})
    );

    let voted = Instant::now();
    assert_eq!(a.vote(id, "voter-nodes-0123456789", 1).await.status(), 200);
    let e = arrives(&mut on_b, voted).await;
    assert_eq!(
        (e.event.as_str(), e.data),
        ("vote", json!({"id": id, "up": 1, "down": 0}))
    );

    // Both ways, and a node does not hear its own writes twice.
    let mut on_a = EventStream::new(a.stream_at(&page, None).await);
    let (from_b, _) = b.comment_at(&page, None, "from B").await;
    let e = arrives(&mut on_a, Instant::now()).await;
    assert_eq!(e.data["id"], from_b);
    let e = on_b.next().await;
    assert_eq!(e.data["id"], from_b);
    on_a.quiet(Duration::from_millis(300)).await;
    on_b.quiet(Duration::from_millis(300)).await;
}

/// GETs the thread on `node`: its JSON, its ETag, and whether the page
/// cache answered.
async fn read(node: &TestApp, page: &str) -> (Value, String, bool) {
    let hits = node.state.metrics.page_cache_hits.get();
    let r = node.thread_at(page, &[]).await;
    assert_eq!(r.status(), StatusCode::OK);
    let etag = r.headers()["etag"].to_str().unwrap().to_owned();
    let hit = node.state.metrics.page_cache_hits.get() > hits;
    (r.json().await.unwrap(), etag, hit)
}

#[tokio::test]
async fn a_page_cached_on_one_node_is_not_served_stale_after_a_vote_or_an_edit_on_the_other() {
    let Some((a, b)) = two_nodes().await else {
        return;
    };
    let page = a.page("/nodes/cached");
    let mut on_b = EventStream::new(b.stream_at(&page, None).await);
    let (id, token) = a.comment("/nodes/cached", None, "first draft").await;
    // (Once B has heard of the comment, nothing of A's is on its way.)
    assert_eq!(on_b.next().await.data["kind"], "created");

    // B caches the page: the second read is a hit, with the same ETag.
    let (first, etag, _) = read(&b, &page).await;
    let (again, same, hit) = read(&b, &page).await;
    assert!(hit, "the second read comes from B's cache");
    assert_eq!((&again, &same), (&first, &etag));
    assert_eq!(first["comments"][0]["upvotes"], 0);

    // A vote on A. Once B's readers have been told of it, B's very next
    // read shows it: the relay moves the version before it publishes.
    assert_eq!(a.vote(id, "voter-nodes-0123456789", 1).await.status(), 200);
    assert_eq!(on_b.next().await.event, "vote");
    let (voted, voted_etag, hit) = read(&b, &page).await;
    assert!(!hit, "B's cached page is stale after A's vote");
    assert_ne!(voted_etag, etag);
    assert_eq!(voted["comments"][0]["upvotes"], 1, "{voted}");

    // B caches again; then an edit on A.
    let (_, cached_etag, hit) = read(&b, &page).await;
    assert!(hit);
    assert_eq!(cached_etag, voted_etag);
    let r = a
        .client
        .patch(a.api(&format!("/comments/{id}")))
        .header("x-edit-token", &token)
        .json(&json!({"body": "final text"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(on_b.next().await.data["kind"], "edited");
    let (edited, edited_etag, hit) = read(&b, &page).await;
    assert!(!hit, "B's cached page is stale after A's edit");
    assert_ne!(edited_etag, voted_etag);
    let html = edited["comments"][0]["html"].as_str().unwrap();
    assert!(html.contains("final text"), "{edited}");

    // Without waiting for the stream: B catches up within a second and
    // never goes back to the stale page.
    assert_eq!(a.vote(id, "voter-nodes-9876543210", -1).await.status(), 200);
    let deadline = Instant::now() + LIVE_WITHIN;
    loop {
        let (now, _, _) = read(&b, &page).await;
        if now["comments"][0]["downvotes"] == 1 {
            break;
        }
        assert!(Instant::now() < deadline, "B still serves {now}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    for _ in 0..3 {
        let (now, _, _) = read(&b, &page).await;
        assert_eq!(now["comments"][0]["downvotes"], 1, "{now}");
    }
}

/// The approved count `node` answers for `page`.
async fn count_on(node: &TestApp, page: &str) -> i64 {
    let r = node
        .client
        .get(node.api("/counts"))
        .query(&[("url", page)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.json::<Value>().await.unwrap()["counts"][page]
        .as_i64()
        .unwrap()
}

/// Polls `node` until `page` counts `want`, for at most `LIVE_WITHIN`.
async fn counts_within(node: &TestApp, page: &str, want: i64) {
    let deadline = Instant::now() + LIVE_WITHIN;
    loop {
        let now = count_on(node, page).await;
        if now == want {
            return;
        }
        assert!(Instant::now() < deadline, "{page} still counts {now}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn counts_cached_on_one_node_follow_posts_on_the_other() {
    let Some((a, b)) = two_nodes().await else {
        return;
    };
    let page = a.page("/nodes/counted");
    // B answers the same question twice: the second answer is its cache's.
    assert_eq!(count_on(&b, &page).await, 0);
    assert_eq!(count_on(&b, &page).await, 0);
    a.comment_at(&page, None, "counted on A").await;
    counts_within(&b, &page, 1).await;
    a.comment_at(&page, None, "and again").await;
    counts_within(&b, &page, 2).await;
    for _ in 0..3 {
        assert_eq!(count_on(&b, &page).await, 2, "never back to a stale count");
    }
}

#[tokio::test]
async fn a_node_whose_listener_was_cut_resets_its_readers_and_catches_up() {
    let Some((a, b)) = two_nodes().await else {
        return;
    };
    let page = a.page("/nodes/cut");
    let (id, _) = a.comment_at(&page, None, "before the cut").await;
    // B caches the page (once it has heard of A's comment, which may come
    // after B's first read and move the version).
    let deadline = Instant::now() + LIVE_WITHIN;
    loop {
        let (page_now, _, _) = read(&b, &page).await;
        if page_now["thread"]["count"] == 1 && read(&b, &page).await.2 {
            break;
        }
        assert!(Instant::now() < deadline, "B never cached {page_now}");
    }
    let mut on_b = EventStream::new(b.stream_at(&page, None).await);

    // Cut this installation's listeners (both nodes'), and only theirs: the
    // channel is this schema's.
    let channel = rostra_store_postgres::channel(a.schema_name());
    let url = std::env::var("ROSTRA_TEST_POSTGRES_URL").unwrap();
    let mut db = <sqlx::PgConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();
    let cut: Vec<(bool,)> = sqlx::query_as(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE application_name LIKE 'rostra-feed-%' AND query LIKE $1",
    )
    .bind(format!("%{channel}%"))
    .fetch_all(&mut db)
    .await
    .unwrap();
    assert_eq!(cut.len(), 2, "one listener per node");

    // B cannot know what it missed: its readers are told to refetch.
    // (A's comment may still be announced first, if it reached B late.)
    let e = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            let e = on_b.next().await;
            if e.event != "comment" {
                return e;
            }
        }
    })
    .await
    .expect("a reset within 5 s");
    assert_eq!(e.event, "reset", "{e:?}");
    assert!(!read(&b, &page).await.2, "B's cache was dropped");

    // Once its feed is back, B follows A again, live and cached.
    assert_eq!(a.vote(id, "voter-cut-0123456789", 1).await.status(), 200);
    let e = tokio::time::timeout(Duration::from_secs(5), on_b.next())
        .await
        .expect("A's vote reaches B after the reconnect");
    assert_eq!(e.event, "vote", "{e:?}");
    let (now, _, _) = read(&b, &page).await;
    assert_eq!(now["comments"][0]["upvotes"], 1, "{now}");
}

#[tokio::test]
async fn posts_spread_over_two_nodes_hit_the_rate_limit_at_the_same_count_as_on_one() {
    let limits = |c: &mut rostra::config::Config| {
        c.rate.writes_per_minute = 4;
        c.rate.write_burst = 4;
    };
    let Some(a) = TestApp::spawn_with(limits).await else {
        return;
    };
    let b = a.spawn_node_with(limits).await;
    let page = a.page("/nodes/rate");
    // One client (127.0.0.1), alternating nodes: the burst is one, shared.
    for (i, node) in [&a, &b, &a, &b].into_iter().enumerate() {
        let r = node
            .post_comment_at(&page, None, "Ann", &format!("comment {i}"))
            .await;
        assert_eq!(r.status(), StatusCode::CREATED, "post {i}");
    }
    for (i, node) in [&b, &a].into_iter().enumerate() {
        let r = node
            .post_comment_at(&page, None, "Ann", &format!("one too many {i}"))
            .await;
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "extra post {i}");
        let wait: u64 = r.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=15).contains(&wait), "retry after {wait} s");
    }
    assert_eq!(
        a.thread_json("/nodes/rate", &[]).await["thread"]["count"],
        4
    );
}
