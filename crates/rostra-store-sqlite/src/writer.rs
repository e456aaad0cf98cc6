//! The single writer and its group commit.
//!
//! SQLite takes one writer at a time, and a durable commit costs an fsync.
//! So every write goes to one writer, on a thread of its own (its turns never
//! wait behind HTTP requests in the runtime's queues): it takes the first job
//! waiting, then every other job already queued (up to [`MAX_BATCH`]), runs
//! each inside its own savepoint of one transaction, and commits once. One
//! fsync acknowledges the whole group; a job that fails rolls back to its
//! savepoint without touching the others. No job is answered before the
//! commit that makes it durable has returned. New comments, the most frequent
//! write, go through a second connection the writer calls directly
//! ([`Direct`]) instead of sqlx's, which hands every statement to a thread
//! and back; the writer uses its two connections one after the other.

use crate::campaigns::{self, CampDone, CampOp};
use crate::direct::Direct;
use crate::moderation::{self, ModDone, ModOp};
use crate::outbox::{self, MailDone, MailOp};
use crate::{batch, restore, writes};
use rostra_core::{CommentId, CommentStatus, NewComment, NewSite, Site, SiteId};
use rostra_store::{CommentEdit, Restore, StoreError, StoreResult, Vote, Voted, Written};
use sqlx::{Connection, SqliteConnection};
use tokio::sync::{mpsc, oneshot};

/// Most jobs committed together.
pub const MAX_BATCH: usize = 512;

/// A write to perform.
pub enum Op {
    Secret(String, Vec<u8>),
    CreateSite(NewSite),
    UpdateSite(Site),
    InsertBatch(Vec<NewComment>),
    Edit(CommentEdit),
    Delete(SiteId, CommentId),
    SetStatus(SiteId, CommentId, CommentStatus),
    Vote(Vote),
    VoteBatch(Vec<Vote>),
    Restore(Restore),
    Mod(ModOp),
    Mail(MailOp),
    Campaign(CampOp),
}

/// What a write produced. Moved once per job, through its reply channel: a
/// large variant costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
pub enum Done {
    Bytes(Vec<u8>),
    Site(Site),
    Written(Written),
    Ids(Vec<CommentId>),
    Voted(Voted),
    Mod(ModDone),
    Mail(MailDone),
    Campaign(CampDone),
    Nothing,
}

/// A write for the writer, and where to send its outcome.
pub enum Job {
    /// A new comment, written through [`Direct`].
    Comment(NewComment, oneshot::Sender<StoreResult<Written>>),
    /// Any other write, on sqlx's connection.
    Other(Op, oneshot::Sender<StoreResult<Done>>),
}

type Reply = oneshot::Sender<StoreResult<Done>>;

type Boxed<'a, T> =
    std::pin::Pin<Box<dyn std::future::Future<Output = StoreResult<T>> + Send + 'a>>;

// Boxed with an explicit lifetime: the compiler cannot otherwise prove the
// writer's future `Send` across sqlx's higher-ranked executor bounds.
fn apply(conn: &mut SqliteConnection, op: Op) -> Boxed<'_, Done> {
    Box::pin(async move {
        Ok(match op {
            Op::Secret(name, fresh) => Done::Bytes(writes::secret(conn, &name, fresh).await?),
            Op::CreateSite(site) => Done::Site(writes::create_site(conn, site).await?),
            Op::UpdateSite(site) => Done::Site(writes::update_site(conn, site).await?),
            Op::InsertBatch(b) => Done::Ids(batch::insert_batch(conn, b).await?),
            Op::Edit(e) => Done::Written(writes::edit_comment(conn, e).await?),
            Op::Delete(site, id) => Done::Written(writes::delete_comment(conn, &site, id).await?),
            Op::SetStatus(site, id, s) => {
                Done::Written(writes::set_status(conn, &site, id, s).await?)
            }
            Op::Vote(v) => Done::Voted(writes::vote(conn, v).await?),
            Op::VoteBatch(votes) => {
                batch::vote_batch(conn, votes).await?;
                Done::Nothing
            }
            Op::Restore(rows) => {
                restore::restore(conn, rows).await?;
                Done::Nothing
            }
            Op::Mod(op) => Done::Mod(moderation::apply(conn, op).await?),
            Op::Mail(op) => Done::Mail(outbox::apply(conn, op).await?),
            Op::Campaign(op) => Done::Campaign(campaigns::apply(conn, op).await?),
        })
    })
}

