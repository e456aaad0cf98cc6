//! The contract of the moderator side: assessments kept with comments,
//! users and their credentials, reports, holds, the queue, bans and the
//! audit log.

use super::{by_author, new_comment, post, site_id, with_other_site, with_site};
use crate::{
    BanQuery, CredentialKind, NewAudit, NewBan, NewCredential, NewReport, NewUser, QueueQuery,
    Revoke, Store, StoreError,
};
use rostra_core::{
    Assessment, BanKind, CommentId, CommentStatus, LabelScore, QueueFilter, QueueOrder, Reason,
    ReportReason, Role, Seek, SiteId, Sort, Timestamp, UserName, PUBLISHED_WINDOW,
};
use std::sync::Arc;

fn assessment(score: f32, code: &str) -> Assessment {
    Assessment {
        scores: vec![LabelScore {
            label: "toxic".into(),
            score,
        }],
        reasons: vec![Reason {
            code: code.into(),
            detail: format!("{code} found"),
            terms: vec!["word".into()],
        }],
    }
}

/// An audit entry by the operator (no user) on the contract's site.
fn logged(action: &str, target: &str) -> NewAudit {
    NewAudit {
        site_id: site_id(),
        user_id: None,
        action: action.into(),
        target: target.into(),
        reason: None,
        at: Timestamp(30),
    }
}

fn report(id: rostra_core::CommentId, reader: &str) -> NewReport {
    NewReport {
        site_id: site_id(),
        comment_id: id,
        reporter: reader.into(),
        reason: ReportReason::Abuse,
        text: Some(format!("{reader} says so")),
        at: Timestamp(10),
    }
}

pub async fn assessments_are_kept_with_comments(store: Arc<dyn Store>) {
    with_site(&store).await;
    let mut c = new_comment("/a", None, "held", 1);
    c.status = CommentStatus::Pending;
    c.assessment = Some(assessment(0.9, "toxicity"));
    let id = store.insert_comment(c).await.unwrap().comment.id;
    let mut plain = new_comment("/a", None, "plain", 2);
    plain.assessment = Some(assessment(0.2, "links"));
    let ids = store.insert_batch(vec![plain]).await.unwrap();
    let got = store.comment(&site_id(), id).await.unwrap().unwrap();
    assert_eq!(got.assessment, Some(assessment(0.9, "toxicity")));
    let batched = store.comment(&site_id(), ids[0]).await.unwrap().unwrap();
    assert_eq!(batched.assessment, Some(assessment(0.2, "links")));
    let dumped = store.dump_comments(None, None, 10).await.unwrap();
    assert_eq!(dumped[0].comment.assessment, got.assessment);
    let unassessed = post(&store, "/a", None, 3).await;
    let none = store
        .comment(&site_id(), unassessed)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(none.assessment, None);
    // Listings leave it out, like the other private columns.
    let thread = store.thread(&site_id(), &super::url("/a")).await.unwrap();
    let page = store
        .top_level(thread.unwrap().id, Sort::Oldest, Seek::Start, 10)
        .await
        .unwrap();
    assert!(page.iter().all(|c| c.assessment.is_none()));
}

