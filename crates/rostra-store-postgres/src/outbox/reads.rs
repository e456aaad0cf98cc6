//! The outbox side's reads, on the pool.

use super::*;
use rostra_store::outbox::{parse_digest_kind, DigestItem, OutboxTally};
use sqlx::PgPool;

pub async fn subscriber_by(
    pool: &PgPool,
    site: &SiteId,
    id: Option<i64>,
    email: Option<&str>,
) -> Result<Option<Subscriber>> {
    let row = sqlx::query(&format!(
        "SELECT {SUBSCRIBER_COLS} FROM subscribers WHERE site_id = $1 AND (id = $2 OR email = $3)"
    ))
    .bind(site.as_str())
    .bind(id)
    .bind(email.map(|e| e.trim().to_lowercase()))
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(subscriber).transpose()
}

pub async fn subscriptions(pool: &PgPool, subscriber_id: i64) -> Result<Vec<Subscription>> {
    let rows = sqlx::query(&format!(
        "SELECT {SUBSCRIPTION_COLS} FROM subscriptions WHERE subscriber_id = $1 ORDER BY id"
    ))
    .bind(subscriber_id)
    .fetch_all(pool)
    .await?;
    rows.iter().map(subscription).collect()
}

pub async fn page_subscribers(
    pool: &PgPool,
    site: &SiteId,
    url: &PageUrl,
) -> Result<Vec<(Subscriber, Subscription)>> {
    let rows = sqlx::query(
        "SELECT b.id, b.site_id, b.email, b.lang, b.created_at, b.confirmed_at, \
         b.confirm_sent_at, b.confirms_sent, s.id AS s_id, s.url, s.title, s.kind, s.cadence, \
         s.created_at AS s_created_at FROM subscriptions s JOIN subscribers b ON b.id = s.subscriber_id \
         WHERE s.url = $2 AND b.site_id = $1 AND b.confirmed_at IS NOT NULL ORDER BY s.id",
    )
    .bind(site.as_str())
    .bind(url.as_str())
    .fetch_all(pool)
    .await
    ?;
    rows.iter()
        .map(|row| {
            let who = subscriber(row)?;
            let kind: String = row.try_get("kind")?;
            let cadence: String = row.try_get("cadence")?;
            let s = Subscription {
                id: row.try_get("s_id")?,
                subscriber_id: who.id,
                url: PageUrl::from_canonical(row.try_get("url")?),
                title: row.try_get("title")?,
                kind: SubscriptionKind::parse(&kind, "kind").map_err(corrupt)?,
                cadence: Cadence::parse(&cadence, "cadence").map_err(corrupt)?,
                created_at: Timestamp(row.try_get("s_created_at")?),
            };
            Ok((who, s))
        })
        .collect()
}

pub async fn webhooks(pool: &PgPool, site: &SiteId) -> Result<Vec<Webhook>> {
    let rows = sqlx::query(&format!(
        "SELECT {WEBHOOK_COLS} FROM webhooks WHERE site_id = $1 ORDER BY id"
    ))
    .bind(site.as_str())
    .fetch_all(pool)
    .await?;
    rows.iter().map(webhook).collect()
}

pub async fn digest_items(
    pool: &PgPool,
    site: &SiteId,
    recipient: &str,
) -> Result<Vec<DigestItem>> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT id, kind, comment_id FROM digest_items WHERE site_id = $1 AND recipient = $2 \
         ORDER BY id",
    )
    .bind(site.as_str())
    .bind(recipient)
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|(id, kind, comment)| {
            Ok(DigestItem {
                id,
                kind: parse_digest_kind(&kind)
                    .ok_or_else(|| corrupt(format!("unknown digest kind {kind}")))?,
                comment_id: rostra_core::CommentId(comment),
            })
        })
        .collect()
}

pub async fn moderator_emails(pool: &PgPool, site: &SiteId) -> Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT DISTINCT u.email FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.site_id = $1 AND u.email IS NOT NULL ORDER BY u.email",
    )
    .bind(site.as_str())
    .fetch_all(pool)
    .await
    .map_err(Into::into)
}

pub async fn outbox_tally(pool: &PgPool, site: Option<&SiteId>) -> Result<OutboxTally> {
    let (pending, done, failed): (i64, i64, i64) = sqlx::query_as(
        "SELECT COUNT(*) FILTER (WHERE done_at IS NULL AND failed_at IS NULL), \
         COUNT(*) FILTER (WHERE done_at IS NOT NULL), COUNT(*) FILTER (WHERE failed_at IS NOT NULL) \
         FROM outbox WHERE $1::text IS NULL OR site_id = $1",
    )
    .bind(site.map(SiteId::as_str))
    .fetch_one(pool)
    .await
    ?;
    Ok(OutboxTally {
        pending: pending as u64,
        done: done as u64,
        failed: failed as u64,
    })
}

pub async fn subscription_by_id(pool: &PgPool, id: i64) -> Result<Option<Subscription>> {
    let row = sqlx::query(&format!(
        "SELECT {SUBSCRIPTION_COLS} FROM subscriptions WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(subscription).transpose()
}
