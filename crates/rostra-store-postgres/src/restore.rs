//! Restoring rows verbatim (a copy from another store), in one transaction:
//! ids, counters and times as given, one `INSERT … SELECT FROM UNNEST` per
//! table, whatever the number of rows (one array per column).
//!
//! Ids are identity columns: the rows are written `OVERRIDING SYSTEM VALUE`,
//! then each sequence is moved past the highest id, so that what is created
//! afterwards gets fresh ones.

use crate::dump;
use crate::error::{corrupt, Result};
use rostra_core::comment::is_listed;
use rostra_core::{Site, VoteTally};
use rostra_store::dump::not_empty;
use rostra_store::moderation::{assessment_json, urgency};
use rostra_store::{CommentRow, Restore, Secret, StoreError, Thread, VoteRow};
use sqlx::PgConnection;

/// Writes `rows` inside the caller's transaction.
pub async fn restore(conn: &mut PgConnection, rows: Restore) -> Result<()> {
    if rows.fresh {
        let found = dump::tally_on(&mut *conn).await?;
        if !found.is_empty() {
            return Err(not_empty(found).into());
        }
    }
    secrets(conn, &rows.secrets).await.map_err(refused)?;
    sites(conn, &rows.sites).await.map_err(refused)?;
    threads(conn, &rows.threads).await.map_err(refused)?;
    comments(conn, &rows.comments).await.map_err(refused)?;
    votes(conn, &rows.votes).await.map_err(refused)?;
    crate::moderation::restore(conn, &rows.moderation)
        .await
        .map_err(refused)?;
    crate::outbox::copy::restore(conn, &rows.mail)
        .await
        .map_err(refused)?;
    crate::campaigns::restore(conn, &rows.campaigns)
        .await
        .map_err(refused)?;
    if !rows.threads.is_empty() {
        advance(conn, "threads").await?;
    }
    if !rows.comments.is_empty() {
        advance(conn, "comments").await?;
    }
    Ok(())
}

/// A unique or foreign key the rows break, said as a restore's refusal.
fn refused(e: crate::error::Error) -> crate::error::Error {
    match &e {
        crate::error::Error::Sql(sqlx::Error::Database(d)) if d.is_unique_violation() => {
            StoreError::Conflict(format!(
                "restoring: a row with that id already exists ({d})"
            ))
            .into()
        }
        crate::error::Error::Sql(sqlx::Error::Database(d)) if d.is_foreign_key_violation() => {
            StoreError::Conflict(format!(
                "restoring: a row refers to one that is missing ({d})"
            ))
            .into()
        }
        _ => e,
    }
}