pub async fn users_roles_and_credentials(store: Arc<dyn Store>) {
    with_site(&store).await;
    let new = |name: &str| NewUser {
        email: None,
        name: UserName::parse(name).unwrap(),
        password_hash: "$argon2id$fake".into(),
        created_at: Timestamp(5),
    };
    let alice = store.create_user(new("alice")).await.unwrap();
    let again = store.create_user(new("alice")).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    store.create_user(new("bob")).await.unwrap();
    let names: Vec<_> = store
        .users()
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.name)
        .collect();
    assert_eq!(names, ["alice", "bob"]);
    assert_eq!(
        store.user_by_name("alice").await.unwrap(),
        Some(alice.clone())
    );
    assert_eq!(store.user_by_name("carol").await.unwrap(), None);

    assert!(store.memberships(alice.id).await.unwrap().is_empty());
    store
        .set_role(alice.id, &site_id(), Role::Moderator)
        .await
        .unwrap();
    store
        .set_role(alice.id, &site_id(), Role::Owner)
        .await
        .unwrap();
    let roles = store.memberships(alice.id).await.unwrap();
    assert_eq!(roles.len(), 1);
    assert_eq!(
        (roles[0].site_id.clone(), roles[0].role),
        (site_id(), Role::Owner)
    );
    let nowhere = store
        .set_role(alice.id, &SiteId::parse("nope").unwrap(), Role::Owner)
        .await;
    assert!(
        matches!(nowhere, Err(StoreError::NotFound(_))),
        "{nowhere:?}"
    );

    let session = NewCredential {
        hash: [1; 32],
        user_id: alice.id,
        kind: CredentialKind::Session,
        label: None,
        created_at: Timestamp(10),
        expires_at: Some(Timestamp(100)),
    };
    store.create_credential(session).await.unwrap();
    store
        .create_credential(NewCredential {
            hash: [2; 32],
            user_id: alice.id,
            kind: CredentialKind::Token,
            label: Some("cli".into()),
            created_at: Timestamp(10),
            expires_at: None,
        })
        .await
        .unwrap();
    let found = store.credential([1; 32], Timestamp(50)).await.unwrap();
    assert_eq!(
        found.map(|(u, k)| (u.name, k)),
        Some(("alice".into(), CredentialKind::Session))
    );
    assert!(store
        .credential([1; 32], Timestamp(100))
        .await
        .unwrap()
        .is_none());
    let token = store
        .credential([2; 32], Timestamp(i64::MAX))
        .await
        .unwrap();
    assert_eq!(token.map(|(_, k)| k), Some(CredentialKind::Token));
    assert!(store
        .credential([3; 32], Timestamp(1))
        .await
        .unwrap()
        .is_none());
    store.delete_credential([2; 32]).await.unwrap();
    store.delete_credential([2; 32]).await.unwrap();
    assert!(store
        .credential([2; 32], Timestamp(1))
        .await
        .unwrap()
        .is_none());
}

pub async fn accounts_lose_roles_passwords_and_credentials(store: Arc<dyn Store>) {
    with_site(&store).await;
    let alice = store
        .create_user(NewUser {
            email: None,
            name: UserName::parse("alice").unwrap(),
            password_hash: "$argon2id$old".into(),
            created_at: Timestamp(5),
        })
        .await
        .unwrap();
    store
        .set_role(alice.id, &site_id(), Role::Moderator)
        .await
        .unwrap();
    let credential = |hash: u8, kind, at: i64, expires: Option<i64>| NewCredential {
        hash: [hash; 32],
        user_id: alice.id,
        kind,
        label: (kind == CredentialKind::Token).then(|| format!("tool {hash}")),
        created_at: Timestamp(at),
        expires_at: expires.map(Timestamp),
    };
    for c in [
        credential(1, CredentialKind::Session, 10, Some(1_000)),
        credential(2, CredentialKind::Token, 20, None),
        credential(3, CredentialKind::Session, 30, Some(1_000)),
        credential(4, CredentialKind::Token, 40, None),
        credential(5, CredentialKind::Session, 50, Some(60)),
    ] {
        store.create_credential(c).await.unwrap();
    }
    // Newest first, expired ones left out, the label kept.
    let listed = store.credentials(alice.id, Timestamp(100)).await.unwrap();
    let seen: Vec<(u8, CredentialKind)> = listed.iter().map(|c| (c.hash[0], c.kind)).collect();
    assert_eq!(
        seen,
        [
            (4, CredentialKind::Token),
            (3, CredentialKind::Session),
            (2, CredentialKind::Token),
            (1, CredentialKind::Session)
        ]
    );
    assert_eq!(listed[0].label.as_deref(), Some("tool 4"));
    assert_eq!(listed[1].expires_at, Some(Timestamp(1_000)));

    // A new password ends the sessions, in the same write; tokens stay.
    store
        .set_password(alice.id, "$argon2id$new".into())
        .await
        .unwrap();
    let user = store.user_by_name("alice").await.unwrap().unwrap();
    assert_eq!(user.password_hash, "$argon2id$new");
    assert!(store
        .credential([1; 32], Timestamp(100))
        .await
        .unwrap()
        .is_none());
    assert!(store
        .credential([2; 32], Timestamp(100))
        .await
        .unwrap()
        .is_some());
    let nobody = store
        .set_password(rostra_core::UserId(9_999), "x".into())
        .await;
    assert!(matches!(nobody, Err(StoreError::NotFound(_))), "{nobody:?}");

    assert_eq!(
        store
            .revoke_credentials(alice.id, Revoke::Sessions)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        store
            .revoke_credentials(alice.id, Revoke::All)
            .await
            .unwrap(),
        2
    );
    assert!(store
        .credentials(alice.id, Timestamp(100))
        .await
        .unwrap()
        .is_empty());

    assert!(store.remove_role(alice.id, &site_id()).await.unwrap());
    assert!(!store.remove_role(alice.id, &site_id()).await.unwrap());
    assert!(store.memberships(alice.id).await.unwrap().is_empty());
}

