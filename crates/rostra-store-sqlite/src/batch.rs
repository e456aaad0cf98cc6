//! Set-based batch writes, for seeding and import: one statement carries many
//! rows, so a batch of thousands costs tens of statements, not thousands.
//!
//! The writer runs each batch inside its own savepoint, so a batch that fails
//! validation half-way leaves nothing behind. Ids are assigned here: the
//! writer's transaction is the only writer, so `MAX(id) + 1` onwards is free.

use crate::rows::backend;
use crate::writes::thread_for;
use rostra_core::{
    CommentId, CommentStatus, NewComment, PageUrl, SiteId, ThreadId, VoteTally, VoteValue,
};
use rostra_store::moderation::{assessment_json, urgency};
use rostra_store::reply::{self, Parent};
use rostra_store::{StoreError, StoreResult, Thread, Vote};
use sqlx::{Row, SqliteConnection};
use std::collections::HashMap;

/// Rows per multi-row statement (SQLite allows 32,766 parameters).
const ROWS: usize = 400;

// Placeholders are anonymous (`?`), bound in textual order: with numbered
// ones (`?17`) sqlx looks each name up, a linear scan per parameter, and a
// statement of thousands of parameters spent most of its time binding.
fn placeholders(rows: usize, cols: usize) -> String {
    let row = format!("({})", vec!["?"; cols].join(", "));
    vec![row; rows].join(", ")
}

fn id_list(n: usize) -> String {
    vec!["?"; n].join(", ")
}

async fn parents(conn: &mut SqliteConnection, ids: &[i64]) -> StoreResult<HashMap<i64, Parent>> {
    let mut found = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(ROWS) {
        let sql = format!(
            "SELECT id, thread_id, depth, root_id, status FROM comments WHERE id IN ({})",
            id_list(chunk.len())
        );
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(id);
        }
        for row in q.fetch_all(&mut *conn).await.map_err(backend)? {
            let status: String = row.try_get("status").map_err(backend)?;
            found.insert(
                row.try_get("id").map_err(backend)?,
                Parent {
                    thread: ThreadId(row.try_get("thread_id").map_err(backend)?),
                    depth: row.try_get::<i64, _>("depth").map_err(backend)? as u32,
                    root: row
                        .try_get::<Option<i64>, _>("root_id")
                        .map_err(backend)?
                        .map(CommentId),
                    approved: status == CommentStatus::Approved.as_str(),
                },
            );
        }
    }
    Ok(found)
}

/// Inserts a batch with the same rules as one insert at a time: all or none.
pub async fn insert_batch(
    conn: &mut SqliteConnection,
    batch: Vec<NewComment>,
) -> StoreResult<Vec<CommentId>> {
    if batch.is_empty() {
        return Ok(Vec::new());
    }
    let mut threads: HashMap<(SiteId, PageUrl), Thread> = HashMap::new();
    for c in &batch {
        let key = (c.site_id.clone(), c.url.clone());
        if let std::collections::hash_map::Entry::Vacant(slot) = threads.entry(key) {
            slot.insert(thread_for(conn, c).await?);
        }
    }
    let mut wanted: Vec<i64> = batch
        .iter()
        .filter_map(|c| c.parent_id.map(|p| p.0))
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let parents = parents(conn, &wanted).await?;
    let first: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM comments")
        .fetch_one(&mut *conn)
        .await
        .map_err(backend)?;
    // Validate everything before writing anything.
    let mut placed = Vec::with_capacity(batch.len());
    let mut approved_per_thread: HashMap<i64, i64> = HashMap::new();
    let mut replies_per_parent: HashMap<i64, i64> = HashMap::new();
    for c in &batch {
        let thread = &threads[&(c.site_id.clone(), c.url.clone())];
        let (root, depth) = match c.parent_id {
            None => (None, 0),
            Some(pid) => {
                let (root, depth) = reply::place(pid, parents.get(&pid.0), thread.id, c.max_depth)?;
                (Some(root.0), depth)
            }
        };
        if c.status == CommentStatus::Approved {
            *approved_per_thread.entry(thread.id.0).or_default() += 1;
            if let Some(p) = c.parent_id {
                *replies_per_parent.entry(p.0).or_default() += 1;
            }
        }
        placed.push((thread.id.0, root, depth));
    }
    const COLS: usize = 17;
    for (start, chunk) in batch.chunks(ROWS).enumerate().map(|(i, c)| (i * ROWS, c)) {
        let sql = format!(
            "INSERT INTO comments (id, thread_id, parent_id, root_id, depth, status, listed, author_name, \
             author_email, author_website, ip_hash, body_markdown, body_html, edit_token_hash, created_at, \
             assessment, urgency) VALUES {}",
            placeholders(chunk.len(), COLS)
        );
        let mut q = sqlx::query(&sql);
        for (offset, c) in chunk.iter().enumerate() {
            let (thread, root, depth) = placed[start + offset];
            q = q
                .bind(first + (start + offset) as i64)
                .bind(thread)
                .bind(c.parent_id.map(|p| p.0))
                .bind(root)
                .bind(i64::from(depth))
                .bind(c.status.as_str())
                .bind(c.status == CommentStatus::Approved)
                .bind(c.author_name.as_str())
                .bind(c.author_email.as_ref().map(|e| e.as_str()))
                .bind(c.author_website.as_ref().map(|w| w.as_str()))
                .bind(c.ip_hash.as_deref())
                .bind(c.body.as_str())
                .bind(&c.body_html)
                .bind(&c.edit_token_hash.0[..])
                .bind(c.created_at.0)
                .bind(assessment_json(c.assessment.as_ref())?)
                .bind(urgency(c.assessment.as_ref()));
        }
        q.execute(&mut *conn).await.map_err(backend)?;
    }
    for (thread, n) in approved_per_thread {
        sqlx::query("UPDATE threads SET approved_count = approved_count + ?2 WHERE id = ?1")
            .bind(thread)
            .bind(n)
            .execute(&mut *conn)
            .await
            .map_err(backend)?;
    }
    // Parents are approved, hence already listed: only their counters move.
    let grouped: Vec<(i64, i64)> = replies_per_parent.into_iter().collect();
    for chunk in grouped.chunks(ROWS) {
        let cases = " WHEN ? THEN ?".repeat(chunk.len());
        let sql = format!(
            "UPDATE comments SET listed_replies = listed_replies + CASE id{cases} END WHERE id IN ({})",
            id_list(chunk.len())
        );
        let mut q = sqlx::query(&sql);
        for (id, n) in chunk {
            q = q.bind(id).bind(n);
        }
        for (id, _) in chunk {
            q = q.bind(id);
        }
        q.execute(&mut *conn).await.map_err(backend)?;
    }
    Ok((0..batch.len())
        .map(|i| CommentId(first + i as i64))
        .collect())
}

