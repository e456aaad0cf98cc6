//! The moderator side: signing in, sessions and tokens, who may act on
//! which site, the queue and its actions (each audited), bans, readers'
//! reports past the threshold, and an audit log that cannot be altered.

use crate::helpers::*;
use reqwest::{RequestBuilder, StatusCode};
use rostra_core::{CommentId, CommentStatus, Role, SiteId, SiteSettings};
use serde_json::{json, Value};
use std::time::Duration;

const PASSWORD: &str = "correct horse battery";

fn demo() -> SiteId {
    SiteId::parse("demo").unwrap()
}

fn other() -> SiteId {
    SiteId::parse("other").unwrap()
}

/// The app with a second site, `alice` moderating demo and `bob`
/// moderating only the other site; returns their API tokens.
pub(crate) async fn staffed() -> Option<(TestApp, String, String)> {
    let app = TestApp::spawn().await?;
    let service = &app.state.service;
    service
        .sites()
        .create(other(), "Other".into(), vec![], SiteSettings::default())
        .await
        .unwrap();
    service
        .add_user("alice", Some(PASSWORD), None, &demo(), Role::Moderator)
        .await
        .unwrap();
    service
        .add_user("bob", Some(PASSWORD), None, &other(), Role::Owner)
        .await
        .unwrap();
    let alice = service.create_token("alice", Some("tests")).await.unwrap();
    let bob = service.create_token("bob", None).await.unwrap();
    Some((app, alice.as_str().to_owned(), bob.as_str().to_owned()))
}

pub(crate) fn moderation(app: &TestApp, site: &str, rest: &str) -> String {
    app.url(&format!("/api/v1/sites/{site}/moderation/{rest}"))
}

