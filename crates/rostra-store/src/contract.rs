//! The contract every [`Store`] implementation passes.
//!
//! Each function takes a fresh, empty, migrated store and panics on a broken
//! promise. A backend runs the whole suite with
//! [`contract_tests!`](crate::contract_tests):
//!
//! ```text
//! rostra_store::contract_tests!(crate::fresh_store);
//! ```
//!
//! A backend that needs a server the machine may not have uses the `optional`
//! form: its factory returns `Option<(store, guard)>`, `None` to skip the test
//! (having said why), and the guard (say, a scratch schema dropped with it)
//! lives until the test ends:
//!
//! ```text
//! rostra_store::contract_tests!(optional crate::fresh_store);
//! ```
//!
//! A few tests (a copy from one store into another, in [`restore`]) take two
//! fresh stores: the factory is called twice.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

pub mod campaigns;
pub mod history;
pub mod moderation;
pub mod outbox;
pub mod rate;
pub mod restore;

pub use campaigns::{
    campaigns_are_created_once_per_slug, campaigns_copy_between_stores,
    donations_count_once_and_refunds_subtract,
};
pub use history::{
    authors_history_counts_approved_comments_on_the_site,
    one_question_answers_ban_history_and_duplicate_together, recent_identical_bodies_are_found,
};
pub use moderation::{
    accounts_lose_roles_passwords_and_credentials, assessments_are_kept_with_comments,
    bans_match_until_they_expire, moderator_decisions_commit_with_their_audit_entries,
    queue_items_carry_their_authors_record, reports_hold_and_queue, the_audit_log_only_grows,
    the_published_view_is_the_latest_window, users_roles_and_credentials,
};
pub use outbox::{
    comment_events_are_enqueued_only_when_someone_listens,
    jobs_are_leased_to_one_worker_and_settled_by_it,
    subscriptions_need_confirmation_and_requests_are_limited,
};
pub use rate::{
    forgetting_rates_keeps_limited_keys, racing_takes_are_counted_once_each,
    rate_limits_allow_a_burst_then_refuse,
};
pub use restore::{restore_copies_every_row, restore_refuses_a_non_empty_store};

use crate::{CommentEdit, Store, StoreError, Vote};
use rostra_core::{
    CommentBody, CommentId, CommentStatus, Cursor, DisplayName, EditToken, NewComment, NewSite,
    PageUrl, Seek, SiteId, SiteSettings, Sort, Timestamp, UrlPolicy, VoteValue, VoterKey,
};
use std::collections::HashSet;
use std::sync::Arc;