pub async fn reports_hold_and_queue(store: Arc<dyn Store>) {
    with_site(&store).await;
    let calm = post(&store, "/a", None, 1).await;
    let hot = post(&store, "/a", None, 2).await;
    let mut held = new_comment("/b", None, "held", 3);
    held.status = CommentStatus::Pending;
    held.assessment = Some(assessment(0.8, "toxicity"));
    let held = store.insert_comment(held).await.unwrap().comment.id;
    let mut mild = new_comment("/b", None, "mild", 4);
    mild.status = CommentStatus::Pending;
    mild.assessment = Some(assessment(0.3, "toxicity"));
    let mild = store.insert_comment(mild).await.unwrap().comment.id;

    // One report per reader; only approved comments of the site take them.
    let r = store.report(report(hot, "r1")).await.unwrap();
    assert_eq!((r.added, r.open), (true, 1));
    let r = store.report(report(hot, "r1")).await.unwrap();
    assert_eq!((r.added, r.open), (false, 1));
    assert_eq!(store.report(report(hot, "r2")).await.unwrap().open, 2);
    store.report(report(calm, "r1")).await.unwrap();
    let pending = store.report(report(held, "r1")).await;
    assert!(
        matches!(pending, Err(StoreError::NotFound(_))),
        "{pending:?}"
    );

    let q = |filter, order| QueueQuery {
        site_id: site_id(),
        filter,
        order,
        offset: 0,
        limit: 10,
        by: None,
    };
    let ids = |items: Vec<crate::QueueItem>| items.iter().map(|i| i.comment.id).collect::<Vec<_>>();
    let all = store
        .queue(q(QueueFilter::All, QueueOrder::Newest))
        .await
        .unwrap();
    assert_eq!(ids(all.clone()), [mild, held, hot, calm]);
    assert_eq!(all[1].url, super::url("/b"));
    assert_eq!(all[1].title.as_deref(), Some("Title of /b"));
    assert_eq!(all[1].comment.assessment, Some(assessment(0.8, "toxicity")));
    assert_eq!(all[2].reports.len(), 2);
    assert_eq!(all[2].reports[0].reason, ReportReason::Abuse);
    assert_eq!(all[2].reports[0].text.as_deref(), Some("r1 says so"));
    let urgent = store
        .queue(q(QueueFilter::All, QueueOrder::Urgent))
        .await
        .unwrap();
    assert_eq!(ids(urgent), [hot, calm, held, mild]);
    let only_held = store
        .queue(q(QueueFilter::Held, QueueOrder::Urgent))
        .await
        .unwrap();
    assert_eq!(ids(only_held), [held, mild]);
    let reported = store
        .queue(q(QueueFilter::Reported, QueueOrder::Newest))
        .await
        .unwrap();
    assert_eq!(ids(reported), [hot, calm]);
    let second = store
        .queue(QueueQuery {
            offset: 1,
            limit: 2,
            ..q(QueueFilter::All, QueueOrder::Newest)
        })
        .await
        .unwrap();
    assert_eq!(ids(second), [held, hot]);

    // A hold adds its reason and takes the comment out of the count.
    let written = store
        .hold_comment(
            &site_id(),
            hot,
            Reason {
                code: "reports".into(),
                detail: "2 reports".into(),
                terms: vec![],
            },
            logged("hold", &format!("comment:{hot}")),
        )
        .await
        .unwrap();
    assert_eq!(written.comment.status, CommentStatus::Pending);
    assert_eq!(written.thread.count, 1);
    let stored = store.comment(&site_id(), hot).await.unwrap().unwrap();
    assert_eq!(stored.assessment.unwrap().reasons[0].code, "reports");
    // Only an approved comment is held: of two racing holds, one happens.
    let again = store
        .hold_comment(
            &site_id(),
            hot,
            Reason {
                code: "reports".into(),
                detail: "3 reports".into(),
                terms: vec![],
            },
            logged("hold", &format!("comment:{hot}")),
        )
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let stored = store.comment(&site_id(), hot).await.unwrap().unwrap();
    assert_eq!(stored.assessment.unwrap().reasons[0].detail, "2 reports");

    // Resolving closes the reports: the comment leaves the reported queue.
    assert_eq!(
        store
            .resolve_reports(&site_id(), calm, Timestamp(20))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .resolve_reports(&site_id(), calm, Timestamp(21))
            .await
            .unwrap(),
        0
    );
    let reported = store
        .queue(q(QueueFilter::Reported, QueueOrder::Newest))
        .await
        .unwrap();
    assert_eq!(ids(reported), [hot]);
    // Refused comments leave the queue.
    store
        .set_status(&site_id(), mild, CommentStatus::Rejected)
        .await
        .unwrap();
    let held_now = store
        .queue(q(QueueFilter::Held, QueueOrder::Newest))
        .await
        .unwrap();
    assert_eq!(ids(held_now), [held, hot]);
    // Refused comments have a view of their own, newest first, whence a
    // refusal is undone; a deleted comment is in none.
    store
        .set_status(&site_id(), held, CommentStatus::Spam)
        .await
        .unwrap();
    store.delete_comment(&site_id(), calm).await.unwrap();
    let refused = store
        .queue(q(QueueFilter::Rejected, QueueOrder::Newest))
        .await
        .unwrap();
    assert_eq!(ids(refused.clone()), [mild, held]);
    assert_eq!(refused[0].comment.status, CommentStatus::Rejected);
    assert_eq!(refused[1].comment.status, CommentStatus::Spam);
    assert_eq!(
        refused[1].comment.assessment,
        Some(assessment(0.8, "toxicity"))
    );
    let all = store
        .queue(q(QueueFilter::All, QueueOrder::Newest))
        .await
        .unwrap();
    assert_eq!(ids(all), [hot]);
    let approved = store
        .set_status(&site_id(), mild, CommentStatus::Approved)
        .await
        .unwrap();
    assert_eq!(approved.comment.status, CommentStatus::Approved);
    let refused = store
        .queue(q(QueueFilter::Rejected, QueueOrder::Newest))
        .await
        .unwrap();
    assert_eq!(ids(refused), [held]);
}

