//! What the spam controls ask about the past: an author's approved comments
//! and recent identical bodies.

use crate::error::Result;
use rostra_core::{SiteId, Timestamp};
use sqlx::PgPool;

/// Approved comments on `site` by e-mail when given, else by address hash
/// (counted up to 100).
pub async fn approved_by(
    pool: &PgPool,
    site: &SiteId,
    email: Option<&str>,
    ip_hash: Option<&str>,
) -> Result<i64> {
    let (column, value) = match (email, ip_hash) {
        (Some(e), _) => ("author_email", e),
        (None, Some(h)) => ("ip_hash", h),
        (None, None) => return Ok(0),
    };
    sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM (SELECT 1 FROM comments c JOIN threads t ON t.id = c.thread_id \
         WHERE c.{column} = $1 AND c.status = 'approved' AND t.site_id = $2 LIMIT 100) AS recent"
    ))
    .bind(value)
    .bind(site.as_str())
    .fetch_one(pool)
    .await
    .map_err(Into::into)
}

/// Whether `body` was posted on `site` at or after `since`.
pub async fn posted_since(
    pool: &PgPool,
    site: &SiteId,
    body: &str,
    since: Timestamp,
) -> Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM comments c JOIN threads t ON t.id = c.thread_id \
         WHERE substr(c.body_markdown, 1, 64) = substr($1, 1, 64) AND c.body_markdown = $1 \
         AND c.created_at >= $2 AND t.site_id = $3)",
    )
    .bind(body)
    .bind(since.0)
    .bind(site.as_str())
    .fetch_one(pool)
    .await
    .map_err(Into::into)
}
