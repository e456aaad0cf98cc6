//! The mail side's rows for a copy between stores: dumped whole, restored
//! verbatim (the id sequences then move past them).

use super::*;
use rostra_store::MailRows;
use sqlx::PgPool;

/// Subscribers, subscriptions and webhooks (see `Store::dump_mail`).
pub async fn dump(pool: &PgPool, site: Option<&SiteId>) -> Result<MailRows> {
    let scope = site.map(SiteId::as_str);
    let subscribers = sqlx::query(&format!(
        "SELECT {SUBSCRIBER_COLS} FROM subscribers WHERE $1::text IS NULL OR site_id = $1 ORDER BY id"
    ))
    .bind(scope)
    .fetch_all(pool)
    .await
    ?;
    let subscriptions = sqlx::query(&format!(
        "SELECT {SUBSCRIPTION_COLS} FROM subscriptions WHERE $1::text IS NULL OR subscriber_id IN \
         (SELECT id FROM subscribers WHERE site_id = $1) ORDER BY id"
    ))
    .bind(scope)
    .fetch_all(pool)
    .await?;
    let webhooks = sqlx::query(&format!(
        "SELECT {WEBHOOK_COLS} FROM webhooks WHERE $1::text IS NULL OR site_id = $1 ORDER BY id"
    ))
    .bind(scope)
    .fetch_all(pool)
    .await?;
    Ok(MailRows {
        subscribers: subscribers.iter().map(subscriber).collect::<Result<_>>()?,
        subscriptions: subscriptions
            .iter()
            .map(subscription)
            .collect::<Result<_>>()?,
        webhooks: webhooks.iter().map(webhook).collect::<Result<_>>()?,
    })
}

/// Writes the mail side's rows verbatim, ids as given.
pub async fn restore(conn: &mut PgConnection, rows: &MailRows) -> Result<()> {
    for b in &rows.subscribers {
        sqlx::query(&format!(
            "INSERT INTO subscribers ({SUBSCRIBER_COLS}) OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        ))
        .bind(b.id)
        .bind(b.site_id.as_str())
        .bind(&b.email)
        .bind(&b.lang)
        .bind(b.created_at.0)
        .bind(b.confirmed_at.map(|t| t.0))
        .bind(b.confirm_sent_at.map(|t| t.0))
        .bind(i64::from(b.confirms_sent))
        .execute(&mut *conn)
        .await?;
    }
    for s in &rows.subscriptions {
        sqlx::query(&format!(
            "INSERT INTO subscriptions ({SUBSCRIPTION_COLS}) OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4, $5, $6, $7)"
        ))
        .bind(s.id)
        .bind(s.subscriber_id)
        .bind(s.url.as_str())
        .bind(s.title.as_deref())
        .bind(s.kind.as_str())
        .bind(s.cadence.as_str())
        .bind(s.created_at.0)
        .execute(&mut *conn)
        .await?;
    }
    for w in &rows.webhooks {
        sqlx::query(&format!(
            "INSERT INTO webhooks ({WEBHOOK_COLS}) OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4, $5, $6)"
        ))
        .bind(w.id)
        .bind(w.site_id.as_str())
        .bind(&w.url)
        .bind(&w.secret)
        .bind(events_text(&w.events))
        .bind(w.created_at.0)
        .execute(&mut *conn)
        .await?;
    }
    if !rows.subscribers.is_empty() {
        crate::restore::advance(conn, "subscribers").await?;
    }
    if !rows.subscriptions.is_empty() {
        crate::restore::advance(conn, "subscriptions").await?;
    }
    if !rows.webhooks.is_empty() {
        crate::restore::advance(conn, "webhooks").await?;
    }
    Ok(())
}