/// The published view: the site's latest `PUBLISHED_WINDOW` approved
/// comments, newest or most suspect first; nothing older, nothing held or
/// refused, nothing of another site.
pub async fn the_published_view_is_the_latest_window(store: Arc<dyn Store>) {
    with_site(&store).await;
    let other = with_other_site(&store).await;
    let mut suspect = new_comment("/w", None, "suspect, long ago", 1);
    suspect.assessment = Some(assessment(0.95, "toxicity"));
    let long_ago = store.insert_comment(suspect).await.unwrap().comment.id;
    let window = PUBLISHED_WINDOW as usize;
    let batch = (0..window)
        .map(|i| new_comment("/w", None, &format!("comment {i}"), 10 + i as i64))
        .collect();
    let batch = store.insert_batch(batch).await.unwrap();
    let mut suspect = new_comment("/w", None, "suspect, just now", 5000);
    suspect.assessment = Some(assessment(0.9, "toxicity"));
    let recent = store.insert_comment(suspect).await.unwrap().comment.id;
    let mut held = new_comment("/w", None, "held", 5001);
    held.status = CommentStatus::Pending;
    store.insert_comment(held).await.unwrap();
    let refused = post(&store, "/w", None, 5002).await;
    store
        .set_status(&site_id(), refused, CommentStatus::Rejected)
        .await
        .unwrap();
    let mut elsewhere = new_comment("/w", None, "on the other site", 5003);
    elsewhere.site_id = other;
    store.insert_comment(elsewhere).await.unwrap();

    let view = |order, offset, limit| QueueQuery {
        site_id: site_id(),
        filter: QueueFilter::Published,
        order,
        offset,
        limit,
        by: None,
    };
    let ids = |items: Vec<crate::QueueItem>| items.iter().map(|i| i.comment.id).collect::<Vec<_>>();
    let newest = store.queue(view(QueueOrder::Newest, 0, 3)).await.unwrap();
    assert_eq!(ids(newest), [recent, batch[window - 1], batch[window - 2]]);
    // The window holds the latest ones: the last of it, and nothing after.
    let last = store
        .queue(view(QueueOrder::Newest, PUBLISHED_WINDOW - 1, 10))
        .await
        .unwrap();
    assert_eq!(ids(last), [batch[1]]);
    // Most suspect first, among the window: the old suspect is past it.
    let urgent = store.queue(view(QueueOrder::Urgent, 0, 100)).await.unwrap();
    assert_eq!(urgent[0].comment.id, recent);
    assert_eq!(
        urgent[0].comment.assessment,
        Some(assessment(0.9, "toxicity"))
    );
    assert!(!ids(urgent).contains(&long_ago));
}