/// Generates one `#[tokio::test]` per contract function, each on a store made
/// by `$fresh().await`.
#[macro_export]
macro_rules! contract_tests {
    ($fresh:path) => {
        $crate::contract_tests!(@all each $fresh);
    };
    (optional $fresh:path) => {
        $crate::contract_tests!(@all each_optional $fresh);
    };
    (@all $each:ident $fresh:path) => {
        $crate::contract_tests!(@$each $fresh;
            sites_are_created_once, threads_begin_with_their_first_comment, replies_stay_in_their_thread,
            pending_comments_are_not_listed, deleting_leaves_tombstones_only_over_replies, edits_replace_text,
            votes_are_one_per_voter, pages_cover_every_comment_once, pages_are_ordered, before_and_from_pages,
            replies_come_with_their_roots, counts_many_pages, batches_are_all_or_nothing, secrets_are_stable,
            comments_are_scoped_to_their_site, concurrent_writes_all_land, a_refused_comment_undoes_only_itself, vote_batches_follow_the_same_rules,
            restore_refuses_a_non_empty_store, authors_history_counts_approved_comments_on_the_site,
            recent_identical_bodies_are_found, one_question_answers_ban_history_and_duplicate_together,
            assessments_are_kept_with_comments,
            users_roles_and_credentials, accounts_lose_roles_passwords_and_credentials, moderator_decisions_commit_with_their_audit_entries, reports_hold_and_queue, bans_match_until_they_expire,
            the_published_view_is_the_latest_window, queue_items_carry_their_authors_record,
            the_audit_log_only_grows, subscriptions_need_confirmation_and_requests_are_limited,
            comment_events_are_enqueued_only_when_someone_listens,
            jobs_are_leased_to_one_worker_and_settled_by_it, campaigns_are_created_once_per_slug,
            donations_count_once_and_refunds_subtract, rate_limits_allow_a_burst_then_refuse,
            racing_takes_are_counted_once_each, forgetting_rates_keeps_limited_keys);
        $crate::contract_tests!(@$each pair $fresh; restore_copies_every_row,
            campaigns_copy_between_stores);
    };
    (@each pair $fresh:path; $($name:ident),*) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                $crate::contract::$name($fresh().await, $fresh().await).await;
            }
        )*
    };
    (@each_optional pair $fresh:path; $($name:ident),*) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let Some((source, _source_guard)) = $fresh().await else {
                    return;
                };
                let Some((target, _target_guard)) = $fresh().await else {
                    return;
                };
                $crate::contract::$name(source, target).await;
            }
        )*
    };
    (@each $fresh:path; $($name:ident),*) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                $crate::contract::$name($fresh().await).await;
            }
        )*
    };
    (@each_optional $fresh:path; $($name:ident),*) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let Some((store, _guard)) = $fresh().await else {
                    return;
                };
                $crate::contract::$name(store).await;
            }
        )*
    };
}

pub fn site_id() -> SiteId {
    SiteId::parse("demo").unwrap()
}

pub fn url(path: &str) -> PageUrl {
    PageUrl::parse(
        &format!("https://news.example{path}"),
        &UrlPolicy::default(),
        2048,
    )
    .unwrap()
}

pub async fn with_site(store: &Arc<dyn Store>) {
    store
        .create_site(NewSite {
            id: site_id(),
            name: "Demo".into(),
            allowed_origins: vec![],
            settings: SiteSettings::default(),
            voter_secret: vec![7; 32],
        })
        .await
        .unwrap();
}

/// Creates a second site, `other`, beside the contract's; its id.
pub async fn with_other_site(store: &Arc<dyn Store>) -> SiteId {
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
    other
}

/// A comment on `/history` by an author known by e-mail and/or address
/// hash, in `status`.
pub fn by_author(
    email: Option<&str>,
    ip: Option<&str>,
    body: &str,
    status: CommentStatus,
    at: i64,
) -> NewComment {
    let mut c = new_comment("/history", None, body, at);
    c.author_email = email.map(|e| rostra_core::Email::parse(e).unwrap());
    c.ip_hash = ip.map(str::to_owned);
    c.status = status;
    c
}

pub fn new_comment(page: &str, parent: Option<CommentId>, body: &str, at: i64) -> NewComment {
    NewComment {
        site_id: site_id(),
        url: url(page),
        title: Some(format!("Title of {page}")),
        parent_id: parent,
        author_name: DisplayName::parse("Ann", 64).unwrap(),
        author_email: None,
        author_website: None,
        body: CommentBody::parse(body, 10_000).unwrap(),
        body_html: format!("<p>{body}</p>"),
        status: CommentStatus::Approved,
        created_at: Timestamp(at),
        edit_token_hash: EditToken::generate().hash(),
        ip_hash: None,
        max_depth: 100,
        assessment: None,
    }
}

pub async fn post(
    store: &Arc<dyn Store>,
    page: &str,
    parent: Option<CommentId>,
    at: i64,
) -> CommentId {
    store
        .insert_comment(new_comment(page, parent, "text", at))
        .await
        .unwrap()
        .comment
        .id
}

