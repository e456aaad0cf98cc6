//! The outbox side's reads, on the pool.

use super::*;
use rostra_store::outbox::{parse_digest_kind, DigestItem, OutboxTally};
use sqlx::SqlitePool;

pub async fn subscriber_by(
    pool: &SqlitePool,
    site: &SiteId,
    id: Option<i64>,
    email: Option<&str>,
) -> StoreResult<Option<Subscriber>> {
    let row = sqlx::query(&format!(
        "SELECT {SUBSCRIBER_COLS} FROM subscribers WHERE site_id = ?1 AND (id = ?2 OR email = ?3)"
    ))
    .bind(site.as_str())
    .bind(id)
    .bind(email.map(|e| e.trim().to_lowercase()))
    .fetch_optional(pool)
    .await
    .map_err(backend)?;
    row.as_ref().map(subscriber).transpose()
}

pub async fn subscriptions(
    pool: &SqlitePool,
    subscriber_id: i64,
) -> StoreResult<Vec<Subscription>> {
    let rows = sqlx::query(&format!(
        "SELECT {SUBSCRIPTION_COLS} FROM subscriptions WHERE subscriber_id = ?1 ORDER BY id"
    ))
    .bind(subscriber_id)
    .fetch_all(pool)
    .await
    .map_err(backend)?;
    rows.iter().map(subscription).collect()
}

pub async fn page_subscribers(
    pool: &SqlitePool,
    site: &SiteId,
    url: &PageUrl,
) -> StoreResult<Vec<(Subscriber, Subscription)>> {
    let rows = sqlx::query(
        "SELECT b.id, b.site_id, b.email, b.lang, b.created_at, b.confirmed_at, \
         b.confirm_sent_at, b.confirms_sent, s.id AS s_id, s.url, s.title, s.kind, s.cadence, \
         s.created_at AS s_created_at FROM subscriptions s JOIN subscribers b ON b.id = s.subscriber_id \
         WHERE s.url = ?2 AND b.site_id = ?1 AND b.confirmed_at IS NOT NULL ORDER BY s.id",
    )
    .bind(site.as_str())
    .bind(url.as_str())
    .fetch_all(pool)
    .await
    .map_err(backend)?;
    rows.iter()
        .map(|row| {
            let who = subscriber(row)?;
            let kind: String = row.try_get("kind").map_err(backend)?;
            let cadence: String = row.try_get("cadence").map_err(backend)?;
            let s = Subscription {
                id: row.try_get("s_id").map_err(backend)?,
                subscriber_id: who.id,
                url: PageUrl::from_canonical(row.try_get("url").map_err(backend)?),
                title: row.try_get("title").map_err(backend)?,
                kind: SubscriptionKind::parse(&kind, "kind").map_err(backend)?,
                cadence: Cadence::parse(&cadence, "cadence").map_err(backend)?,
                created_at: Timestamp(row.try_get("s_created_at").map_err(backend)?),
            };
            Ok((who, s))
        })
        .collect()
}

pub async fn webhooks(pool: &SqlitePool, site: &SiteId) -> StoreResult<Vec<Webhook>> {
    let rows = sqlx::query(&format!(
        "SELECT {WEBHOOK_COLS} FROM webhooks WHERE site_id = ?1 ORDER BY id"
    ))
    .bind(site.as_str())
    .fetch_all(pool)
    .await
    .map_err(backend)?;
    rows.iter().map(webhook).collect()
}

pub async fn digest_items(
    pool: &SqlitePool,
    site: &SiteId,
    recipient: &str,
) -> StoreResult<Vec<DigestItem>> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT id, kind, comment_id FROM digest_items WHERE site_id = ?1 AND recipient = ?2 \
         ORDER BY id",
    )
    .bind(site.as_str())
    .bind(recipient)
    .fetch_all(pool)
    .await
    .map_err(backend)?;
    rows.into_iter()
        .map(|(id, kind, comment)| {
            Ok(DigestItem {
                id,
                kind: parse_digest_kind(&kind)
                    .ok_or_else(|| StoreError::Backend(format!("unknown digest kind {kind}")))?,
                comment_id: rostra_core::CommentId(comment),
            })
        })
        .collect()
}

pub async fn moderator_emails(pool: &SqlitePool, site: &SiteId) -> StoreResult<Vec<String>> {
    sqlx::query_scalar(
        "SELECT DISTINCT u.email FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.site_id = ?1 AND u.email IS NOT NULL ORDER BY u.email",
    )
    .bind(site.as_str())
    .fetch_all(pool)
    .await
    .map_err(backend)
}

pub async fn outbox_tally(pool: &SqlitePool, site: Option<&SiteId>) -> StoreResult<OutboxTally> {
    let (pending, done, failed): (i64, i64, i64) = sqlx::query_as(
        "SELECT COALESCE(SUM(done_at IS NULL AND failed_at IS NULL), 0), \
         COALESCE(SUM(done_at IS NOT NULL), 0), COALESCE(SUM(failed_at IS NOT NULL), 0) \
         FROM outbox WHERE ?1 IS NULL OR site_id = ?1",
    )
    .bind(site.map(SiteId::as_str))
    .fetch_one(pool)
    .await
    .map_err(backend)?;
    Ok(OutboxTally {
        pending: pending as u64,
        done: done as u64,
        failed: failed as u64,
    })
}

pub async fn subscription_by_id(pool: &SqlitePool, id: i64) -> StoreResult<Option<Subscription>> {
    let row = sqlx::query(&format!(
        "SELECT {SUBSCRIPTION_COLS} FROM subscriptions WHERE id = ?1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await
    .map_err(backend)?;
    row.as_ref().map(subscription).transpose()
}
