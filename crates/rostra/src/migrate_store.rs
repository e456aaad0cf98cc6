//! `rostra migrate-store`: copy every row of one store into another, empty
//! one (SQLite to PostgreSQL, or back), then check that both export the
//! same bytes.
//!
//! Reading and writing overlap: one task reads keyset-paged batches from the
//! source while the target restores the previous one, each batch one
//! transaction, so memory stays bounded by a couple of batches whatever the
//! size of the store. The first batch (secrets and sites) is a fresh restore:
//! the target refuses it, writing nothing, unless it is empty.

use crate::export::{Export, Record};
use anyhow::Context;
use indicatif::ProgressBar;
use rostra_store::{Restore, Store, Tally};
use std::sync::Arc;
use tokio::sync::mpsc;

/// Rows read and restored at a time.
pub const BATCH: u32 = 1000;

/// Batches read ahead of the writer.
const AHEAD: usize = 2;

/// What comparing two exports found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Comparison {
    /// The same bytes; what they hold.
    Identical(Tally),
    /// They part at a line.
    Differ {
        /// The line, from 1.
        line: u64,
        /// What differs there.
        what: String,
    },
}

/// Copies every row of `from` into `to`, which must be empty, moving `bar`
/// a step a row; returns what was copied.
pub async fn copy(
    from: Arc<dyn Store>,
    to: Arc<dyn Store>,
    bar: &ProgressBar,
) -> anyhow::Result<Tally> {
    let (tx, mut rx) = mpsc::channel::<Restore>(AHEAD);
    let reader = tokio::spawn(read(from, tx));
    let mut copied = Tally::default();
    let written: anyhow::Result<()> = async {
        while let Some(batch) = rx.recv().await {
            let n = Tally {
                sites: batch.sites.len() as u64,
                threads: batch.threads.len() as u64,
                comments: batch.comments.len() as u64,
                votes: batch.votes.len() as u64,
            };
            to.restore(batch).await.context("writing to the target")?;
            copied.sites += n.sites;
            copied.threads += n.threads;
            copied.comments += n.comments;
            copied.votes += n.votes;
            bar.inc(n.sites + n.threads + n.comments + n.votes);
        }
        Ok(())
    }
    .await;
    if written.is_err() {
        reader.abort();
    }
    written?;
    reader.await.context("the reading task failed")??;
    Ok(copied)
}

/// Reads `from` in batches, in the order a restore needs them (parents
/// before what points at them), and sends them on.
async fn read(from: Arc<dyn Store>, to: mpsc::Sender<Restore>) -> anyhow::Result<()> {
    let stopped = || anyhow::anyhow!("the writer stopped");
    let first = Restore {
        fresh: true,
        secrets: from.dump_secrets().await?,
        sites: from.sites().await?,
        ..Restore::default()
    };
    to.send(first).await.map_err(|_| stopped())?;
    let mut after = None;
    loop {
        let threads = from.dump_threads(None, after, BATCH).await?;
        let Some(last) = threads.last() else { break };
        after = Some(last.id);
        let batch = Restore {
            threads,
            ..Restore::default()
        };
        to.send(batch).await.map_err(|_| stopped())?;
    }
    let mut after = None;
    loop {
        let comments = from.dump_comments(None, after, BATCH).await?;
        let Some(last) = comments.last() else { break };
        after = Some(last.comment.id);
        let batch = Restore {
            comments,
            ..Restore::default()
        };
        to.send(batch).await.map_err(|_| stopped())?;
    }
    let mut after = None;
    loop {
        let votes = from.dump_votes(None, after, BATCH).await?;
        let Some(last) = votes.last() else { break };
        after = Some(last.comment_id);
        let batch = Restore {
            votes,
            ..Restore::default()
        };
        to.send(batch).await.map_err(|_| stopped())?;
    }
    let moderation = from.dump_moderation(None).await?;
    let mail = from.dump_mail(None).await?;
    if !moderation.is_empty() || !mail.is_empty() {
        let batch = Restore {
            moderation,
            mail,
            ..Restore::default()
        };
        to.send(batch).await.map_err(|_| stopped())?;
    }
    let campaigns = from.dump_campaigns(None).await?;
    if !campaigns.is_empty() {
        let batch = Restore {
            campaigns,
            ..Restore::default()
        };
        to.send(batch).await.map_err(|_| stopped())?;
    }
    Ok(())
}

/// Reads the exports of `a` and `b` side by side, line by line, and stops at
/// the first line that differs; moves `bar` a step a line.
pub async fn compare(
    a: Arc<dyn Store>,
    b: Arc<dyn Store>,
    bar: &ProgressBar,
) -> anyhow::Result<Comparison> {
    let mut a = Export::new(a, None);
    let mut b = Export::new(b, None);
    let mut line = 0u64;
    loop {
        line += 1;
        let (x, y) = tokio::try_join!(a.next(), b.next())?;
        let what = match (x, y) {
            (None, None) => return Ok(Comparison::Identical(a.seen())),
            (Some(x), None) => format!(
                "the target has nothing where the source has {}",
                x.describe()
            ),
            (None, Some(y)) => format!(
                "the source has nothing where the target has {}",
                y.describe()
            ),
            (Some(x), Some(y)) => {
                if x.to_line()? == y.to_line()? {
                    bar.inc(1);
                    continue;
                }
                difference(&x, &y)?
            }
        };
        return Ok(Comparison::Differ { line, what });
    }
}

/// Says how two records differ: which they are, or which of their fields
/// differ (never the values: they may be secrets or e-mail addresses).
fn difference(x: &Record, y: &Record) -> anyhow::Result<String> {
    let (dx, dy) = (x.describe(), y.describe());
    if dx != dy {
        return Ok(format!("the source has {dx} where the target has {dy}"));
    }
    let (vx, vy) = (serde_json::to_value(x)?, serde_json::to_value(y)?);
    let fields: Vec<&str> = match (vx.as_object(), vy.as_object()) {
        (Some(ox), Some(oy)) => ox
            .iter()
            .filter(|(k, v)| oy.get(k.as_str()) != Some(v))
            .map(|(k, _)| k.as_str())
            .collect(),
        _ => Vec::new(),
    };
    Ok(format!("{dx} differs in {}", fields.join(", ")))
}
