//! The change feed between two stores (two nodes) on one scratch schema:
//! each hears what the other commits and nothing of its own; a write that
//! rolls back, even at `COMMIT`, announces nothing; and a feed whose
//! connection is ended says it lost track, then hears again.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use futures::StreamExt;
use rostra_core::{CommentId, Timestamp, VoteValue, VoterKey};
use rostra_store::contract::{new_comment, site_id, url, with_site};
use rostra_store::feed::{Change, ChangeFeed, CommentChange, ThreadEvent};
use rostra_store::{Store, Vote};
use rostra_store_postgres::testing::TestSchema;
use rostra_store_postgres::{PostgresOptions, PostgresStore};
use sqlx::{Connection, PgConnection};
use std::sync::Arc;
use std::time::Duration;

/// Two nodes on one fresh schema, the first with the contract's site.
async fn two_nodes(test: &str) -> Option<(TestSchema, Arc<PostgresStore>, Arc<PostgresStore>)> {
    let schema = TestSchema::create(test).await.unwrap()?;
    let url = schema.url().unwrap();
    let open = || async {
        Arc::new(
            PostgresStore::open(&url, &PostgresOptions::default())
                .await
                .unwrap(),
        )
    };
    let (a, b) = (open().await, open().await);
    with_site(&(a.clone() as Arc<dyn Store>)).await;
    Some((schema, a, b))
}

async fn feed(store: &PostgresStore) -> ChangeFeed {
    store
        .changes()
        .await
        .unwrap()
        .expect("PostgreSQL has a feed")
}

async fn next(feed: &mut ChangeFeed) -> Change {
    tokio::time::timeout(Duration::from_secs(5), feed.next())
        .await
        .expect("a change within 5 s")
        .expect("the feed goes on")
}

async fn quiet(feed: &mut ChangeFeed) {
    let got = tokio::time::timeout(Duration::from_millis(300), feed.next()).await;
    assert!(got.is_err(), "nothing expected, got {got:?}");
}

fn created(id: CommentId, count: i64) -> Change {
    Change::Thread {
        site: site_id(),
        url: url("/a"),
        event: ThreadEvent::Comment {
            id,
            parent: None,
            kind: CommentChange::Created,
            count,
        },
    }
}

#[tokio::test]
async fn each_node_hears_what_the_other_commits_and_nothing_of_its_own() {
    let Some((_schema, a, b)) = two_nodes("feed_between_nodes").await else {
        return;
    };
    let (mut heard_by_a, mut heard_by_b) = (feed(&a).await, feed(&b).await);
    let first = a
        .insert_comment(new_comment("/a", None, "one", 1))
        .await
        .unwrap();
    assert_eq!(next(&mut heard_by_b).await, created(first.comment.id, 1));
    a.vote(Vote {
        site_id: site_id(),
        comment_id: first.comment.id,
        voter: VoterKey::from_stored("v".into()),
        value: VoteValue::Up,
        at: Timestamp(2),
    })
    .await
    .unwrap();
    assert_eq!(
        next(&mut heard_by_b).await,
        Change::Thread {
            site: site_id(),
            url: url("/a"),
            event: ThreadEvent::Vote {
                id: first.comment.id,
                up: 1,
                down: 0
            },
        }
    );
    let second = b
        .insert_comment(new_comment("/a", None, "two", 3))
        .await
        .unwrap();
    assert_eq!(next(&mut heard_by_a).await, created(second.comment.id, 2));
    quiet(&mut heard_by_a).await;
    quiet(&mut heard_by_b).await;
}

#[tokio::test]
async fn a_write_that_rolls_back_at_commit_announces_nothing() {
    let Some((schema, a, b)) = two_nodes("feed_rollback").await else {
        return;
    };
    // A check PostgreSQL runs at COMMIT, after the write has sent its
    // notification: the transaction then rolls back, notification included.
    let mut conn = PgConnection::connect(&schema.url().unwrap()).await.unwrap();
    for sql in [
        "CREATE FUNCTION fail_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN IF NEW.body_markdown = 'fail at commit' THEN RAISE EXCEPTION 'failing at commit'; END IF; \
         RETURN NULL; END $$",
        "CREATE CONSTRAINT TRIGGER fail_at_commit AFTER INSERT ON comments \
         DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fail_at_commit()",
    ] {
        sqlx::query(sql).execute(&mut conn).await.unwrap();
    }
    let mut heard = feed(&b).await;
    let failed = a
        .insert_comment(new_comment("/a", None, "fail at commit", 1))
        .await;
    assert!(failed.is_err(), "{failed:?}");
    let kept = a
        .insert_comment(new_comment("/a", None, "kept", 2))
        .await
        .unwrap();
    assert_eq!(next(&mut heard).await, created(kept.comment.id, 1));
    quiet(&mut heard).await;
}

#[tokio::test]
async fn a_feed_whose_connection_ends_says_it_lost_track_then_hears_again() {
    let Some((schema, a, b)) = two_nodes("feed_lost_track").await else {
        return;
    };
    let mut heard = feed(&b).await;
    let mut conn = PgConnection::connect(&schema.url().unwrap()).await.unwrap();
    let ended: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
    )
    .bind(b.feed_application_name())
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert_eq!(ended, [true], "one listening connection per feed");
    assert_eq!(next(&mut heard).await, Change::LostTrack);
    let after = a
        .insert_comment(new_comment("/a", None, "after", 1))
        .await
        .unwrap();
    assert_eq!(next(&mut heard).await, created(after.comment.id, 1));
    quiet(&mut heard).await;
}
