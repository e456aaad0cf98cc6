//! What the posting policy asks of the past, in one statement: a ban in
//! force on the author, their approved comments, and recent identical
//! bodies. A part not asked is bound to NULL, which no row matches.

use crate::error::Result;
use crate::moderation::BAN_MATCH;
use rostra_core::SiteId;
use rostra_store::{History, HistoryQuery};
use sqlx::{PgPool, Row};

pub async fn posting_history(
    pool: &PgPool,
    site: &SiteId,
    query: &HistoryQuery,
) -> Result<History> {
    let (column, author) = match &query.approved {
        Some(a) => (a.column().0, Some(a.column().1)),
        None => ("author_email", None),
    };
    let (body, since) = match &query.duplicate {
        Some((b, t)) => (Some(b.as_str()), t.0),
        None => (None, 0),
    };
    let ban = &query.ban;
    let row = sqlx::query(&format!(
        "SELECT \
         (SELECT id FROM bans WHERE {BAN_MATCH} ORDER BY id LIMIT 1), \
         (SELECT COUNT(*) FROM (SELECT 1 FROM comments c JOIN threads t ON t.id = c.thread_id \
          WHERE c.{column} = $6 AND c.status = 'approved' AND t.site_id = $1 LIMIT $9) AS recent), \
         EXISTS (SELECT 1 FROM comments c JOIN threads t ON t.id = c.thread_id \
          WHERE substr(c.body_markdown, 1, 32) = substr($7, 1, 32) \
          AND right(c.body_markdown, 32) = right($7, 32) \
          AND length(c.body_markdown) = length($7) AND c.body_markdown = $7 \
          AND c.created_at >= $8 AND t.site_id = $1)"
    ))
    .bind(site.as_str())
    .bind(query.now.0)
    .bind(ban.email.as_deref())
    .bind(ban.ip_hash.as_deref())
    .bind(ban.name.as_deref())
    .bind(author)
    .bind(body)
    .bind(since)
    .bind(i64::from(query.approved_up_to))
    .fetch_one(pool)
    .await?;
    let ban_id: Option<i64> = row.try_get(0)?;
    // A ban is rare: its whole row is read only when there is one.
    let ban = match ban_id {
        Some(_) => crate::moderation::ban_for(pool, site, ban, query.now).await?,
        None => None,
    };
    Ok(History {
        ban,
        approved: row.try_get(1)?,
        duplicate: row.try_get(2)?,
    })
}
