//! The moderator side's use cases on a real (SQLite) store: reports that
//! race past the threshold hold a comment once, authorization per site, and
//! the ban lookup the posting policy calls.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use rostra_core::{CommentStatus, Limits, ModAction, Role, SiteId, SiteSettings};
use rostra_service::{BanInput, PostInput, Service, ServiceError};
use rostra_store_sqlite::{SqliteOptions, SqliteStore};
use std::sync::Arc;

async fn service(dir: &tempfile::TempDir) -> Service {
    let store = SqliteStore::open(&dir.path().join("rostra.db"), &SqliteOptions::default())
        .await
        .unwrap();
    let service = Service::new(Arc::new(store), Limits::default())
        .await
        .unwrap();
    for id in ["demo", "other"] {
        service
            .sites()
            .create(
                SiteId::parse(id).unwrap(),
                id.into(),
                vec![],
                SiteSettings::default(),
            )
            .await
            .unwrap();
    }
    service
}

fn demo() -> SiteId {
    SiteId::parse("demo").unwrap()
}

async fn post(service: &Service, body: &str) -> rostra_core::CommentId {
    service
        .post_comment(
            &demo(),
            PostInput {
                url: "https://news.example/a".into(),
                title: None,
                parent: None,
                name: "Ann".into(),
                email: Some("Ann@Example.org".into()),
                website: None,
                body: body.into(),
                address: Some("192.0.2.9".into()),
                ..PostInput::default()
            },
        )
        .await
        .unwrap()
        .comment
        .id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_racing_past_the_threshold_hold_the_comment_once() {
    let dir = tempfile::tempdir().unwrap();
    let service = service(&dir).await;
    let id = post(&service, "contested").await;
    let reports = (0..8).map(|i| {
        let service = service.clone();
        tokio::spawn(async move {
            service
                .report_comment(
                    &demo(),
                    id,
                    Some(&format!("racing-reader-{i:04}-xxxx")),
                    None,
                    "abuse",
                    None,
                )
                .await
        })
    });
    let mut held = 0;
    let mut refused = 0;
    for r in futures::future::join_all(reports).await {
        match r.unwrap() {
            Ok(outcome) => held += usize::from(outcome.held),
            // Once held, the comment takes no more reports.
            Err(ServiceError::NotFound(_)) => refused += 1,
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(held, 1, "held once ({refused} refused after)");
    let comment = service.store().comment(&demo(), id).await.unwrap().unwrap();
    assert_eq!(comment.status, CommentStatus::Pending);
    let log = service.store().audit(&demo(), None, 50).await.unwrap();
    assert_eq!(log.iter().filter(|e| e.action == "hold").count(), 1);
}

#[tokio::test]
async fn moderators_act_only_on_their_sites() {
    let dir = tempfile::tempdir().unwrap();
    let service = service(&dir).await;
    let id = post(&service, "hello").await;
    let bob = service
        .add_user(
            "bob",
            Some("a long enough password"),
            None,
            &SiteId::parse("other").unwrap(),
            Role::Owner,
        )
        .await
        .unwrap();
    assert!(!bob.existed);
    let bob = service
        .login("bob", "a long enough password")
        .await
        .unwrap()
        .principal;
    let refused = service
        .moderate(&bob, &demo(), ModAction::Reject, &[id.0], None)
        .await;
    assert!(
        matches!(
            refused,
            Err(ServiceError::Forbidden {
                code: "not_a_moderator",
                ..
            })
        ),
        "{refused:?}"
    );
    let refused = service.list_bans(&bob, &demo()).await;
    assert!(matches!(refused, Err(ServiceError::Forbidden { .. })));
    // Made a moderator of demo too, he may.
    let again = service
        .add_user("bob", None, None, &demo(), Role::Moderator)
        .await
        .unwrap();
    assert!(again.existed && again.generated_password.is_none());
    let bob = service
        .login("bob", "a long enough password")
        .await
        .unwrap()
        .principal;
    let done = service
        .moderate(&bob, &demo(), ModAction::Reject, &[id.0, -3], Some("  "))
        .await
        .unwrap();
    assert_eq!(
        done,
        [
            (
                id.0,
                rostra_service::ActionOutcome::Done(CommentStatus::Rejected)
            ),
            (-3, rostra_service::ActionOutcome::NotFound),
        ]
    );
    let log = service.audit_log(&bob, &demo(), None, 10).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    // Newest first: the rejection, then the roles the operator gave.
    assert_eq!(actions[0], "reject", "{actions:?}");
    assert!(actions[1..].iter().all(|a| *a == "set_role"), "{actions:?}");
    assert_eq!(log[0].reason, None, "a blank reason is none");
    // Sessions end at logout.
    let session = service
        .login("bob", "a long enough password")
        .await
        .unwrap();
    service.authenticate(session.secret.as_str()).await.unwrap();
    service.logout(session.secret.as_str()).await.unwrap();
    assert!(matches!(
        service.authenticate(session.secret.as_str()).await,
        Err(ServiceError::Unauthenticated(_))
    ));
}

#[tokio::test]
async fn ban_for_matches_what_a_comment_carries() {
    let dir = tempfile::tempdir().unwrap();
    let service = service(&dir).await;
    service
        .add_user(
            "alice",
            Some("a long enough password"),
            None,
            &demo(),
            Role::Moderator,
        )
        .await
        .unwrap();
    let alice = service
        .login("alice", "a long enough password")
        .await
        .unwrap()
        .principal;
    assert!(service
        .ban_for(&demo(), None, None, None)
        .await
        .unwrap()
        .is_none());
    let ban = |kind: &str, value: &str| BanInput {
        kind: kind.into(),
        value: value.into(),
        duration_secs: None,
        reason: None,
    };
    // Posted before the bans: afterwards the policy refuses it.
    let id = post(&service, "from a banned address").await;
    // The address a comment was posted from, as the moderator types it.
    service
        .create_ban(&alice, &demo(), ban("address", "192.0.2.9"))
        .await
        .unwrap();
    service
        .create_ban(&alice, &demo(), ban("name", " TROLL "))
        .await
        .unwrap();
    let refused = service
        .post_comment(
            &demo(),
            PostInput {
                url: "https://news.example/a".into(),
                name: "Ann".into(),
                body: "again".into(),
                address: Some("192.0.2.9".into()),
                ..PostInput::default()
            },
        )
        .await;
    assert!(
        matches!(
            refused,
            Err(rostra_service::ServiceError::Forbidden { code: "banned", .. })
        ),
        "{refused:?}"
    );
    let rows = service.store().dump_comments(None, None, 10).await.unwrap();
    let row = rows.iter().find(|r| r.comment.id == id).unwrap();
    let by_address = service
        .ban_for(&demo(), None, row.ip_hash.as_deref(), Some("Ann"))
        .await
        .unwrap();
    assert!(by_address.is_some());
    let by_name = service
        .ban_for(&demo(), None, None, Some("troll"))
        .await
        .unwrap();
    assert!(by_name.is_some());
    let clean = service
        .ban_for(&demo(), Some("ann@example.org"), Some("0123"), Some("Ann"))
        .await
        .unwrap();
    assert!(clean.is_none());
}