/// Each queue item carries its author's record on the site: by e-mail when
/// given, else by address hash; none when neither is known.
pub async fn queue_items_carry_their_authors_record(store: Arc<dyn Store>) {
    with_site(&store).await;
    let other = with_other_site(&store).await;
    let by = |email, hash, status, at| by_author(email, hash, &format!("comment {at}"), status, at);
    use CommentStatus::{Approved, Pending};
    // Ann (by e-mail): two published, one refused as spam, one held.
    for at in [1, 2] {
        store
            .insert_comment(by(Some("ann@example.org"), Some("h1"), Approved, at))
            .await
            .unwrap();
    }
    let spam = store
        .insert_comment(by(Some("ann@example.org"), Some("h1"), Approved, 3))
        .await
        .unwrap()
        .comment
        .id;
    store
        .set_status(&site_id(), spam, CommentStatus::Spam)
        .await
        .unwrap();
    let ann = store
        .insert_comment(by(Some("ann@example.org"), Some("h2"), Pending, 4))
        .await
        .unwrap()
        .comment
        .id;
    // The same e-mail on another site does not count here.
    let mut elsewhere = by(Some("ann@example.org"), None, Approved, 5);
    elsewhere.site_id = other.clone();
    store.insert_comment(elsewhere).await.unwrap();
    // A guest without e-mail, known by address: one rejected, one held.
    let refused = store
        .insert_comment(by(None, Some("h9"), Approved, 6))
        .await
        .unwrap()
        .comment
        .id;
    store
        .set_status(&site_id(), refused, CommentStatus::Rejected)
        .await
        .unwrap();
    let guest = store
        .insert_comment(by(None, Some("h9"), Pending, 7))
        .await
        .unwrap()
        .comment
        .id;
    // Nobody known.
    let nobody = store
        .insert_comment(by(None, None, Pending, 8))
        .await
        .unwrap()
        .comment
        .id;

    let items = store
        .queue(QueueQuery {
            site_id: site_id(),
            filter: QueueFilter::Held,
            order: QueueOrder::Newest,
            offset: 0,
            limit: 10,
            by: None,
        })
        .await
        .unwrap();
    let record = |id| items.iter().find(|i| i.comment.id == id).unwrap().record;
    assert_eq!(
        record(ann),
        Some(crate::AuthorRecord {
            by_address: false,
            approved: 2,
            pending: 1,
            rejected: 0,
            spam: 1,
        })
    );
    assert_eq!(
        record(guest),
        Some(crate::AuthorRecord {
            by_address: true,
            approved: 0,
            pending: 1,
            rejected: 1,
            spam: 0,
        })
    );
    assert_eq!(record(nobody), None);

    // `by`: every comment of an author on the site, whatever its status.
    let by = |id| QueueQuery {
        site_id: site_id(),
        filter: QueueFilter::Held,
        order: QueueOrder::Newest,
        offset: 0,
        limit: 10,
        by: Some(id),
    };
    let ids = |items: Vec<crate::QueueItem>| items.iter().map(|i| i.comment.id).collect::<Vec<_>>();
    let anns = ids(store.queue(by(ann)).await.unwrap());
    assert_eq!(
        anns.len(),
        4,
        "two published, a spam, a held; not the other site's"
    );
    assert_eq!(anns[0], ann);
    assert!(anns.contains(&spam));
    assert_eq!(ids(store.queue(by(guest)).await.unwrap()), [guest, refused]);
    assert_eq!(
        ids(store.queue(by(nobody)).await.unwrap()),
        Vec::<CommentId>::new()
    );
    // A deleted comment is in none of them.
    store.delete_comment(&site_id(), refused).await.unwrap();
    assert_eq!(ids(store.queue(by(guest)).await.unwrap()), [guest]);
    // A comment of another site names no author here.
    let mut there = by_author(Some("ann@example.org"), None, "there", Approved, 9);
    there.site_id = other;
    let there = store.insert_comment(there).await.unwrap().comment.id;
    assert!(store.queue(by(there)).await.unwrap().is_empty());
}

