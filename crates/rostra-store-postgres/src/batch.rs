//! Set-based batch writes, for seeding and import: whatever the size of a
//! batch, a handful of statements, each carrying one array per column
//! (`UNNEST`), instead of several statements per row.
//!
//! The rules are those of one write at a time, and the locks are taken the
//! same way (see [`crate::comments`]): the parents of replies, and the
//! comments voted on, are locked `FOR NO KEY UPDATE` (in id order, so two
//! batches never wait on each other in a circle) before they are checked,
//! and the threads' counters move last. Ids come from the table's sequence,
//! as other nodes may be inserting too. A reply's parent must already be
//! stored (as on SQLite): a batch holds no reply to a comment of its own.

use crate::comments::thread_for;
use crate::error::{corrupt, Result};
use rostra_core::{
    CommentId, CommentStatus, NewComment, PageUrl, SiteId, ThreadId, VoteTally, VoteValue,
};
use rostra_store::moderation::{assessment_json, urgency};
use rostra_store::reply::{self, Parent};
use rostra_store::{StoreError, Thread, Vote};
use sqlx::{PgConnection, Row};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A reply's parent, as stored and locked.
async fn lock_parents(conn: &mut PgConnection, ids: &[i64]) -> Result<HashMap<i64, Parent>> {
    let rows = sqlx::query(
        "SELECT id, thread_id, depth, root_id, status FROM comments \
         WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE",
    )
    .bind(ids)
    .fetch_all(&mut *conn)
    .await?;
    let mut found = HashMap::with_capacity(rows.len());
    for row in rows {
        let status: String = row.try_get("status")?;
        found.insert(
            row.try_get("id")?,
            Parent {
                thread: ThreadId(row.try_get("thread_id")?),
                depth: u32::try_from(row.try_get::<i64, _>("depth")?).map_err(corrupt)?,
                root: row.try_get::<Option<i64>, _>("root_id")?.map(CommentId),
                approved: status == CommentStatus::Approved.as_str(),
            },
        );
    }
    Ok(found)
}

