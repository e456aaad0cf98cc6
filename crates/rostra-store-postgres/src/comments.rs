//! Writes to comments, each inside an open transaction.
//!
//! Locks, so that concurrent transactions keep every counter right and never
//! wait on each other in a circle:
//!
//! - A comment that is changed is first read `FOR NO KEY UPDATE` (which, unlike
//!   `FOR UPDATE`, does not block the `KEY SHARE` locks that foreign keys of
//!   new replies and votes take). Its status and counters cannot change under
//!   the transaction afterwards.
//! - A reply locks its parent the same way before checking it is approved, so
//!   a parent cannot be rejected between the check and the commit.
//! - A change of listing walks up the chain of parents with atomic
//!   `UPDATE … RETURNING` statements, each of which locks its row: rows are
//!   locked from the deepest up, in every transaction.
//! - The thread's counter is an atomic `UPDATE … RETURNING`, done last, so the
//!   thread's row is held only until the commit that follows.

use crate::error::{corrupt, Result};
use crate::rows::{self, COMMENT_COLS, THREAD_COLS};
use rostra_core::comment::is_listed;
use rostra_core::{Comment, CommentId, CommentStatus, NewComment, SiteId, ThreadId};
use rostra_store::moderation::{assessment_json, urgency};
use rostra_store::reply::{self, Parent};
use rostra_store::{CommentEdit, StoreError, Thread, Written};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};

/// The thread as committed (and as changed by this transaction).
pub(crate) async fn thread_by_id(conn: &mut PgConnection, id: ThreadId) -> Result<Thread> {
    let row = sqlx::query(&format!("SELECT {THREAD_COLS} FROM threads WHERE id = $1"))
        .bind(id.0)
        .fetch_one(&mut *conn)
        .await?;
    rows::thread(&row)
}

/// Adds `delta` to a thread's count of approved comments.
async fn count_approved(conn: &mut PgConnection, id: ThreadId, delta: i64) -> Result<Thread> {
    let row = sqlx::query(&format!(
        "UPDATE threads SET approved_count = approved_count + $2 WHERE id = $1 RETURNING {THREAD_COLS}"
    ))
    .bind(id.0)
    .bind(delta)
    .fetch_one(&mut *conn)
    .await?;
    rows::thread(&row)
}