fn exec<'a>(conn: &'a mut SqliteConnection, sql: &'static str) -> Boxed<'a, ()> {
    Box::pin(async move {
        sqlx::query(sql)
            .execute(&mut *conn)
            .await
            .map(|_| ())
            .map_err(crate::rows::backend)
    })
}

/// Runs one job inside a savepoint (unless it is the group's only job), so
/// that its failure undoes its own writes and no one else's.
async fn in_savepoint(conn: &mut SqliteConnection, op: Op, alone: bool) -> StoreResult<Done> {
    if alone {
        return apply(conn, op).await;
    }
    exec(conn, "SAVEPOINT job").await?;
    let outcome = apply(conn, op).await;
    let undone = if outcome.is_ok() {
        Ok(())
    } else {
        exec(conn, "ROLLBACK TO job").await
    };
    undone.and(exec(conn, "RELEASE job").await)?;
    outcome
}

/// Runs one group: all jobs in one transaction, each in a savepoint.
async fn commit_group(conn: &mut SqliteConnection, jobs: Vec<(Op, Reply)>) {
    let mut outcomes = Vec::with_capacity(jobs.len());
    if let Err(e) = exec(conn, "BEGIN IMMEDIATE").await {
        for (_, reply) in jobs {
            let _ = reply.send(Err(StoreError::Backend(e.to_string())));
        }
        return;
    }
    let alone = jobs.len() == 1;
    for (op, reply) in jobs {
        outcomes.push((reply, in_savepoint(conn, op, alone).await));
    }
    // A lone job that failed leaves nothing worth keeping.
    let lone_failed = alone && outcomes.first().is_some_and(|(_, o)| o.is_err());
    let end = if lone_failed { "ROLLBACK" } else { "COMMIT" };
    match exec(conn, end).await {
        Ok(()) => {
            for (reply, outcome) in outcomes {
                let _ = reply.send(outcome);
            }
        }
        Err(e) => {
            tracing::error!(error = %e, "group commit failed");
            let _ = exec(conn, "ROLLBACK").await;
            for (reply, _) in outcomes {
                let _ = reply.send(Err(StoreError::Backend(format!("commit failed: {e}"))));
            }
        }
    }
}

/// Runs until every sender is dropped, then closes the connections cleanly
/// (which checkpoints the WAL). New comments go to `direct`, everything else
/// to sqlx's connection: a group that holds both commits twice. Jobs of one
/// group were all waiting at once, none answered, so any order of them is
/// one their senders could have seen.
pub async fn run(mut conn: SqliteConnection, direct: Direct, mut jobs: mpsc::Receiver<Job>) {
    while let Some(first) = jobs.recv().await {
        let mut group = vec![first];
        while group.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        let mut others = Vec::new();
        let (mut replies, mut comments) = (Vec::new(), Vec::new());
        for job in group {
            match job {
                Job::Comment(c, reply) => {
                    replies.push(reply);
                    comments.push(c);
                }
                Job::Other(op, reply) => others.push((op, reply)),
            }
        }
        if !comments.is_empty() {
            for (reply, outcome) in replies.into_iter().zip(direct.commit(comments)) {
                let _ = reply.send(outcome);
            }
        }
        if !others.is_empty() {
            commit_group(&mut conn, others).await;
        }
    }
    drop(direct);
    if let Err(e) = conn.close().await {
        tracing::warn!(error = %e, "closing the write connection");
    }
}
