//! Subscriptions, moderators' notices and the outbox against a real SMTP
//! server on loopback (`tests/support/smtp_sink.py`, Python's aiosmtpd),
//! whose received messages the tests read back; webhooks against a real
//! HTTP receiver.

use crate::comments::set_site;
use crate::helpers::*;
use reqwest::StatusCode;
use rostra::config::Config;
use rostra_core::{CommentId, CommentStatus, ModerationMode, Role, SiteId};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// The SMTP server: a child process, and the folder it writes into.
struct Sink {
    port: u16,
    dir: PathBuf,
    child: Option<Child>,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Sink {
    async fn start(port: u16, dir: &Path) -> Self {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp_sink.py");
        let mut child = Command::new("python3")
            .arg(&script)
            .arg(port.to_string())
            .arg(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("python3 runs tests/support/smtp_sink.py (pip install aiosmtpd)");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let ready = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
            .await
            .expect("the SMTP sink starts within 20 s");
        assert_eq!(
            ready.unwrap().as_deref(),
            Some("ready"),
            "the SMTP sink did not start: is aiosmtpd installed (pip install aiosmtpd)?"
        );
        Self {
            port,
            dir: dir.to_path_buf(),
            child: Some(child),
        }
    }

    async fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            c.kill().await.unwrap();
            let _ = c.wait().await;
        }
    }

    /// Every message received so far, in order.
    fn messages(&self) -> Vec<Value> {
        let mut files: Vec<_> = std::fs::read_dir(&self.dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|p| serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap())
            .collect()
    }

    /// Waits until at least `n` messages came (at most 20 s).
    async fn wait_for(&self, n: usize) -> Vec<Value> {
        for _ in 0..400 {
            let got = self.messages();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("expected {n} messages, got {:#?}", self.messages());
    }
}

fn mail_config(config: &mut Config, smtp_port: u16) {
    config.mail.transport = "smtp".into();
    config.mail.smtp_host = "127.0.0.1".into();
    config.mail.smtp_port = smtp_port;
    config.mail.smtp_tls = "none".into();
    config.mail.smtp_timeout_secs = 5;
    config.mail.retry_base_secs = 0.2;
    config.mail.retry_max_secs = 1;
    config.mail.poll_ms = 50;
    config.mail.from = "Rostra Demo <comments@example.org>".into();
    config.mail.reply_to = "editors@example.org".into();
    config.mail.allow_http_webhooks = true;
}

/// Whether Python's aiosmtpd is there. Without it the mail tests say they
/// are skipped, unless `ROSTRA_TEST_SMTP=1` (set by `.ci/run`) makes that
/// a failure.
fn smtp_available() -> bool {
    let there = std::process::Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !there {
        assert!(
            std::env::var("ROSTRA_TEST_SMTP").is_err(),
            "ROSTRA_TEST_SMTP is set but python3 cannot import aiosmtpd (pip install aiosmtpd)"
        );
        eprintln!("skipped: the mail tests need python3 with aiosmtpd (pip install aiosmtpd)");
    }
    there
}

/// An app mailing through a fresh sink.
async fn mailing(tweak: impl FnOnce(&mut Config)) -> Option<(TestApp, Sink, tempfile::TempDir)> {
    if !smtp_available() {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let app = TestApp::spawn_with(|c| {
        mail_config(c, port);
        tweak(c);
    })
    .await?;
    let sink = Sink::start(port, dir.path()).await;
    Some((app, sink, dir))
}

async fn subscribe(app: &TestApp, email: &str, extra: Value) -> reqwest::Response {
    let mut req = json!({"url": app.page("/p"), "title": "A page", "email": email});
    for (k, v) in extra.as_object().unwrap() {
        req[k] = v.clone();
    }
    app.client
        .post(app.api("/subscriptions"))
        .json(&req)
        .send()
        .await
        .unwrap()
}

async fn post_as(app: &TestApp, name: &str, email: Option<&str>, body: &str, extra: Value) -> i64 {
    let mut req = json!({
        "url": app.page("/p"), "title": "A page",
        "author": {"name": name, "email": email}, "body": body,
    });
    for (k, v) in extra.as_object().unwrap() {
        req[k] = v.clone();
    }
    let r = app
        .client
        .post(app.api("/comments"))
        .json(&req)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    v["comment"]["id"].as_i64().unwrap()
}

/// The first link in a message's text that starts with `prefix`.
fn link(message: &Value, prefix: &str) -> String {
    let text = message["text"].as_str().unwrap();
    let start = text
        .find(prefix)
        .unwrap_or_else(|| panic!("no link to {prefix} in {text}"));
    text[start..].split_whitespace().next().unwrap().to_string()
}

fn header<'a>(message: &'a Value, name: &str) -> &'a str {
    message["headers"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str().unwrap())
        .unwrap_or_else(|| panic!("no {name} header in {message:#}"))
}

