//! Subscriptions, webhooks and the outbox (writes, run by the writer task;
//! reads in `reads`). `events` enqueues a comment's event job inside the
//! comment's own write.

use crate::rows::backend;
use rostra_core::{Cadence, PageUrl, SiteId, SubscriptionKind, Timestamp};
use rostra_store::outbox::{
    events_text, parse_events, ConfirmRequest, Job, JobKind, NewJob, NewSubscription, NewWebhook,
    Settle, Subscriber, Subscription, Webhook,
};
use rostra_store::{StoreError, StoreResult};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

pub mod copy;
pub mod events;
mod reads;

pub use reads::*;

/// An outbox write for the writer task.
pub enum MailOp {
    Subscribe(NewSubscription),
    RequestConfirmation(ConfirmRequest),
    Confirm(SiteId, i64, Timestamp),
    Unsubscribe(i64, Option<i64>),
    CreateWebhook(NewWebhook),
    DeleteWebhook(SiteId, i64),
    Enqueue(Vec<NewJob>),
    Claim(String, Timestamp, Timestamp, u32),
    Settle(i64, String, Timestamp, Settle),
}

/// What an outbox write produced.
pub enum MailDone {
    Subscribed(Box<(Subscriber, Subscription)>),
    Subscriber(Subscriber),
    Webhook(Webhook),
    Jobs(Vec<Job>),
    Count(u64),
    Flag(bool),
}

pub(crate) const SUBSCRIBER_COLS: &str =
    "id, site_id, email, lang, created_at, confirmed_at, confirm_sent_at, confirms_sent";
pub(crate) const SUBSCRIPTION_COLS: &str =
    "id, subscriber_id, url, title, kind, cadence, created_at";
pub(crate) const WEBHOOK_COLS: &str = "id, site_id, url, secret, events, created_at";
const JOB_COLS: &str = "id, site_id, kind, key, payload, created_at, attempts";

pub(crate) fn subscriber(row: &SqliteRow) -> StoreResult<Subscriber> {
    let site: String = row.try_get("site_id").map_err(backend)?;
    Ok(Subscriber {
        id: row.try_get("id").map_err(backend)?,
        site_id: SiteId::parse(&site).map_err(backend)?,
        email: row.try_get("email").map_err(backend)?,
        lang: row.try_get("lang").map_err(backend)?,
        created_at: Timestamp(row.try_get("created_at").map_err(backend)?),
        confirmed_at: row
            .try_get::<Option<i64>, _>("confirmed_at")
            .map_err(backend)?
            .map(Timestamp),
        confirm_sent_at: row
            .try_get::<Option<i64>, _>("confirm_sent_at")
            .map_err(backend)?
            .map(Timestamp),
        confirms_sent: row.try_get::<i64, _>("confirms_sent").map_err(backend)? as u32,
    })
}

pub(crate) fn subscription(row: &SqliteRow) -> StoreResult<Subscription> {
    let kind: String = row.try_get("kind").map_err(backend)?;
    let cadence: String = row.try_get("cadence").map_err(backend)?;
    Ok(Subscription {
        id: row.try_get("id").map_err(backend)?,
        subscriber_id: row.try_get("subscriber_id").map_err(backend)?,
        url: PageUrl::from_canonical(row.try_get("url").map_err(backend)?),
        title: row.try_get("title").map_err(backend)?,
        kind: SubscriptionKind::parse(&kind, "kind").map_err(backend)?,
        cadence: Cadence::parse(&cadence, "cadence").map_err(backend)?,
        created_at: Timestamp(row.try_get("created_at").map_err(backend)?),
    })
}

pub(crate) fn webhook(row: &SqliteRow) -> StoreResult<Webhook> {
    let site: String = row.try_get("site_id").map_err(backend)?;
    let events: String = row.try_get("events").map_err(backend)?;
    Ok(Webhook {
        id: row.try_get("id").map_err(backend)?,
        site_id: SiteId::parse(&site).map_err(backend)?,
        url: row.try_get("url").map_err(backend)?,
        secret: row.try_get("secret").map_err(backend)?,
        events: parse_events(&events),
        created_at: Timestamp(row.try_get("created_at").map_err(backend)?),
    })
}

fn job(row: &SqliteRow) -> StoreResult<Job> {
    let site: String = row.try_get("site_id").map_err(backend)?;
    let kind: String = row.try_get("kind").map_err(backend)?;
    Ok(Job {
        id: row.try_get("id").map_err(backend)?,
        site_id: SiteId::parse(&site).map_err(backend)?,
        kind: JobKind::parse(&kind)
            .ok_or_else(|| StoreError::Backend(format!("unknown job kind {kind}")))?,
        key: row.try_get("key").map_err(backend)?,
        payload: row.try_get("payload").map_err(backend)?,
        created_at: Timestamp(row.try_get("created_at").map_err(backend)?),
        attempts: row.try_get::<i64, _>("attempts").map_err(backend)? as u32,
    })
}

