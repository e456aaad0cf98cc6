//! Every write, as a function of one connection inside an open transaction.
//! The writer task calls these; nothing else writes.

use crate::rows::{self, backend, COMMENT_COLS, SITE_COLS, THREAD_COLS};
use rostra_core::comment::is_listed;
use rostra_core::{
    Comment, CommentId, CommentStatus, NewComment, NewSite, Site, SiteId, ThreadId, Timestamp,
    VoteTally, VoteValue,
};
use rostra_store::{CommentEdit, StoreError, StoreResult, Thread, Vote, Voted, Written};
use sqlx::{Row, SqliteConnection};
use std::sync::LazyLock;

/// A page's thread, by site and URL.
pub(crate) static THREAD_BY_URL_SQL: LazyLock<String> =
    LazyLock::new(|| format!("SELECT {THREAD_COLS} FROM threads WHERE site_id = ?1 AND url = ?2"));

/// A new thread: site, URL, title, time.
pub(crate) static THREAD_INSERT_SQL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "INSERT INTO threads (site_id, url, title, created_at) VALUES (?1, ?2, ?3, ?4) \
         RETURNING {THREAD_COLS}"
    )
});

/// Changes comment `?1`'s count of listed replies by `?2`.
pub(crate) const LISTED_SQL: &str =
    "UPDATE comments SET listed_replies = listed_replies + ?2 WHERE id = ?1 \
     RETURNING status, listed_replies, listed, parent_id";

/// Sets comment `?1`'s `listed`.
pub(crate) const RELISTED_SQL: &str = "UPDATE comments SET listed = ?2 WHERE id = ?1";

pub async fn secret(
    conn: &mut SqliteConnection,
    name: &str,
    fresh: Vec<u8>,
) -> StoreResult<Vec<u8>> {
    sqlx::query("INSERT INTO meta (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING")
        .bind(name)
        .bind(fresh)
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
    sqlx::query_scalar("SELECT value FROM meta WHERE name = ?1")
        .bind(name)
        .fetch_one(&mut *conn)
        .await
        .map_err(backend)
}

pub async fn create_site(conn: &mut SqliteConnection, site: NewSite) -> StoreResult<Site> {
    let origins = serde_json::to_string(&site.allowed_origins).map_err(backend)?;
    let settings = serde_json::to_string(&site.settings).map_err(backend)?;
    let row = sqlx::query(&format!(
        "INSERT INTO sites ({SITE_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
         ON CONFLICT (id) DO NOTHING RETURNING {SITE_COLS}"
    ))
    .bind(site.id.as_str())
    .bind(&site.name)
    .bind(origins)
    .bind(settings)
    .bind(&site.voter_secret)
    .bind(Timestamp::now().0)
    .fetch_optional(&mut *conn)
    .await
    .map_err(backend)?;
    match row {
        Some(row) => rows::site(&row),
        None => Err(StoreError::Conflict(format!(
            "site {} already exists",
            site.id
        ))),
    }
}

pub async fn update_site(conn: &mut SqliteConnection, site: Site) -> StoreResult<Site> {
    let origins = serde_json::to_string(&site.allowed_origins).map_err(backend)?;
    let settings = serde_json::to_string(&site.settings).map_err(backend)?;
    let row = sqlx::query(&format!(
        "UPDATE sites SET name = ?2, allowed_origins = ?3, settings = ?4 WHERE id = ?1 RETURNING {SITE_COLS}"
    ))
    .bind(site.id.as_str())
    .bind(&site.name)
    .bind(origins)
    .bind(settings)
    .fetch_optional(&mut *conn)
    .await
    .map_err(backend)?;
    row.as_ref()
        .map(rows::site)
        .unwrap_or(Err(StoreError::NotFound("site")))
}

async fn thread_by_id(conn: &mut SqliteConnection, id: ThreadId) -> StoreResult<Thread> {
    let row = sqlx::query(&format!("SELECT {THREAD_COLS} FROM threads WHERE id = ?1"))
        .bind(id.0)
        .fetch_one(&mut *conn)
        .await
        .map_err(backend)?;
    rows::thread(&row)
}

/// The page's thread, created if it has none yet.
pub(crate) async fn thread_for(conn: &mut SqliteConnection, c: &NewComment) -> StoreResult<Thread> {
    let found = sqlx::query(&THREAD_BY_URL_SQL)
        .bind(c.site_id.as_str())
        .bind(c.url.as_str())
        .fetch_optional(&mut *conn)
        .await
        .map_err(backend)?;
    if let Some(row) = found {
        return rows::thread(&row);
    }
    let row = sqlx::query(&THREAD_INSERT_SQL)
        .bind(c.site_id.as_str())
        .bind(c.url.as_str())
        .bind(c.title.as_deref())
        .bind(c.created_at.0)
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
                StoreError::NotFound("site")
            }
            _ => backend(e),
        })?;
    rows::thread(&row)
}