async fn confirm(app: &TestApp, message: &Value) {
    let url = link(message, &app.url("/subscriptions/confirm?"));
    let r = app.client.get(&url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(page.contains("role=\"status\""), "{page}");
}

#[tokio::test]
async fn a_reader_confirms_hears_of_new_comments_and_unsubscribes_in_one_click() {
    let Some((app, sink, _dir)) = mailing(|_| {}).await else {
        return;
    };
    let r = subscribe(&app, "Reader@Example.org", json!({})).await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let got = sink.wait_for(1).await;
    let request = &got[0];
    assert_eq!(request["rcpt"], json!(["reader@example.org"]));
    assert!(header(request, "subject").contains("Confirm"));
    // Nothing but the request goes to an unconfirmed address.
    post_as(&app, "Ann", None, "Before the reader confirms.", json!({})).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(sink.messages().len(), 1, "{:#?}", sink.messages());

    confirm(&app, request).await;
    let id = post_as(&app, "Ann", None, "After: *welcome*, reader.", json!({})).await;
    let got = sink.wait_for(2).await;
    let news = &got[1];
    assert_eq!(news["rcpt"], json!(["reader@example.org"]));
    assert_eq!(header(news, "subject"), "New comment on “A page”");
    assert!(news["text"]
        .as_str()
        .unwrap()
        .contains("After: *welcome*, reader."));
    assert!(news["html"].as_str().unwrap().contains("<em>welcome</em>"));
    assert!(news["text"]
        .as_str()
        .unwrap()
        .contains(&format!("{}#rostra-c-{id}", app.page("/p"))));
    assert_eq!(header(news, "from"), "Rostra Demo <comments@example.org>");
    assert_eq!(header(news, "reply-to"), "editors@example.org");
    assert!(header(news, "message-id").ends_with("@127.0.0.1>"));
    assert!(!header(news, "date").is_empty());
    assert_eq!(
        header(news, "list-unsubscribe-post"),
        "List-Unsubscribe=One-Click"
    );
    let unsubscribe = header(news, "list-unsubscribe")
        .trim_matches(['<', '>'])
        .to_string();
    assert!(unsubscribe.starts_with(&app.url("/subscriptions/unsubscribe?t=")));
    // The manage page lists the subscription.
    let manage = link(news, &app.url("/subscriptions/manage?"));
    let page = app
        .client
        .get(&manage)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("A page"), "{page}");

    // A mail client's one-click POST (RFC 8058), no cookie, no Origin.
    let r = app
        .client
        .post(&unsubscribe)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    post_as(&app, "Ann", None, "After unsubscribing.", json!({})).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(sink.messages().len(), 2);
    // A forged or altered link does nothing.
    let forged = unsubscribe.replace("t=", "t=x");
    let r = app.client.post(&forged).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn replies_only_subscribers_hear_of_replies_to_them_and_digests_collect() {
    let Some((app, sink, _dir)) = mailing(|c| c.mail.digest_every_secs = 2).await else {
        return;
    };
    let mine = post_as(
        &app,
        "Rita",
        Some("rita@example.org"),
        "My first comment.",
        json!({"notify": "replies"}),
    )
    .await;
    let got = sink.wait_for(1).await;
    confirm(&app, &got[0]).await;
    // A new top-level comment is not a reply to Rita: no mail.
    post_as(&app, "Ann", None, "Unrelated remark.", json!({})).await;
    // A reply is.
    post_as(
        &app,
        "Ann",
        None,
        "Answering Rita.",
        json!({"parent": mine}),
    )
    .await;
    let got = sink.wait_for(2).await;
    assert_eq!(
        header(&got[1], "subject"),
        "New reply to your comment on “A page”"
    );
    assert!(got[1]["text"].as_str().unwrap().contains("Answering Rita."));
    // Rita's own reply does not notify Rita.
    post_as(
        &app,
        "Rita",
        Some("rita@example.org"),
        "Thanks!",
        json!({"parent": mine}),
    )
    .await;

    // A digest reader gets one message for several comments.
    let r = subscribe(&app, "dora@example.org", json!({"cadence": "digest"})).await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let got = sink.wait_for(3).await;
    assert_eq!(got[2]["rcpt"], json!(["dora@example.org"]));
    confirm(&app, &got[2]).await;
    post_as(&app, "Ann", None, "Digest one.", json!({})).await;
    post_as(&app, "Ben", None, "Digest two.", json!({})).await;
    let got = sink.wait_for(4).await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let all = sink.messages();
    assert_eq!(all.len(), 4, "{all:#?}");
    let digest = &got[3];
    assert_eq!(digest["rcpt"], json!(["dora@example.org"]));
    assert_eq!(header(digest, "subject"), "New comments on Rostra demo");
    let text = digest["text"].as_str().unwrap();
    assert!(
        text.contains("Digest one.") && text.contains("Digest two."),
        "{text}"
    );
    assert_eq!(
        header(digest, "list-unsubscribe-post"),
        "List-Unsubscribe=One-Click"
    );
    // The digest's one-click link removes every subscription of the address.
    let unsubscribe = header(digest, "list-unsubscribe")
        .trim_matches(['<', '>'])
        .to_string();
    let r = app
        .client
        .post(&unsubscribe)
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("no subscriptions left"));
}