pub async fn apply(conn: &mut SqliteConnection, op: MailOp) -> StoreResult<MailDone> {
    Ok(match op {
        MailOp::Subscribe(s) => MailDone::Subscribed(Box::new(subscribe(conn, s).await?)),
        MailOp::RequestConfirmation(r) => MailDone::Flag(request_confirmation(conn, r).await?),
        MailOp::Confirm(site, id, at) => MailDone::Subscriber(confirm(conn, &site, id, at).await?),
        MailOp::Unsubscribe(subscriber, one) => {
            MailDone::Count(unsubscribe(conn, subscriber, one).await?)
        }
        MailOp::CreateWebhook(w) => MailDone::Webhook(create_webhook(conn, w).await?),
        MailOp::DeleteWebhook(site, id) => {
            let n = sqlx::query("DELETE FROM webhooks WHERE site_id = ?1 AND id = ?2")
                .bind(site.as_str())
                .bind(id)
                .execute(&mut *conn)
                .await
                .map_err(backend)?
                .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound("webhook"));
            }
            MailDone::Count(n)
        }
        MailOp::Enqueue(jobs) => MailDone::Count(enqueue(conn, &jobs).await?),
        MailOp::Claim(worker, now, until, limit) => {
            MailDone::Jobs(claim(conn, &worker, now, until, limit).await?)
        }
        MailOp::Settle(id, worker, now, how) => {
            MailDone::Flag(settle(conn, id, &worker, now, how).await?)
        }
    })
}

async fn subscribe(
    conn: &mut SqliteConnection,
    s: NewSubscription,
) -> StoreResult<(Subscriber, Subscription)> {
    let email = s.email.trim().to_lowercase();
    sqlx::query(
        "INSERT INTO subscribers (site_id, email, lang, created_at) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (site_id, email) DO UPDATE SET lang = excluded.lang",
    )
    .bind(s.site_id.as_str())
    .bind(&email)
    .bind(&s.lang)
    .bind(s.at.0)
    .execute(&mut *conn)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(d) if d.is_foreign_key_violation() => StoreError::NotFound("site"),
        _ => backend(e),
    })?;
    let row = sqlx::query(&format!(
        "SELECT {SUBSCRIBER_COLS} FROM subscribers WHERE site_id = ?1 AND email = ?2"
    ))
    .bind(s.site_id.as_str())
    .bind(&email)
    .fetch_one(&mut *conn)
    .await
    .map_err(backend)?;
    let who = subscriber(&row)?;
    let row = sqlx::query(&format!(
        "INSERT INTO subscriptions (subscriber_id, url, title, kind, cadence, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (subscriber_id, url, kind) \
         DO UPDATE SET cadence = excluded.cadence RETURNING {SUBSCRIPTION_COLS}"
    ))
    .bind(who.id)
    .bind(s.url.as_str())
    .bind(s.title.as_deref())
    .bind(s.kind.as_str())
    .bind(s.cadence.as_str())
    .bind(s.at.0)
    .fetch_one(&mut *conn)
    .await
    .map_err(backend)?;
    Ok((who, subscription(&row)?))
}

async fn request_confirmation(conn: &mut SqliteConnection, r: ConfirmRequest) -> StoreResult<bool> {
    let sent = sqlx::query(
        "UPDATE subscribers SET confirm_sent_at = ?2, confirms_sent = confirms_sent + 1 \
         WHERE id = ?1 AND confirmed_at IS NULL AND confirms_sent < ?4 \
         AND (confirm_sent_at IS NULL OR confirm_sent_at <= ?2 - ?3)",
    )
    .bind(r.subscriber_id)
    .bind(r.at.0)
    .bind(r.min_gap_ms)
    .bind(i64::from(r.max_unanswered))
    .execute(&mut *conn)
    .await
    .map_err(backend)?
    .rows_affected()
        == 1;
    if sent {
        enqueue(conn, std::slice::from_ref(&r.job)).await?;
    }
    Ok(sent)
}

async fn confirm(
    conn: &mut SqliteConnection,
    site: &SiteId,
    id: i64,
    at: Timestamp,
) -> StoreResult<Subscriber> {
    let row = sqlx::query(&format!(
        "UPDATE subscribers SET confirmed_at = COALESCE(confirmed_at, ?3), confirms_sent = 0 \
         WHERE site_id = ?1 AND id = ?2 RETURNING {SUBSCRIBER_COLS}"
    ))
    .bind(site.as_str())
    .bind(id)
    .bind(at.0)
    .fetch_optional(&mut *conn)
    .await
    .map_err(backend)?;
    row.as_ref()
        .map(subscriber)
        .transpose()?
        .ok_or(StoreError::NotFound("subscriber"))
}

