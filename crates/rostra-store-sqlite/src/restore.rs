//! Restoring rows verbatim (a copy from another store), inside the writer's
//! transaction: ids, counters and times as given, hundreds of rows per
//! statement.
//!
//! Nothing needs resetting afterwards: ids are `INTEGER PRIMARY KEY` without
//! `AUTOINCREMENT`, so SQLite gives the next row `MAX(id) + 1`, and batches
//! (`batch.rs`) count from `MAX(id)` too.

use crate::dump;
use crate::rows::backend;
use rostra_core::comment::is_listed;
use rostra_core::VoteTally;
use rostra_store::dump::not_empty;
use rostra_store::moderation::{assessment_json, urgency};
use rostra_store::{CommentRow, Restore, Secret, StoreError, StoreResult, Thread, VoteRow};
use sqlx::SqliteConnection;

/// Rows per statement: 400 rows of the widest table (23 columns) stay far
/// below SQLite's 32,766 parameters.
const ROWS: usize = 400;

fn placeholders(rows: usize, cols: usize) -> String {
    let row = format!("({})", vec!["?"; cols].join(", "));
    vec![row; rows].join(", ")
}

/// A unique or foreign key the rows break: an id already taken, or a row
/// pointing at one that is not there.
fn refused(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict(format!(
            "restoring: a row with that id already exists ({d})"
        )),
        sqlx::Error::Database(d) if d.is_foreign_key_violation() => StoreError::Conflict(format!(
            "restoring: a row refers to one that is missing ({d})"
        )),
        _ => backend(e),
    }
}

/// Writes `rows`; the writer runs this in a savepoint of its transaction, so
/// a failure leaves nothing behind.
pub async fn restore(conn: &mut SqliteConnection, rows: Restore) -> StoreResult<()> {
    if rows.fresh {
        let found = dump::tally_on(&mut *conn).await?;
        if !found.is_empty() {
            return Err(not_empty(found));
        }
    }
    secrets(conn, &rows.secrets).await?;
    sites(conn, &rows.sites).await?;
    threads(conn, &rows.threads).await?;
    comments(conn, &rows.comments).await?;
    votes(conn, &rows.votes).await?;
    crate::moderation::restore(conn, &rows.moderation)
        .await
        .map_err(refused)?;
    crate::outbox::copy::restore(conn, &rows.mail)
        .await
        .map_err(refused)?;
    crate::campaigns::restore(conn, &rows.campaigns).await
}

async fn secrets(conn: &mut SqliteConnection, secrets: &[Secret]) -> StoreResult<()> {
    for s in secrets {
        sqlx::query(
            "INSERT INTO meta (name, value) VALUES (?1, ?2) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        )
        .bind(&s.name)
        .bind(&s.value)
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
    }
    Ok(())
}

async fn sites(conn: &mut SqliteConnection, sites: &[rostra_core::Site]) -> StoreResult<()> {
    for site in sites {
        let origins = serde_json::to_string(&site.allowed_origins).map_err(backend)?;
        let settings = serde_json::to_string(&site.settings).map_err(backend)?;
        sqlx::query(
            "INSERT INTO sites (id, name, allowed_origins, settings, voter_secret, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .bind(site.id.as_str())
        .bind(&site.name)
        .bind(origins)
        .bind(settings)
        .bind(&site.voter_secret)
        .bind(site.created_at.0)
        .execute(&mut *conn)
        .await
        .map_err(refused)?;
    }
    Ok(())
}

async fn threads(conn: &mut SqliteConnection, threads: &[Thread]) -> StoreResult<()> {
    for chunk in threads.chunks(ROWS) {
        let sql = format!(
            "INSERT INTO threads (id, site_id, url, title, approved_count, created_at) VALUES {}",
            placeholders(chunk.len(), 6)
        );
        let mut q = sqlx::query(&sql);
        for t in chunk {
            q = q
                .bind(t.id.0)
                .bind(t.site_id.as_str())
                .bind(t.url.as_str())
                .bind(t.title.as_deref())
                .bind(t.count)
                .bind(t.created_at.0);
        }
        q.execute(&mut *conn).await.map_err(refused)?;
    }
    Ok(())
}

async fn comments(conn: &mut SqliteConnection, comments: &[CommentRow]) -> StoreResult<()> {
    for chunk in comments.chunks(ROWS) {
        let sql = format!(
            "INSERT INTO comments (id, thread_id, parent_id, root_id, depth, status, listed, listed_replies, \
             author_name, author_email, author_website, ip_hash, body_markdown, body_html, edit_token_hash, \
             created_at, edited_at, upvotes, downvotes, score, best, assessment, urgency) VALUES {}",
            placeholders(chunk.len(), 23)
        );
        let mut q = sqlx::query(&sql);
        for row in chunk {
            let c = &row.comment;
            let tally = VoteTally {
                upvotes: c.upvotes,
                downvotes: c.downvotes,
            };
            q = q
                .bind(c.id.0)
                .bind(c.thread_id.0)
                .bind(c.parent_id.map(|p| p.0))
                .bind(c.root_id.map(|r| r.0))
                .bind(i64::from(c.depth))
                .bind(c.status.as_str())
                .bind(is_listed(c.status, c.listed_replies))
                .bind(c.listed_replies)
                .bind(&c.author_name)
                .bind(c.author_email.as_deref())
                .bind(c.author_website.as_deref())
                .bind(row.ip_hash.as_deref())
                .bind(&c.body_markdown)
                .bind(&c.body_html)
                .bind(c.edit_token_hash.map(|h| h.0.to_vec()))
                .bind(c.created_at.0)
                .bind(c.edited_at.map(|t| t.0))
                .bind(c.upvotes)
                .bind(c.downvotes)
                .bind(tally.score())
                .bind(tally.wilson())
                .bind(assessment_json(c.assessment.as_ref())?)
                .bind(urgency(c.assessment.as_ref()));
        }
        q.execute(&mut *conn).await.map_err(refused)?;
    }
    Ok(())
}

async fn votes(conn: &mut SqliteConnection, votes: &[VoteRow]) -> StoreResult<()> {
    for chunk in votes.chunks(ROWS) {
        let sql = format!(
            "INSERT INTO votes (comment_id, voter, value, created_at) VALUES {}",
            placeholders(chunk.len(), 4)
        );
        let mut q = sqlx::query(&sql);
        for v in chunk {
            q = q
                .bind(v.comment_id.0)
                .bind(v.voter.as_str())
                .bind(v.value.as_i64())
                .bind(v.at.0);
        }
        q.execute(&mut *conn).await.map_err(refused)?;
    }
    Ok(())
}
