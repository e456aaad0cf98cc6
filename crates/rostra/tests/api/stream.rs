//! Live updates over Server-Sent Events: what is announced, to whom, and
//! what a reader that reconnects gets.

use crate::helpers::*;
use reqwest::StatusCode;
use rostra_core::{CommentId, CommentStatus, ModerationMode, SiteId};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn demo() -> SiteId {
    SiteId::parse("demo").unwrap()
}

/// Long enough for an event that was going to come to have come.
const SETTLE: Duration = Duration::from_millis(300);

fn comment_event(e: &SseEvent) -> (&str, Value) {
    assert_eq!(e.event, "comment", "{e:?}");
    assert!(e.id.is_some(), "every event has an id: {e:?}");
    (e.data["kind"].as_str().unwrap(), e.data.clone())
}

#[tokio::test]
async fn an_approved_comment_arrives_as_created_with_the_new_count() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let r = app.stream("/live", None).await;
    assert_eq!(r.headers()["cache-control"], "no-cache");
    assert_eq!(r.headers()["x-accel-buffering"], "no");
    let mut events = EventStream::new(r);
    let (id, _) = app.comment("/live", None, "first").await;
    let e = events.next().await;
    let (kind, data) = comment_event(&e);
    assert_eq!(kind, "created");
    assert_eq!(
        data,
        json!({"id": id, "parent": null, "kind": "created", "count": 1})
    );
    let (reply, _) = app.comment("/live", Some(id), "second").await;
    let e = events.next().await;
    assert_eq!(
        e.data,
        json!({"id": reply, "parent": id, "kind": "created", "count": 2})
    );
    events.quiet(SETTLE).await;
}

#[tokio::test]
async fn edits_deletes_and_votes_arrive() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let mut events = app.events("/changes", None).await;
    let (id, token) = app.comment("/changes", None, "draft").await;
    assert_eq!(comment_event(&events.next().await).0, "created");

    let one = app.api(&format!("/comments/{id}"));
    let r = app
        .client
        .patch(&one)
        .header("x-edit-token", &token)
        .json(&json!({"body": "final"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let e = events.next().await;
    assert_eq!(
        e.data,
        json!({"id": id, "parent": null, "kind": "edited", "count": 1})
    );

    assert_eq!(app.vote(id, "voter-one-0123456789", 1).await.status(), 200);
    assert_eq!(app.vote(id, "voter-two-0123456789", -1).await.status(), 200);
    let e = events.next().await;
    assert_eq!(
        (e.event.as_str(), e.data.clone()),
        ("vote", json!({"id": id, "up": 1, "down": 0}))
    );
    assert!(e.id.is_some());
    let e = events.next().await;
    assert_eq!(e.data, json!({"id": id, "up": 1, "down": 1}));

    let r = app
        .client
        .delete(&one)
        .header("x-edit-token", &token)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let e = events.next().await;
    assert_eq!(
        e.data,
        json!({"id": id, "parent": null, "kind": "deleted", "count": 0})
    );
    events.quiet(SETTLE).await;
}

#[tokio::test]
async fn a_held_comment_is_announced_only_when_approved() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let sites = app.state.service.sites();
    let mut site = (*sites.get(&demo()).await.unwrap()).clone();
    site.settings.moderation = ModerationMode::Pre;
    sites.update(site).await.unwrap();
    let mut events = app.events("/held", None).await;
    let r = app.post_comment("/held", None, "Ann", "wait for it").await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["comment"]["id"]
        .as_i64()
        .unwrap();
    events.quiet(SETTLE).await;
    app.state
        .service
        .set_status(&demo(), CommentId(id), CommentStatus::Approved)
        .await
        .unwrap();
    let e = events.next().await;
    assert_eq!(
        e.data,
        json!({"id": id, "parent": null, "kind": "status", "count": 1})
    );
}

#[tokio::test]
async fn events_of_other_pages_are_not_delivered() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let mut events = app.events("/mine", None).await;
    app.comment("/other", None, "elsewhere").await;
    app.comment("/mine?utm_source=feed", None, "same page")
        .await;
    let (id, _) = app.comment("/mine", None, "here").await;
    let e = events.next().await;
    assert_eq!(e.data["count"], 1, "the first event is this page's: {e:?}");
    assert_eq!(events.next().await.data["id"], id);
    events.quiet(SETTLE).await;
}