/// The page's thread, created if it has none. Two transactions creating the
/// same thread at once end with one row: the second insert waits for the
/// first to commit, does nothing, and the final `SELECT` finds the winner's.
pub(crate) async fn thread_for(conn: &mut PgConnection, c: &NewComment) -> Result<Thread> {
    let select = format!("SELECT {THREAD_COLS} FROM threads WHERE site_id = $1 AND url = $2");
    let found = sqlx::query(&select)
        .bind(c.site_id.as_str())
        .bind(c.url.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(row) = found {
        return rows::thread(&row);
    }
    let created = sqlx::query(&format!(
        "INSERT INTO threads (site_id, url, title, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (site_id, url) DO NOTHING RETURNING {THREAD_COLS}"
    ))
    .bind(c.site_id.as_str())
    .bind(c.url.as_str())
    .bind(c.title.as_deref())
    .bind(c.created_at.0)
    .fetch_optional(&mut *conn)
    .await?;
    let row = match created {
        Some(row) => row,
        None => {
            sqlx::query(&select)
                .bind(c.site_id.as_str())
                .bind(c.url.as_str())
                .fetch_one(&mut *conn)
                .await?
        }
    };
    rows::thread(&row)
}

/// Checks and locks a reply's parent; the reply's root and depth.
async fn parent_of(
    conn: &mut PgConnection,
    thread: &Thread,
    c: &NewComment,
    pid: CommentId,
) -> Result<(Option<CommentId>, u32)> {
    let row = sqlx::query(
        "SELECT thread_id, depth, root_id, status FROM comments WHERE id = $1 FOR NO KEY UPDATE",
    )
    .bind(pid.0)
    .fetch_optional(&mut *conn)
    .await?;
    let parent = match row {
        None => None,
        Some(row) => {
            let status: String = row.try_get("status")?;
            Some(Parent {
                thread: ThreadId(row.try_get("thread_id")?),
                depth: u32::try_from(row.try_get::<i64, _>("depth")?).map_err(corrupt)?,
                root: row.try_get::<Option<i64>, _>("root_id")?.map(CommentId),
                approved: status == CommentStatus::Approved.as_str(),
            })
        }
    };
    let (root, depth) = reply::place(pid, parent.as_ref(), thread.id, c.max_depth)?;
    Ok((Some(root), depth))
}

/// Inserts one comment. `known` is the page's thread if the caller already
/// has it; it is found or created otherwise.
pub async fn insert_comment(
    conn: &mut PgConnection,
    c: NewComment,
    known: Option<Thread>,
) -> Result<Written> {
    let mut thread = match known {
        Some(t) => t,
        None => thread_for(conn, &c).await?,
    };
    let (root_id, depth) = match c.parent_id {
        None => (None, 0u32),
        Some(pid) => parent_of(conn, &thread, &c, pid).await?,
    };
    let approved = c.status == CommentStatus::Approved;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO comments (thread_id, parent_id, root_id, depth, status, listed, author_name, author_email, \
         author_website, ip_hash, body_markdown, body_html, edit_token_hash, created_at, assessment, urgency) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
    )
    .bind(thread.id.0)
    .bind(c.parent_id.map(|p| p.0))
    .bind(root_id.map(|r| r.0))
    .bind(i64::from(depth))
    .bind(c.status.as_str())
    .bind(approved)
    .bind(c.author_name.as_str())
    .bind(c.author_email.as_ref().map(|e| e.as_str()))
    .bind(c.author_website.as_ref().map(|w| w.as_str()))
    .bind(c.ip_hash.as_deref())
    .bind(c.body.as_str())
    .bind(&c.body_html)
    .bind(&c.edit_token_hash.0[..])
    .bind(c.created_at.0)
    .bind(assessment_json(c.assessment.as_ref())?)
    .bind(urgency(c.assessment.as_ref()))
    .fetch_one(&mut *conn)
    .await?;
    if approved {
        if let Some(parent) = c.parent_id {
            adjust_listed_replies(conn, parent, 1).await?;
        }
        thread = count_approved(conn, thread.id, 1).await?;
    }
    let comment = c.stored(CommentId(id), thread.id, root_id, depth);
    Ok(Written { comment, thread })
}

/// Changes a comment's count of listed replies by `delta`, and carries a
/// change of its own listing up to its parent, and so on. Each step is one
/// atomic update that locks its row, from the deepest up.
async fn adjust_listed_replies(
    conn: &mut PgConnection,
    mut id: CommentId,
    mut delta: i64,
) -> Result<()> {
    loop {
        let row = sqlx::query(
            "UPDATE comments SET listed_replies = listed_replies + $2 WHERE id = $1 \
             RETURNING status, listed_replies, listed, parent_id",
        )
        .bind(id.0)
        .bind(delta)
        .fetch_one(&mut *conn)
        .await?;
        match relisted(conn, id, &row).await? {
            Some((parent, d)) => {
                id = parent;
                delta = d;
            }
            None => return Ok(()),
        }
    }
}

/// Given a row with `status, listed_replies, listed, parent_id` of a comment
/// this transaction has locked, brings `listed` up to date; returns the parent
/// and the change to pass up, if any.
async fn relisted(
    conn: &mut PgConnection,
    id: CommentId,
    row: &PgRow,
) -> Result<Option<(CommentId, i64)>> {
    let status: String = row.try_get("status")?;
    let status = CommentStatus::parse(&status).map_err(corrupt)?;
    let listed_replies: i64 = row.try_get("listed_replies")?;
    let was: bool = row.try_get("listed")?;
    let parent: Option<i64> = row.try_get("parent_id")?;
    let now = is_listed(status, listed_replies);
    if now == was {
        return Ok(None);
    }
    sqlx::query("UPDATE comments SET listed = $2 WHERE id = $1")
        .bind(id.0)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(parent.map(|p| (CommentId(p), if now { 1 } else { -1 })))
}

