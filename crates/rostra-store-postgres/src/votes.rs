//! Votes, each inside an open transaction.
//!
//! A vote first locks its comment (`FOR NO KEY UPDATE`), so all votes on one
//! comment run one after another: the voter's previous vote, read next, cannot
//! change before the commit, and the counters move by exactly the difference.

use crate::comments::thread_by_id;
use crate::error::Result;
use rostra_core::{CommentStatus, ThreadId, VoteTally, VoteValue};
use rostra_store::{StoreError, Vote, Voted};
use sqlx::{PgConnection, Row};

/// Records, changes or retracts one vote.
pub async fn vote(conn: &mut PgConnection, v: Vote) -> Result<Voted> {
    let row = sqlx::query(
        "SELECT status, thread_id, upvotes, downvotes FROM comments \
         WHERE id = $1 AND thread_id IN (SELECT id FROM threads WHERE site_id = $2) \
         FOR NO KEY UPDATE",
    )
    .bind(v.comment_id.0)
    .bind(v.site_id.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Err(StoreError::NotFound("comment").into());
    };
    let status: String = row.try_get("status")?;
    let thread_id = ThreadId(row.try_get("thread_id")?);
    if status != CommentStatus::Approved.as_str() {
        return Err(StoreError::Conflict(format!(
            "comment {} is {status}; only approved comments take votes",
            v.comment_id
        ))
        .into());
    }
    let old: i64 =
        sqlx::query_scalar("SELECT value FROM votes WHERE comment_id = $1 AND voter = $2")
            .bind(v.comment_id.0)
            .bind(v.voter.as_str())
            .fetch_optional(&mut *conn)
            .await?
            .unwrap_or(0);
    let new = v.value.as_i64();
    let tally = if old == new {
        VoteTally {
            upvotes: row.try_get("upvotes")?,
            downvotes: row.try_get("downvotes")?,
        }
    } else {
        if v.value == VoteValue::None {
            sqlx::query("DELETE FROM votes WHERE comment_id = $1 AND voter = $2")
                .bind(v.comment_id.0)
                .bind(v.voter.as_str())
                .execute(&mut *conn)
                .await?;
        } else {
            sqlx::query(
                "INSERT INTO votes (comment_id, voter, value, created_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (comment_id, voter) DO UPDATE SET value = excluded.value, created_at = excluded.created_at",
            )
            .bind(v.comment_id.0)
            .bind(v.voter.as_str())
            .bind(new)
            .bind(v.at.0)
            .execute(&mut *conn)
            .await?;
        }
        let du = i64::from(new == 1) - i64::from(old == 1);
        let dd = i64::from(new == -1) - i64::from(old == -1);
        let row = sqlx::query(
            "UPDATE comments SET upvotes = upvotes + $2, downvotes = downvotes + $3 WHERE id = $1 \
             RETURNING upvotes, downvotes",
        )
        .bind(v.comment_id.0)
        .bind(du)
        .bind(dd)
        .fetch_one(&mut *conn)
        .await?;
        let tally = VoteTally {
            upvotes: row.try_get("upvotes")?,
            downvotes: row.try_get("downvotes")?,
        };
        sqlx::query("UPDATE comments SET score = $2, best = $3 WHERE id = $1")
            .bind(v.comment_id.0)
            .bind(tally.score())
            .bind(tally.wilson())
            .execute(&mut *conn)
            .await?;
        tally
    };
    let thread = thread_by_id(conn, thread_id).await?;
    Ok(Voted { tally, thread })
}
