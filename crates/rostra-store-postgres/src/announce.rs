//! The writes that change what readers see, each followed, inside its own
//! transaction, by the announcement other nodes act on (see [`notice`]).
//!
//! What is announced mirrors what a node tells its own readers: a comment
//! posted approved is `created`, one held for moderation is only `quiet`
//! (caches); an edit or a deletion is announced if the comment was listed
//! before; a status change and a vote always are. A batch announces each
//! thread it touched as `unknown` (refetch), or `everything` past
//! [`MOST_THREADS`].

use crate::error::Result;
use crate::notice::{self, NodeId};
use crate::{batch, comments, votes};
use rostra_core::{CommentId, CommentStatus, NewComment, PageUrl, SiteId};
use rostra_store::feed::{Change, CommentChange, ThreadEvent};
use rostra_store::{CommentEdit, Thread, Vote, Voted, Written};
use sqlx::PgConnection;
use std::collections::HashSet;
use std::sync::Arc;

/// A batch that touches more threads than this is announced as a whole.
const MOST_THREADS: usize = 100;

/// Who announces, and where.
#[derive(Debug, Clone)]
pub struct Announcer {
    /// The node.
    pub node: NodeId,
    /// The installation's channel.
    pub channel: Arc<str>,
}

impl Announcer {
    async fn send(&self, conn: &mut PgConnection, change: &Change) -> Result<()> {
        notice::send(conn, &self.channel, self.node, change).await
    }

    /// A campaign's new totals.
    pub(crate) async fn campaign(&self, conn: &mut PgConnection, change: &Change) -> Result<()> {
        self.send(conn, change).await
    }

    async fn thread(
        &self,
        conn: &mut PgConnection,
        thread: &Thread,
        event: ThreadEvent,
    ) -> Result<()> {
        let change = Change::Thread {
            site: thread.site_id.clone(),
            url: thread.url.clone(),
            event,
        };
        self.send(conn, &change).await
    }

    pub(crate) async fn comment(
        &self,
        conn: &mut PgConnection,
        w: &Written,
        kind: CommentChange,
    ) -> Result<()> {
        let event = ThreadEvent::Comment {
            id: w.comment.id,
            parent: w.comment.parent_id,
            kind,
            count: w.thread.count,
        };
        self.thread(conn, &w.thread, event).await
    }

    /// Each thread of a batch, or everything.
    async fn threads(
        &self,
        conn: &mut PgConnection,
        touched: HashSet<(SiteId, PageUrl)>,
    ) -> Result<()> {
        if touched.len() > MOST_THREADS {
            return self.send(conn, &Change::Everything).await;
        }
        for (site, url) in touched {
            let change = Change::Thread {
                site,
                url,
                event: ThreadEvent::Unknown,
            };
            self.send(conn, &change).await?;
        }
        Ok(())
    }
}

/// [`comments::insert_comment`], announced.
pub async fn insert_comment(
    conn: &mut PgConnection,
    say: Announcer,
    c: NewComment,
) -> Result<Written> {
    let site = c.site_id.clone();
    let written = comments::insert_comment(conn, c, None).await?;
    crate::outbox::events::on_insert(conn, &site, &written).await?;
    if written.comment.status == CommentStatus::Approved {
        say.comment(conn, &written, CommentChange::Created).await?;
    } else {
        say.thread(conn, &written.thread, ThreadEvent::Quiet)
            .await?;
    }
    Ok(written)
}

/// [`batch::insert_batch`], announced.
pub async fn insert_batch(
    conn: &mut PgConnection,
    say: Announcer,
    batch: Vec<NewComment>,
) -> Result<Vec<CommentId>> {
    let touched = batch
        .iter()
        .map(|c| (c.site_id.clone(), c.url.clone()))
        .collect();
    let ids = batch::insert_batch(conn, batch).await?;
    say.threads(conn, touched).await?;
    Ok(ids)
}

/// [`comments::edit_comment`], announced.
pub async fn edit_comment(
    conn: &mut PgConnection,
    say: Announcer,
    edit: CommentEdit,
) -> Result<Written> {
    let written = comments::edit_comment(conn, edit).await?;
    // An edit changes neither status nor replies: listed now is listed before.
    if written.comment.is_listed() {
        say.comment(conn, &written, CommentChange::Edited).await?;
    } else {
        say.thread(conn, &written.thread, ThreadEvent::Quiet)
            .await?;
    }
    Ok(written)
}

/// [`comments::delete_comment`], announced.
pub async fn delete_comment(
    conn: &mut PgConnection,
    say: Announcer,
    site: SiteId,
    id: CommentId,
) -> Result<Written> {
    let (written, was_listed) = comments::delete_comment(conn, site, id).await?;
    if was_listed {
        say.comment(conn, &written, CommentChange::Deleted).await?;
    } else {
        say.thread(conn, &written.thread, ThreadEvent::Quiet)
            .await?;
    }
    Ok(written)
}

/// [`comments::set_status`], announced.
pub async fn set_status(
    conn: &mut PgConnection,
    say: Announcer,
    site: SiteId,
    id: CommentId,
    status: CommentStatus,
) -> Result<Written> {
    let (written, from) = comments::set_status(conn, site.clone(), id, status).await?;
    crate::outbox::events::on_change(conn, &site, &written, from).await?;
    say.comment(conn, &written, CommentChange::Status).await?;
    Ok(written)
}

/// [`votes::vote`], announced.
pub async fn vote(conn: &mut PgConnection, say: Announcer, v: Vote) -> Result<Voted> {
    let id = v.comment_id;
    let voted = votes::vote(conn, v).await?;
    let event = ThreadEvent::Vote {
        id,
        up: voted.tally.upvotes,
        down: voted.tally.downvotes,
    };
    say.thread(conn, &voted.thread, event).await?;
    Ok(voted)
}

/// Many votes, in order, announced by thread.
pub async fn vote_batch(conn: &mut PgConnection, say: Announcer, batch: Vec<Vote>) -> Result<()> {
    let touched = batch::vote_batch(conn, batch).await?;
    say.threads(conn, touched).await
}
