//! Keyset-paged dumps of whole tables, for copies and exports: each page one
//! statement on a pooled connection, a range scan of a primary key.

use crate::error::{corrupt, Result};
use crate::rows::{self, COMMENT_COLS, THREAD_COLS};
use rostra_core::{CommentId, SiteId, ThreadId, Timestamp, VoteValue, VoterKey};
use rostra_store::dump::sort_votes;
use rostra_store::{CommentRow, Secret, Tally, Thread, VoteRow};
use sqlx::{PgConnection, PgPool, Row};

/// Every table counted, in one statement.
const TALLY_ALL: &str = "SELECT (SELECT COUNT(*) FROM sites), (SELECT COUNT(*) FROM threads), \
     (SELECT COUNT(*) FROM comments), (SELECT COUNT(*) FROM votes)";

/// One site's rows counted, in one statement.
const TALLY_SITE: &str = "SELECT (SELECT COUNT(*) FROM sites WHERE id = $1), \
     (SELECT COUNT(*) FROM threads WHERE site_id = $1), \
     (SELECT COUNT(*) FROM comments c JOIN threads t ON t.id = c.thread_id WHERE t.site_id = $1), \
     (SELECT COUNT(*) FROM votes v JOIN comments c ON c.id = v.comment_id \
      JOIN threads t ON t.id = c.thread_id WHERE t.site_id = $1)";

fn tally_of((sites, threads, comments, votes): (i64, i64, i64, i64)) -> Tally {
    let n = |v: i64| u64::try_from(v).unwrap_or(0);
    Tally {
        sites: n(sites),
        threads: n(threads),
        comments: n(comments),
        votes: n(votes),
    }
}

/// How many rows the store, or one site, holds.
pub async fn tally(pool: &PgPool, site: Option<&SiteId>) -> Result<Tally> {
    let found = match site {
        None => sqlx::query_as(TALLY_ALL).fetch_one(pool).await?,
        Some(site) => {
            sqlx::query_as(TALLY_SITE)
                .bind(site.as_str())
                .fetch_one(pool)
                .await?
        }
    };
    Ok(tally_of(found))
}

/// The whole store counted, inside a transaction.
pub async fn tally_on(conn: &mut PgConnection) -> Result<Tally> {
    Ok(tally_of(sqlx::query_as(TALLY_ALL).fetch_one(conn).await?))
}

/// The installation's secrets, by name (compared byte by byte).
pub async fn secrets(pool: &PgPool) -> Result<Vec<Secret>> {
    let found: Vec<(String, Vec<u8>)> =
        sqlx::query_as("SELECT name, value FROM meta ORDER BY name COLLATE \"C\"")
            .fetch_all(pool)
            .await?;
    Ok(found
        .into_iter()
        .map(|(name, value)| Secret { name, value })
        .collect())
}

/// A page of threads by id.
pub async fn threads(
    pool: &PgPool,
    site: Option<&SiteId>,
    after: Option<ThreadId>,
    limit: u32,
) -> Result<Vec<Thread>> {
    let scope = if site.is_some() {
        "AND site_id = $3"
    } else {
        ""
    };
    let sql =
        format!("SELECT {THREAD_COLS} FROM threads WHERE id > $1 {scope} ORDER BY id LIMIT $2");
    let mut q = sqlx::query(&sql)
        .bind(after.map_or(0, |t| t.0))
        .bind(i64::from(limit));
    if let Some(site) = site {
        q = q.bind(site.as_str());
    }
    q.fetch_all(pool).await?.iter().map(rows::thread).collect()
}

/// A page of comments by id, with every column.
pub async fn comments(
    pool: &PgPool,
    site: Option<&SiteId>,
    after: Option<CommentId>,
    limit: u32,
) -> Result<Vec<CommentRow>> {
    // Scans comments by id and looks each one's thread up: a page costs its
    // rows, whatever the number of threads of the site.
    let (join, scope) = match site {
        Some(_) => (
            "JOIN threads t ON t.id = comments.thread_id",
            "AND t.site_id = $3",
        ),
        None => ("", ""),
    };
    let cols = COMMENT_COLS
        .split(", ")
        .map(|c| format!("comments.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT {cols}, comments.ip_hash FROM comments {join} WHERE comments.id > $1 {scope} \
         ORDER BY comments.id LIMIT $2"
    );
    let mut q = sqlx::query(&sql)
        .bind(after.map_or(0, |c| c.0))
        .bind(i64::from(limit));
    if let Some(site) = site {
        q = q.bind(site.as_str());
    }
    q.fetch_all(pool)
        .await?
        .iter()
        .map(|row| {
            Ok(CommentRow {
                comment: rows::comment(row)?,
                ip_hash: row.try_get("ip_hash")?,
            })
        })
        .collect()
}

/// The votes of whole comments after `after`: up to the comment of the
/// `limit`-th vote, all its votes included. Sorted here, byte by byte, so
/// that the order does not depend on the database's collation.
pub async fn votes(
    pool: &PgPool,
    site: Option<&SiteId>,
    after: Option<CommentId>,
    limit: u32,
) -> Result<Vec<VoteRow>> {
    let (join, scope) = match site {
        Some(_) => (
            "JOIN comments c ON c.id = v.comment_id JOIN threads t ON t.id = c.thread_id",
            "AND t.site_id = $3",
        ),
        None => ("", ""),
    };
    let sql = format!(
        "SELECT v.comment_id, v.voter, v.value, v.created_at FROM votes v {join} \
         WHERE v.comment_id > $1 {scope} AND v.comment_id <= COALESCE(( \
             SELECT v.comment_id FROM votes v {join} WHERE v.comment_id > $1 {scope} \
             ORDER BY v.comment_id LIMIT 1 OFFSET $2 - 1), 9223372036854775807)"
    );
    let mut q = sqlx::query(&sql)
        .bind(after.map_or(0, |c| c.0))
        .bind(i64::from(limit.max(1)));
    if let Some(site) = site {
        q = q.bind(site.as_str());
    }
    let mut out = q
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| {
            let value: i64 = row.try_get("value")?;
            Ok(VoteRow {
                comment_id: CommentId(row.try_get("comment_id")?),
                voter: VoterKey::from_stored(row.try_get("voter")?),
                value: VoteValue::parse(value).map_err(corrupt)?,
                at: Timestamp(row.try_get("created_at")?),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    sort_votes(&mut out);
    Ok(out)
}
