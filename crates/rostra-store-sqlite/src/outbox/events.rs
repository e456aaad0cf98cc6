//! A comment's event job, enqueued inside the write that causes it, and only
//! when someone could hear of it: a webhook of the site, and a confirmed
//! subscriber of the page (for a public comment) or a moderator with an
//! address (for a held one).

use crate::rows::backend;
use rostra_core::{CommentStatus, SiteId};
use rostra_store::outbox::{event_job_key, event_payload, CommentEvent};
use rostra_store::{StoreResult, Written};
use sqlx::SqliteConnection;

/// After a comment's status changed from `from`.
pub async fn on_change(
    conn: &mut SqliteConnection,
    site: &SiteId,
    w: &Written,
    from: CommentStatus,
) -> StoreResult<()> {
    match CommentEvent::of_change(from, w.comment.status) {
        Some(event) => enqueue(conn, site, w, event).await,
        None => Ok(()),
    }
}

/// A comment's event job: site, key, payload, time, page URL, whether it
/// is held; written only when a webhook, a subscriber or a moderator could
/// hear of it. New comments enqueue theirs in `direct`.
pub(crate) const EVENT_SQL: &str = "INSERT INTO outbox (site_id, kind, key, payload, created_at, run_at) \
     SELECT ?1, 'event', ?2, ?3, ?4, ?4 WHERE \
     EXISTS (SELECT 1 FROM webhooks WHERE site_id = ?1) \
     OR (NOT ?6 AND EXISTS (SELECT 1 FROM subscriptions s JOIN subscribers b ON b.id = s.subscriber_id \
                WHERE s.url = ?5 AND b.site_id = ?1 AND b.confirmed_at IS NOT NULL)) \
     OR (?6 AND EXISTS (SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id \
                WHERE m.site_id = ?1 AND u.email IS NOT NULL)) \
     ON CONFLICT (key) DO NOTHING";

async fn enqueue(
    conn: &mut SqliteConnection,
    site: &SiteId,
    w: &Written,
    event: CommentEvent,
) -> StoreResult<()> {
    let held = event == CommentEvent::Held;
    sqlx::query(EVENT_SQL)
        .bind(site.as_str())
        .bind(event_job_key(w.comment.id, event))
        .bind(event_payload(w.comment.id, event))
        .bind(rostra_core::Timestamp::now().0)
        .bind(w.thread.url.as_str())
        .bind(held)
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
    Ok(())
}
