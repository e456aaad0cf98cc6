//! What the spam controls ask of a store: an author's approved history on a
//! site, and whether a body was posted there recently.

use super::{by_author, site_id, with_other_site, with_site};
use crate::{Author, BanQuery, History, HistoryQuery, Store};
use rostra_core::{CommentStatus, SiteId, Timestamp};
use std::sync::Arc;

async fn ask(
    store: &Arc<dyn Store>,
    site: &SiteId,
    approved: Option<Author>,
    duplicate: Option<(&str, Timestamp)>,
) -> History {
    let query = HistoryQuery {
        ban: BanQuery::default(),
        now: Timestamp(0),
        approved,
        approved_up_to: 100,
        duplicate: duplicate.map(|(b, t)| (b.to_owned(), t)),
    };
    store.posting_history(site, &query).await.unwrap()
}

async fn approved_by(
    store: &Arc<dyn Store>,
    site: &SiteId,
    email: Option<&str>,
    ip: Option<&str>,
) -> i64 {
    let author = Author::of(email, ip);
    let asked = author.is_some();
    let answer = ask(store, site, author, None).await;
    assert!(asked || answer.approved == 0);
    answer.approved
}

async fn posted_since(store: &Arc<dyn Store>, site: &SiteId, body: &str, since: Timestamp) -> bool {
    ask(store, site, None, Some((body, since))).await.duplicate
}

pub async fn authors_history_counts_approved_comments_on_the_site(store: Arc<dyn Store>) {
    with_site(&store).await;
    let other = with_other_site(&store).await;
    let approved = CommentStatus::Approved;
    for c in [
        by_author(Some("a@example.org"), Some("h1"), "one", approved, 1),
        by_author(Some("a@example.org"), None, "two", approved, 2),
        by_author(
            Some("a@example.org"),
            None,
            "three",
            CommentStatus::Pending,
            3,
        ),
        by_author(None, Some("h2"), "four", approved, 4),
    ] {
        store.insert_comment(c).await.unwrap();
    }
    let mut elsewhere = by_author(Some("a@example.org"), Some("h2"), "five", approved, 5);
    elsewhere.site_id = other.clone();
    store.insert_comment(elsewhere).await.unwrap();

    let demo = site_id();
    assert_eq!(
        approved_by(&store, &demo, Some("a@example.org"), None).await,
        2
    );
    // The e-mail wins over the address when both are known.
    assert_eq!(
        approved_by(&store, &demo, Some("new@example.org"), Some("h2")).await,
        0
    );
    assert_eq!(approved_by(&store, &demo, None, Some("h2")).await, 1);
    assert_eq!(approved_by(&store, &demo, None, None).await, 0);
    assert_eq!(
        approved_by(&store, &other, Some("a@example.org"), None).await,
        1
    );
}

pub async fn recent_identical_bodies_are_found(store: Arc<dyn Store>) {
    with_site(&store).await;
    let long = format!("{} tail one", "x".repeat(80));
    let similar = format!("{} tail two", "x".repeat(80));
    store
        .insert_comment(by_author(
            None,
            None,
            "Buy cheap pills",
            CommentStatus::Approved,
            1_000,
        ))
        .await
        .unwrap();
    store
        .insert_comment(by_author(None, None, &long, CommentStatus::Spam, 1_000))
        .await
        .unwrap();
    let demo = site_id();
    assert!(posted_since(&store, &demo, "Buy cheap pills", Timestamp(500)).await);
    assert!(!posted_since(&store, &demo, "Buy cheap pills", Timestamp(2_000)).await);
    assert!(!posted_since(&store, &demo, "buy cheap pills", Timestamp(0)).await);
    assert!(posted_since(&store, &demo, &long, Timestamp(0)).await);
    // Same first 64 characters, different text: not a duplicate.
    assert!(!posted_since(&store, &demo, &similar, Timestamp(0)).await);
    assert!(
        !posted_since(
            &store,
            &SiteId::parse("other").unwrap(),
            "Buy cheap pills",
            Timestamp(0)
        )
        .await
    );
}

/// The three answers come together, and each is the one asked alone.
pub async fn one_question_answers_ban_history_and_duplicate_together(store: Arc<dyn Store>) {
    with_site(&store).await;
    let demo = site_id();
    let body = "A comment long enough to count as a duplicate of itself.";
    for (text, at) in [(body, 1_000), ("an earlier one", 100), ("and another", 200)] {
        store
            .insert_comment(by_author(
                Some("a@example.org"),
                Some("h1"),
                text,
                CommentStatus::Approved,
                at,
            ))
            .await
            .unwrap();
    }
    let ban = store
        .create_ban(crate::NewBan {
            site_id: demo.clone(),
            kind: rostra_core::BanKind::Address,
            value: "h1".into(),
            until: Some(Timestamp(5_000)),
            reason: None,
            by: None,
            at: Timestamp(1_500),
        })
        .await
        .unwrap();
    let query = |now: i64, up_to: u32| HistoryQuery {
        ban: BanQuery {
            email: Some("a@example.org".into()),
            ip_hash: Some("h1".into()),
            name: Some("someone".into()),
        },
        now: Timestamp(now),
        approved: Author::of(Some("a@example.org"), Some("h1")),
        approved_up_to: up_to,
        duplicate: Some((body.into(), Timestamp(500))),
    };
    let all = store
        .posting_history(&demo, &query(2_000, 100))
        .await
        .unwrap();
    assert_eq!(
        all,
        History {
            ban: Some(ban),
            approved: 3,
            duplicate: true
        }
    );
    // The ban has run out; the rest stands, and counting stops where asked.
    let later = store
        .posting_history(&demo, &query(5_000, 2))
        .await
        .unwrap();
    assert_eq!(
        (later.ban, later.approved, later.duplicate),
        (None, 2, true)
    );
    // Nothing asked, nothing answered.
    let none = HistoryQuery {
        ban: BanQuery::default(),
        now: Timestamp(2_000),
        approved: None,
        approved_up_to: 100,
        duplicate: None,
    };
    assert_eq!(
        store.posting_history(&demo, &none).await.unwrap(),
        History::default()
    );
}