#[tokio::test]
async fn a_reconnect_replays_exactly_the_missed_events() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let mut events = app.events("/again", None).await;
    let (first, _) = app.comment("/again", None, "seen").await;
    let seen = events.next().await;
    assert_eq!(seen.data["id"], first);
    drop(events);

    let (second, _) = app.comment("/again", None, "missed").await;
    app.comment("/elsewhere", None, "not mine").await;
    app.vote(first, "voter-0123456789", 1).await;
    let (third, _) = app.comment("/again", Some(first), "missed too").await;

    let last = seen.id.clone().unwrap();
    let mut events = app.events("/again", Some(&last)).await;
    assert_eq!(events.next().await.data["id"], second);
    let vote = events.next().await;
    assert_eq!((vote.event.as_str(), &vote.data["up"]), ("vote", &json!(1)));
    let e = events.next().await;
    assert_eq!(
        (&e.data["id"], &e.data["count"]),
        (&json!(third), &json!(3))
    );
    events.quiet(SETTLE).await;
    let (live, _) = app.comment("/again", None, "live").await;
    assert_eq!(events.next().await.data["id"], live);

    // The same from the query parameter, for clients without the header.
    let r = app
        .client
        .get(app.api("/stream"))
        .query(&[("url", app.page("/again")), ("last_event_id", last)])
        .send()
        .await
        .unwrap();
    let mut events = EventStream::new(r);
    for id in [second, first, third, live] {
        assert_eq!(events.next().await.data["id"], id);
    }
    events.quiet(SETTLE).await;
}

#[tokio::test]
async fn an_id_that_cannot_be_replayed_gets_a_reset() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    // A fresh stream learns the position before any event of its thread.
    let mut quiet = app.events("/r", None).await;
    quiet.quiet(SETTLE).await;
    let position = quiet.last_id.clone().expect("an id from the start");
    let (epoch, _) = position.split_once('-').unwrap();
    for stale in [
        "garbage".to_owned(),
        "0000000000000000-1".to_owned(),
        format!("{epoch}-99999"),
    ] {
        let mut events = app.events("/r", Some(&stale)).await;
        let e = events.next().await;
        assert_eq!(
            (e.event.as_str(), &e.data),
            ("reset", &json!({})),
            "{stale}"
        );
        assert!(e.id.is_some(), "{stale}");
        let (id, _) = app.comment("/r", None, "after the reset").await;
        assert_eq!(events.next().await.data["id"], id, "{stale}");
    }
    // The position of a fresh stream replays everything since.
    let mut events = app.events("/r", Some(&position)).await;
    for _ in 0..3 {
        assert_eq!(comment_event(&events.next().await).0, "created");
    }
}

#[tokio::test]
async fn an_unknown_site_is_404_and_a_bad_url_422() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let get = |site: &str, url: Option<&str>| {
        let mut req = app
            .client
            .get(app.url(&format!("/api/v1/sites/{site}/stream")));
        if let Some(url) = url {
            req = req.query(&[("url", url)]);
        }
        req.send()
    };
    let page = app.page("/x");
    let r = get("nope", Some(&page)).await.unwrap();
    assert_error(r, StatusCode::NOT_FOUND, "not_found", None).await;
    for bad in [
        "not a url",
        "ftp://127.0.0.1/x",
        "https://elsewhere.example/x",
    ] {
        let r = get("demo", Some(bad)).await.unwrap();
        assert_error(
            r,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
            Some("url"),
        )
        .await;
    }
    let r = get("demo", None).await.unwrap();
    assert_error(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("url"),
    )
    .await;
}

#[tokio::test]
async fn streams_are_capped_per_node_and_counted() {
    let Some(app) = TestApp::spawn_with(|c| c.limits.streams = 1).await else {
        return;
    };
    let mut open = app.events("/cap", None).await;
    let r = app.stream("/cap", None).await;
    assert_eq!(r.headers()["retry-after"], "10");
    assert_error(r, StatusCode::SERVICE_UNAVAILABLE, "too_many_streams", None).await;
    let metrics = app.client.get(app.url("/metrics")).send().await.unwrap();
    let text = metrics.text().await.unwrap();
    assert!(text.contains("rostra_streams_open 1"), "{text}");
    let (id, _) = app.comment("/cap", None, "still live").await;
    assert_eq!(open.next().await.data["id"], id);
}

#[tokio::test]
async fn stopping_the_server_ends_open_streams() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let mut events = app.events("/stop", None).await;
    let (id, _) = app.comment("/stop", None, "before").await;
    assert_eq!(events.next().await.data["id"], id);
    let asked = Instant::now();
    // The grace period is 2 s: a stream that held the stop up would use it all.
    tokio::time::timeout(Duration::from_secs(5), app.stop())
        .await
        .expect("the server stops");
    let took = asked.elapsed();
    assert!(took < Duration::from_secs(1), "stopping took {took:?}");
    let end = tokio::time::timeout(Duration::from_secs(5), events.next_or_end()).await;
    assert!(matches!(end, Ok(None)), "the stream ended: {end:?}");
}
