//! What other nodes commit: the change feed of a store shared by several
//! Rostra nodes.
//!
//! Each node keeps state derived from the database (cached pages and counts,
//! and the live-update streams of its readers). A backend that several nodes
//! may share announces every committed write that changes what a reader
//! sees, and [`Store::changes`](crate::Store::changes) hands each node the
//! announcements of the *other* nodes: its own writes it already knows of.
//! SQLite has one node, so it has no feed.
//!
//! Announcements are not stored: one sent while a node was not listening is
//! lost to it. A feed therefore says so, with [`Change::LostTrack`], each
//! time it starts listening again, and the node must then take everything it
//! derived as stale.

use futures::stream::BoxStream;
use rostra_core::{CampaignSlug, CommentId, PageUrl, SiteId};

/// The changes other nodes commit, in the order they commit them, for as
/// long as the stream is held; dropping it stops listening.
pub type ChangeFeed = BoxStream<'static, Change>;

/// What happened to a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentChange {
    /// It was posted, approved.
    Created,
    /// Its author changed its text.
    Edited,
    /// Its author deleted it.
    Deleted,
    /// Somebody moved it to another status (approval included).
    Status,
}

impl CommentChange {
    /// The spelling of the live-events contract (and of notifications).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Edited => "edited",
            Self::Deleted => "deleted",
            Self::Status => "status",
        }
    }
}

/// How a thread changed, as far as its readers are concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ThreadEvent {
    /// A comment readers may see changed.
    Comment {
        /// The comment.
        id: CommentId,
        /// The comment it answers, if any.
        parent: Option<CommentId>,
        /// What happened to it.
        kind: CommentChange,
        /// The thread's approved comments after the change.
        count: i64,
    },
    /// A comment's votes changed.
    Vote {
        /// The comment.
        id: CommentId,
        /// Up-votes after the vote.
        up: i64,
        /// Down-votes after the vote.
        down: i64,
    },
    /// The thread changed in a way its readers are not told of (a comment
    /// held for moderation, a deleted one nobody saw): what is cached of it
    /// is stale, nothing more.
    Quiet,
    /// The thread changed, the announcement does not say how (a batch): what
    /// is cached of it is stale, and its readers must refetch it.
    Unknown,
}

/// One item of a [`ChangeFeed`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Another node committed a change to one thread.
    Thread {
        /// The thread's site.
        site: SiteId,
        /// The thread's canonical page URL.
        url: PageUrl,
        /// What changed.
        event: ThreadEvent,
    },
    /// Another node recorded a donation: a campaign's totals changed.
    Campaign {
        /// The campaign's site.
        site: SiteId,
        /// The campaign.
        slug: CampaignSlug,
        /// The amount raised after it, in minor units.
        raised: i64,
        /// The donors after it.
        donors: i64,
    },
    /// Another node committed a change it could not describe thread by
    /// thread (an announcement too large to send whole): anything may have
    /// changed.
    Everything,
    /// The feed was not listening for a while and has started again: changes
    /// committed meanwhile were not seen, so anything may have changed.
    /// Yielded after every reconnection (never before the first item of a
    /// feed that has not lost its connection).
    LostTrack,
}