/// Records a batch of votes with the same rules as one at a time (the last
/// vote of a voter on a comment wins): all or none.
pub async fn vote_batch(conn: &mut SqliteConnection, votes: Vec<Vote>) -> StoreResult<()> {
    let mut last: HashMap<(i64, String), &Vote> = HashMap::with_capacity(votes.len());
    for v in &votes {
        last.insert((v.comment_id.0, v.voter.as_str().to_owned()), v);
    }
    let mut comments: Vec<(i64, SiteId)> = last
        .values()
        .map(|v| (v.comment_id.0, v.site_id.clone()))
        .collect();
    comments.sort_by_key(|(id, _)| *id);
    comments.dedup_by_key(|(id, _)| *id);
    for chunk in comments.chunks(ROWS) {
        let sql = format!(
            "SELECT c.id, c.status, t.site_id FROM comments c JOIN threads t ON t.id = c.thread_id WHERE c.id IN ({})",
            id_list(chunk.len())
        );
        let mut q = sqlx::query(&sql);
        for (id, _) in chunk {
            q = q.bind(id);
        }
        let found: HashMap<i64, (String, String)> = q
            .fetch_all(&mut *conn)
            .await
            .map_err(backend)?
            .iter()
            .map(|r| {
                Ok((
                    r.try_get("id")?,
                    (r.try_get("status")?, r.try_get("site_id")?),
                ))
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(backend)?;
        for (id, site) in chunk {
            match found.get(id) {
                Some((_, s)) if s != site.as_str() => return Err(StoreError::NotFound("comment")),
                None => return Err(StoreError::NotFound("comment")),
                Some((status, _)) if status != CommentStatus::Approved.as_str() => {
                    return Err(StoreError::Conflict(format!(
                        "comment {id} is {status}; only approved comments take votes"
                    )))
                }
                Some(_) => {}
            }
        }
    }
    let (retracted, cast): (Vec<&Vote>, Vec<&Vote>) =
        last.into_values().partition(|v| v.value == VoteValue::None);
    for chunk in retracted.chunks(ROWS) {
        let sql = format!(
            "DELETE FROM votes WHERE (comment_id, voter) IN (VALUES {})",
            placeholders(chunk.len(), 2)
        );
        let mut q = sqlx::query(&sql);
        for v in chunk {
            q = q.bind(v.comment_id.0).bind(v.voter.as_str());
        }
        q.execute(&mut *conn).await.map_err(backend)?;
    }
    for chunk in cast.chunks(ROWS) {
        let sql = format!(
            "INSERT INTO votes (comment_id, voter, value, created_at) VALUES {} \
             ON CONFLICT (comment_id, voter) DO UPDATE SET value = excluded.value, created_at = excluded.created_at",
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
        q.execute(&mut *conn).await.map_err(backend)?;
    }
    // Recount each touched comment once, then store its score and Wilson bound.
    for chunk in comments.chunks(ROWS) {
        let sql = format!(
            "UPDATE comments SET \
             upvotes = (SELECT COUNT(*) FROM votes v WHERE v.comment_id = comments.id AND v.value = 1), \
             downvotes = (SELECT COUNT(*) FROM votes v WHERE v.comment_id = comments.id AND v.value = -1) \
             WHERE id IN ({}) RETURNING id, upvotes, downvotes",
            id_list(chunk.len())
        );
        let mut q = sqlx::query(&sql);
        for (id, _) in chunk {
            q = q.bind(id);
        }
        let tallies: Vec<(i64, VoteTally)> = q
            .fetch_all(&mut *conn)
            .await
            .map_err(backend)?
            .iter()
            .map(|r| {
                Ok((
                    r.try_get(0)?,
                    VoteTally {
                        upvotes: r.try_get(1)?,
                        downvotes: r.try_get(2)?,
                    },
                ))
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(backend)?;
        let n = tallies.len();
        let cases = " WHEN ? THEN ?".repeat(n);
        let sql = format!(
            "UPDATE comments SET score = CASE id{cases} END, best = CASE id{cases} END WHERE id IN ({})",
            id_list(n)
        );
        let mut q = sqlx::query(&sql);
        for (id, t) in &tallies {
            q = q.bind(id).bind(t.score());
        }
        for (id, t) in &tallies {
            q = q.bind(id).bind(t.wilson());
        }
        for (id, _) in &tallies {
            q = q.bind(id);
        }
        q.execute(&mut *conn).await.map_err(backend)?;
    }
    Ok(())
}