async fn act(app: &TestApp, token: &str, body: Value) -> reqwest::Response {
    app.client
        .post(moderation(app, "demo", "actions"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

pub(crate) async fn json_ok(req: RequestBuilder) -> Value {
    let r = req.send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

/// Demo's audit log, newest first, less the operator's `set_role` entry
/// for the moderator setup made (`cli_users` checks those).
async fn audit(app: &TestApp, token: &str) -> Vec<Value> {
    let v = json_ok(
        app.client
            .get(moderation(app, "demo", "audit"))
            .bearer_auth(token),
    )
    .await;
    let all = v["entries"].as_array().unwrap();
    let (setup, acts): (Vec<&Value>, Vec<&Value>) =
        all.iter().partition(|e| e["action"] == "set_role");
    assert!(setup.iter().all(|e| e["user_name"].is_null()), "{setup:?}");
    acts.into_iter().cloned().collect()
}

pub(crate) async fn count(app: &TestApp, page: &str) -> i64 {
    let v = json_ok(
        app.client
            .get(app.api("/counts"))
            .query(&[("url", app.page(page))]),
    )
    .await;
    v["counts"][&app.page(page)].as_i64().unwrap()
}

/// The comment ids of a queue page, in order.
fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["comment"]["id"].as_i64().unwrap())
        .collect()
}

async fn login(app: &TestApp, name: &str, password: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"name": name, "password": password}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_session_cookie_signs_in_until_logout() {
    let Some((app, _, _)) = staffed().await else {
        return;
    };
    let r = login(&app, "alice", PASSWORD).await;
    assert_eq!(r.status(), StatusCode::OK);
    let set = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(set.starts_with("rostra_session="), "{set}");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    assert!(!set.contains("Secure"), "plain HTTP here: {set}");
    let me: Value = r.json().await.unwrap();
    assert_eq!(me["name"], "alice");
    assert_eq!(me["sites"], json!([{"site": "demo", "role": "moderator"}]));
    let cookie = set.split(';').next().unwrap().to_owned();

    let me = json_ok(
        app.client
            .get(app.url("/api/v1/auth/me"))
            .header("cookie", &cookie),
    )
    .await;
    assert_eq!(
        (me["name"].as_str(), me["via"].as_str()),
        (Some("alice"), Some("session"))
    );
    json_ok(
        app.client
            .get(moderation(&app, "demo", "queue"))
            .header("cookie", &cookie),
    )
    .await;

    // A write with the cookie must come from this server's own pages.
    let (id, _) = app.comment("/csrf", None, "hello").await;
    let body = json!({"action": "reject", "ids": [id]});
    let r = app
        .client
        .post(moderation(&app, "demo", "actions"))
        .header("cookie", &cookie)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::FORBIDDEN, "origin_not_allowed", None).await;
    let r = app
        .client
        .post(moderation(&app, "demo", "actions"))
        .header("cookie", &cookie)
        .header("origin", "https://evil.example")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::FORBIDDEN, "origin_not_allowed", None).await;
    let r = app
        .client
        .post(moderation(&app, "demo", "actions"))
        .header("cookie", &cookie)
        .header("origin", app.url(""))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    let r = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .header("cookie", &cookie)
        .header("origin", app.url(""))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert!(r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    let r = app
        .client
        .get(app.url("/api/v1/auth/me"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::UNAUTHORIZED, "unauthenticated", None).await;
}

#[tokio::test]
async fn wrong_credentials_and_strangers_are_refused() {
    let Some((app, alice, bob)) = staffed().await else {
        return;
    };
    for (name, password) in [("alice", "wrong password!"), ("nobody", PASSWORD), ("", "")] {
        let r = login(&app, name, password).await;
        assert_error(r, StatusCode::UNAUTHORIZED, "unauthenticated", None).await;
    }
    let r = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"name": "alice"}))
        .send()
        .await
        .unwrap();
    assert_error(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("password"),
    )
    .await;

    // Anonymous: 401 everywhere.
    for (method, rest) in [
        ("GET", "queue"),
        ("POST", "actions"),
        ("GET", "bans"),
        ("POST", "bans"),
        ("DELETE", "bans"),
        ("GET", "audit"),
    ] {
        let req = app
            .client
            .request(method.parse().unwrap(), moderation(&app, "demo", rest))
            .json(&json!({}));
        let r = req.send().await.unwrap();
        assert_error(r, StatusCode::UNAUTHORIZED, "unauthenticated", None).await;
        let r = app
            .client
            .request(method.parse().unwrap(), moderation(&app, "demo", rest))
            .bearer_auth("not-a-token")
            .send()
            .await
            .unwrap();
        assert_error(r, StatusCode::UNAUTHORIZED, "unauthenticated", None).await;
    }

    // Bob owns the other site: 403 on demo's queue, actions, bans, audit.
    let (id, _) = app.comment("/p", None, "x").await;
    let requests = [
        app.client.get(moderation(&app, "demo", "queue")),
        app.client
            .post(moderation(&app, "demo", "actions"))
            .json(&json!({"action": "reject", "ids": [id]})),
        app.client.get(moderation(&app, "demo", "bans")),
        app.client
            .post(moderation(&app, "demo", "bans"))
            .json(&json!({"kind": "name", "value": "troll"})),
        app.client
            .delete(moderation(&app, "demo", "bans"))
            .json(&json!({"id": 1})),
        app.client.get(moderation(&app, "demo", "audit")),
    ];
    for req in requests {
        let r = req.bearer_auth(&bob).send().await.unwrap();
        assert_error(r, StatusCode::FORBIDDEN, "not_a_moderator", None).await;
    }
    // ... and alice on the other site's.
    let r = app
        .client
        .get(moderation(&app, "other", "queue"))
        .bearer_auth(&alice)
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::FORBIDDEN, "not_a_moderator", None).await;
    // Nothing moved.
    assert_eq!(count(&app, "/p").await, 1);
    // Tokens say who they are.
    let me = json_ok(app.client.get(app.url("/api/v1/auth/me")).bearer_auth(&bob)).await;
    assert_eq!(me["via"], "token");
    assert_eq!(me["sites"], json!([{"site": "other", "role": "owner"}]));
}

