//! What mail and deliveries ask of a store: subscriptions, comment events
//! enqueued by the comment's own write only when someone listens, jobs
//! leased to one worker at a time, settling that enqueues what follows.

use super::{new_comment, site_id, url, with_site};
use crate::outbox::{
    ConfirmRequest, JobKind, NewDigestItem, NewJob, NewSubscription, NewWebhook, Settle,
};
use crate::Store;
use rostra_core::{Cadence, CommentStatus, SubscriptionKind, Timestamp, WebhookEvent};
use std::collections::HashSet;
use std::sync::Arc;

fn sub(email: &str, page: &str, kind: SubscriptionKind, cadence: Cadence) -> NewSubscription {
    NewSubscription {
        site_id: site_id(),
        email: email.into(),
        lang: "en".into(),
        url: url(page),
        title: Some("Title".into()),
        kind,
        cadence,
        at: Timestamp(1),
    }
}

fn job(key: &str, at: i64) -> NewJob {
    NewJob {
        site_id: site_id(),
        kind: JobKind::Mail,
        key: key.into(),
        payload: "{}".into(),
        run_at: Timestamp(at),
    }
}

pub async fn subscriptions_need_confirmation_and_requests_are_limited(store: Arc<dyn Store>) {
    with_site(&store).await;
    let (who, s) = store
        .subscribe(sub(
            "Reader@Example.org",
            "/p",
            SubscriptionKind::Thread,
            Cadence::Instant,
        ))
        .await
        .unwrap();
    assert_eq!(
        who.email, "reader@example.org",
        "addresses compare without case"
    );
    assert_eq!(who.confirmed_at, None);
    // The same subscription again changes its cadence, nothing else.
    let (again, s2) = store
        .subscribe(sub(
            "reader@example.org",
            "/p",
            SubscriptionKind::Thread,
            Cadence::Digest,
        ))
        .await
        .unwrap();
    assert_eq!((again.id, s2.id), (who.id, s.id));
    assert_eq!(s2.cadence, Cadence::Digest);
    assert!(
        store
            .page_subscribers(&site_id(), &url("/p"))
            .await
            .unwrap()
            .is_empty(),
        "unconfirmed"
    );

    let ask = |at: i64| ConfirmRequest {
        subscriber_id: who.id,
        at: Timestamp(at),
        min_gap_ms: 1000,
        max_unanswered: 2,
        job: job(&format!("confirm:{at}"), at),
    };
    assert!(store.request_confirmation(ask(10_000)).await.unwrap());
    assert!(
        !store.request_confirmation(ask(10_500)).await.unwrap(),
        "too soon"
    );
    assert!(store.request_confirmation(ask(11_000)).await.unwrap());
    assert!(
        !store.request_confirmation(ask(20_000)).await.unwrap(),
        "two unanswered is the most"
    );
    assert_eq!(store.outbox_tally(None).await.unwrap().pending, 2);

    let confirmed = store
        .confirm_subscriber(&site_id(), who.id, Timestamp(30_000))
        .await
        .unwrap();
    assert_eq!(confirmed.confirmed_at, Some(Timestamp(30_000)));
    assert!(
        !store.request_confirmation(ask(40_000)).await.unwrap(),
        "confirmed: no request"
    );
    let listed = store
        .page_subscribers(&site_id(), &url("/p"))
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].1.id, s.id);
    assert_eq!(store.unsubscribe(who.id, Some(s.id)).await.unwrap(), 1);
    assert!(store.subscription(s.id).await.unwrap().is_none());
}