/// Moves a table's id sequence past its highest id (an index lookup). The
/// table name is one of ours, never input.
pub(crate) async fn advance(conn: &mut PgConnection, table: &'static str) -> Result<()> {
    sqlx::query(&format!(
        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
         GREATEST((SELECT MAX(id) FROM {table}), 1))"
    ))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn secrets(conn: &mut PgConnection, secrets: &[Secret]) -> Result<()> {
    for s in secrets {
        sqlx::query(
            "INSERT INTO meta (name, value) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        )
        .bind(&s.name)
        .bind(&s.value)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn sites(conn: &mut PgConnection, sites: &[Site]) -> Result<()> {
    for site in sites {
        let origins = serde_json::to_string(&site.allowed_origins).map_err(corrupt)?;
        let settings = serde_json::to_string(&site.settings).map_err(corrupt)?;
        sqlx::query(
            "INSERT INTO sites (id, name, allowed_origins, settings, voter_secret, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(site.id.as_str())
        .bind(&site.name)
        .bind(origins)
        .bind(settings)
        .bind(&site.voter_secret)
        .bind(site.created_at.0)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn threads(conn: &mut PgConnection, threads: &[Thread]) -> Result<()> {
    if threads.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO threads (id, site_id, url, title, approved_count, created_at) \
         OVERRIDING SYSTEM VALUE \
         SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[])",
    )
    .bind(threads.iter().map(|t| t.id.0).collect::<Vec<_>>())
    .bind(threads.iter().map(|t| t.site_id.as_str()).collect::<Vec<_>>())
    .bind(threads.iter().map(|t| t.url.as_str()).collect::<Vec<_>>())
    .bind(threads.iter().map(|t| t.title.as_deref()).collect::<Vec<_>>())
    .bind(threads.iter().map(|t| t.count).collect::<Vec<_>>())
    .bind(threads.iter().map(|t| t.created_at.0).collect::<Vec<_>>())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn comments(conn: &mut PgConnection, rows: &[CommentRow]) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let c = || rows.iter().map(|r| &r.comment);
    let tallies: Vec<VoteTally> = c()
        .map(|c| VoteTally {
            upvotes: c.upvotes,
            downvotes: c.downvotes,
        })
        .collect();
    sqlx::query(
        "INSERT INTO comments (id, thread_id, parent_id, root_id, depth, status, listed, listed_replies, \
         author_name, author_email, author_website, ip_hash, body_markdown, body_html, edit_token_hash, \
         created_at, edited_at, upvotes, downvotes, score, best, assessment, urgency) \
         OVERRIDING SYSTEM VALUE \
         SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], \
         $6::text[], $7::boolean[], $8::bigint[], $9::text[], $10::text[], $11::text[], $12::text[], \
         $13::text[], $14::text[], $15::bytea[], $16::bigint[], $17::bigint[], $18::bigint[], \
         $19::bigint[], $20::bigint[], $21::float8[], $22::text[], $23::float8[])",
    )
    .bind(c().map(|c| c.id.0).collect::<Vec<_>>())
    .bind(c().map(|c| c.thread_id.0).collect::<Vec<_>>())
    .bind(c().map(|c| c.parent_id.map(|p| p.0)).collect::<Vec<_>>())
    .bind(c().map(|c| c.root_id.map(|r| r.0)).collect::<Vec<_>>())
    .bind(c().map(|c| i64::from(c.depth)).collect::<Vec<_>>())
    .bind(c().map(|c| c.status.as_str()).collect::<Vec<_>>())
    .bind(c().map(|c| is_listed(c.status, c.listed_replies)).collect::<Vec<_>>())
    .bind(c().map(|c| c.listed_replies).collect::<Vec<_>>())
    .bind(c().map(|c| c.author_name.as_str()).collect::<Vec<_>>())
    .bind(c().map(|c| c.author_email.as_deref()).collect::<Vec<_>>())
    .bind(c().map(|c| c.author_website.as_deref()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.ip_hash.as_deref()).collect::<Vec<_>>())
    .bind(c().map(|c| c.body_markdown.as_str()).collect::<Vec<_>>())
    .bind(c().map(|c| c.body_html.as_str()).collect::<Vec<_>>())
    .bind(c().map(|c| c.edit_token_hash.map(|h| h.0.to_vec())).collect::<Vec<_>>())
    .bind(c().map(|c| c.created_at.0).collect::<Vec<_>>())
    .bind(c().map(|c| c.edited_at.map(|t| t.0)).collect::<Vec<_>>())
    .bind(c().map(|c| c.upvotes).collect::<Vec<_>>())
    .bind(c().map(|c| c.downvotes).collect::<Vec<_>>())
    .bind(tallies.iter().map(|t| t.score()).collect::<Vec<_>>())
    .bind(tallies.iter().map(|t| t.wilson()).collect::<Vec<_>>())
    .bind(
        c().map(|c| assessment_json(c.assessment.as_ref()))
            .collect::<Result<Vec<_>, _>>()?,
    )
    .bind(c().map(|c| urgency(c.assessment.as_ref())).collect::<Vec<_>>())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn votes(conn: &mut PgConnection, votes: &[VoteRow]) -> Result<()> {
    if votes.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO votes (comment_id, voter, value, created_at) \
         SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::bigint[], $4::bigint[])",
    )
    .bind(votes.iter().map(|v| v.comment_id.0).collect::<Vec<_>>())
    .bind(votes.iter().map(|v| v.voter.as_str()).collect::<Vec<_>>())
    .bind(votes.iter().map(|v| v.value.as_i64()).collect::<Vec<_>>())
    .bind(votes.iter().map(|v| v.at.0).collect::<Vec<_>>())
    .execute(&mut *conn)
    .await?;
    Ok(())
}
