//! `rostra export` and `rostra migrate-store`, through the real binary: a
//! SQLite installation with several sites, replies, tombstones, held and
//! rejected comments, edits and votes is copied into an empty store; both
//! export the same bytes, and the application started on the copy serves
//! the same pages, recognises earlier guest voters and gives new comments
//! fresh ids.
//!
//! The PostgreSQL variant runs on a scratch schema of the server
//! `ROSTRA_TEST_POSTGRES_URL` names; it is skipped, and says so, when the
//! variable is unset, and fails when the server does not answer.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use reqwest::{Client, StatusCode};
use rostra::config::Config;
use rostra::seed;
use rostra::startup::Application;
use rostra_core::{CommentId, CommentStatus, ModerationMode, SiteId, SiteSettings};
use rostra_server::AppState;
use rostra_store_postgres::testing::TestSchema;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::path::Path;
use std::process::Output;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The guest whose vote must survive the move.
const VOTER: &str = "guest-voter-0123456789";
/// The page most comments are on.
const PAGE: &str = "https://news.example/story";

/// Rostra running in this process.
struct Running {
    addr: SocketAddr,
    state: AppState,
    stop: oneshot::Sender<()>,
    served: JoinHandle<anyhow::Result<()>>,
}

impl Running {
    async fn start(data_dir: &Path, url: &str) -> Self {
        let mut config = Config::default();
        config.server.listen = "127.0.0.1:0".parse().unwrap();
        config.server.data_dir = data_dir.to_path_buf();
        config.server.shutdown_grace_secs = 2;
        config.rate.writes_per_minute = 0;
        config.rate.votes_per_minute = 0;
        config.demo.seed = false;
        config.database.url = url.to_owned();
        let app = Application::build(&config).await.unwrap();
        let addr = app.local_addr();
        let state = app.state().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        let served = tokio::spawn(app.run_until(async move {
            let _ = stopped.await;
        }));
        Self {
            addr,
            state,
            stop,
            served,
        }
    }

    async fn stop(self) {
        let _ = self.stop.send(());
        self.served.await.unwrap().unwrap();
    }

    fn api(&self, site: &str, rest: &str) -> String {
        format!("http://{}/api/v1/sites/{site}{rest}", self.addr)
    }

    /// Posts a comment; returns the answer's JSON (201 expected).
    async fn post(&self, site: &str, parent: Option<i64>, body: &str) -> Value {
        let mut req = json!({"url": PAGE, "title": "The story", "author": {"name": "Ann", "email": "ann@example.org"}, "body": body});
        if let Some(p) = parent {
            req["parent"] = json!(p);
        }
        let r = Client::new()
            .post(self.api(site, "/comments"))
            .json(&req)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        r.json().await.unwrap()
    }