/// Changes a comment's count of listed replies by `delta`, and carries a
/// change of its own listing up to its parent, and so on.
async fn adjust_listed_replies(
    conn: &mut SqliteConnection,
    mut id: CommentId,
    mut delta: i64,
) -> StoreResult<()> {
    loop {
        let row = sqlx::query(LISTED_SQL)
            .bind(id.0)
            .bind(delta)
            .fetch_one(&mut *conn)
            .await
            .map_err(backend)?;
        match relisted(conn, id, &row).await? {
            Some((parent, d)) => {
                id = parent;
                delta = d;
            }
            None => return Ok(()),
        }
    }
}

/// Given a row with `status, listed_replies, listed, parent_id`, brings
/// `listed` up to date; returns the parent and the change to pass up, if any.
async fn relisted(
    conn: &mut SqliteConnection,
    id: CommentId,
    row: &sqlx::sqlite::SqliteRow,
) -> StoreResult<Option<(CommentId, i64)>> {
    let status: String = row.try_get("status").map_err(backend)?;
    let status = CommentStatus::parse(&status).map_err(backend)?;
    let listed_replies: i64 = row.try_get("listed_replies").map_err(backend)?;
    let was: bool = row.try_get("listed").map_err(backend)?;
    let parent: Option<i64> = row.try_get("parent_id").map_err(backend)?;
    let now = is_listed(status, listed_replies);
    if now == was {
        return Ok(None);
    }
    sqlx::query(RELISTED_SQL)
        .bind(id.0)
        .bind(now)
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
    Ok(parent.map(|p| (CommentId(p), if now { 1 } else { -1 })))
}

pub(crate) async fn site_comment(
    conn: &mut SqliteConnection,
    site: &SiteId,
    id: CommentId,
) -> StoreResult<Comment> {
    let row = sqlx::query(&format!(
        "SELECT {COMMENT_COLS} FROM comments WHERE id = ?1 AND thread_id IN (SELECT id FROM threads WHERE site_id = ?2)"
    ))
    .bind(id.0)
    .bind(site.as_str())
    .fetch_optional(&mut *conn)
    .await
    .map_err(backend)?;
    row.as_ref()
        .map(rows::comment)
        .unwrap_or(Err(StoreError::NotFound("comment")))
}

pub async fn edit_comment(conn: &mut SqliteConnection, edit: CommentEdit) -> StoreResult<Written> {
    let current = site_comment(conn, &edit.site_id, edit.id).await?;
    if current.status == CommentStatus::Deleted {
        return Err(StoreError::NotFound("comment"));
    }
    sqlx::query(
        "UPDATE comments SET body_markdown = ?2, body_html = ?3, edited_at = ?4 WHERE id = ?1",
    )
    .bind(edit.id.0)
    .bind(&edit.markdown)
    .bind(&edit.html)
    .bind(edit.at.0)
    .execute(&mut *conn)
    .await
    .map_err(backend)?;
    let thread = thread_by_id(conn, current.thread_id).await?;
    let comment = Comment {
        body_markdown: edit.markdown,
        body_html: edit.html,
        edited_at: Some(edit.at),
        ..current
    };
    Ok(Written { comment, thread })
}

pub async fn delete_comment(
    conn: &mut SqliteConnection,
    site: &SiteId,
    id: CommentId,
) -> StoreResult<Written> {
    let current = site_comment(conn, site, id).await?;
    if current.status == CommentStatus::Deleted {
        return Err(StoreError::NotFound("comment"));
    }
    sqlx::query(
        "UPDATE comments SET body_markdown = '', body_html = '', author_email = NULL WHERE id = ?1",
    )
    .bind(id.0)
    .execute(&mut *conn)
    .await
    .map_err(backend)?;
    change_status(conn, current, CommentStatus::Deleted).await
}

pub async fn set_status(
    conn: &mut SqliteConnection,
    site: &SiteId,
    id: CommentId,
    status: CommentStatus,
) -> StoreResult<Written> {
    let current = site_comment(conn, site, id).await?;
    let from = current.status;
    let written = change_status(conn, current, status).await?;
    crate::outbox::events::on_change(conn, site, &written, from).await?;
    Ok(written)
}