#[tokio::test]
async fn with_the_mail_server_down_for_a_while_every_notification_arrives_exactly_once() {
    let Some((app, mut sink, dir)) = mailing(|_| {}).await else {
        return;
    };
    subscribe(&app, "reader@example.org", json!({})).await;
    let got = sink.wait_for(1).await;
    confirm(&app, &got[0]).await;
    post_as(&app, "Ann", None, "Comment 0", json!({})).await;
    sink.wait_for(2).await;
    sink.stop().await;
    let mut ids = Vec::new();
    for i in 1..=5 {
        ids.push(post_as(&app, "Ann", None, &format!("Comment {i}"), json!({})).await);
    }
    // Let several retries fail against the closed port.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let port = sink.port;
    let sink = Sink::start(port, dir.path()).await;
    let got = sink.wait_for(7).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let all = sink.messages();
    assert_eq!(all.len(), 7, "{all:#?}");
    for i in 0..=5 {
        let n = all
            .iter()
            .filter(|m| {
                let text = m["text"].as_str().unwrap();
                text.lines().any(|l| l.trim() == format!("Comment {i}"))
            })
            .count();
        assert_eq!(n, 1, "comment {i} arrived {n} times");
    }
    assert_eq!(got.len(), 7);
    let tally = app.state.service.store().outbox_tally(None).await.unwrap();
    assert_eq!(tally.pending, 0, "{tally:?}");
    assert_eq!(tally.failed, 0, "{tally:?}");
}

#[tokio::test]
async fn held_comments_reach_moderators_not_readers_and_a_rejected_one_sends_nothing() {
    let Some((app, sink, _dir)) = mailing(|_| {}).await else {
        return;
    };
    set_site(&app, |s| s.settings.moderation = ModerationMode::Pre).await;
    let service = &app.state.service;
    let demo = SiteId::parse("demo").unwrap();
    service
        .add_user(
            "mo",
            Some("a long enough password"),
            Some("mo@example.org"),
            &demo,
            Role::Moderator,
        )
        .await
        .unwrap();
    subscribe(&app, "reader@example.org", json!({})).await;
    let got = sink.wait_for(1).await;
    confirm(&app, &got[0]).await;

    let held = post_as(&app, "Ann", None, "Held for review.", json!({})).await;
    let got = sink.wait_for(2).await;
    assert_eq!(got[1]["rcpt"], json!(["mo@example.org"]));
    assert!(header(&got[1], "subject").contains("waiting for review"));
    assert!(got[1]["text"]
        .as_str()
        .unwrap()
        .contains(&app.url("/moderation")));
    // Approved: now the reader hears of it.
    service
        .set_status(&demo, CommentId(held), CommentStatus::Approved)
        .await
        .unwrap();
    let got = sink.wait_for(3).await;
    assert_eq!(got[2]["rcpt"], json!(["reader@example.org"]));
    assert!(got[2]["text"]
        .as_str()
        .unwrap()
        .contains("Held for review."));
    // Rejected before anything goes out: the reader hears nothing of it.
    let other = post_as(&app, "Ann", None, "Soon rejected.", json!({})).await;
    let got = sink.wait_for(4).await; // the moderator's notice
    assert_eq!(got[3]["rcpt"], json!(["mo@example.org"]));
    service
        .set_status(&demo, CommentId(other), CommentStatus::Rejected)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(sink.messages().len(), 4, "{:#?}", sink.messages());
}

