//! What the posting policy asks of the past, in one statement: a ban in
//! force on the author, their approved comments, and recent identical
//! bodies. Each is a scalar subquery that is left out when not asked, and
//! each `?` is bound in the order it appears.

use crate::rows::backend;
use rostra_core::SiteId;
use rostra_store::{History, HistoryQuery, StoreResult};
use sqlx::{Row, SqlitePool};

pub async fn posting_history(
    pool: &SqlitePool,
    site: &SiteId,
    query: &HistoryQuery,
) -> StoreResult<History> {
    let ban = &query.ban;
    let ban_sql = if ban.is_empty() {
        "NULL"
    } else {
        "(SELECT id FROM bans WHERE site_id = ? AND (until IS NULL OR until > ?) AND \
         ((kind = 'email' AND value = ?) OR (kind = 'address' AND value = ?) OR \
         (kind = 'name' AND value = ?)) ORDER BY id LIMIT 1)"
    };
    let approved_sql = match &query.approved {
        None => "0".to_owned(),
        Some(author) => format!(
            "(SELECT COUNT(*) FROM (SELECT 1 FROM comments c JOIN threads t ON t.id = c.thread_id \
             WHERE c.{} = ? AND c.status = 'approved' AND t.site_id = ? LIMIT ?))",
            author.column().0
        ),
    };
    let duplicate_sql = if query.duplicate.is_some() {
        "EXISTS (SELECT 1 FROM comments c JOIN threads t ON t.id = c.thread_id \
         WHERE substr(c.body_markdown, 1, 64) = substr(?, 1, 64) AND c.body_markdown = ? \
         AND c.created_at >= ? AND t.site_id = ?)"
    } else {
        "0"
    };
    let sql = format!("SELECT {ban_sql}, {approved_sql}, {duplicate_sql}");
    let mut q = sqlx::query(&sql);
    if !ban.is_empty() {
        q = q
            .bind(site.as_str())
            .bind(query.now.0)
            .bind(ban.email.as_deref())
            .bind(ban.ip_hash.as_deref())
            .bind(ban.name.as_deref());
    }
    if let Some(author) = &query.approved {
        q = q
            .bind(author.column().1)
            .bind(site.as_str())
            .bind(i64::from(query.approved_up_to));
    }
    if let Some((body, since)) = &query.duplicate {
        q = q
            .bind(body.as_str())
            .bind(body.as_str())
            .bind(since.0)
            .bind(site.as_str());
    }
    let row = q.fetch_one(pool).await.map_err(backend)?;
    let ban_id: Option<i64> = row.try_get(0).map_err(backend)?;
    // A ban is rare: its whole row is read only when there is one.
    let ban = match ban_id {
        Some(_) => crate::moderation::ban_for(pool, site, ban, query.now).await?,
        None => None,
    };
    Ok(History {
        ban,
        approved: row.try_get(1).map_err(backend)?,
        duplicate: row.try_get(2).map_err(backend)?,
    })
}
