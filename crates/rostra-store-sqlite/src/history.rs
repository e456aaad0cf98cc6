//! What the posting policy asks of the past, in one statement: a ban in
//! force on the author, their approved comments, and recent identical
//! bodies. Each is a scalar subquery that is left out when not asked, and
//! each `?` is bound in the order it appears.

use crate::moderation::BAN_MATCH;
use crate::rows::backend;
use rostra_core::SiteId;
use rostra_store::{History, HistoryQuery, StoreResult};
use sqlx::{Row, SqlitePool};

/// A ban in force on the author.
fn ban_sql() -> String {
    format!("(SELECT id FROM bans WHERE {BAN_MATCH} ORDER BY id LIMIT 1)")
}

/// The author's approved comments, by `column`, counted up to a limit.
fn approved_sql(column: &str) -> String {
    format!(
        "(SELECT COUNT(*) FROM (SELECT 1 FROM comments c JOIN threads t ON t.id = c.thread_id \
         WHERE c.{column} = ? AND c.status = 'approved' AND t.site_id = ? LIMIT ?))"
    )
}

/// The same body posted since a time. Found through `comments_body_ends`
/// (both ends and the length), then compared whole. The whole comparison is
/// written `+c.body_markdown`: given a plain `c.body_markdown = ?`, SQLite
/// 3.40 puts the bound body in place of the column in the other terms,
/// which then no longer match the index, and reads every comment (the
/// bundled 3.46 does not; a build on the system's SQLite might).
const DUPLICATE_SQL: &str =
    "EXISTS (SELECT 1 FROM comments c JOIN threads t ON t.id = c.thread_id \
     WHERE substr(c.body_markdown, 1, 32) = substr(?, 1, 32) \
     AND substr(c.body_markdown, -32) = substr(?, -32) \
     AND length(c.body_markdown) = length(?) AND +c.body_markdown = ? \
     AND c.created_at >= ? AND t.site_id = ?)";

pub async fn posting_history(
    pool: &SqlitePool,
    site: &SiteId,
    query: &HistoryQuery,
) -> StoreResult<History> {
    let ban = &query.ban;
    let ban_sql = if ban.is_empty() {
        "NULL".to_owned()
    } else {
        ban_sql()
    };
    let approved_sql = match &query.approved {
        None => "0".to_owned(),
        Some(author) => approved_sql(author.column().0),
    };
    let duplicate_sql = if query.duplicate.is_some() {
        DUPLICATE_SQL
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Each question is answered through its index, never by reading
    /// every comment: a POST waits for it.
    #[tokio::test]
    async fn every_part_is_looked_up_by_an_index() {
        let (_dir, store) = crate::scratch_store().await;
        let plan = |sql: String| {
            let pool = store.readers.clone();
            async move {
                crate::query_plan(&pool, &format!("SELECT {sql}"))
                    .await
                    .join("; ")
            }
        };
        let ban = plan(ban_sql()).await;
        assert!(ban.contains("INDEX bans_lookup"), "{ban}");
        for (column, index) in [
            ("author_email", "comments_author_email"),
            ("ip_hash", "comments_ip_hash"),
        ] {
            let approved = plan(approved_sql(column)).await;
            assert!(approved.contains(&format!("INDEX {index}")), "{approved}");
            assert!(!approved.contains("SCAN c"), "{approved}");
        }
        let duplicate = plan(DUPLICATE_SQL.to_owned()).await;
        assert!(
            duplicate.contains("INDEX comments_body_ends"),
            "{duplicate}"
        );
        assert!(!duplicate.contains("SCAN c"), "{duplicate}");
    }
}