#[tokio::test]
async fn every_action_moves_comments_in_bulk_and_is_audited() {
    let Some((app, alice, _)) = staffed().await else {
        return;
    };
    let mut ids = Vec::new();
    for i in 0..4 {
        ids.push(app.comment("/bulk", None, &format!("comment {i}")).await.0);
    }
    assert_eq!(count(&app, "/bulk").await, 4);
    let mut events = app.events("/bulk", None).await;

    let r = act(
        &app,
        &alice,
        json!({"action": "reject", "ids": [ids[0], ids[1], 999_999], "reason": "rude"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        v["results"],
        json!([
            {"id": ids[0], "result": "ok", "status": "rejected"},
            {"id": ids[1], "result": "ok", "status": "rejected"},
            {"id": 999_999, "result": "not_found", "status": null},
        ])
    );
    // Gone from the listing, the counts and the live stream.
    assert_eq!(count(&app, "/bulk").await, 2);
    let page = app.thread_json("/bulk", &[]).await;
    assert_eq!(top_ids(&page), [ids[2], ids[3]]);
    let first = events.next().await;
    let second = events.next().await;
    assert_eq!(
        (first.data, second.data),
        (
            json!({"id": ids[0], "parent": null, "kind": "status", "count": 3}),
            json!({"id": ids[1], "parent": null, "kind": "status", "count": 2}),
        )
    );

    let r = act(&app, &alice, json!({"action": "approve", "ids": [ids[0]]})).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(count(&app, "/bulk").await, 3);
    let r = act(&app, &alice, json!({"action": "spam", "ids": [ids[2]]})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = act(
        &app,
        &alice,
        json!({"action": "delete", "ids": [ids[3]], "reason": "gone"}),
    )
    .await;
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["results"][0]["status"], "deleted");
    assert_eq!(count(&app, "/bulk").await, 1);
    assert_eq!(top_ids(&app.thread_json("/bulk", &[]).await), [ids[0]]);

    // One audit entry per comment moved, newest first, with who and why.
    let log = audit(&app, &alice).await;
    let summary: Vec<(String, String)> = log
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["target"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let target = |i: usize| format!("comment:{}", ids[i]);
    assert_eq!(
        summary,
        [
            ("delete".to_owned(), target(3)),
            ("spam".to_owned(), target(2)),
            ("approve".to_owned(), target(0)),
            ("reject".to_owned(), target(1)),
            ("reject".to_owned(), target(0)),
        ]
    );
    assert!(log.iter().all(|e| e["user_name"] == "alice"));
    assert_eq!(log[0]["reason"], "gone");
    assert_eq!(log[4]["reason"], "rude");
    // Paging the log.
    let older = json_ok(
        app.client
            .get(moderation(&app, "demo", "audit"))
            .query(&[("before", log[1]["id"].to_string()), ("limit", "2".into())])
            .bearer_auth(&alice),
    )
    .await;
    let older: Vec<_> = older["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].clone())
        .collect();
    assert_eq!(older, [json!("approve"), json!("reject")]);

    // Bad input names its field; all-unknown ids are 404.
    let r = act(&app, &alice, json!({"action": "nuke", "ids": [ids[0]]})).await;
    assert_error(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("action"),
    )
    .await;
    let r = act(&app, &alice, json!({"action": "approve", "ids": []})).await;
    assert_error(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("ids"),
    )
    .await;
    let r = act(&app, &alice, json!({"action": "approve", "ids": [424_242]})).await;
    assert_error(r, StatusCode::NOT_FOUND, "not_found", None).await;
    assert_eq!(
        audit(&app, &alice).await.len(),
        5,
        "refused actions are not logged"
    );
}

#[tokio::test]
async fn the_queue_lists_held_and_reported_comments() {
    let Some((app, alice, _)) = staffed().await else {
        return;
    };
    let (calm, _) = app.comment("/q", None, "calm").await;
    let (hot, _) = app.comment("/q", None, "hot").await;
    let (held, _) = app.comment("/q", None, "held").await;
    app.state
        .service
        .set_status(&demo(), CommentId(held), CommentStatus::Pending)
        .await
        .unwrap();
    for (i, id) in [hot, hot, calm].into_iter().enumerate() {
        let r = app
            .client
            .post(app.api(&format!("/comments/{id}/report")))
            .header("x-rostra-voter", format!("reader-number-{i}-{id}-xxxx"))
            .json(&json!({"reason": "abuse", "text": "mean"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }
    let queue = |query: Vec<(&'static str, String)>| {
        app.client
            .get(moderation(&app, "demo", "queue"))
            .query(&query)
            .bearer_auth(&alice)
    };
    let all = json_ok(queue(vec![])).await;
    assert_eq!(ids(&all), [held, hot, calm]);
    let item = &all["items"][1];
    assert_eq!(item["url"], app.page("/q"));
    assert_eq!(item["title"], "A page");
    assert_eq!(item["report_count"], 2);
    assert_eq!(item["reports"][0]["reason"], "abuse");
    assert_eq!(item["reports"][0]["text"], "mean");
    assert_eq!(item["comment"]["markdown"], "hot");
    // The author's record on the site: these three came from one address
    // and gave no e-mail.
    assert_eq!(
        item["author_record"],
        json!({"by": "address", "approved": 2, "pending": 1, "rejected": 0, "spam": 0})
    );
    // An address ban can name what the queue shows of the author's address.
    let hash = item["address_hash"].as_str().unwrap().to_owned();
    assert_eq!(hash.len(), 32);
    let r = app
        .client
        .post(moderation(&app, "demo", "bans"))
        .bearer_auth(&alice)
        .json(&json!({"kind": "address", "value": hash}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let by_hash = app
        .state
        .service
        .ban_for(&demo(), None, Some(&hash), None)
        .await
        .unwrap();
    assert!(by_hash.is_some());
    let urgent = json_ok(queue(vec![("order", "urgent".into())])).await;
    assert_eq!(ids(&urgent), [hot, calm, held]);
    let only_held = json_ok(queue(vec![("filter", "held".into())])).await;
    assert_eq!(ids(&only_held), [held]);
    let reported = json_ok(queue(vec![("filter", "reported".into())])).await;
    assert_eq!(ids(&reported), [hot, calm]);
    // Pages.
    let first = json_ok(queue(vec![("limit", "2".into())])).await;
    assert_eq!(ids(&first), [held, hot]);
    let next = first["next"].as_str().unwrap().to_owned();
    let second = json_ok(queue(vec![("limit", "2".into()), ("after", next)])).await;
    assert_eq!(ids(&second), [calm]);
    assert!(second["next"].is_null());
    // Acting on a reported comment closes its reports.
    act(&app, &alice, json!({"action": "approve", "ids": [calm]})).await;
    let reported = json_ok(queue(vec![("filter", "reported".into())])).await;
    assert_eq!(ids(&reported), [hot]);
    // Every comment of one author (by address here), whatever its status.
    let by = json_ok(queue(vec![("by", held.to_string())])).await;
    assert_eq!(ids(&by), [held, hot, calm]);
    // Bad parameters name themselves.
    for (param, value) in [
        ("filter", "nope"),
        ("order", "nope"),
        ("limit", "0"),
        ("after", "x"),
        ("by", "x"),
        ("by", "-3"),
    ] {
        let r = queue(vec![(param, value.into())]).send().await.unwrap();
        assert_error(
            r,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
            Some(param),
        )
        .await;
    }
}

#[tokio::test]
async fn a_refusal_is_found_in_the_rejected_view_and_undone() {
    let Some((app, alice, bob)) = staffed().await else {
        return;
    };
    let (kept, _) = app.comment("/r", None, "kept").await;
    let (mistake, _) = app
        .comment("/r", None, "a fair point, wrongly refused")
        .await;
    let (junk, _) = app.comment("/r", None, "buy now").await;
    assert_eq!(count(&app, "/r").await, 3);
    act(&app, &alice, json!({"action": "reject", "ids": [mistake]})).await;
    act(&app, &alice, json!({"action": "spam", "ids": [junk]})).await;
    assert_eq!(count(&app, "/r").await, 1);
    let rejected = |token: &str, site: &str| {
        app.client
            .get(moderation(&app, site, "queue"))
            .query(&[("filter", "rejected")])
            .bearer_auth(token.to_owned())
    };
    let v = json_ok(rejected(&alice, "demo")).await;
    let items = v["items"].as_array().unwrap();
    let listed: Vec<(i64, &str)> = items
        .iter()
        .map(|i| {
            (
                i["comment"]["id"].as_i64().unwrap(),
                i["comment"]["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(listed, [(junk, "spam"), (mistake, "rejected")]);
    assert!(!listed.iter().any(|(id, _)| *id == kept));
    // Refusals are not in the views of what waits.
    let waiting = json_ok(
        app.client
            .get(moderation(&app, "demo", "queue"))
            .bearer_auth(&alice),
    )
    .await;
    assert_eq!(waiting["items"].as_array().unwrap().len(), 0);
    // A moderator of another site sees none of it.
    let r = rejected(&bob, "demo").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Approving from the view undoes the refusal: listed and counted again.
    let r = act(&app, &alice, json!({"action": "approve", "ids": [mistake]})).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(count(&app, "/r").await, 2);
    let thread = json_ok(
        app.client
            .get(app.api("/thread"))
            .query(&[("url", app.page("/r"))]),
    )
    .await;
    let shown: Vec<i64> = thread["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert!(shown.contains(&mistake), "{thread}");
    let v = json_ok(rejected(&alice, "demo")).await;
    assert_eq!(v["items"].as_array().unwrap().len(), 1);
    assert_eq!(v["items"][0]["comment"]["id"], junk);
    let entries = audit(&app, &alice).await;
    assert_eq!(entries[0]["action"], "approve");
    assert_eq!(entries[0]["target"], format!("comment:{mistake}"));
}

#[tokio::test]
async fn post_moderation_reviews_the_published_view_most_suspect_first() {
    let Some((app, alice, bob)) = staffed().await else {
        return;
    };
    crate::comments::set_site(&app, |s| {
        s.settings.moderation = rostra_core::ModerationMode::Post
    })
    .await;
    let (calm, _) = app.comment("/pm", None, "Thanks, a careful piece.").await;
    let (nasty, _) = app
        .comment(
            "/pm",
            None,
            "You are a pathetic idiot and a worthless moron, shut up.",
        )
        .await;
    let (later, _) = app.comment("/pm", None, "I read it twice.").await;
    assert_eq!(
        count(&app, "/pm").await,
        3,
        "post-moderation publishes at once"
    );
    let published = |order: &str| {
        app.client
            .get(moderation(&app, "demo", "queue"))
            .query(&[("filter", "published"), ("order", order)])
            .bearer_auth(&alice)
    };
    assert_eq!(
        ids(&json_ok(published("newest")).await),
        [later, nasty, calm]
    );
    // The scores were recorded, not acted on: the worst comes first.
    let urgent = json_ok(published("urgent")).await;
    assert_eq!(ids(&urgent)[0], nasty);
    let scores = urgent["items"][0]["comment"]["assessment"]["scores"]
        .as_array()
        .unwrap();
    assert!(!scores.is_empty(), "{urgent}");
    // Nothing waits in the held view.
    let held = json_ok(
        app.client
            .get(moderation(&app, "demo", "queue"))
            .query(&[("filter", "held")])
            .bearer_auth(&alice),
    )
    .await;
    assert!(held["items"].as_array().unwrap().is_empty());
    // Rejected after the fact: gone from the page, the count and the view.
    act(&app, &alice, json!({"action": "reject", "ids": [nasty]})).await;
    assert_eq!(count(&app, "/pm").await, 2);
    assert_eq!(ids(&json_ok(published("newest")).await), [later, calm]);
    // Another site's moderator reads none of it.
    let r = app
        .client
        .get(moderation(&app, "demo", "queue"))
        .query(&[("filter", "published")])
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn reports_past_the_threshold_hold_a_comment() {
    let Some((app, alice, _)) = staffed().await else {
        return;
    };
    let (id, _) = app.comment("/reported", None, "you are all wrong").await;
    let (other_id, _) = app.comment("/reported", None, "fine").await;
    assert_eq!(count(&app, "/reported").await, 2);
    let mut events = app.events("/reported", None).await;
    let report = |reader: &str, reason: &str| {
        app.client
            .post(app.api(&format!("/comments/{id}/report")))
            .header("x-rostra-voter", format!("reader-{reader}-0123456789"))
            .json(&json!({"reason": reason}))
            .send()
    };
    let r = report("a", "bogus").await.unwrap();
    assert_error(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("reason"),
    )
    .await;
    for (reader, recorded) in [("a", true), ("a", false), ("b", true)] {
        let r = report(reader, "abuse").await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.json::<Value>().await.unwrap()["recorded"], recorded);
    }
    // Two readers: below the default threshold of 3.
    assert_eq!(count(&app, "/reported").await, 2);
    events.quiet(Duration::from_millis(300)).await;
    let r = report("c", "spam").await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // Held: out of the listing, the counts and the stream.
    let e = events.next().await;
    assert_eq!(
        e.data,
        json!({"id": id, "parent": null, "kind": "status", "count": 1})
    );
    assert_eq!(count(&app, "/reported").await, 1);
    assert_eq!(
        top_ids(&app.thread_json("/reported", &[]).await),
        [other_id]
    );
    let r = app
        .client
        .get(app.api(&format!("/comments/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // A held comment takes no more reports.
    let r = report("d", "abuse").await.unwrap();
    assert_error(r, StatusCode::NOT_FOUND, "not_found", None).await;

    // The queue says why; the log says the system held it.
    let q = json_ok(
        app.client
            .get(moderation(&app, "demo", "queue"))
            .query(&[("filter", "held")])
            .bearer_auth(&alice),
    )
    .await;
    let item = &q["items"][0];
    assert_eq!(item["comment"]["id"], id);
    assert_eq!(item["comment"]["status"], "pending");
    assert_eq!(
        item["comment"]["assessment"]["reasons"][0]["code"],
        "reports"
    );
    assert_eq!(item["report_count"], 3);
    let log = audit(&app, &alice).await;
    assert_eq!(log[0]["action"], "hold");
    assert_eq!(log[0]["target"], format!("comment:{id}"));
    assert!(log[0]["user_name"].is_null());

    // A moderator lets it back in.
    act(&app, &alice, json!({"action": "approve", "ids": [id]})).await;
    assert_eq!(count(&app, "/reported").await, 2);

    // Unknown comments and sites.
    let r = app
        .client
        .post(app.api("/comments/987654/report"))
        .header("x-rostra-voter", "reader-z-0123456789")
        .json(&json!({"reason": "spam"}))
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::NOT_FOUND, "not_found", None).await;
}

#[tokio::test]
async fn a_threshold_of_zero_never_holds() {
    let Some((app, _, _)) = staffed().await else {
        return;
    };
    let sites = app.state.service.sites();
    let mut site = (*sites.get(&demo()).await.unwrap()).clone();
    site.settings.report_threshold = 0;
    sites.update(site).await.unwrap();
    let (id, _) = app.comment("/zero", None, "x").await;
    for i in 0..5 {
        let r = app
            .client
            .post(app.api(&format!("/comments/{id}/report")))
            .header("x-rostra-voter", format!("reader-{i}-0123456789"))
            .json(&json!({"reason": "other", "text": "hmm"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }
    assert_eq!(count(&app, "/zero").await, 1);
}

#[tokio::test]
async fn bans_are_created_listed_lifted_and_expire() {
    let Some((app, alice, _)) = staffed().await else {
        return;
    };
    let service = &app.state.service;
    let ban = |body: Value| {
        app.client
            .post(moderation(&app, "demo", "bans"))
            .bearer_auth(&alice)
            .json(&body)
            .send()
    };
    let r = ban(json!({"kind": "email", "value": "Troll@Example.org", "reason": "abuse"}))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let email: Value = r.json().await.unwrap();
    assert_eq!(email["value"], "troll@example.org");
    assert!(email["until"].is_null());
    assert_eq!(email["active"], true);
    let r = ban(json!({"kind": "address", "value": "192.0.2.7", "duration_secs": 1}))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let address: Value = r.json().await.unwrap();
    assert_ne!(
        address["value"], "192.0.2.7",
        "addresses are kept only as keyed hashes"
    );
    let ip_hash = address["value"].as_str().unwrap().to_owned();

    // The posting policy's lookup.
    let found = service
        .ban_for(&demo(), Some("troll@EXAMPLE.org"), None, Some("Ann"))
        .await
        .unwrap();
    assert_eq!(found.map(|b| b.id), email["id"].as_i64());
    assert!(service
        .ban_for(&demo(), None, Some(&ip_hash), None)
        .await
        .unwrap()
        .is_some());
    assert!(service
        .ban_for(&other(), Some("troll@example.org"), None, None)
        .await
        .unwrap()
        .is_none());
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert!(
        service
            .ban_for(&demo(), None, Some(&ip_hash), None)
            .await
            .unwrap()
            .is_none(),
        "expired"
    );
    let list = json_ok(
        app.client
            .get(moderation(&app, "demo", "bans"))
            .bearer_auth(&alice),
    )
    .await;
    let actives: Vec<_> = list["bans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["kind"].clone(), b["active"].clone()))
        .collect();
    assert_eq!(
        actives,
        [
            (json!("address"), json!(false)),
            (json!("email"), json!(true))
        ]
    );

    let lift = |id: &Value| {
        app.client
            .delete(moderation(&app, "demo", "bans"))
            .bearer_auth(&alice)
            .json(&json!({"id": id, "reason": "appealed"}))
            .send()
    };
    assert_eq!(lift(&email["id"]).await.unwrap().status(), StatusCode::OK);
    let r = lift(&email["id"]).await.unwrap();
    assert_error(r, StatusCode::NOT_FOUND, "not_found", None).await;
    assert!(service
        .ban_for(&demo(), Some("troll@example.org"), None, None)
        .await
        .unwrap()
        .is_none());

    let log = audit(&app, &alice).await;
    let actions: Vec<_> = log.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["unban", "ban", "ban"]);
    assert_eq!(log[0]["reason"], "appealed");

    for (body, field) in [
        (json!({"kind": "ip", "value": "x"}), "kind"),
        (json!({"kind": "name", "value": "  "}), "value"),
        (json!({"kind": "address", "value": "not an ip"}), "value"),
        (
            json!({"kind": "name", "value": "x", "duration_secs": -5}),
            "duration_secs",
        ),
    ] {
        let r = ban(body).await.unwrap();
        assert_error(
            r,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
            Some(field),
        )
        .await;
    }
}

#[tokio::test]
async fn the_audit_log_cannot_be_altered() {
    use sqlx::Connection;
    let Some((app, alice, _)) = staffed().await else {
        return;
    };
    let (id, _) = app.comment("/log", None, "x").await;
    act(&app, &alice, json!({"action": "reject", "ids": [id]})).await;
    let url = app.config.database_url();
    let (update, delete) = match crate::BACKEND {
        Backend::Sqlite => {
            let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
            let update = sqlx::query("UPDATE audit_log SET action = 'approve'")
                .execute(&mut conn)
                .await;
            let delete = sqlx::query("DELETE FROM audit_log")
                .execute(&mut conn)
                .await;
            (update.map(|_| ()), delete.map(|_| ()))
        }
        Backend::Postgres => {
            let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
            let update = sqlx::query("UPDATE audit_log SET action = 'approve'")
                .execute(&mut conn)
                .await;
            let delete = sqlx::query("DELETE FROM audit_log")
                .execute(&mut conn)
                .await;
            (update.map(|_| ()), delete.map(|_| ()))
        }
    };
    let update = update.unwrap_err().to_string();
    assert!(update.contains("append-only"), "{update}");
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    let log = audit(&app, &alice).await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["action"], "reject");
}

#[tokio::test]
async fn behind_an_https_proxy_the_cookie_is_secure_and_the_public_origin_may_write() {
    let Some(app) =
        TestApp::spawn_with(|c| c.server.public_url = "https://comments.example".into()).await
    else {
        return;
    };
    app.state
        .service
        .add_user("alice", Some(PASSWORD), None, &demo(), Role::Owner)
        .await
        .unwrap();
    let r = login(&app, "alice", PASSWORD).await;
    assert_eq!(r.status(), StatusCode::OK);
    let set = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(set.contains("; Secure"), "{set}");
    let cookie = set.split(';').next().unwrap().to_owned();
    let (id, _) = app.comment("/proxied", None, "x").await;
    let r = app
        .client
        .post(moderation(&app, "demo", "actions"))
        .header("cookie", &cookie)
        .header("origin", "https://comments.example")
        .json(&json!({"action": "spam", "ids": [id]}))
        .send()
        .await
        .unwrap();
    let status = r.status();
    assert_eq!(status, StatusCode::OK, "{}", r.text().await.unwrap());
    // A sign-in posted from another site is refused.
    let r = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("origin", "https://evil.example")
        .json(&json!({"name": "alice", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::FORBIDDEN, "origin_not_allowed", None).await;
}
