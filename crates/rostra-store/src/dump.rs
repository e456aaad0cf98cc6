//! Rows as stored, for copying a store whole: what [`Store::dump_threads`],
//! [`Store::dump_comments`] and [`Store::dump_votes`] read page by page, and
//! what [`Store::restore`] writes back verbatim.
//!
//! A dump is keyset-paged (the id of the last row seen, never an offset), so
//! reading a store of millions of comments takes constant memory and each
//! page costs the same. A restore keeps every id and counter as given; the
//! derived columns (a comment's `listed`, score and Wilson bound) are
//! computed from them by the same functions the store uses on every write.
//!
//! [`Store::dump_threads`]: crate::Store::dump_threads
//! [`Store::dump_comments`]: crate::Store::dump_comments
//! [`Store::dump_votes`]: crate::Store::dump_votes
//! [`Store::restore`]: crate::Store::restore

use crate::{AuditEntry, Ban, NewCredential, Thread, User};
use rostra_core::{
    Comment, CommentId, ReportReason, Role, Site, SiteId, Timestamp, UserId, VoteValue, VoterKey,
};

/// How many rows of each kind a store (or one of its sites) holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Sites.
    pub sites: u64,
    /// Threads.
    pub threads: u64,
    /// Comments, whatever their status.
    pub comments: u64,
    /// Votes.
    pub votes: u64,
}

impl Tally {
    /// Whether the store holds no site, thread, comment or vote (its own
    /// secrets aside: no row depends on them yet).
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Sites, threads, comments and votes together.
    pub fn rows(&self) -> u64 {
        self.sites + self.threads + self.comments + self.votes
    }
}

impl std::fmt::Display for Tally {
    /// `2 sites, 40 threads, 1200 comments, 300 votes`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} sites, {} threads, {} comments, {} votes",
            self.sites, self.threads, self.comments, self.votes
        )
    }
}

/// A named installation secret (the key of address hashes, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    /// Its name.
    pub name: String,
    /// Its bytes.
    pub value: Vec<u8>,
}

/// A comment with every stored column, the private ones included.
#[derive(Debug, Clone, PartialEq)]
pub struct CommentRow {
    /// The comment, its e-mail, Markdown and edit-token hash included.
    pub comment: Comment,
    /// The keyed hash of the author's network address.
    pub ip_hash: Option<String>,
}

/// A vote as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct VoteRow {
    /// The comment voted on.
    pub comment_id: CommentId,
    /// Who voted.
    pub voter: VoterKey,
    /// Up or down (a retracted vote is no row).
    pub value: VoteValue,
    /// When.
    pub at: Timestamp,
}

/// A user's role on a site, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipRow {
    /// The user.
    pub user_id: UserId,
    /// The site.
    pub site_id: SiteId,
    /// The role.
    pub role: Role,
}

/// A reader's report, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    /// Its id.
    pub id: i64,
    /// The comment reported.
    pub comment_id: CommentId,
    /// The keyed hash of the reader.
    pub reporter: String,
    /// Why.
    pub reason: ReportReason,
    /// The reader's words.
    pub text: Option<String>,
    /// When.
    pub at: Timestamp,
    /// When a moderator acted on the comment; `None` while open.
    pub resolved_at: Option<Timestamp>,
}

/// The moderator side's rows, read whole (these tables stay small beside
/// the comments): users, their roles, sessions and tokens (hashes), reports,
/// bans and the audit log, each ordered by its key.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModerationRows {
    /// Users, by id.
    pub users: Vec<User>,
    /// Roles, by user and site.
    pub memberships: Vec<MembershipRow>,
    /// Sessions and tokens, by hash.
    pub credentials: Vec<NewCredential>,
    /// Reports, by id.
    pub reports: Vec<ReportRow>,
    /// Bans, by id.
    pub bans: Vec<Ban>,
    /// The audit log, by id (`user_name` is read, not written).
    pub audit: Vec<AuditEntry>,
}

impl ModerationRows {
    /// How many rows it holds.
    pub fn len(&self) -> usize {
        self.users.len()
            + self.memberships.len()
            + self.credentials.len()
            + self.reports.len()
            + self.bans.len()
            + self.audit.len()
    }

    /// Whether it holds no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Rows to write verbatim, in one transaction, in the order of the fields:
/// secrets, sites, threads, comments (parents before replies: by id), votes,
/// then the moderator side's rows, then campaigns and donations.
///
/// A copy sends its rows in several `Restore`s; only the first has
/// [`fresh`](Self::fresh) set.
#[derive(Debug, Clone, Default)]
pub struct Restore {
    /// These are a copy's first rows: the store must hold no site, thread,
    /// comment or vote, or the restore is refused (`Conflict`) and writes
    /// nothing. Later batches of the same copy leave it unset; their ids must
    /// still be free.
    pub fresh: bool,
    /// Secrets; each replaces the store's own of that name.
    pub secrets: Vec<Secret>,
    /// Sites, with their voter secrets and creation times.
    pub sites: Vec<Site>,
    /// Threads, with their ids and approved counts.
    pub threads: Vec<Thread>,
    /// Comments, with their ids, counters and private columns.
    pub comments: Vec<CommentRow>,
    /// Votes.
    pub votes: Vec<VoteRow>,
    /// Users, roles, credentials, reports, bans and the audit log (their
    /// comments, sites and users before them).
    pub moderation: ModerationRows,
    /// Subscribers, subscriptions and webhooks (their sites before them).
    pub mail: MailRows,
    /// Campaigns and their donations (their sites before them).
    pub campaigns: crate::CampaignRows,
}

/// The mail side's rows a copy carries (pending outbox jobs are not: they
/// are work, not data).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MailRows {
    /// Subscribers, by id.
    pub subscribers: Vec<crate::outbox::Subscriber>,
    /// Subscriptions, by id.
    pub subscriptions: Vec<crate::outbox::Subscription>,
    /// Webhook endpoints, by id.
    pub webhooks: Vec<crate::outbox::Webhook>,
}

impl MailRows {
    /// How many rows it holds.
    pub fn len(&self) -> usize {
        self.subscribers.len() + self.subscriptions.len() + self.webhooks.len()
    }

    /// Whether it holds no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Restore {
    /// How many rows it holds.
    pub fn len(&self) -> usize {
        self.secrets.len()
            + self.sites.len()
            + self.threads.len()
            + self.comments.len()
            + self.votes.len()
            + self.moderation.len()
            + self.mail.len()
            + self.campaigns.len()
    }

    /// Whether it holds no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Sorts votes as dumps return them: by comment, then by voter compared
/// byte by byte (so that every backend, whatever its collation, gives the
/// same order).
pub fn sort_votes(votes: &mut [VoteRow]) {
    votes.sort_by(|a, b| {
        (a.comment_id, a.voter.as_str().as_bytes())
            .cmp(&(b.comment_id, b.voter.as_str().as_bytes()))
    });
}

/// The error a `fresh` restore into a store that holds rows gives.
pub fn not_empty(found: Tally) -> crate::StoreError {
    crate::StoreError::Conflict(format!(
        "the store is not empty ({found}): a restore writes only into an empty store"
    ))
}
