//! The contract of dumps and restores: a store copied row by row into a
//! fresh one holds the same rows, serves the same pages, and goes on from
//! there with fresh ids.

use super::{new_comment, site_id, vote, with_site};
use crate::{CommentEdit, CommentRow, Restore, Secret, Store, StoreError, Thread, VoteRow};
use rostra_core::{
    CommentId, CommentStatus, NewSite, Seek, Site, SiteId, SiteSettings, Sort, ThreadId, Timestamp,
    VoteValue,
};
use std::sync::Arc;

/// Everything a store holds, read through its dumps in small pages.
#[derive(Debug, PartialEq)]
pub struct Dumped {
    pub secrets: Vec<Secret>,
    pub sites: Vec<Site>,
    pub threads: Vec<Thread>,
    pub comments: Vec<CommentRow>,
    pub votes: Vec<VoteRow>,
    pub moderation: crate::ModerationRows,
    pub mail: crate::MailRows,
}

/// Reads every row (of one site, or all) through the dumps, `page` rows at
/// a time.
pub async fn dump_all(store: &Arc<dyn Store>, site: Option<&SiteId>, page: u32) -> Dumped {
    let mut threads: Vec<Thread> = Vec::new();
    loop {
        let after = threads.last().map(|t| t.id);
        let got = store.dump_threads(site, after, page).await.unwrap();
        assert!(got.len() <= page as usize);
        if got.is_empty() {
            break;
        }
        threads.extend(got);
    }
    let mut comments: Vec<CommentRow> = Vec::new();
    loop {
        let after = comments.last().map(|c| c.comment.id);
        let got = store.dump_comments(site, after, page).await.unwrap();
        assert!(got.len() <= page as usize);
        if got.is_empty() {
            break;
        }
        comments.extend(got);
    }
    let mut votes: Vec<VoteRow> = Vec::new();
    loop {
        let after = votes.last().map(|v| v.comment_id);
        let got = store.dump_votes(site, after, page).await.unwrap();
        if got.is_empty() {
            break;
        }
        votes.extend(got);
    }
    let mut sites = store.sites().await.unwrap();
    sites.retain(|s| site.is_none_or(|id| &s.id == id));
    Dumped {
        secrets: store.dump_secrets().await.unwrap(),
        sites,
        threads,
        comments,
        votes,
        moderation: store.dump_moderation(site).await.unwrap(),
        mail: store.dump_mail(site).await.unwrap(),
    }
}

/// Restores `rows` into `target` in batches of `batch` rows of each kind,
/// the first one fresh.
pub async fn restore_all(target: &Arc<dyn Store>, rows: &Dumped, batch: usize) {
    target
        .restore(Restore {
            fresh: true,
            secrets: rows.secrets.clone(),
            sites: rows.sites.clone(),
            ..Restore::default()
        })
        .await
        .unwrap();
    for chunk in rows.threads.chunks(batch) {
        let threads = chunk.to_vec();
        target
            .restore(Restore {
                threads,
                ..Restore::default()
            })
            .await
            .unwrap();
    }
    for chunk in rows.comments.chunks(batch) {
        let comments = chunk.to_vec();
        target
            .restore(Restore {
                comments,
                ..Restore::default()
            })
            .await
            .unwrap();
    }
    for chunk in rows.votes.chunks(batch) {
        let votes = chunk.to_vec();
        target
            .restore(Restore {
                votes,
                ..Restore::default()
            })
            .await
            .unwrap();
    }
    target
        .restore(Restore {
            moderation: rows.moderation.clone(),
            mail: rows.mail.clone(),
            ..Restore::default()
        })
        .await
        .unwrap();
}

fn other_site() -> SiteId {
    SiteId::parse("other").unwrap()
}