fn vote(id: CommentId, voter: &str, value: VoteValue) -> Vote {
    Vote {
        site_id: site_id(),
        comment_id: id,
        voter: VoterKey::from_stored(voter.into()),
        value,
        at: Timestamp(1),
    }
}

pub async fn sites_are_created_once(store: Arc<dyn Store>) {
    with_site(&store).await;
    let again = store
        .create_site(NewSite {
            id: site_id(),
            name: "Again".into(),
            allowed_origins: vec![],
            settings: SiteSettings::default(),
            voter_secret: vec![1; 32],
        })
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let mut site = store.site(&site_id()).await.unwrap().unwrap();
    assert_eq!(site.name, "Demo");
    assert_eq!(site.voter_secret, vec![7; 32]);
    site.name = "Renamed".into();
    site.settings.edit_window_secs = 60;
    store.update_site(site).await.unwrap();
    let site = store.site(&site_id()).await.unwrap().unwrap();
    assert_eq!(
        (site.name.as_str(), site.settings.edit_window_secs),
        ("Renamed", 60)
    );
    assert_eq!(store.sites().await.unwrap().len(), 1);
    assert!(store
        .site(&SiteId::parse("nope").unwrap())
        .await
        .unwrap()
        .is_none());
}

pub async fn threads_begin_with_their_first_comment(store: Arc<dyn Store>) {
    with_site(&store).await;
    assert!(store
        .thread(&site_id(), &url("/a"))
        .await
        .unwrap()
        .is_none());
    let first = store
        .insert_comment(new_comment("/a", None, "one", 10))
        .await
        .unwrap();
    assert_eq!(first.thread.count, 1);
    assert_eq!(first.thread.title.as_deref(), Some("Title of /a"));
    assert_eq!(first.comment.depth, 0);
    assert_eq!(first.comment.body_markdown, "one");
    let second = store
        .insert_comment(new_comment("/a", None, "two", 11))
        .await
        .unwrap();
    assert_eq!(second.thread.id, first.thread.id);
    assert_eq!(second.thread.count, 2);
    let thread = store.thread(&site_id(), &url("/a")).await.unwrap().unwrap();
    assert_eq!(thread.count, 2);
    assert_eq!(store.thread_by_id(thread.id).await.unwrap(), Some(thread));
}

pub async fn replies_stay_in_their_thread(store: Arc<dyn Store>) {
    with_site(&store).await;
    let a = post(&store, "/a", None, 1).await;
    post(&store, "/b", None, 2).await;
    let r = store
        .insert_comment(new_comment("/a", Some(a), "re", 3))
        .await
        .unwrap();
    assert_eq!(
        (r.comment.depth, r.comment.root_id, r.comment.parent_id),
        (1, Some(a), Some(a))
    );
    let rr = store
        .insert_comment(new_comment("/a", Some(r.comment.id), "re re", 4))
        .await
        .unwrap();
    assert_eq!((rr.comment.depth, rr.comment.root_id), (2, Some(a)));
    let wrong = store
        .insert_comment(new_comment("/b", Some(a), "x", 5))
        .await;
    assert!(
        matches!(&wrong, Err(StoreError::Invalid(e)) if e.field == "parent"),
        "{wrong:?}"
    );
    let missing = store
        .insert_comment(new_comment("/a", Some(CommentId(999_999)), "x", 5))
        .await;
    assert!(
        matches!(&missing, Err(StoreError::Invalid(e)) if e.field == "parent"),
        "{missing:?}"
    );
    let mut deep = new_comment("/a", Some(rr.comment.id), "deep", 6);
    deep.max_depth = 2;
    assert!(
        matches!(store.insert_comment(deep).await, Err(StoreError::Invalid(e)) if e.field == "parent")
    );
    // A failed insert must not have created a thread or changed a count.
    let mut stray = new_comment("/new", Some(a), "x", 7);
    stray.url = url("/new");
    assert!(store.insert_comment(stray).await.is_err());
    assert!(store
        .thread(&site_id(), &url("/new"))
        .await
        .unwrap()
        .is_none());
    assert_eq!(
        store
            .thread(&site_id(), &url("/a"))
            .await
            .unwrap()
            .unwrap()
            .count,
        3
    );
}