/// A comment of a site, locked for the rest of the transaction.
pub(crate) async fn lock_comment(
    conn: &mut PgConnection,
    site: &SiteId,
    id: CommentId,
) -> Result<Comment> {
    let row = sqlx::query(&format!(
        "SELECT {COMMENT_COLS} FROM comments \
         WHERE id = $1 AND thread_id IN (SELECT id FROM threads WHERE site_id = $2) \
         FOR NO KEY UPDATE"
    ))
    .bind(id.0)
    .bind(site.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        Some(row) => rows::comment(&row),
        None => Err(StoreError::NotFound("comment").into()),
    }
}

/// Replaces a comment's text; `NotFound` if it is missing or deleted.
pub async fn edit_comment(conn: &mut PgConnection, edit: CommentEdit) -> Result<Written> {
    let current = lock_comment(conn, &edit.site_id, edit.id).await?;
    if current.status == CommentStatus::Deleted {
        return Err(StoreError::NotFound("comment").into());
    }
    sqlx::query(
        "UPDATE comments SET body_markdown = $2, body_html = $3, edited_at = $4 WHERE id = $1",
    )
    .bind(edit.id.0)
    .bind(&edit.markdown)
    .bind(&edit.html)
    .bind(edit.at.0)
    .execute(&mut *conn)
    .await?;
    let thread = thread_by_id(conn, current.thread_id).await?;
    let comment = Comment {
        body_markdown: edit.markdown,
        body_html: edit.html,
        edited_at: Some(edit.at),
        ..current
    };
    Ok(Written { comment, thread })
}

/// Marks a comment deleted and erases its text and e-mail; also says whether
/// it was listed before.
pub async fn delete_comment(
    conn: &mut PgConnection,
    site: SiteId,
    id: CommentId,
) -> Result<(Written, bool)> {
    let current = lock_comment(conn, &site, id).await?;
    if current.status == CommentStatus::Deleted {
        return Err(StoreError::NotFound("comment").into());
    }
    let was_listed = current.is_listed();
    sqlx::query(
        "UPDATE comments SET body_markdown = '', body_html = '', author_email = NULL WHERE id = $1",
    )
    .bind(id.0)
    .execute(&mut *conn)
    .await?;
    let written = change_status(conn, current, CommentStatus::Deleted).await?;
    Ok((written, was_listed))
}

/// Moves a comment to another status.
pub async fn set_status(
    conn: &mut PgConnection,
    site: SiteId,
    id: CommentId,
    status: CommentStatus,
) -> Result<(Written, CommentStatus)> {
    let current = lock_comment(conn, &site, id).await?;
    let from = current.status;
    Ok((change_status(conn, current, status).await?, from))
}

/// Sets the status of a comment this transaction has locked, then carries the
/// change of listing up its parents, then the change of count to its thread.
pub(crate) async fn change_status(
    conn: &mut PgConnection,
    current: Comment,
    status: CommentStatus,
) -> Result<Written> {
    let id = current.id;
    let delta = current.status.approved_delta(status);
    let row = sqlx::query(
        "UPDATE comments SET status = $2 WHERE id = $1 RETURNING status, listed_replies, listed, parent_id",
    )
    .bind(id.0)
    .bind(status.as_str())
    .fetch_one(&mut *conn)
    .await?;
    if let Some((parent, d)) = relisted(conn, id, &row).await? {
        adjust_listed_replies(conn, parent, d).await?;
    }
    let thread = if delta == 0 {
        thread_by_id(conn, current.thread_id).await?
    } else {
        count_approved(conn, current.thread_id, delta).await?
    };
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
