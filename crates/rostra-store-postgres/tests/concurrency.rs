//! Writes racing on one thread: replies, deletions, status changes and votes
//! on the same chains of comments, from many tasks at once. No write may fail
//! for any reason but the ones the contract allows, none may deadlock, and
//! afterwards every stored counter must equal what the rows say.

use rostra_core::{CommentId, CommentStatus, Timestamp, VoteValue, VoterKey};
use rostra_store::contract::{new_comment, site_id, with_site};
use rostra_store::{Store, StoreError, Vote};
use rostra_store_postgres::testing::TestSchema;
use rostra_store_postgres::{PostgresOptions, PostgresStore};
use sqlx::{Connection, PgConnection};
use std::sync::Arc;

/// Whether a failure is one the contract allows when writes race: a parent
/// rejected or deleted under a reply, a comment deleted twice, a vote on a
/// comment no longer approved.
fn allowed(e: &StoreError) -> bool {
    matches!(
        e,
        StoreError::Invalid(_) | StoreError::NotFound(_) | StoreError::Conflict(_)
    )
}

async fn race(store: Arc<dyn Store>, ids: Vec<CommentId>, task: usize) {
    for round in 0..12 {
        let target = ids[(task * 7 + round * 3) % ids.len()];
        let outcome = match (task + round) % 5 {
            0 => store
                .insert_comment(new_comment("/race", Some(target), "re", 100))
                .await
                .map(|_| ()),
            1 => store.delete_comment(&site_id(), target).await.map(|_| ()),
            2 => {
                let status = if round % 2 == 0 {
                    CommentStatus::Rejected
                } else {
                    CommentStatus::Approved
                };
                store
                    .set_status(&site_id(), target, status)
                    .await
                    .map(|_| ())
            }
            _ => store
                .vote(Vote {
                    site_id: site_id(),
                    comment_id: target,
                    voter: VoterKey::from_stored(format!("voter{}", task % 4)),
                    value: if round % 3 == 0 {
                        VoteValue::Down
                    } else {
                        VoteValue::Up
                    },
                    at: Timestamp(1),
                })
                .await
                .map(|_| ()),
        };
        if let Err(e) = outcome {
            assert!(allowed(&e), "task {task}, round {round}: {e:?}");
        }
    }
}

/// Counts the rows that break an invariant; each query lists offenders.
async fn broken(url: &str) -> Vec<(String, i64)> {
    let mut conn = PgConnection::connect(url)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let checks = [
        (
            "listed_replies is the number of listed direct replies",
            "SELECT count(*) FROM comments p WHERE listed_replies <> \
             (SELECT count(*) FROM comments c WHERE c.parent_id = p.id AND c.listed)",
        ),
        (
            "listed is approved or a tombstone over listed replies",
            "SELECT count(*) FROM comments WHERE listed <> (status = 'approved' OR listed_replies > 0)",
        ),
        (
            "a thread's count is its approved comments",
            "SELECT count(*) FROM threads t WHERE approved_count <> \
             (SELECT count(*) FROM comments c WHERE c.thread_id = t.id AND c.status = 'approved')",
        ),
        (
            "up and down votes are the votes stored",
            "SELECT count(*) FROM comments c WHERE \
             upvotes <> (SELECT count(*) FROM votes v WHERE v.comment_id = c.id AND v.value = 1) OR \
             downvotes <> (SELECT count(*) FROM votes v WHERE v.comment_id = c.id AND v.value = -1) OR \
             score <> upvotes - downvotes",
        ),
    ];
    let mut out = Vec::new();
    for (what, sql) in checks {
        let n: i64 = sqlx::query_scalar(sql)
            .fetch_one(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        if n != 0 {
            out.push((what.to_owned(), n));
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_writes_keep_every_counter_true() {
    let Some(schema) = TestSchema::create("concurrency")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
    else {
        return;
    };
    let url = schema.url().unwrap_or_else(|e| panic!("{e}"));
    let store: Arc<dyn Store> = Arc::new(
        PostgresStore::open(&url, &PostgresOptions::default())
            .await
            .unwrap_or_else(|e| panic!("open: {e}")),
    );
    with_site(&store).await;
    // Three chains, five deep, so that listing changes travel far.
    let mut ids = Vec::new();
    for chain in 0..3 {
        let mut parent = None;
        for depth in 0..5 {
            let w = store
                .insert_comment(new_comment("/race", parent, "seed", chain * 10 + depth))
                .await
                .unwrap_or_else(|e| panic!("seed: {e}"));
            parent = Some(w.comment.id);
            ids.push(w.comment.id);
        }
    }
    let tasks: Vec<_> = (0..24)
        .map(|task| tokio::spawn(race(store.clone(), ids.clone(), task)))
        .collect();
    for t in futures::future::join_all(tasks).await {
        t.unwrap_or_else(|e| panic!("a task failed: {e}"));
    }
    assert_eq!(broken(&url).await, Vec::<(String, i64)>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_voter_racing_with_itself_counts_once() {
    let Some(schema) = TestSchema::create("concurrency")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
    else {
        return;
    };
    let url = schema.url().unwrap_or_else(|e| panic!("{e}"));
    let store: Arc<dyn Store> = Arc::new(
        PostgresStore::open(&url, &PostgresOptions::default())
            .await
            .unwrap_or_else(|e| panic!("open: {e}")),
    );
    with_site(&store).await;
    let id = store
        .insert_comment(new_comment("/votes", None, "vote on me", 1))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .comment
        .id;
    let tasks: Vec<_> = (0..60)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                let value = [
                    VoteValue::Up,
                    VoteValue::Down,
                    VoteValue::Up,
                    VoteValue::None,
                ][i % 4];
                store
                    .vote(Vote {
                        site_id: site_id(),
                        comment_id: id,
                        voter: VoterKey::from_stored(format!("voter{}", i % 2)),
                        value,
                        at: Timestamp(1),
                    })
                    .await
                    .unwrap_or_else(|e| panic!("vote {i}: {e}"));
            })
        })
        .collect();
    for t in futures::future::join_all(tasks).await {
        t.unwrap_or_else(|e| panic!("a task failed: {e}"));
    }
    assert_eq!(broken(&url).await, Vec::<(String, i64)>::new());
    let c = store
        .comment(&site_id(), id)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the comment is gone"));
    assert!(c.upvotes + c.downvotes <= 2, "two voters, {c:?}");
}