    /// Votes on a news comment as `voter`; returns (up, down).
    async fn vote(&self, id: i64, voter: &str, value: i64) -> (i64, i64) {
        let r = Client::new()
            .post(self.api("news", &format!("/comments/{id}/vote")))
            .header("x-rostra-voter", voter)
            .json(&json!({"value": value}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let v: Value = r.json().await.unwrap();
        (
            v["upvotes"].as_i64().unwrap(),
            v["downvotes"].as_i64().unwrap(),
        )
    }

    /// The news page's thread as JSON, in `sort` order.
    async fn thread(&self, sort: &str) -> Value {
        let r = Client::new()
            .get(self.api("news", "/thread"))
            .query(&[("url", PAGE), ("sort", sort), ("limit", "100")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        r.json().await.unwrap()
    }
}

/// Fills a SQLite installation with every kind of state; returns the news
/// page in each order, and the comment the guest voted up.
async fn seed_source(data_dir: &Path) -> (Vec<Value>, i64) {
    let app = Running::start(data_dir, "").await;
    let service = &app.state.service;
    let sites = service.sites();
    sites
        .create(
            SiteId::parse("news").unwrap(),
            "The News".into(),
            vec![],
            SiteSettings::default(),
        )
        .await
        .unwrap();
    let held = SiteSettings {
        moderation: ModerationMode::Pre,
        ..SiteSettings::default()
    };
    sites
        .create(
            SiteId::parse("forum").unwrap(),
            "Forum".into(),
            vec![],
            held,
        )
        .await
        .unwrap();
    let bulk = seed::site(service, "bulk").await.unwrap();
    let plan = seed::SeedPlan {
        site: bulk,
        url: "https://bulk.example/t".into(),
        comments: 300,
        threads: 3,
        seed: 7,
    };
    seed::run(service.store().clone(), plan).await.unwrap();

    let mut tops = Vec::new();
    for i in 0..12 {
        let v = app.post("news", None, &format!("Top **{i}**")).await;
        tops.push((
            v["comment"]["id"].as_i64().unwrap(),
            v["edit_token"].as_str().unwrap().to_owned(),
        ));
    }
    let reply = app.post("news", Some(tops[0].0), "A reply").await["comment"]["id"]
        .as_i64()
        .unwrap();
    app.post("news", Some(reply), "A reply to the reply").await;
    app.post("news", Some(tops[1].0), "Another").await;
    let client = Client::new();
    // A tombstone over its replies, and a deletion that leaves nothing.
    for (id, token) in [&tops[0], &tops[2]] {
        let r = client
            .delete(app.api("news", &format!("/comments/{id}")))
            .header("x-edit-token", token)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{}", r.status());
    }
    let r = client
        .patch(app.api("news", &format!("/comments/{}", tops[3].0)))
        .header("x-edit-token", &tops[3].1)
        .json(&json!({"body": "Edited _text_"}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let news = SiteId::parse("news").unwrap();
    service
        .store()
        .set_status(&news, CommentId(tops[4].0), CommentStatus::Rejected)
        .await
        .unwrap();
    for i in 0..3 {
        let v = app.post("forum", None, &format!("Held {i}")).await;
        assert_eq!(v["comment"]["status"], "pending", "{v}");
    }
    let voted = tops[5].0;
    assert_eq!(app.vote(voted, VOTER, 1).await, (1, 0));
    for (n, id) in [tops[5].0, tops[6].0, tops[6].0, reply].iter().enumerate() {
        app.vote(
            *id,
            &format!("another-voter-{n:08}"),
            if n % 2 == 0 { 1 } else { -1 },
        )
        .await;
    }
    // The moderator side: a moderator with a token, reports (one acted
    // on), a ban and the audit log.
    service
        .add_user(
            "alice",
            Some("a long enough password"),
            Some("alice@example.org"),
            &news,
            rostra_core::Role::Moderator,
        )
        .await
        .unwrap();
    service.create_token("alice", Some("ci")).await.unwrap();
    // The mail side: a subscriber with two subscriptions, and a webhook.
    for notify in ["thread", "replies"] {
        service
            .subscribe(
                &news,
                rostra_service::mail::SubscribeInput {
                    url: "https://news.example/a".into(),
                    email: "reader@example.org".into(),
                    notify: Some(notify.into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
    }
    service
        .add_webhook(
            &news,
            rostra_service::mail::WebhookInput {
                url: "https://hooks.example/rostra".into(),
                events: vec![],
            },
        )
        .await
        .unwrap();
    for reader in ["reader-one-0123456789", "reader-two-0123456789"] {
        service
            .report_comment(
                &news,
                CommentId(tops[6].0),
                Some(reader),
                None,
                "abuse",
                Some("rude"),
            )
            .await
            .unwrap();
    }
    let token = service.create_token("alice", None).await.unwrap();
    let alice = service.authenticate(token.as_str()).await.unwrap();
    service
        .moderate(
            &alice,
            &news,
            rostra_core::ModAction::Approve,
            &[tops[6].0],
            Some("fine"),
        )
        .await
        .unwrap();
    service
        .report_comment(
            &news,
            CommentId(tops[7].0),
            None,
            Some("192.0.2.1"),
            "spam",
            None,
        )
        .await
        .unwrap();
    service
        .create_ban(
            &alice,
            &news,
            rostra_service::BanInput {
                kind: "email".into(),
                value: "troll@example.org".into(),
                duration_secs: None,
                reason: Some("trolling".into()),
            },
        )
        .await
        .unwrap();
    // A donation campaign, with its secrets, gifts, a refund and a gift in
    // another currency.
    let fall = rostra_core::CampaignSlug::parse("fall").unwrap();
    let input = rostra_service::CampaignInput {
        title: Some("Support The News".into()),
        currency: Some("EUR".into()),
        goal: Some(500_000),
        milestones: Some(vec![100_000, 250_000]),
        starts_at: Some("2026-09-01".into()),
        ends_at: Some("2026-10-01T00:00:00+02:00".into()),
        offset: Some(12_345),
        cta_text: Some("Donate".into()),
        cta_url: Some("https://news.example/donate".into()),
        show_donors: Some(true),
        stripe_secret: Some("whsec_migrate_0123456789".into()),
        rotate_webhook_secret: false,
    };
    service
        .create_campaign(&news, fall.clone(), input)
        .await
        .unwrap();
    for (id, amount, currency, refund) in [
        ("m-1", 2_500, "EUR", false),
        ("m-2", 9_900, "EUR", false),
        ("m-3", 500, "EUR", true),
        ("m-4", 700, "USD", false),
    ] {
        let entry = rostra_service::ManualDonation {
            amount,
            currency: Some(rostra_core::Currency::parse(currency).unwrap()),
            refund,
            id: Some(id.into()),
            note: Some(format!("entry {id}")),
            at: None,
        };
        let source = rostra_core::campaign::Source::Manual;
        service
            .manual_donation(&news, &fall, entry, source)
            .await
            .unwrap();
    }
    let mut pages = Vec::new();
    for sort in ["oldest", "newest", "votes", "best"] {
        pages.push(app.thread(sort).await);
    }
    // Twelve, less the deletion without replies and the rejection; the
    // tombstone stays.
    assert_eq!(pages[0]["comments"].as_array().unwrap().len(), 10);
    app.stop().await;
    (pages, voted)
}

/// Runs the real binary with only the configuration given here.
async fn rostra(args: &[&str], database_url: Option<&str>) -> Output {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_rostra"));
    cmd.args(args);
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("ROSTRA_") {
            cmd.env_remove(key);
        }
    }
    cmd.env_remove("RUST_LOG").env("ROSTRA_LOG__FILTER", "warn");
    if let Some(url) = database_url {
        cmd.env("ROSTRA_DATABASE__URL", url);
    }
    cmd.output().await.unwrap()
}

fn ok(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {stdout}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The export of the store at `url`, as written to a file.
async fn export(url: &str, file: &Path) -> Vec<u8> {
    ok(&rostra(&["export", "--out", file.to_str().unwrap()], Some(url)).await);
    std::fs::read(file).unwrap()
}

fn count(export: &[u8], needle: &str) -> usize {
    String::from_utf8_lossy(export).matches(needle).count()
}

/// Seeds SQLite, moves it to `target`, and checks the copy.
async fn moves_to(target: &str, dir: &Path) {
    let source_dir = dir.join("source");
    let (pages, voted) = seed_source(&source_dir).await;
    let source = format!("sqlite://{}", source_dir.join("rostra.db").display());

    let out = ok(&rostra(&["migrate-store", "--from", &source, "--to", target], None).await);
    assert!(out.contains("identical: 4 sites, 5 threads, "), "{out}");
    let before = export(&source, &dir.join("source.jsonl")).await;
    let after = export(target, &dir.join("target.jsonl")).await;
    assert!(before == after, "the exports differ");
    for kind in [
        "site",
        "thread",
        "comment",
        "vote",
        "secret",
        "user",
        "membership",
        "credential",
        "report",
        "ban",
        "audit",
        "subscriber",
        "subscription",
        "webhook",
        "campaign",
        "donation",
    ] {
        assert!(
            count(&before, &format!("{{\"type\":\"{kind}\"")) > 0,
            "{kind}"
        );
    }
    assert!(count(&before, "\"type\":\"comment\"") > 300);
    assert_eq!(count(&before, "\"type\":\"subscription\""), 2);
    assert_eq!(count(&before, "\"email\":\"alice@example.org\""), 1);
    for status in ["pending", "rejected", "deleted"] {
        assert!(
            count(&before, &format!("\"status\":\"{status}\"")) > 0,
            "{status}"
        );
    }

    // And back, into a new SQLite file: the same bytes again.
    let back = format!("sqlite://{}", dir.join("back.db").display());
    ok(&rostra(&["migrate-store", "--from", target, "--to", &back], None).await);
    assert!(export(&back, &dir.join("back.jsonl")).await == before);

    // Once copied, a target is not empty: a second copy is refused.
    let again = rostra(&["migrate-store", "--from", &source, "--to", target], None).await;
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("is not empty"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );

    let app = Running::start(&dir.join("target-data"), target).await;
    for (sort, page) in ["oldest", "newest", "votes", "best"].iter().zip(&pages) {
        assert_eq!(&app.thread(sort).await, page, "the {sort} page");
    }
    // The campaign came along, totals and secrets, and its webhook's
    // earlier events stay seen.
    let news = SiteId::parse("news").unwrap();
    let fall = rostra_core::CampaignSlug::parse("fall").unwrap();
    let (c, totals) = app
        .state
        .service
        .campaign_with_totals(&news, &fall)
        .await
        .unwrap();
    assert_eq!(
        (totals.raised, totals.donors),
        (12_345 + 2_500 + 9_900 - 500, 2)
    );
    assert!(c.spec.stripe_secret.is_some() && c.spec.webhook_secret.is_some());
    let again = rostra_service::ManualDonation {
        amount: 2_500,
        currency: None,
        refund: false,
        id: Some("m-1".into()),
        note: None,
        at: None,
    };
    let r = app
        .state
        .service
        .manual_donation(&news, &fall, again, rostra_core::campaign::Source::Manual)
        .await
        .unwrap();
    assert!(r.duplicate);
    // The guest's earlier vote is theirs: changing it moves one vote over.
    assert_eq!(app.vote(voted, VOTER, -1).await, (1, 1));
    let max_copied = pages[0]["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .max()
        .unwrap();
    let fresh = app.post("news", None, "After the move").await["comment"]["id"]
        .as_i64()
        .unwrap();
    let highest = String::from_utf8_lossy(&before)
        .lines()
        .filter(|l| l.starts_with("{\"type\":\"comment\""))
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_i64()
                .unwrap()
        })
        .max()
        .unwrap();
    assert!(
        fresh > highest && highest >= max_copied,
        "{fresh} after {highest}"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_moves_to_postgres() {
    let Some(schema) = TestSchema::create("sqlite_moves_to_postgres")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    moves_to(&schema.url().unwrap(), dir.path()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_moves_to_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let target = format!("sqlite://{}", dir.path().join("target/rostra.db").display());
    moves_to(&target, dir.path()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_store_exports_its_header_alone() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("empty.db").display());
    let file = dir.path().join("empty.jsonl");
    assert_eq!(
        String::from_utf8(export(&url, &file).await).unwrap(),
        "{\"type\":\"rostra-export\",\"format\":1,\"site\":null}\n"
    );
    let stdout = rostra(&["export"], Some(&url)).await;
    assert_eq!(ok(&stdout).as_bytes(), std::fs::read(&file).unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_to_a_file_is_the_export_to_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    seed_source(&data).await;
    let url = format!("sqlite://{}", data.join("rostra.db").display());
    let file = dir.path().join("all.jsonl");
    let written = export(&url, &file).await;
    let printed = ok(&rostra(&["export", "--out", "-"], Some(&url)).await);
    assert!(written == printed.as_bytes());
    assert!(!dir.path().join("all.jsonl.partial").exists());
    // One site: its header names it, and nothing of the others is there.
    let news = ok(&rostra(&["export", "--site", "news"], Some(&url)).await);
    let first = news.lines().next().unwrap();
    assert_eq!(
        first,
        "{\"type\":\"rostra-export\",\"format\":1,\"site\":\"news\"}"
    );
    assert!(!news.contains("\"type\":\"secret\""));
    assert!(!news.contains("bulk.example"));
    assert_eq!(news.matches("\"type\":\"site\"").count(), 1);
    let missing = rostra(&["export", "--site", "nope"], Some(&url)).await;
    assert!(!missing.status.success());
}