pub async fn comment_events_are_enqueued_only_when_someone_listens(store: Arc<dyn Store>) {
    with_site(&store).await;
    store
        .insert_comment(new_comment("/quiet", None, "nobody listens", 1))
        .await
        .unwrap();
    assert_eq!(store.outbox_tally(None).await.unwrap().pending, 0);

    let (who, _) = store
        .subscribe(sub(
            "r@example.org",
            "/loud",
            SubscriptionKind::Thread,
            Cadence::Instant,
        ))
        .await
        .unwrap();
    store
        .insert_comment(new_comment("/loud", None, "unconfirmed", 2))
        .await
        .unwrap();
    assert_eq!(store.outbox_tally(None).await.unwrap().pending, 0);
    store
        .confirm_subscriber(&site_id(), who.id, Timestamp(3))
        .await
        .unwrap();
    let w = store
        .insert_comment(new_comment("/loud", None, "heard", 4))
        .await
        .unwrap();
    assert_eq!(store.outbox_tally(None).await.unwrap().pending, 1);
    // Held, then approved: one more event; approving again adds none.
    let mut held = new_comment("/loud", None, "held", 5);
    held.status = CommentStatus::Pending;
    let h = store.insert_comment(held).await.unwrap();
    assert_eq!(
        store.outbox_tally(None).await.unwrap().pending,
        1,
        "no moderator has an address"
    );
    store
        .set_status(&site_id(), h.comment.id, CommentStatus::Approved)
        .await
        .unwrap();
    assert_eq!(store.outbox_tally(None).await.unwrap().pending, 2);
    store
        .set_status(&site_id(), h.comment.id, CommentStatus::Pending)
        .await
        .unwrap();
    store
        .set_status(&site_id(), h.comment.id, CommentStatus::Approved)
        .await
        .unwrap();
    assert_eq!(store.outbox_tally(None).await.unwrap().pending, 2);
    // A webhook listens to every page of the site.
    store
        .create_webhook(NewWebhook {
            site_id: site_id(),
            url: "https://hooks.example/x".into(),
            secret: "s".into(),
            events: vec![WebhookEvent::CommentCreated],
            at: Timestamp(6),
        })
        .await
        .unwrap();
    store
        .insert_comment(new_comment("/quiet", None, "hooked", 7))
        .await
        .unwrap();
    store
        .set_status(&site_id(), w.comment.id, CommentStatus::Rejected)
        .await
        .unwrap();
    assert_eq!(store.outbox_tally(None).await.unwrap().pending, 4);
    let jobs = store
        .claim_jobs("w", Timestamp::now(), Timestamp(i64::MAX), 10)
        .await
        .unwrap();
    let payloads: HashSet<_> = jobs.iter().map(|j| j.payload.as_str()).collect();
    assert!(
        payloads
            .contains(format!("{{\"event\":\"rejected\",\"comment\":{}}}", w.comment.id).as_str()),
        "{payloads:?}"
    );
    assert!(jobs.iter().all(|j| j.kind == JobKind::Event));
}

pub async fn jobs_are_leased_to_one_worker_and_settled_by_it(store: Arc<dyn Store>) {
    with_site(&store).await;
    let jobs: Vec<_> = (0..40).map(|i| job(&format!("k{i}"), 100)).collect();
    assert_eq!(store.enqueue(jobs.clone()).await.unwrap(), 40);
    assert_eq!(store.enqueue(jobs).await.unwrap(), 0, "keys are unique");
    assert!(
        store
            .claim_jobs("w", Timestamp(99), Timestamp(10_000), 10)
            .await
            .unwrap()
            .is_empty(),
        "not due yet"
    );
    // Four workers claim at once: every job goes to exactly one.
    let mut claims = Vec::new();
    for w in 0..4 {
        let store = store.clone();
        claims.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let got = store
                    .claim_jobs(&format!("w{w}"), Timestamp(200), Timestamp(10_000), 3)
                    .await
                    .unwrap();
                if got.is_empty() {
                    return mine;
                }
                mine.extend(got.into_iter().map(|j| (j.id, w)));
            }
        }));
    }
    let mut owner = std::collections::HashMap::new();
    for c in claims {
        for (id, w) in c.await.unwrap() {
            assert!(owner.insert(id, w).is_none(), "job {id} claimed twice");
        }
    }
    assert_eq!(owner.len(), 40);
    let (&id, &w) = owner.iter().next().unwrap();
    assert!(!store
        .settle_job(id, "stranger", Timestamp(300), Settle::done())
        .await
        .unwrap());
    let then = Settle::Done {
        then: vec![job("next", 300)],
        digest: vec![NewDigestItem {
            site_id: site_id(),
            recipient: "r@example.org".into(),
            kind: crate::outbox::DigestKind::Comment,
            comment_id: rostra_core::CommentId(1),
            at: Timestamp(300),
        }],
        mailed: None,
    };
    assert!(store
        .settle_job(id, &format!("w{w}"), Timestamp(300), then.clone())
        .await
        .unwrap());
    assert!(
        !store
            .settle_job(id, &format!("w{w}"), Timestamp(301), then)
            .await
            .unwrap(),
        "once"
    );
    assert_eq!(
        store
            .digest_items(&site_id(), "r@example.org")
            .await
            .unwrap()
            .len(),
        1
    );
    // A retried job is due again at its time; a lapsed lease frees a job.
    let (&id2, &w2) = owner.iter().find(|(&i, _)| i != id).unwrap();
    let retry = Settle::Retry {
        at: Timestamp(5_000),
        error: "421 busy".into(),
    };
    assert!(store
        .settle_job(id2, &format!("w{w2}"), Timestamp(300), retry)
        .await
        .unwrap());
    let due = store
        .claim_jobs("late", Timestamp(10_001), Timestamp(20_000), 100)
        .await
        .unwrap();
    assert_eq!(due.len(), 40, "38 lapsed leases, the retry, and `next`");
    let retried = due.iter().find(|j| j.id == id2).unwrap();
    assert_eq!(retried.attempts, 2);
    for j in &due {
        let how = Settle::Failed {
            error: "gave up".into(),
        };
        assert!(store
            .settle_job(j.id, "late", Timestamp(10_002), how)
            .await
            .unwrap());
    }
    let tally = store.outbox_tally(Some(&site_id())).await.unwrap();
    assert_eq!((tally.pending, tally.done, tally.failed), (0, 1, 40));
}