/// A store with two sites and every kind of row and state: replies,
/// tombstones, pending, rejected and edited comments, private columns,
/// votes both ways.
async fn varied(store: &Arc<dyn Store>) {
    store.secret("address-hash", vec![3; 32]).await.unwrap();
    with_site(store).await;
    store
        .create_site(NewSite {
            id: other_site(),
            name: "Other".into(),
            allowed_origins: vec![rostra_core::Origin::parse("https://other.example").unwrap()],
            settings: SiteSettings {
                moderation: rostra_core::ModerationMode::Pre,
                ..SiteSettings::default()
            },
            voter_secret: vec![9; 32],
        })
        .await
        .unwrap();
    let mut ids = Vec::new();
    for (i, page) in ["/a", "/b", "/a", "/c", "/a"].iter().enumerate() {
        let mut c = new_comment(page, None, &format!("top {i}"), 100 + i as i64);
        c.ip_hash = Some(format!("hash{i}"));
        c.author_email = Some(rostra_core::Email::parse("ann@example.org").unwrap());
        c.author_website = Some(rostra_core::Website::parse("https://ann.example").unwrap());
        ids.push(store.insert_comment(c).await.unwrap().comment.id);
    }
    let reply = store
        .insert_comment(new_comment("/a", Some(ids[0]), "re", 200))
        .await
        .unwrap()
        .comment
        .id;
    store
        .insert_comment(new_comment("/a", Some(reply), "re re", 201))
        .await
        .unwrap();
    // A tombstone over its replies, a deleted comment without any.
    store.delete_comment(&site_id(), ids[0]).await.unwrap();
    store.delete_comment(&site_id(), ids[3]).await.unwrap();
    let mut held = new_comment("/b", None, "held", 300);
    held.status = CommentStatus::Pending;
    held.assessment = Some(rostra_core::Assessment {
        scores: vec![rostra_core::LabelScore {
            label: "toxic".into(),
            score: 0.75,
        }],
        reasons: vec![rostra_core::Reason {
            code: "toxicity".into(),
            detail: "toxic 0.75".into(),
            terms: vec!["idiot".into()],
        }],
    });
    store.insert_comment(held).await.unwrap();
    store
        .set_status(&site_id(), ids[4], CommentStatus::Rejected)
        .await
        .unwrap();
    store
        .edit_comment(CommentEdit {
            site_id: site_id(),
            id: ids[2],
            markdown: "edited".into(),
            html: "<p>edited</p>".into(),
            at: Timestamp(400),
        })
        .await
        .unwrap();
    let mut elsewhere = new_comment("/x", None, "elsewhere", 500);
    elsewhere.site_id = other_site();
    elsewhere.url = rostra_core::PageUrl::parse(
        "https://other.example/x",
        &rostra_core::UrlPolicy::default(),
        2048,
    )
    .unwrap();
    let elsewhere = store.insert_comment(elsewhere).await.unwrap().comment.id;
    let mut votes = Vec::new();
    for (n, voter) in ["b", "a", "c", "zz", "A"].iter().enumerate() {
        let value = if n % 2 == 0 {
            VoteValue::Up
        } else {
            VoteValue::Down
        };
        votes.push(vote(reply, voter, value));
        votes.push(vote(ids[2], voter, VoteValue::Up));
    }
    votes.push(vote(ids[1], "a", VoteValue::Down));
    store.vote_batch(votes).await.unwrap();
    let mut there = vote(elsewhere, "o", VoteValue::Up);
    there.site_id = other_site();
    store.vote(there).await.unwrap();
    moderated(store, ids[2], elsewhere).await;
}