pub async fn pending_comments_are_not_listed(store: Arc<dyn Store>) {
    with_site(&store).await;
    let mut held = new_comment("/a", None, "held", 1);
    held.status = CommentStatus::Pending;
    let held = store.insert_comment(held).await.unwrap();
    assert_eq!(held.thread.count, 0);
    let page = store
        .top_level(held.thread.id, Sort::Oldest, Seek::Start, 10)
        .await
        .unwrap();
    assert!(page.is_empty());
    let reply = store
        .insert_comment(new_comment("/a", Some(held.comment.id), "re", 2))
        .await;
    assert!(
        matches!(&reply, Err(StoreError::Invalid(e)) if e.field == "parent"),
        "{reply:?}"
    );
    let voted = store.vote(vote(held.comment.id, "v1", VoteValue::Up)).await;
    assert!(matches!(voted, Err(StoreError::Conflict(_))), "{voted:?}");
    let approved = store
        .set_status(&site_id(), held.comment.id, CommentStatus::Approved)
        .await
        .unwrap();
    assert_eq!(approved.thread.count, 1);
    assert_eq!(approved.comment.status, CommentStatus::Approved);
    let page = store
        .top_level(held.thread.id, Sort::Oldest, Seek::Start, 10)
        .await
        .unwrap();
    assert_eq!(page.len(), 1);
    let rejected = store
        .set_status(&site_id(), held.comment.id, CommentStatus::Rejected)
        .await
        .unwrap();
    assert_eq!(rejected.thread.count, 0);
    assert!(store
        .top_level(held.thread.id, Sort::Oldest, Seek::Start, 10)
        .await
        .unwrap()
        .is_empty());
}

pub async fn deleting_leaves_tombstones_only_over_replies(store: Arc<dyn Store>) {
    with_site(&store).await;
    let root = post(&store, "/a", None, 1).await;
    let reply = post(&store, "/a", Some(root), 2).await;
    let lone = post(&store, "/a", None, 3).await;
    let gone = store.delete_comment(&site_id(), root).await.unwrap();
    assert_eq!(gone.comment.status, CommentStatus::Deleted);
    assert!(gone.comment.body_markdown.is_empty() && gone.comment.body_html.is_empty());
    assert!(
        gone.comment.is_listed(),
        "a deleted comment with a reply stays as a tombstone"
    );
    assert_eq!(gone.thread.count, 2);
    store.delete_comment(&site_id(), lone).await.unwrap();
    let thread = gone.thread.id;
    let page = store
        .top_level(thread, Sort::Oldest, Seek::Start, 10)
        .await
        .unwrap();
    assert_eq!(page.iter().map(|c| c.id).collect::<Vec<_>>(), vec![root]);
    // Deleting the last reply takes the tombstone with it.
    let last = store.delete_comment(&site_id(), reply).await.unwrap();
    assert_eq!(last.thread.count, 0);
    assert!(store
        .top_level(thread, Sort::Oldest, Seek::Start, 10)
        .await
        .unwrap()
        .is_empty());
    assert!(store.replies(&[root]).await.unwrap().is_empty());
    assert!(matches!(
        store.delete_comment(&site_id(), root).await,
        Err(StoreError::NotFound(_))
    ));
}

