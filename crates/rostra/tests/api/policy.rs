//! The moderation policy at posting time, through the API: the toxicity
//! model holds abuse with its reasons and lets the rest through; spam
//! signals, block lists, bans, first-comment holds, trust and the nudge.

use crate::comments::set_site;
use crate::helpers::*;
use crate::moderation::{count, json_ok, moderation, staffed};
use reqwest::StatusCode;
use rostra_core::{CommentId, CommentStatus, SiteId};
use serde_json::{json, Value};

/// Insults made up for these tests: no slur, no real person.
const ABUSE: &str = "You are a pathetic idiot and a worthless moron, shut up.";
const ABUSE_AGAIN: &str = "What a pathetic idiot wrote this, a worthless moron.";
const CALM: &str = "Thank you for the careful reporting on the river project.";

async fn post(app: &TestApp, extra: Value) -> reqwest::Response {
    let mut req = json!({
        "url": app.page("/p"),
        "title": "A page",
        "author": {"name": "Ann"},
        "body": CALM,
    });
    for (k, v) in extra.as_object().unwrap() {
        req[k] = v.clone();
    }
    app.client
        .post(app.api("/comments"))
        .json(&req)
        .send()
        .await
        .unwrap()
}

async fn status_of(r: reqwest::Response) -> String {
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    v["comment"]["status"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_model_holds_abuse_with_reasons_and_publishes_the_rest() {
    let Some((app, alice, _)) = staffed().await else {
        return;
    };
    // Held, not rejected: this test is about the hold and its reasons.
    set_site(&app, |s| s.settings.toxicity.reject = 1.0).await;
    assert_eq!(status_of(post(&app, json!({})).await).await, "approved");
    assert_eq!(
        status_of(post(&app, json!({"body": ABUSE})).await).await,
        "pending"
    );
    assert_eq!(count(&app, "/p").await, 1);

    let queue = json_ok(
        app.client
            .get(moderation(&app, "demo", "queue"))
            .query(&[("filter", "held"), ("order", "urgent")])
            .bearer_auth(&alice),
    )
    .await;
    let items = queue["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    let assessment = &items[0]["comment"]["assessment"];
    assert_eq!(assessment["reasons"][0]["code"], "toxicity");
    let terms: Vec<&str> = assessment["reasons"][0]["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(
        terms
            .iter()
            .any(|t| ["idiot", "moron", "pathetic", "worthless"].contains(t)),
        "{terms:?}"
    );
    let scores = assessment["scores"].as_array().unwrap();
    assert_eq!(scores.len(), 6);
    assert!(scores.iter().any(|s| s["score"].as_f64().unwrap() >= 0.6));
}

#[tokio::test]
async fn thresholds_and_modes_are_the_sites() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    set_site(&app, |s| s.settings.toxicity.reject = 0.5).await;
    assert_eq!(
        status_of(post(&app, json!({"body": ABUSE})).await).await,
        "rejected"
    );
    set_site(&app, |s| {
        s.settings.moderation = rostra_core::ModerationMode::Post
    })
    .await;
    assert_eq!(
        status_of(post(&app, json!({"body": ABUSE_AGAIN})).await).await,
        "approved"
    );
    set_site(&app, |s| {
        s.settings.moderation = rostra_core::ModerationMode::Pre
    })
    .await;
    assert_eq!(status_of(post(&app, json!({})).await).await, "pending");
}

#[tokio::test]
async fn spam_signals_keep_comments_as_spam_or_hold_them() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let filled = post(
        &app,
        json!({"homepage": "http://spam.example", "body": "Bots fill in every field"}),
    )
    .await;
    assert_eq!(status_of(filled).await, "spam");
    let fast = post(
        &app,
        json!({"elapsed_ms": 300, "body": "Sent a third of a second after the form appeared"}),
    )
    .await;
    assert_eq!(status_of(fast).await, "spam");
    assert_eq!(
        status_of(post(&app, json!({"elapsed_ms": 9000})).await).await,
        "approved"
    );
    // CALM was just published: the same text again within a day is spam.
    let again = post(&app, json!({"elapsed_ms": 9000})).await;
    assert_eq!(status_of(again).await, "spam");
    // Short bodies are often repeated by people.
    for _ in 0..2 {
        assert_eq!(
            status_of(post(&app, json!({"body": "Thanks!"})).await).await,
            "approved"
        );
    }
    let links =
        "Sources: <https://a.example> <https://b.example> <https://c.example> <https://d.example>";
    assert_eq!(
        status_of(post(&app, json!({"body": links})).await).await,
        "pending"
    );
}

#[tokio::test]
async fn block_lists_and_bans_refuse_or_hold() {
    let Some((app, alice, _)) = staffed().await else {
        return;
    };
    set_site(&app, |s| {
        s.settings.blocklist.email_domains = vec!["spam.example".into()];
        s.settings.blocklist.words = vec!["cheap pill*".into()];
    })
    .await;
    let r = post(
        &app,
        json!({"author": {"name": "Ann", "email": "a@mail.spam.example"}}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "blocked");
    assert_eq!(
        status_of(post(&app, json!({"body": "Buy CHEAP pills here"})).await).await,
        "pending"
    );

    set_site(&app, |s| {
        s.settings.blocklist.addresses = vec!["127.0.0.0/8".into()]
    })
    .await;
    let r = post(&app, json!({"body": "From the loopback range"})).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    set_site(&app, |s| s.settings.blocklist.addresses.clear()).await;

    let r = app
        .client
        .post(moderation(&app, "demo", "bans"))
        .bearer_auth(&alice)
        .json(&json!({"kind": "name", "value": "Mallory", "reason": "tests"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = post(
        &app,
        json!({"author": {"name": "mallory"}, "body": "hello"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "banned");
}

#[tokio::test]
async fn first_comments_wait_until_one_is_approved_then_trust_grows() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    set_site(&app, |s| {
        s.settings.spam.first_comment_hold = true;
        s.settings.spam.trusted_after = 1;
        s.settings.toxicity.reject = 1.0;
    })
    .await;
    let author = json!({"name": "Ann", "email": "ann@example.org"});
    let r = post(
        &app,
        json!({"author": author, "body": "My first words here"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["comment"]["status"], "pending");
    let first = CommentId(v["comment"]["id"].as_i64().unwrap());
    let demo = SiteId::parse("demo").unwrap();
    app.state
        .service
        .set_status(&demo, first, CommentStatus::Approved)
        .await
        .unwrap();
    let next = post(
        &app,
        json!({"author": author, "body": "And a second thought"}),
    )
    .await;
    assert_eq!(status_of(next).await, "approved");
    // Trusted after one approved comment: the model's hold is skipped.
    let heated = post(&app, json!({"author": author, "body": ABUSE})).await;
    assert_eq!(status_of(heated).await, "approved");
    // A stranger is still held.
    let stranger = json!({"name": "Bo", "email": "bo@example.org"});
    let r = post(&app, json!({"author": stranger, "body": "Hello all"})).await;
    assert_eq!(status_of(r).await, "pending");
}

#[tokio::test]
async fn the_nudge_asks_first_and_posting_anyway_holds() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    set_site(&app, |s| s.settings.toxicity.nudge = true).await;
    let r = post(&app, json!({"body": ABUSE})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "nudge");
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("guidelines"));
    assert_eq!(v["error"]["reasons"][0]["code"], "toxicity");
    // Nothing was stored.
    let thread: Value = app
        .client
        .get(app.api("/thread"))
        .query(&[("url", app.page("/p"))])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(thread["comments"].as_array().map_or(0, Vec::len), 0);
    let r = post(&app, json!({"body": ABUSE, "acknowledge_nudge": true})).await;
    assert_eq!(status_of(r).await, "pending");
    // A calm comment is never nudged.
    assert_eq!(status_of(post(&app, json!({})).await).await, "approved");
}
