//! What the spam controls ask of a store: an author's approved history on a
//! site, and whether a body was posted there recently.

use super::{new_comment, site_id, with_site};
use crate::Store;
use rostra_core::{CommentStatus, Email, NewSite, SiteId, SiteSettings, Timestamp};
use std::sync::Arc;

fn by(
    email: Option<&str>,
    ip: Option<&str>,
    body: &str,
    status: CommentStatus,
    at: i64,
) -> rostra_core::NewComment {
    let mut c = new_comment("/history", None, body, at);
    c.author_email = email.map(|e| Email::parse(e).unwrap());
    c.ip_hash = ip.map(str::to_owned);
    c.status = status;
    c
}

pub async fn authors_history_counts_approved_comments_on_the_site(store: Arc<dyn Store>) {
    with_site(&store).await;
    let other = SiteId::parse("other").unwrap();
    store
        .create_site(NewSite {
            id: other.clone(),
            name: "Other".into(),
            allowed_origins: vec![],
            settings: SiteSettings::default(),
            voter_secret: vec![1; 32],
        })
        .await
        .unwrap();
    let approved = CommentStatus::Approved;
    for c in [
        by(Some("a@example.org"), Some("h1"), "one", approved, 1),
        by(Some("a@example.org"), None, "two", approved, 2),
        by(
            Some("a@example.org"),
            None,
            "three",
            CommentStatus::Pending,
            3,
        ),
        by(None, Some("h2"), "four", approved, 4),
    ] {
        store.insert_comment(c).await.unwrap();
    }
    let mut elsewhere = by(Some("a@example.org"), Some("h2"), "five", approved, 5);
    elsewhere.site_id = other.clone();
    store.insert_comment(elsewhere).await.unwrap();

    let demo = site_id();
    assert_eq!(
        store
            .approved_by(&demo, Some("a@example.org"), None)
            .await
            .unwrap(),
        2
    );
    // The e-mail wins over the address when both are known.
    assert_eq!(
        store
            .approved_by(&demo, Some("new@example.org"), Some("h2"))
            .await
            .unwrap(),
        0
    );
    assert_eq!(store.approved_by(&demo, None, Some("h2")).await.unwrap(), 1);
    assert_eq!(store.approved_by(&demo, None, None).await.unwrap(), 0);
    assert_eq!(
        store
            .approved_by(&other, Some("a@example.org"), None)
            .await
            .unwrap(),
        1
    );
}

pub async fn recent_identical_bodies_are_found(store: Arc<dyn Store>) {
    with_site(&store).await;
    let long = format!("{} tail one", "x".repeat(80));
    let similar = format!("{} tail two", "x".repeat(80));
    store
        .insert_comment(by(
            None,
            None,
            "Buy cheap pills",
            CommentStatus::Approved,
            1_000,
        ))
        .await
        .unwrap();
    store
        .insert_comment(by(None, None, &long, CommentStatus::Spam, 1_000))
        .await
        .unwrap();
    let demo = site_id();
    assert!(store
        .posted_since(&demo, "Buy cheap pills", Timestamp(500))
        .await
        .unwrap());
    assert!(!store
        .posted_since(&demo, "Buy cheap pills", Timestamp(2_000))
        .await
        .unwrap());
    assert!(!store
        .posted_since(&demo, "buy cheap pills", Timestamp(0))
        .await
        .unwrap());
    assert!(store
        .posted_since(&demo, &long, Timestamp(0))
        .await
        .unwrap());
    // Same first 64 characters, different text: not a duplicate.
    assert!(!store
        .posted_since(&demo, &similar, Timestamp(0))
        .await
        .unwrap());
    assert!(!store
        .posted_since(
            &SiteId::parse("other").unwrap(),
            "Buy cheap pills",
            Timestamp(0)
        )
        .await
        .unwrap());
}