pub async fn edits_replace_text(store: Arc<dyn Store>) {
    with_site(&store).await;
    let id = post(&store, "/a", None, 1).await;
    let edit = CommentEdit {
        site_id: site_id(),
        id,
        markdown: "new *text*".into(),
        html: "<p>new <em>text</em></p>".into(),
        at: Timestamp(5),
    };
    let edited = store.edit_comment(edit.clone()).await.unwrap();
    assert_eq!(edited.comment.body_markdown, "new *text*");
    assert_eq!(edited.comment.edited_at, Some(Timestamp(5)));
    let stored = store.comment(&site_id(), id).await.unwrap().unwrap();
    assert_eq!(stored.body_html, "<p>new <em>text</em></p>");
    store.delete_comment(&site_id(), id).await.unwrap();
    assert!(matches!(
        store.edit_comment(edit).await,
        Err(StoreError::NotFound(_))
    ));
}

pub async fn votes_are_one_per_voter(store: Arc<dyn Store>) {
    with_site(&store).await;
    let id = post(&store, "/a", None, 1).await;
    let t = store
        .vote(vote(id, "v1", VoteValue::Up))
        .await
        .unwrap()
        .tally;
    assert_eq!((t.upvotes, t.downvotes), (1, 0));
    let t = store
        .vote(vote(id, "v1", VoteValue::Up))
        .await
        .unwrap()
        .tally;
    assert_eq!((t.upvotes, t.downvotes), (1, 0), "voting twice counts once");
    let t = store
        .vote(vote(id, "v1", VoteValue::Down))
        .await
        .unwrap()
        .tally;
    assert_eq!((t.upvotes, t.downvotes), (0, 1), "a vote can change");
    let t = store
        .vote(vote(id, "v2", VoteValue::Down))
        .await
        .unwrap()
        .tally;
    assert_eq!((t.upvotes, t.downvotes), (0, 2));
    let t = store
        .vote(vote(id, "v1", VoteValue::None))
        .await
        .unwrap()
        .tally;
    assert_eq!((t.upvotes, t.downvotes), (0, 1), "a vote can be retracted");
    let t = store
        .vote(vote(id, "v3", VoteValue::None))
        .await
        .unwrap()
        .tally;
    assert_eq!(
        (t.upvotes, t.downvotes),
        (0, 1),
        "retracting nothing changes nothing"
    );
    let c = store.comment(&site_id(), id).await.unwrap().unwrap();
    assert_eq!((c.upvotes, c.downvotes), (0, 1));
    let missing = store
        .vote(vote(CommentId(424_242), "v1", VoteValue::Up))
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound(_))));
}

/// A thread with `n` top-level comments with scattered times and votes.
async fn seeded_thread(store: &Arc<dyn Store>, n: i64) -> (rostra_core::ThreadId, Vec<CommentId>) {
    let mut ids = Vec::new();
    let mut thread = None;
    for i in 0..n {
        // Times collide in pairs so the id tie-break matters.
        let w = store
            .insert_comment(new_comment("/paged", None, "p", 1000 + (i / 2) * 7 % 50))
            .await
            .unwrap();
        thread = Some(w.thread.id);
        ids.push(w.comment.id);
    }
    let mut votes = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        for v in 0..(i * 7 % 5) {
            let value = if (i + v) % 3 == 0 {
                VoteValue::Down
            } else {
                VoteValue::Up
            };
            votes.push(vote(*id, &format!("voter{v}"), value));
        }
    }
    store.vote_batch(votes).await.unwrap();
    (thread.unwrap(), ids)
}

async fn model_order(store: &Arc<dyn Store>, ids: &[CommentId], sort: Sort) -> Vec<CommentId> {
    let mut all = Vec::new();
    for id in ids {
        all.push(store.comment(&site_id(), *id).await.unwrap().unwrap());
    }
    all.sort_by(|a, b| sort.compare((sort.key_of(a), a.id), (sort.key_of(b), b.id)));
    all.iter().map(|c| c.id).collect()
}