/// The moderator side: two users, roles on both sites, a session and a
/// token, an open and a resolved report, bans and audit entries.
async fn moderated(store: &Arc<dyn Store>, here: CommentId, elsewhere: CommentId) {
    use crate::{CredentialKind, NewAudit, NewBan, NewCredential, NewReport, NewUser};
    use rostra_core::{BanKind, ReportReason, Role, UserName};
    let mut users = Vec::new();
    for name in ["zoe", "adam"] {
        let user = store
            .create_user(NewUser {
                email: None,
                name: UserName::parse(name).unwrap(),
                password_hash: format!("$argon2id$hash-of-{name}"),
                created_at: Timestamp(50),
            })
            .await
            .unwrap();
        users.push(user.id);
    }
    store
        .set_role(users[0], &site_id(), Role::Owner)
        .await
        .unwrap();
    store
        .set_role(users[0], &other_site(), Role::Moderator)
        .await
        .unwrap();
    store
        .set_role(users[1], &other_site(), Role::Owner)
        .await
        .unwrap();
    for (hash, kind, expires_at) in [
        (
            [9; 32],
            CredentialKind::Session,
            Some(Timestamp(i64::MAX / 2)),
        ),
        ([4; 32], CredentialKind::Token, None),
    ] {
        store
            .create_credential(NewCredential {
                hash,
                user_id: users[0],
                kind,
                label: Some("label".into()),
                created_at: Timestamp(60),
                expires_at,
            })
            .await
            .unwrap();
    }
    for (comment, site, reader) in [
        (here, site_id(), "r1"),
        (here, site_id(), "r2"),
        (elsewhere, other_site(), "r1"),
    ] {
        store
            .report(NewReport {
                site_id: site,
                comment_id: comment,
                reporter: reader.into(),
                reason: ReportReason::OffTopic,
                text: Some("not about this".into()),
                at: Timestamp(70),
            })
            .await
            .unwrap();
    }
    store
        .resolve_reports(&other_site(), elsewhere, Timestamp(80))
        .await
        .unwrap();
    for (site, kind, until) in [
        (site_id(), BanKind::Name, None),
        (other_site(), BanKind::Email, Some(Timestamp(1_000))),
    ] {
        store
            .create_ban(NewBan {
                site_id: site,
                kind,
                value: "troll".into(),
                until,
                reason: Some("trolling".into()),
                by: Some(users[0]),
                at: Timestamp(90),
            })
            .await
            .unwrap();
    }
    // Each ban above logged itself; two more entries by hand.
    for (site, user, action) in [
        (other_site(), None, "hold"),
        (other_site(), Some(users[1]), "approve"),
    ] {
        store
            .append_audit(NewAudit {
                site_id: site,
                user_id: user,
                action: action.into(),
                target: format!("comment:{elsewhere}"),
                reason: None,
                at: Timestamp(100),
            })
            .await
            .unwrap();
    }
}

/// Subscribers (one confirmed), subscriptions on two sites and a webhook.
async fn varied_mail(store: &Arc<dyn Store>) {
    use crate::outbox::{NewSubscription, NewWebhook};
    use rostra_core::{Cadence, SubscriptionKind, WebhookEvent};
    for (site, email, kind, cadence) in [
        (
            site_id(),
            "r@example.org",
            SubscriptionKind::Thread,
            Cadence::Instant,
        ),
        (
            site_id(),
            "r@example.org",
            SubscriptionKind::Replies,
            Cadence::Digest,
        ),
        (
            other_site(),
            "o@example.org",
            SubscriptionKind::Thread,
            Cadence::Digest,
        ),
    ] {
        let (who, _) = store
            .subscribe(NewSubscription {
                site_id: site.clone(),
                email: email.into(),
                lang: "de".into(),
                url: super::url("/mail"),
                title: Some("Mail".into()),
                kind,
                cadence,
                at: Timestamp(110),
            })
            .await
            .unwrap();
        if site == site_id() {
            store
                .confirm_subscriber(&site, who.id, Timestamp(120))
                .await
                .unwrap();
        }
    }
    store
        .create_webhook(NewWebhook {
            site_id: other_site(),
            url: "https://hooks.example/o".into(),
            secret: "whsec_x".into(),
            events: vec![WebhookEvent::CommentApproved, WebhookEvent::CommentCreated],
            at: Timestamp(130),
        })
        .await
        .unwrap();
}