pub async fn bans_match_until_they_expire(store: Arc<dyn Store>) {
    with_site(&store).await;
    with_other_site(&store).await;
    let ban = |kind, value: &str, until| NewBan {
        site_id: site_id(),
        kind,
        value: value.into(),
        until,
        reason: Some("spam".into()),
        by: None,
        at: Timestamp(1),
    };
    let email = store
        .create_ban(ban(BanKind::Email, "bob@example.org", None))
        .await
        .unwrap();
    let address = store
        .create_ban(ban(BanKind::Address, "h1", Some(Timestamp(100))))
        .await
        .unwrap();
    let query = |email: Option<&str>, ip: Option<&str>, name: Option<&str>| BanQuery {
        email: email.map(Into::into),
        ip_hash: ip.map(Into::into),
        name: name.map(Into::into),
    };
    let found = store
        .ban_for(
            &site_id(),
            &query(Some("bob@example.org"), None, Some("bob")),
            Timestamp(5),
        )
        .await
        .unwrap();
    assert_eq!(found, Some(email.clone()));
    let by_address = store
        .ban_for(&site_id(), &query(None, Some("h1"), None), Timestamp(99))
        .await
        .unwrap();
    assert_eq!(by_address.as_ref().map(|b| b.id), Some(address.id));
    assert!(by_address.unwrap().active(Timestamp(99)));
    let expired = store
        .ban_for(&site_id(), &query(None, Some("h1"), None), Timestamp(100))
        .await
        .unwrap();
    assert_eq!(expired, None);
    // A value of one kind does not match a ban of another, nor another site.
    let wrong_kind = store
        .ban_for(
            &site_id(),
            &query(None, None, Some("bob@example.org")),
            Timestamp(5),
        )
        .await
        .unwrap();
    assert_eq!(wrong_kind, None);
    let elsewhere = store
        .ban_for(
            &SiteId::parse("other").unwrap(),
            &query(Some("bob@example.org"), None, None),
            Timestamp(5),
        )
        .await
        .unwrap();
    assert_eq!(elsewhere, None);

    assert_eq!(
        store.bans(&site_id()).await.unwrap(),
        vec![address.clone(), email.clone()]
    );
    let gone = store
        .lift_ban(
            &SiteId::parse("other").unwrap(),
            email.id,
            logged("unban", "ban:elsewhere"),
        )
        .await;
    assert!(matches!(gone, Err(StoreError::NotFound(_))), "{gone:?}");
    assert_eq!(
        store
            .lift_ban(&site_id(), email.id, logged("unban", "ban:email"))
            .await
            .unwrap(),
        email
    );
    assert_eq!(store.bans(&site_id()).await.unwrap(), vec![address]);
}