pub async fn pages_cover_every_comment_once(store: Arc<dyn Store>) {
    with_site(&store).await;
    let (thread, ids) = seeded_thread(&store, 23).await;
    for sort in Sort::ALL {
        let mut seen = Vec::new();
        let mut seek = Seek::Start;
        loop {
            let page = store.top_level(thread, sort, seek, 5).await.unwrap();
            assert!(page.len() <= 5);
            let Some(last) = page.last() else { break };
            seek = Seek::After(sort.cursor_of(last));
            seen.extend(page.iter().map(|c| c.id));
        }
        let unique: HashSet<_> = seen.iter().collect();
        assert_eq!(unique.len(), seen.len(), "{sort:?}: a comment repeated");
        assert_eq!(seen.len(), ids.len(), "{sort:?}: a comment skipped");
    }
}

pub async fn pages_are_ordered(store: Arc<dyn Store>) {
    with_site(&store).await;
    let (thread, ids) = seeded_thread(&store, 17).await;
    for sort in Sort::ALL {
        let expected = model_order(&store, &ids, sort).await;
        let mut got = Vec::new();
        let mut seek = Seek::Start;
        loop {
            let page = store.top_level(thread, sort, seek, 4).await.unwrap();
            let Some(last) = page.last() else { break };
            seek = Seek::After(sort.cursor_of(last));
            got.extend(page.iter().map(|c| c.id));
        }
        assert_eq!(got, expected, "{sort:?}");
    }
}

pub async fn before_and_from_pages(store: Arc<dyn Store>) {
    with_site(&store).await;
    let (thread, ids) = seeded_thread(&store, 12).await;
    for sort in Sort::ALL {
        let order = model_order(&store, &ids, sort).await;
        let pivot = store.comment(&site_id(), order[6]).await.unwrap().unwrap();
        let cursor: Cursor = sort.cursor_of(&pivot);
        let before = store
            .top_level(thread, sort, Seek::Before(cursor), 4)
            .await
            .unwrap();
        assert_eq!(
            before.iter().map(|c| c.id).collect::<Vec<_>>(),
            order[2..6].to_vec(),
            "{sort:?} before"
        );
        let from = store
            .top_level(thread, sort, Seek::From(cursor), 4)
            .await
            .unwrap();
        assert_eq!(
            from.iter().map(|c| c.id).collect::<Vec<_>>(),
            order[6..10].to_vec(),
            "{sort:?} from"
        );
        let after = store
            .top_level(thread, sort, Seek::After(cursor), 100)
            .await
            .unwrap();
        assert_eq!(
            after.iter().map(|c| c.id).collect::<Vec<_>>(),
            order[7..].to_vec(),
            "{sort:?} after"
        );
    }
}

pub async fn replies_come_with_their_roots(store: Arc<dyn Store>) {
    with_site(&store).await;
    let a = post(&store, "/a", None, 1).await;
    let b = post(&store, "/a", None, 2).await;
    let c = post(&store, "/a", None, 3).await;
    let a1 = post(&store, "/a", Some(a), 4).await;
    let a11 = post(&store, "/a", Some(a1), 5).await;
    let b1 = post(&store, "/a", Some(b), 6).await;
    post(&store, "/a", Some(c), 7).await;
    let mut held = new_comment("/a", Some(a), "held", 8);
    held.status = CommentStatus::Pending;
    store.insert_comment(held).await.unwrap();
    let mut got: Vec<_> = store
        .replies(&[a, b])
        .await
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    got.sort();
    assert_eq!(got, vec![a1, a11, b1]);
    assert!(store.replies(&[]).await.unwrap().is_empty());
}

pub async fn counts_many_pages(store: Arc<dyn Store>) {
    with_site(&store).await;
    post(&store, "/a", None, 1).await;
    post(&store, "/a", None, 2).await;
    post(&store, "/b", None, 3).await;
    let mut counts = store
        .counts(&site_id(), &[url("/a"), url("/b"), url("/none")])
        .await
        .unwrap();
    counts.sort_by(|x, y| x.0.cmp(&y.0));
    assert_eq!(counts, vec![(url("/a"), 2), (url("/b"), 1)]);
    assert!(store.counts(&site_id(), &[]).await.unwrap().is_empty());
}

