//! Votes.

use crate::helpers::*;
use reqwest::StatusCode;
use rostra_core::{CommentId, CommentStatus, SiteId};
use serde_json::{json, Value};

const V1: &str = "voter-one-0123456789";
const V2: &str = "voter-two-0123456789";

#[tokio::test]
async fn one_vote_per_voter_changeable_and_retractable() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let (id, _) = app.comment("/v", None, "vote on me").await;
    let tally = |r: reqwest::Response| async move {
        assert_eq!(r.status(), StatusCode::OK);
        let v: Value = r.json().await.unwrap();
        (
            v["upvotes"].as_i64().unwrap(),
            v["downvotes"].as_i64().unwrap(),
            v["score"].as_i64().unwrap(),
        )
    };
    assert_eq!(tally(app.vote(id, V1, 1).await).await, (1, 0, 1));
    assert_eq!(tally(app.vote(id, V1, 1).await).await, (1, 0, 1));
    assert_eq!(tally(app.vote(id, V2, 1).await).await, (2, 0, 2));
    assert_eq!(tally(app.vote(id, V1, -1).await).await, (1, 1, 0));
    assert_eq!(tally(app.vote(id, V2, 0).await).await, (0, 1, -1));
    let page = app.thread_json("/v", &[]).await;
    assert_eq!(
        (
            page["comments"][0]["upvotes"].as_i64(),
            page["comments"][0]["downvotes"].as_i64()
        ),
        (Some(0), Some(1))
    );
}

#[tokio::test]
async fn a_browser_without_an_id_gets_a_cookie() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let (id, _) = app.comment("/v", None, "x").await;
    let url = app.api(&format!("/comments/{id}/vote"));
    let r = app
        .client
        .post(&url)
        .json(&json!({"value": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.starts_with("rostra_voter=") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    let pair = cookie.split(';').next().unwrap().to_owned();
    // The same cookie is the same voter.
    let r = app
        .client
        .post(&url)
        .header("cookie", &pair)
        .json(&json!({"value": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.json::<Value>().await.unwrap()["upvotes"], 1);
    assert_eq!(r_status_of(&app, &url, &pair).await, 0);
}

async fn r_status_of(app: &TestApp, url: &str, cookie: &str) -> i64 {
    let r = app
        .client
        .post(url)
        .header("cookie", cookie)
        .json(&json!({"value": 0}))
        .send()
        .await
        .unwrap();
    r.json::<Value>().await.unwrap()["upvotes"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn bad_votes_are_refused() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let (id, _) = app.comment("/v", None, "x").await;
    assert_error(
        app.vote(id, V1, 2).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("value"),
    )
    .await;
    assert_error(
        app.vote(id, "short", 1).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("voter"),
    )
    .await;
    assert_error(
        app.vote(987_654, V1, 1).await,
        StatusCode::NOT_FOUND,
        "not_found",
        None,
    )
    .await;
    let r = app
        .client
        .post(app.api(&format!("/comments/{id}/vote")))
        .header("x-rostra-voter", V1)
        .json(&json!({"value": "up"}))
        .send()
        .await
        .unwrap();
    assert_error(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("value"),
    )
    .await;
    let site = SiteId::parse("demo").unwrap();
    app.state
        .service
        .set_status(&site, CommentId(id), CommentStatus::Rejected)
        .await
        .unwrap();
    assert_error(
        app.vote(id, V1, 1).await,
        StatusCode::CONFLICT,
        "conflict",
        None,
    )
    .await;
}

#[tokio::test]
async fn votes_are_rate_limited() {
    let Some(app) = TestApp::spawn_with(|c| {
        c.rate.votes_per_minute = 2;
        c.rate.vote_burst = 2;
    })
    .await
    else {
        return;
    };
    let (id, _) = app.comment("/v", None, "x").await;
    assert_eq!(app.vote(id, V1, 1).await.status(), StatusCode::OK);
    assert_eq!(app.vote(id, V2, 1).await.status(), StatusCode::OK);
    let r = app.vote(id, "voter-three-0123456789", 1).await;
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert_error(r, StatusCode::TOO_MANY_REQUESTS, "rate_limited", None).await;
}