pub(crate) async fn change_status(
    conn: &mut SqliteConnection,
    current: Comment,
    status: CommentStatus,
) -> StoreResult<Written> {
    let id = current.id;
    let delta = current.status.approved_delta(status);
    let row = sqlx::query(
        "UPDATE comments SET status = ?2 WHERE id = ?1 RETURNING status, listed_replies, listed, parent_id",
    )
    .bind(id.0)
    .bind(status.as_str())
    .fetch_one(&mut *conn)
    .await
    .map_err(backend)?;
    if delta != 0 {
        sqlx::query("UPDATE threads SET approved_count = approved_count + ?2 WHERE id = ?1")
            .bind(current.thread_id.0)
            .bind(delta)
            .execute(&mut *conn)
            .await
            .map_err(backend)?;
    }
    if let Some((parent, d)) = relisted(conn, id, &row).await? {
        adjust_listed_replies(conn, parent, d).await?;
    }
    let thread = thread_by_id(conn, current.thread_id).await?;
    let (body_markdown, body_html, author_email) = if status == CommentStatus::Deleted {
        (String::new(), String::new(), None)
    } else {
        (
            current.body_markdown,
            current.body_html,
            current.author_email,
        )
    };
    let comment = Comment {
        status,
        body_markdown,
        body_html,
        author_email,
        ..current
    };
    Ok(Written { comment, thread })
}

pub async fn vote(conn: &mut SqliteConnection, v: Vote) -> StoreResult<Voted> {
    let row = sqlx::query(
        "SELECT status, thread_id FROM comments WHERE id = ?1 \
         AND thread_id IN (SELECT id FROM threads WHERE site_id = ?2)",
    )
    .bind(v.comment_id.0)
    .bind(v.site_id.as_str())
    .fetch_optional(&mut *conn)
    .await
    .map_err(backend)?;
    let Some(row) = row else {
        return Err(StoreError::NotFound("comment"));
    };
    let status: String = row.try_get("status").map_err(backend)?;
    let thread_id = ThreadId(row.try_get("thread_id").map_err(backend)?);
    if status != CommentStatus::Approved.as_str() {
        return Err(StoreError::Conflict(format!(
            "comment {} is {status}; only approved comments take votes",
            v.comment_id
        )));
    }
    let old: i64 =
        sqlx::query_scalar("SELECT value FROM votes WHERE comment_id = ?1 AND voter = ?2")
            .bind(v.comment_id.0)
            .bind(v.voter.as_str())
            .fetch_optional(&mut *conn)
            .await
            .map_err(backend)?
            .unwrap_or(0);
    let new = v.value.as_i64();
    let tally = if old == new {
        let row = sqlx::query("SELECT upvotes, downvotes FROM comments WHERE id = ?1")
            .bind(v.comment_id.0)
            .fetch_one(&mut *conn)
            .await
            .map_err(backend)?;
        VoteTally {
            upvotes: row.try_get(0).map_err(backend)?,
            downvotes: row.try_get(1).map_err(backend)?,
        }
    } else {
        if v.value == VoteValue::None {
            sqlx::query("DELETE FROM votes WHERE comment_id = ?1 AND voter = ?2")
                .bind(v.comment_id.0)
                .bind(v.voter.as_str())
                .execute(&mut *conn)
                .await
                .map_err(backend)?;
        } else {
            sqlx::query(
                "INSERT INTO votes (comment_id, voter, value, created_at) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (comment_id, voter) DO UPDATE SET value = excluded.value, created_at = excluded.created_at",
            )
            .bind(v.comment_id.0)
            .bind(v.voter.as_str())
            .bind(new)
            .bind(v.at.0)
            .execute(&mut *conn)
            .await
            .map_err(backend)?;
        }
        let du = i64::from(new == 1) - i64::from(old == 1);
        let dd = i64::from(new == -1) - i64::from(old == -1);
        let row = sqlx::query(
            "UPDATE comments SET upvotes = upvotes + ?2, downvotes = downvotes + ?3 WHERE id = ?1 \
             RETURNING upvotes, downvotes",
        )
        .bind(v.comment_id.0)
        .bind(du)
        .bind(dd)
        .fetch_one(&mut *conn)
        .await
        .map_err(backend)?;
        let tally = VoteTally {
            upvotes: row.try_get(0).map_err(backend)?,
            downvotes: row.try_get(1).map_err(backend)?,
        };
        sqlx::query("UPDATE comments SET score = ?2, best = ?3 WHERE id = ?1")
            .bind(v.comment_id.0)
            .bind(tally.score())
            .bind(tally.wilson())
            .execute(&mut *conn)
            .await
            .map_err(backend)?;
        tally
    };
    let thread = thread_by_id(conn, thread_id).await?;
    Ok(Voted { tally, thread })
}
