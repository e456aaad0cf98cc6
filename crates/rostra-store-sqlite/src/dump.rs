//! Keyset-paged dumps of whole tables, for copies and exports, on the pool
//! of read connections. Each page is one range scan of a primary key.

use crate::rows::{self, backend, COMMENT_COLS, THREAD_COLS};
use rostra_core::{CommentId, SiteId, ThreadId, Timestamp, VoteValue, VoterKey};
use rostra_store::dump::sort_votes;
use rostra_store::{CommentRow, Secret, StoreResult, Tally, Thread, VoteRow};
use sqlx::{Row, SqliteConnection, SqlitePool};

/// Every table counted, in one statement.
const TALLY_ALL: &str = "SELECT (SELECT COUNT(*) FROM sites), (SELECT COUNT(*) FROM threads), \
     (SELECT COUNT(*) FROM comments), (SELECT COUNT(*) FROM votes)";

/// One site's rows counted, in one statement.
const TALLY_SITE: &str = "SELECT (SELECT COUNT(*) FROM sites WHERE id = ?1), \
     (SELECT COUNT(*) FROM threads WHERE site_id = ?1), \
     (SELECT COUNT(*) FROM comments c JOIN threads t ON t.id = c.thread_id WHERE t.site_id = ?1), \
     (SELECT COUNT(*) FROM votes v JOIN comments c ON c.id = v.comment_id \
      JOIN threads t ON t.id = c.thread_id WHERE t.site_id = ?1)";

fn tally_of((sites, threads, comments, votes): (i64, i64, i64, i64)) -> Tally {
    let n = |v: i64| u64::try_from(v).unwrap_or(0);
    Tally {
        sites: n(sites),
        threads: n(threads),
        comments: n(comments),
        votes: n(votes),
    }
}

pub async fn tally(pool: &SqlitePool, site: Option<&SiteId>) -> StoreResult<Tally> {
    let found = match site {
        None => sqlx::query_as(TALLY_ALL).fetch_one(pool).await,
        Some(site) => {
            sqlx::query_as(TALLY_SITE)
                .bind(site.as_str())
                .fetch_one(pool)
                .await
        }
    };
    Ok(tally_of(found.map_err(backend)?))
}

/// The whole store counted, inside the writer's transaction.
pub async fn tally_on(conn: &mut SqliteConnection) -> StoreResult<Tally> {
    let found = sqlx::query_as(TALLY_ALL)
        .fetch_one(conn)
        .await
        .map_err(backend)?;
    Ok(tally_of(found))
}

pub async fn secrets(pool: &SqlitePool) -> StoreResult<Vec<Secret>> {
    let found: Vec<(String, Vec<u8>)> =
        sqlx::query_as("SELECT name, value FROM meta ORDER BY name")
            .fetch_all(pool)
            .await
            .map_err(backend)?;
    Ok(found
        .into_iter()
        .map(|(name, value)| Secret { name, value })
        .collect())
}

pub async fn threads(
    pool: &SqlitePool,
    site: Option<&SiteId>,
    after: Option<ThreadId>,
    limit: u32,
) -> StoreResult<Vec<Thread>> {
    let scope = if site.is_some() {
        "AND site_id = ?3"
    } else {
        ""
    };
    let sql =
        format!("SELECT {THREAD_COLS} FROM threads WHERE id > ?1 {scope} ORDER BY id LIMIT ?2");
    let mut q = sqlx::query(&sql)
        .bind(after.map_or(0, |t| t.0))
        .bind(i64::from(limit));
    if let Some(site) = site {
        q = q.bind(site.as_str());
    }
    let found = q.fetch_all(pool).await.map_err(backend)?;
    found.iter().map(rows::thread).collect()
}

pub async fn comments(
    pool: &SqlitePool,
    site: Option<&SiteId>,
    after: Option<CommentId>,
    limit: u32,
) -> StoreResult<Vec<CommentRow>> {
    // Scans comments by id and looks each one's thread up: a page costs its
    // rows, whatever the number of threads of the site.
    let (join, scope) = match site {
        Some(_) => (
            "JOIN threads t ON t.id = comments.thread_id",
            "AND t.site_id = ?3",
        ),
        None => ("", ""),
    };
    let cols = COMMENT_COLS
        .split(", ")
        .map(|c| format!("comments.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT {cols}, comments.ip_hash FROM comments {join} WHERE comments.id > ?1 {scope} \
         ORDER BY comments.id LIMIT ?2"
    );
    let mut q = sqlx::query(&sql)
        .bind(after.map_or(0, |c| c.0))
        .bind(i64::from(limit));
    if let Some(site) = site {
        q = q.bind(site.as_str());
    }
    let found = q.fetch_all(pool).await.map_err(backend)?;
    found
        .iter()
        .map(|row| {
            Ok(CommentRow {
                comment: rows::comment(row)?,
                ip_hash: row.try_get("ip_hash").map_err(backend)?,
            })
        })
        .collect()
}

pub async fn votes(
    pool: &SqlitePool,
    site: Option<&SiteId>,
    after: Option<CommentId>,
    limit: u32,
) -> StoreResult<Vec<VoteRow>> {
    // The page ends with the comment of the `limit`-th vote, whole: all its
    // votes are in, whatever their number.
    let (join, scope) = match site {
        Some(_) => (
            "JOIN comments c ON c.id = v.comment_id JOIN threads t ON t.id = c.thread_id",
            "AND t.site_id = ?3",
        ),
        None => ("", ""),
    };
    let sql = format!(
        "SELECT v.comment_id, v.voter, v.value, v.created_at FROM votes v {join} \
         WHERE v.comment_id > ?1 {scope} AND v.comment_id <= COALESCE(( \
             SELECT v.comment_id FROM votes v {join} WHERE v.comment_id > ?1 {scope} \
             ORDER BY v.comment_id LIMIT 1 OFFSET ?2 - 1), 9223372036854775807) \
         ORDER BY v.comment_id, v.voter"
    );
    let mut q = sqlx::query(&sql)
        .bind(after.map_or(0, |c| c.0))
        .bind(i64::from(limit.max(1)));
    if let Some(site) = site {
        q = q.bind(site.as_str());
    }
    let found = q.fetch_all(pool).await.map_err(backend)?;
    let mut out = found
        .iter()
        .map(|row| {
            let value: i64 = row.try_get("value").map_err(backend)?;
            Ok(VoteRow {
                comment_id: CommentId(row.try_get("comment_id").map_err(backend)?),
                voter: VoterKey::from_stored(row.try_get("voter").map_err(backend)?),
                value: VoteValue::parse(value).map_err(backend)?,
                at: Timestamp(row.try_get("created_at").map_err(backend)?),
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    sort_votes(&mut out);
    Ok(out)
}