pub async fn restore_copies_every_row(source: Arc<dyn Store>, target: Arc<dyn Store>) {
    varied(&source).await;
    varied_mail(&source).await;
    let rows = dump_all(&source, None, 2).await;
    assert_eq!(rows.threads.len(), 4);
    assert_eq!(rows.comments.len(), 9);
    assert_eq!(rows.votes.len(), 12);
    assert_eq!(
        source.tally(None).await.unwrap(),
        crate::Tally {
            sites: 2,
            threads: 4,
            comments: 9,
            votes: 12
        }
    );
    // Whole pages: a comment's votes never straddle two pages.
    let (lone, five) = (rows.comments[1].comment.id, rows.comments[2].comment.id);
    let first = source.dump_votes(None, None, 1).await.unwrap();
    assert!(first.iter().all(|v| v.comment_id == lone), "{first:?}");
    let page = source.dump_votes(None, Some(lone), 2).await.unwrap();
    assert!(page.iter().all(|v| v.comment_id == five), "{page:?}");
    let voters: Vec<&str> = page.iter().map(|v| v.voter.as_str()).collect();
    assert_eq!(voters, ["A", "a", "b", "c", "zz"], "voters byte by byte");
    let m = &rows.moderation;
    assert_eq!(
        (
            m.users.len(),
            m.memberships.len(),
            m.credentials.len(),
            m.reports.len(),
            m.bans.len(),
            m.audit.len()
        ),
        (2, 3, 2, 3, 2, 4)
    );
    assert!(m.credentials[0].hash < m.credentials[1].hash, "by hash");
    let mail = &rows.mail;
    assert_eq!(
        (
            mail.subscribers.len(),
            mail.subscriptions.len(),
            mail.webhooks.len()
        ),
        (2, 3, 1)
    );
    let other_mail = source.dump_mail(Some(&other_site())).await.unwrap();
    assert_eq!(
        (
            other_mail.subscribers.len(),
            other_mail.subscriptions.len(),
            other_mail.webhooks.len()
        ),
        (1, 1, 1)
    );
    // A site's rows alone (and no users or credentials).
    let other = dump_all(&source, Some(&other_site()), 2).await;
    assert_eq!(
        (other.threads.len(), other.comments.len(), other.votes.len()),
        (1, 1, 1)
    );
    let om = &other.moderation;
    assert_eq!(
        (
            om.users.len(),
            om.credentials.len(),
            om.reports.len(),
            om.bans.len(),
            om.audit.len()
        ),
        (0, 0, 1, 1, 3)
    );
    assert_eq!(
        source.tally(Some(&other_site())).await.unwrap(),
        crate::Tally {
            sites: 1,
            threads: 1,
            comments: 1,
            votes: 1
        }
    );

    assert!(target.tally(None).await.unwrap().is_empty());
    restore_all(&target, &rows, 3).await;
    assert_eq!(dump_all(&target, None, 3).await, rows, "the copy differs");
    assert_eq!(
        target.tally(None).await.unwrap(),
        source.tally(None).await.unwrap()
    );

    // The copy serves the same pages, in every order.
    for thread in &rows.threads {
        for sort in Sort::ALL {
            let a = source
                .top_level(thread.id, sort, Seek::Start, 10)
                .await
                .unwrap();
            let b = target
                .top_level(thread.id, sort, Seek::Start, 10)
                .await
                .unwrap();
            assert_eq!(a, b, "{sort:?} page of thread {}", thread.id);
            let roots: Vec<CommentId> = a.iter().map(|c| c.id).collect();
            assert_eq!(
                source.replies(&roots).await.unwrap().len(),
                target.replies(&roots).await.unwrap().len()
            );
        }
    }
    // An earlier voter changes their vote rather than adding one.
    let reply = rows.comments[5].comment.id;
    let before = target.comment(&site_id(), reply).await.unwrap().unwrap();
    let t = target
        .vote(vote(reply, "b", VoteValue::Down))
        .await
        .unwrap()
        .tally;
    assert_eq!(
        (t.upvotes, t.downvotes),
        (before.upvotes - 1, before.downvotes + 1)
    );
    // What comes next gets fresh ids.
    let max_comment = rows.comments.iter().map(|c| c.comment.id).max().unwrap();
    let max_thread: ThreadId = rows.threads.iter().map(|t| t.id).max().unwrap();
    let fresh = target
        .insert_comment(new_comment("/new", None, "after the move", 900))
        .await
        .unwrap();
    assert!(fresh.comment.id > max_comment, "{:?}", fresh.comment.id);
    assert!(fresh.thread.id > max_thread, "{:?}", fresh.thread.id);
    let batch = target
        .insert_batch(vec![new_comment("/new", None, "and more", 901)])
        .await
        .unwrap();
    assert!(batch[0] > fresh.comment.id);
    // The moderators came along, and what they add next gets fresh ids.
    let user = target
        .create_user(crate::NewUser {
            email: None,
            name: rostra_core::UserName::parse("newcomer").unwrap(),
            password_hash: "x".into(),
            created_at: Timestamp(1),
        })
        .await
        .unwrap();
    assert!(rows.moderation.users.iter().all(|u| u.id < user.id));
    let entry = target
        .append_audit(crate::NewAudit {
            site_id: site_id(),
            user_id: Some(user.id),
            action: "approve".into(),
            target: "comment:1".into(),
            reason: None,
            at: Timestamp(1),
        })
        .await
        .unwrap();
    assert!(rows.moderation.audit.iter().all(|a| a.id < entry.id));
    // Subscribers came along, confirmed as they were; new ones get fresh ids.
    let (fresh_sub, fresh_s) = target
        .subscribe(crate::outbox::NewSubscription {
            site_id: site_id(),
            email: "new@example.org".into(),
            lang: "en".into(),
            url: super::url("/mail"),
            title: None,
            kind: rostra_core::SubscriptionKind::Thread,
            cadence: rostra_core::Cadence::Instant,
            at: Timestamp(1),
        })
        .await
        .unwrap();
    assert!(rows.mail.subscribers.iter().all(|b| b.id < fresh_sub.id));
    assert!(rows.mail.subscriptions.iter().all(|s| s.id < fresh_s.id));
    assert_eq!(
        target
            .page_subscribers(&site_id(), &super::url("/mail"))
            .await
            .unwrap()
            .len(),
        2,
        "the confirmed subscriber's two subscriptions"
    );
    let token = target.credential([4; 32], Timestamp(1)).await.unwrap();
    assert_eq!(token.map(|(u, _)| u.name), Some("zoe".to_owned()));
}