pub async fn batches_are_all_or_nothing(store: Arc<dyn Store>) {
    with_site(&store).await;
    let ok = store
        .insert_batch(vec![
            new_comment("/a", None, "1", 1),
            new_comment("/b", None, "2", 2),
        ])
        .await
        .unwrap();
    assert_eq!(ok.len(), 2);
    let reply = store
        .insert_batch(vec![new_comment("/a", Some(ok[0]), "r", 3)])
        .await
        .unwrap();
    assert_eq!(
        store
            .comment(&site_id(), reply[0])
            .await
            .unwrap()
            .unwrap()
            .depth,
        1
    );
    let bad = store
        .insert_batch(vec![
            new_comment("/c", None, "3", 4),
            new_comment("/c", Some(CommentId(987_654)), "x", 5),
        ])
        .await;
    assert!(bad.is_err());
    assert!(
        store
            .thread(&site_id(), &url("/c"))
            .await
            .unwrap()
            .is_none(),
        "a failed batch leaves nothing"
    );
    assert_eq!(
        store
            .thread(&site_id(), &url("/a"))
            .await
            .unwrap()
            .unwrap()
            .count,
        2
    );
}

pub async fn secrets_are_stable(store: Arc<dyn Store>) {
    let first = store.secret("ip", vec![1, 2, 3]).await.unwrap();
    let second = store.secret("ip", vec![9, 9, 9]).await.unwrap();
    assert_eq!(first, vec![1, 2, 3]);
    assert_eq!(second, first);
}

pub async fn comments_are_scoped_to_their_site(store: Arc<dyn Store>) {
    with_site(&store).await;
    let other = with_other_site(&store).await;
    let id = post(&store, "/a", None, 1).await;
    assert!(store.comment(&other, id).await.unwrap().is_none());
    assert!(matches!(
        store.delete_comment(&other, id).await,
        Err(StoreError::NotFound(_))
    ));
    let mut v = vote(id, "v", VoteValue::Up);
    v.site_id = other.clone();
    assert!(matches!(store.vote(v).await, Err(StoreError::NotFound(_))));
    assert!(store.thread(&other, &url("/a")).await.unwrap().is_none());
}

pub async fn concurrent_writes_all_land(store: Arc<dyn Store>) {
    with_site(&store).await;
    let root = post(&store, "/a", None, 1).await;
    let mut tasks = Vec::new();
    for i in 0..200 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let parent = if i % 3 == 0 { Some(root) } else { None };
            let id = store
                .insert_comment(new_comment("/a", parent, "c", 10 + i))
                .await
                .unwrap()
                .comment
                .id;
            store
                .vote(vote(root, &format!("voter{i}"), VoteValue::Up))
                .await
                .unwrap();
            id
        }));
    }
    let ids: HashSet<_> = futures::future::join_all(tasks)
        .await
        .into_iter()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(ids.len(), 200);
    let thread = store.thread(&site_id(), &url("/a")).await.unwrap().unwrap();
    assert_eq!(thread.count, 201);
    let c = store.comment(&site_id(), root).await.unwrap().unwrap();
    assert_eq!(c.upvotes, 200);
    assert_eq!(c.listed_replies, 67);
}