/// Adds `n` to a counter column of each row of `table` by id. The column
/// and table are ours, never input.
async fn add_counts(
    conn: &mut PgConnection,
    table: &'static str,
    column: &'static str,
    counts: BTreeMap<i64, i64>,
) -> Result<()> {
    if counts.is_empty() {
        return Ok(());
    }
    let (ids, ns): (Vec<i64>, Vec<i64>) = counts.into_iter().unzip();
    sqlx::query(&format!(
        "UPDATE {table} SET {column} = {column} + d.n \
         FROM UNNEST($1::bigint[], $2::bigint[]) AS d(id, n) WHERE {table}.id = d.id"
    ))
    .bind(ids)
    .bind(ns)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Inserts a batch with the same rules as one insert at a time: all or none
/// (the caller's transaction).
pub async fn insert_batch(
    conn: &mut PgConnection,
    batch: Vec<NewComment>,
) -> Result<Vec<CommentId>> {
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
    let parents = lock_parents(conn, &wanted).await?;
    // Validate everything before writing anything.
    let mut placed = Vec::with_capacity(batch.len());
    let mut approved_per_thread: BTreeMap<i64, i64> = BTreeMap::new();
    let mut replies_per_parent: BTreeMap<i64, i64> = BTreeMap::new();
    for c in &batch {
        let thread = &threads[&(c.site_id.clone(), c.url.clone())];
        let (root, depth) = match c.parent_id {
            None => (None, 0),
            Some(pid) => {
                let (root, depth) = reply::place(pid, parents.get(&pid.0), thread.id, c.max_depth)?;
                (Some(root.0), i64::from(depth))
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
    let mut ids: Vec<i64> = sqlx::query_scalar(
        "SELECT nextval(pg_get_serial_sequence('comments', 'id')) FROM generate_series(1, $1)",
    )
    .bind(batch.len() as i64)
    .fetch_all(&mut *conn)
    .await?;
    ids.sort_unstable();
    let assessments = batch
        .iter()
        .map(|c| assessment_json(c.assessment.as_ref()))
        .collect::<Result<Vec<_>, _>>()?;
    sqlx::query(
        "INSERT INTO comments (id, thread_id, parent_id, root_id, depth, status, listed, author_name, \
         author_email, author_website, ip_hash, body_markdown, body_html, edit_token_hash, created_at, \
         assessment, urgency) \
         OVERRIDING SYSTEM VALUE \
         SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], \
         $6::text[], $7::boolean[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], \
         $13::text[], $14::bytea[], $15::bigint[], $16::text[], $17::float8[])",
    )
    .bind(&ids)
    .bind(placed.iter().map(|p| p.0).collect::<Vec<_>>())
    .bind(batch.iter().map(|c| c.parent_id.map(|p| p.0)).collect::<Vec<_>>())
    .bind(placed.iter().map(|p| p.1).collect::<Vec<_>>())
    .bind(placed.iter().map(|p| p.2).collect::<Vec<_>>())
    .bind(batch.iter().map(|c| c.status.as_str()).collect::<Vec<_>>())
    .bind(
        batch
            .iter()
            .map(|c| c.status == CommentStatus::Approved)
            .collect::<Vec<_>>(),
    )
    .bind(batch.iter().map(|c| c.author_name.as_str()).collect::<Vec<_>>())
    .bind(
        batch
            .iter()
            .map(|c| c.author_email.as_ref().map(|e| e.as_str()))
            .collect::<Vec<_>>(),
    )
    .bind(
        batch
            .iter()
            .map(|c| c.author_website.as_ref().map(|w| w.as_str()))
            .collect::<Vec<_>>(),
    )
    .bind(batch.iter().map(|c| c.ip_hash.as_deref()).collect::<Vec<_>>())
    .bind(batch.iter().map(|c| c.body.as_str()).collect::<Vec<_>>())
    .bind(batch.iter().map(|c| c.body_html.as_str()).collect::<Vec<_>>())
    .bind(
        batch
            .iter()
            .map(|c| c.edit_token_hash.0.to_vec())
            .collect::<Vec<_>>(),
    )
    .bind(batch.iter().map(|c| c.created_at.0).collect::<Vec<_>>())
    .bind(assessments)
    .bind(
        batch
            .iter()
            .map(|c| urgency(c.assessment.as_ref()))
            .collect::<Vec<_>>(),
    )
    .execute(&mut *conn)
    .await?;
    // Parents are approved, hence already listed: only their counters move.
    add_counts(conn, "comments", "listed_replies", replies_per_parent).await?;
    add_counts(conn, "threads", "approved_count", approved_per_thread).await?;
    Ok(ids.into_iter().map(CommentId).collect())
}

/// Records a batch of votes with the same rules as one at a time (the last
/// vote of a voter on a comment wins): all or none. Returns the threads of
/// the comments voted on.
pub async fn vote_batch(
    conn: &mut PgConnection,
    votes: Vec<Vote>,
) -> Result<HashSet<(SiteId, PageUrl)>> {
    let mut last: HashMap<(i64, String), &Vote> = HashMap::with_capacity(votes.len());
    for v in &votes {
        last.insert((v.comment_id.0, v.voter.as_str().to_owned()), v);
    }
    let mut comments: BTreeMap<i64, SiteId> = BTreeMap::new();
    for v in last.values() {
        comments.insert(v.comment_id.0, v.site_id.clone());
    }
    if comments.is_empty() {
        return Ok(HashSet::new());
    }
    let ids: Vec<i64> = comments.keys().copied().collect();
    let found: HashMap<i64, (String, String, String)> = sqlx::query(
        "SELECT c.id, c.status, t.site_id, t.url FROM comments c JOIN threads t ON t.id = c.thread_id \
         WHERE c.id = ANY($1) ORDER BY c.id FOR NO KEY UPDATE OF c",
    )
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        let row = (r.try_get("status")?, r.try_get("site_id")?, r.try_get("url")?);
        Ok((r.try_get("id")?, row))
    })
    .collect::<Result<_, sqlx::Error>>()?;
    let mut touched = HashSet::new();
    for (id, site) in &comments {
        match found.get(id) {
            Some((_, s, _)) if s != site.as_str() => {
                return Err(StoreError::NotFound("comment").into())
            }
            None => return Err(StoreError::NotFound("comment").into()),
            Some((status, _, _)) if status != CommentStatus::Approved.as_str() => {
                return Err(StoreError::Conflict(format!(
                    "comment {id} is {status}; only approved comments take votes"
                ))
                .into())
            }
            Some((_, _, url)) => {
                touched.insert((site.clone(), PageUrl::from_canonical(url.clone())));
            }
        }
    }
    let (retracted, cast): (Vec<&Vote>, Vec<&Vote>) =
        last.into_values().partition(|v| v.value == VoteValue::None);
    if !retracted.is_empty() {
        sqlx::query(
            "DELETE FROM votes WHERE (comment_id, voter) IN \
             (SELECT * FROM UNNEST($1::bigint[], $2::text[]))",
        )
        .bind(retracted.iter().map(|v| v.comment_id.0).collect::<Vec<_>>())
        .bind(
            retracted
                .iter()
                .map(|v| v.voter.as_str())
                .collect::<Vec<_>>(),
        )
        .execute(&mut *conn)
        .await?;
    }
    if !cast.is_empty() {
        sqlx::query(
            "INSERT INTO votes (comment_id, voter, value, created_at) \
             SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::bigint[], $4::bigint[]) \
             ON CONFLICT (comment_id, voter) DO UPDATE SET value = excluded.value, created_at = excluded.created_at",
        )
        .bind(cast.iter().map(|v| v.comment_id.0).collect::<Vec<_>>())
        .bind(cast.iter().map(|v| v.voter.as_str()).collect::<Vec<_>>())
        .bind(cast.iter().map(|v| v.value.as_i64()).collect::<Vec<_>>())
        .bind(cast.iter().map(|v| v.at.0).collect::<Vec<_>>())
        .execute(&mut *conn)
        .await?;
    }
    // Recount each touched comment once (they are locked), then store its
    // score and Wilson bound.
    let tallies: Vec<(i64, VoteTally)> = sqlx::query(
        "UPDATE comments SET \
         upvotes = (SELECT COUNT(*) FROM votes v WHERE v.comment_id = comments.id AND v.value = 1), \
         downvotes = (SELECT COUNT(*) FROM votes v WHERE v.comment_id = comments.id AND v.value = -1) \
         WHERE id = ANY($1) RETURNING id, upvotes, downvotes",
    )
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?
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
    .collect::<Result<_, sqlx::Error>>()?;
    sqlx::query(
        "UPDATE comments SET score = d.score, best = d.best \
         FROM UNNEST($1::bigint[], $2::bigint[], $3::float8[]) AS d(id, score, best) \
         WHERE comments.id = d.id",
    )
    .bind(tallies.iter().map(|(id, _)| *id).collect::<Vec<_>>())
    .bind(tallies.iter().map(|(_, t)| t.score()).collect::<Vec<_>>())
    .bind(tallies.iter().map(|(_, t)| t.wilson()).collect::<Vec<_>>())
    .execute(&mut *conn)
    .await?;
    Ok(touched)
}