pub async fn restore_refuses_a_non_empty_store(store: Arc<dyn Store>) {
    with_site(&store).await;
    let id = store
        .insert_comment(new_comment("/a", None, "here first", 1))
        .await
        .unwrap()
        .comment
        .id;
    let secret = store.secret("address-hash", vec![1; 32]).await.unwrap();
    let before = dump_all(&store, None, 10).await;
    let site = Site {
        id: other_site(),
        name: "Other".into(),
        allowed_origins: vec![],
        settings: SiteSettings::default(),
        voter_secret: vec![2; 32],
        created_at: Timestamp(5),
    };
    let refused = store
        .restore(Restore {
            fresh: true,
            secrets: vec![Secret {
                name: "address-hash".into(),
                value: vec![2; 32],
            }],
            sites: vec![site],
            ..Restore::default()
        })
        .await;
    assert!(
        matches!(&refused, Err(StoreError::Conflict(m)) if m.contains("not empty")),
        "{refused:?}"
    );
    // A later batch whose ids are taken is refused too, whole.
    let mut taken = before.comments[0].clone();
    taken.comment.body_markdown = "overwritten".into();
    let mut free = before.comments[0].clone();
    free.comment.id = CommentId(id.0 + 100);
    let refused = store
        .restore(Restore {
            comments: vec![free, taken],
            ..Restore::default()
        })
        .await;
    assert!(
        matches!(&refused, Err(StoreError::Conflict(_))),
        "{refused:?}"
    );
    assert_eq!(dump_all(&store, None, 10).await, before, "nothing changed");
    assert_eq!(store.secret("address-hash", vec![]).await.unwrap(), secret);
}