#[tokio::test]
async fn confirmation_requests_are_limited_per_address_and_per_client() {
    let Some((app, sink, _dir)) = mailing(|_| {}).await else {
        return;
    };
    for _ in 0..3 {
        let r = subscribe(&app, "stranger@example.org", json!({})).await;
        assert_eq!(r.status(), StatusCode::ACCEPTED);
    }
    sink.wait_for(1).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(
        sink.messages().len(),
        1,
        "one request per address, however often asked"
    );
    // Bad input names its field, and nothing is sent.
    let r = subscribe(&app, "not an address", json!({})).await;
    assert_error(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("email"),
    )
    .await;
    let r = subscribe(&app, "a@example.org", json!({"cadence": "weekly"})).await;
    assert_error(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("cadence"),
    )
    .await;
    // The same client may not go on asking for other addresses.
    let mut limited = false;
    for i in 0..20 {
        let r = subscribe(&app, &format!("x{i}@example.org"), json!({})).await;
        if r.status() == StatusCode::TOO_MANY_REQUESTS {
            limited = true;
            break;
        }
    }
    assert!(limited, "the client was never limited");
}

#[tokio::test]
async fn webhooks_are_signed_retried_and_owned_by_owners() {
    use axum::routing::post;
    let Some((app, _sink, _dir)) = mailing(|_| {}).await else {
        return;
    };
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(axum::http::HeaderMap, String)>();
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = calls.clone();
    let receiver = axum::Router::new().route(
        "/hook",
        post(move |headers: axum::http::HeaderMap, body: String| {
            let tx = tx.clone();
            let seen = seen.clone();
            async move {
                // The first delivery fails: the outbox must retry it.
                if seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
                    return StatusCode::INTERNAL_SERVER_ERROR;
                }
                tx.send((headers, body)).unwrap();
                StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook_url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, receiver).await });

    let service = &app.state.service;
    let demo = SiteId::parse("demo").unwrap();
    service
        .add_user(
            "owen",
            Some("a long enough password"),
            None,
            &demo,
            Role::Owner,
        )
        .await
        .unwrap();
    service
        .add_user(
            "mia",
            Some("a long enough password"),
            None,
            &demo,
            Role::Moderator,
        )
        .await
        .unwrap();
    let owner = service.create_token("owen", None).await.unwrap();
    let moderator = service.create_token("mia", None).await.unwrap();
    let r = app
        .client
        .post(app.api("/webhooks"))
        .bearer_auth(moderator.as_str())
        .json(&json!({"url": hook_url}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "moderators do not own webhooks"
    );
    let r = app
        .client
        .post(app.api("/webhooks"))
        .bearer_auth(owner.as_str())
        .json(&json!({"url": hook_url, "events": ["comment.created"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let hook: Value = r.json().await.unwrap();
    let secret = hook["secret"].as_str().unwrap().to_string();
    let r = app
        .client
        .post(app.api("/webhooks"))
        .bearer_auth(owner.as_str())
        .json(&json!({"url": "ftp://example.org/x"}))
        .send()
        .await
        .unwrap();
    assert_error(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("url"),
    )
    .await;
    let listed: Value = app
        .client
        .get(app.api("/webhooks"))
        .bearer_auth(owner.as_str())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        listed[0].get("secret").is_none(),
        "the secret is shown once"
    );

    let id = post_as(&app, "Ann", Some("ann@example.org"), "Hooked.", json!({})).await;
    let (headers, body) = tokio::time::timeout(Duration::from_secs(20), rx.recv())
        .await
        .expect("the delivery is retried and arrives")
        .unwrap();
    assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 2);
    assert_eq!(headers["rostra-event"], "comment.created");
    let signature = headers["rostra-signature"].to_str().unwrap();
    let t: i64 = signature
        .strip_prefix("t=")
        .and_then(|s| s.split(',').next())
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(signature, rostra_service::mail::sign(&secret, t, &body));
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["event"], "comment.created");
    assert_eq!(v["comment"]["id"], id);
    assert!(
        !body.contains("ann@example.org"),
        "no e-mail address in deliveries"
    );
    // A donation recorded on one of the site's campaigns is delivered too
    // (the endpoint above takes comment events only: register another).
    let r = app
        .client
        .post(app.api("/webhooks"))
        .bearer_auth(owner.as_str())
        .json(&json!({"url": hook_url, "events": ["donation.recorded"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    crate::campaigns::create(&app, owner.as_str(), crate::campaigns::campaign_body()).await;
    let r = app
        .client
        .post(app.api("/campaigns/fall/donations"))
        .bearer_auth(owner.as_str())
        .json(&json!({"amount": 2500, "id": "cheque-1"}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    let (headers, body) = tokio::time::timeout(Duration::from_secs(20), rx.recv())
        .await
        .expect("the donation is delivered")
        .unwrap();
    assert_eq!(headers["rostra-event"], "donation.recorded");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["donation"]["amount"], 2500);
    assert_eq!(v["donation"]["campaign"], "fall");
    assert_eq!(v["totals"]["raised"], 12500);
}

#[tokio::test]
async fn two_nodes_share_one_outbox_and_each_message_goes_out_once() {
    if crate::BACKEND != Backend::Postgres {
        return; // several nodes share a PostgreSQL database
    }
    let Some((a, sink, _dir)) = mailing(|_| {}).await else {
        return;
    };
    let b = a.spawn_node_with(|c| mail_config(c, sink.port)).await;
    subscribe(&a, "reader@example.org", json!({})).await;
    let got = sink.wait_for(1).await;
    confirm(&a, &got[0]).await;
    // Comments on both nodes; both workers poll the same outbox.
    for i in 0..10 {
        let node = if i % 2 == 0 { &a } else { &b };
        // The same page (the demo's pages are on the first node's origin).
        let r = node
            .client
            .post(node.api("/comments"))
            .json(&json!({
                "url": a.page("/p"), "author": {"name": "Ann"}, "body": format!("From node {i}"),
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    sink.wait_for(11).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let all = sink.messages();
    assert_eq!(all.len(), 11, "{all:#?}");
    for i in 0..10 {
        let n = all
            .iter()
            .filter(|m| {
                let text = m["text"].as_str().unwrap();
                text.lines().any(|l| l.trim() == format!("From node {i}"))
            })
            .count();
        assert_eq!(n, 1, "comment {i} arrived {n} times");
    }
}

#[tokio::test]
async fn a_message_that_cannot_go_out_is_given_up_with_its_error() {
    let Some((app, mut sink, _dir)) = mailing(|c| c.mail.give_up_after_secs = 1).await else {
        return;
    };
    sink.stop().await;
    let r = subscribe(&app, "reader@example.org", json!({})).await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let store = app.state.service.store();
    for _ in 0..100 {
        if store.outbox_tally(None).await.unwrap().failed == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let tally = store.outbox_tally(None).await.unwrap();
    assert_eq!((tally.pending, tally.failed), (0, 1), "{tally:?}");
}

#[tokio::test]
async fn messages_are_translated_and_escape_what_readers_wrote() {
    let Some((app, sink, _dir)) = mailing(|_| {}).await else {
        return;
    };
    let r = subscribe(&app, "leser@example.org", json!({"lang": "de"})).await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let got = sink.wait_for(1).await;
    assert!(
        header(&got[0], "subject").starts_with("Bestätigen Sie"),
        "{:#}",
        got[0]
    );
    confirm(&app, &got[0]).await;
    post_as(
        &app,
        "<img src=x onerror=alert(1)>",
        None,
        "<script>alert(1)</script> hi",
        json!({}),
    )
    .await;
    let got = sink.wait_for(2).await;
    assert!(header(&got[1], "subject").starts_with("Neuer Kommentar"));
    let html = got[1]["html"].as_str().unwrap();
    assert!(
        !html.contains("<script>") && !html.contains("<img"),
        "{html}"
    );
    assert!(
        html.contains("&lt;img") || html.contains("&#60;img"),
        "the name is escaped: {html}"
    );
}

#[tokio::test]
async fn moderators_may_take_held_comments_as_a_digest() {
    let Some((app, sink, _dir)) = mailing(|c| c.mail.digest_every_secs = 2).await else {
        return;
    };
    set_site(&app, |s| {
        s.settings.moderation = ModerationMode::Pre;
        s.settings.notify_moderators = rostra_core::ModeratorNotify::Digest;
    })
    .await;
    let demo = SiteId::parse("demo").unwrap();
    app.state
        .service
        .add_user(
            "mo",
            Some("a long enough password"),
            Some("mo@example.org"),
            &demo,
            Role::Moderator,
        )
        .await
        .unwrap();
    post_as(&app, "Ann", None, "First held.", json!({})).await;
    post_as(&app, "Ben", None, "Second held.", json!({})).await;
    let got = sink.wait_for(1).await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(sink.messages().len(), 1, "one digest for both");
    assert_eq!(got[0]["rcpt"], json!(["mo@example.org"]));
    assert!(header(&got[0], "subject").contains("waiting for review"));
    let text = got[0]["text"].as_str().unwrap();
    assert!(
        text.contains("First held.") && text.contains("Second held."),
        "{text}"
    );
    assert!(text.contains(&app.url("/moderation")), "{text}");
}