/// Comments posted at once are committed together (SQLite's group commit):
/// one that is refused must take none of the others with it.
pub async fn a_refused_comment_undoes_only_itself(store: Arc<dyn Store>) {
    with_site(&store).await;
    let root = post(&store, "/a", None, 1).await;
    let mut tasks = Vec::new();
    for i in 0..100 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            // Every fifth begins a page's thread and is then refused (its
            // parent is on another page): the thread must go with it.
            let (page, parent) = match i % 5 {
                0 => (format!("/refused/{i}"), Some(root)),
                1 => ("/b".to_owned(), None),
                _ => ("/a".to_owned(), Some(root)),
            };
            store
                .insert_comment(new_comment(&page, parent, "c", 10 + i))
                .await
        }));
    }
    let mut refused = 0;
    for outcome in futures::future::join_all(tasks).await {
        match outcome.unwrap() {
            Ok(_) => {}
            Err(StoreError::Invalid(e)) => {
                assert_eq!(e.field, "parent");
                refused += 1;
            }
            Err(e) => panic!("unexpected error {e}"),
        }
    }
    assert_eq!(refused, 20);
    for i in (0..100).step_by(5) {
        let page = url(&format!("/refused/{i}"));
        assert!(store.thread(&site_id(), &page).await.unwrap().is_none());
    }
    let a = store.thread(&site_id(), &url("/a")).await.unwrap().unwrap();
    assert_eq!(a.count, 61, "the root and its 60 replies");
    let b = store.thread(&site_id(), &url("/b")).await.unwrap().unwrap();
    assert_eq!(b.count, 20);
    let c = store.comment(&site_id(), root).await.unwrap().unwrap();
    assert_eq!(c.listed_replies, 60);
}

pub async fn vote_batches_follow_the_same_rules(store: Arc<dyn Store>) {
    with_site(&store).await;
    let a = post(&store, "/a", None, 1).await;
    let b = post(&store, "/a", None, 2).await;
    store
        .vote_batch(vec![
            vote(a, "v1", VoteValue::Up),
            vote(a, "v2", VoteValue::Up),
            vote(a, "v1", VoteValue::Down),
            vote(b, "v1", VoteValue::Up),
            vote(b, "v1", VoteValue::None),
        ])
        .await
        .unwrap();
    let tally = |id| {
        let store = store.clone();
        async move {
            let c = store.comment(&site_id(), id).await.unwrap().unwrap();
            (c.upvotes, c.downvotes)
        }
    };
    assert_eq!(tally(a).await, (1, 1), "the last vote of a voter wins");
    assert_eq!(
        tally(b).await,
        (0, 0),
        "a retraction in the batch undoes the vote"
    );
    // A batch mixes with single votes.
    let t = store
        .vote(vote(a, "v2", VoteValue::None))
        .await
        .unwrap()
        .tally;
    assert_eq!((t.upvotes, t.downvotes), (0, 1));
    // All or nothing.
    store
        .set_status(&site_id(), b, CommentStatus::Pending)
        .await
        .unwrap();
    let refused = store
        .vote_batch(vec![
            vote(a, "v3", VoteValue::Up),
            vote(b, "v3", VoteValue::Up),
        ])
        .await;
    assert!(
        matches!(refused, Err(StoreError::Conflict(_))),
        "{refused:?}"
    );
    let missing = store
        .vote_batch(vec![
            vote(a, "v3", VoteValue::Up),
            vote(CommentId(999_999), "v3", VoteValue::Up),
        ])
        .await;
    assert!(
        matches!(missing, Err(StoreError::NotFound(_))),
        "{missing:?}"
    );
    assert_eq!(tally(a).await, (0, 1), "a refused batch changes nothing");
    // Best and most-voted orders see batch votes.
    store
        .set_status(&site_id(), b, CommentStatus::Approved)
        .await
        .unwrap();
    store
        .vote_batch(vec![
            vote(b, "v4", VoteValue::Up),
            vote(b, "v5", VoteValue::Up),
        ])
        .await
        .unwrap();
    let thread = store.thread(&site_id(), &url("/a")).await.unwrap().unwrap();
    for sort in [Sort::Votes, Sort::Best] {
        let page = store
            .top_level(thread.id, sort, Seek::Start, 10)
            .await
            .unwrap();
        assert_eq!(
            page.iter().map(|c| c.id).collect::<Vec<_>>(),
            vec![b, a],
            "{sort:?}"
        );
    }
}