async fn unsubscribe(
    conn: &mut SqliteConnection,
    subscriber: i64,
    one: Option<i64>,
) -> StoreResult<u64> {
    let done = match one {
        Some(id) => {
            sqlx::query("DELETE FROM subscriptions WHERE subscriber_id = ?1 AND id = ?2")
                .bind(subscriber)
                .bind(id)
                .execute(&mut *conn)
                .await
        }
        None => {
            sqlx::query("DELETE FROM subscriptions WHERE subscriber_id = ?1")
                .bind(subscriber)
                .execute(&mut *conn)
                .await
        }
    };
    Ok(done.map_err(backend)?.rows_affected())
}

async fn create_webhook(conn: &mut SqliteConnection, w: NewWebhook) -> StoreResult<Webhook> {
    let row = sqlx::query(&format!(
        "INSERT INTO webhooks (site_id, url, secret, events, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5) RETURNING {WEBHOOK_COLS}"
    ))
    .bind(w.site_id.as_str())
    .bind(&w.url)
    .bind(&w.secret)
    .bind(events_text(&w.events))
    .bind(w.at.0)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(d) if d.is_foreign_key_violation() => StoreError::NotFound("site"),
        _ => backend(e),
    })?;
    webhook(&row)
}

pub(crate) async fn enqueue(conn: &mut SqliteConnection, jobs: &[NewJob]) -> StoreResult<u64> {
    let mut n = 0;
    for j in jobs {
        n += sqlx::query(
            "INSERT INTO outbox (site_id, kind, key, payload, created_at, run_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (key) DO NOTHING",
        )
        .bind(j.site_id.as_str())
        .bind(j.kind.as_str())
        .bind(&j.key)
        .bind(&j.payload)
        .bind(j.run_at.0)
        .execute(&mut *conn)
        .await
        .map_err(backend)?
        .rows_affected();
    }
    Ok(n)
}

async fn claim(
    conn: &mut SqliteConnection,
    worker: &str,
    now: Timestamp,
    until: Timestamp,
    limit: u32,
) -> StoreResult<Vec<Job>> {
    let rows = sqlx::query(&format!(
        "UPDATE outbox SET leased_by = ?1, leased_until = ?3, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM outbox WHERE done_at IS NULL AND failed_at IS NULL \
         AND run_at <= ?2 AND (leased_until IS NULL OR leased_until < ?2) \
         ORDER BY run_at, id LIMIT ?4) RETURNING {JOB_COLS}"
    ))
    .bind(worker)
    .bind(now.0)
    .bind(until.0)
    .bind(i64::from(limit))
    .fetch_all(&mut *conn)
    .await
    .map_err(backend)?;
    let mut jobs = rows.iter().map(job).collect::<StoreResult<Vec<_>>>()?;
    jobs.sort_by_key(|j| j.id);
    Ok(jobs)
}

async fn settle(
    conn: &mut SqliteConnection,
    id: i64,
    worker: &str,
    now: Timestamp,
    how: Settle,
) -> StoreResult<bool> {
    let (sql, at, error) = match &how {
        Settle::Done { .. } => (
            "UPDATE outbox SET done_at = ?3, leased_until = NULL, last_error = NULL",
            now,
            None,
        ),
        Settle::Retry { at, error } => (
            "UPDATE outbox SET run_at = ?3, leased_until = NULL, last_error = ?4",
            *at,
            Some(error.as_str()),
        ),
        Settle::Failed { error } => (
            "UPDATE outbox SET failed_at = ?3, leased_until = NULL, last_error = ?4",
            now,
            Some(error.as_str()),
        ),
    };
    let owned = sqlx::query(&format!(
        "{sql} WHERE id = ?1 AND leased_by = ?2 AND done_at IS NULL AND failed_at IS NULL"
    ))
    .bind(id)
    .bind(worker)
    .bind(at.0)
    .bind(error)
    .execute(&mut *conn)
    .await
    .map_err(backend)?
    .rows_affected()
        == 1;
    if let (
        true,
        Settle::Done {
            then,
            digest,
            mailed,
        },
    ) = (owned, how)
    {
        enqueue(conn, &then).await?;
        for d in digest {
            sqlx::query(
                "INSERT INTO digest_items (site_id, recipient, kind, comment_id, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
            )
            .bind(d.site_id.as_str())
            .bind(&d.recipient)
            .bind(d.kind.as_str())
            .bind(d.comment_id.0)
            .bind(d.at.0)
            .execute(&mut *conn)
            .await
            .map_err(backend)?;
        }
        if let Some((recipient, last)) = mailed {
            sqlx::query(
                "DELETE FROM digest_items WHERE recipient = ?1 AND id <= ?2 \
                 AND site_id = (SELECT site_id FROM outbox WHERE id = ?3)",
            )
            .bind(recipient)
            .bind(last)
            .bind(id)
            .execute(&mut *conn)
            .await
            .map_err(backend)?;
        }
    }
    Ok(owned)
}