pub async fn the_audit_log_only_grows(store: Arc<dyn Store>) {
    with_site(&store).await;
    let alice = store
        .create_user(NewUser {
            email: None,
            name: UserName::parse("alice").unwrap(),
            password_hash: "x".into(),
            created_at: Timestamp(1),
        })
        .await
        .unwrap();
    let mut ids = Vec::new();
    for (i, action) in ["approve", "ban", "hold"].into_iter().enumerate() {
        let entry = store
            .append_audit(NewAudit {
                site_id: site_id(),
                user_id: (action != "hold").then_some(alice.id),
                action: action.into(),
                target: format!("comment:{i}"),
                reason: Some("because".into()),
                at: Timestamp(i as i64),
            })
            .await
            .unwrap();
        assert_eq!(entry.action, action);
        ids.push(entry.id);
    }
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    let log = store.audit(&site_id(), None, 10).await.unwrap();
    let actions: Vec<_> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["hold", "ban", "approve"]);
    assert_eq!(log[1].user_name.as_deref(), Some("alice"));
    assert_eq!(log[0].user_name, None);
    let older = store.audit(&site_id(), Some(log[1].id), 10).await.unwrap();
    assert_eq!(older.len(), 1);
    assert_eq!(older[0].target, "comment:0");
    let other = store
        .audit(&SiteId::parse("other").unwrap(), None, 10)
        .await
        .unwrap();
    assert!(other.is_empty());
}

pub async fn moderator_decisions_commit_with_their_audit_entries(store: Arc<dyn Store>) {
    with_site(&store).await;
    let id = post(&store, "/a", None, 1).await;
    store.report(report(id, "r1")).await.unwrap();
    let log = |store: Arc<dyn Store>| async move {
        let entries = store.audit(&site_id(), None, 50).await.unwrap();
        entries
            .into_iter()
            .map(|e| format!("{} {}", e.action, e.target))
            .collect::<Vec<_>>()
    };

    // The decision, the reports closed and the entry: all or nothing.
    let written = store
        .moderate_comment(
            &site_id(),
            id,
            CommentStatus::Rejected,
            logged("reject", &format!("comment:{id}")),
        )
        .await
        .unwrap();
    assert_eq!(written.comment.status, CommentStatus::Rejected);
    assert_eq!(written.thread.count, 0);
    let reported = store
        .queue(QueueQuery {
            site_id: site_id(),
            filter: QueueFilter::Reported,
            order: QueueOrder::Newest,
            offset: 0,
            limit: 10,
            by: None,
        })
        .await
        .unwrap();
    assert!(reported.is_empty(), "the reports are closed");
    assert_eq!(log(store.clone()).await, [format!("reject comment:{id}")]);

    // A decision that fails leaves no entry behind, nor does a failed hold
    // or a ban lifted that was not there.
    let missing = store
        .moderate_comment(
            &site_id(),
            rostra_core::CommentId(id.0 + 1_000),
            CommentStatus::Approved,
            logged("approve", "comment:missing"),
        )
        .await;
    assert!(
        matches!(missing, Err(StoreError::NotFound(_))),
        "{missing:?}"
    );
    let held = store
        .hold_comment(
            &site_id(),
            id,
            Reason {
                code: "reports".into(),
                detail: "1 report".into(),
                terms: vec![],
            },
            logged("hold", "comment:rejected"),
        )
        .await;
    assert!(matches!(held, Err(StoreError::Conflict(_))), "{held:?}");
    let lifted = store
        .lift_ban(&site_id(), 4_242, logged("unban", "ban:4242"))
        .await;
    assert!(matches!(lifted, Err(StoreError::NotFound(_))), "{lifted:?}");
    assert_eq!(log(store.clone()).await, [format!("reject comment:{id}")]);

    // A ban is logged by the same write that creates it.
    let ban = store
        .create_ban(NewBan {
            site_id: site_id(),
            kind: BanKind::Email,
            value: "troll@example.org".into(),
            until: None,
            reason: Some("spam".into()),
            by: None,
            at: Timestamp(40),
        })
        .await
        .unwrap();
    let entries = store.audit(&site_id(), None, 1).await.unwrap();
    assert_eq!(
        (
            entries[0].action.as_str(),
            entries[0].target.clone(),
            entries[0].reason.as_deref()
        ),
        ("ban", format!("ban:{}", ban.id), Some("spam"))
    );
}
