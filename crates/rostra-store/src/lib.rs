//! The storage trait every Rostra backend implements.
//!
//! The trait is narrow on purpose: it stores and finds rows, keeps counters
//! consistent inside its own transactions, and knows nothing of HTTP,
//! Markdown, policies or caching. Each write method is one transaction: it
//! either happens whole or not at all. `contract` holds the test suite every
//! implementation must pass; `keyset` the SQL shape of keyset paging, shared by
//! the SQL backends; `reply` where a reply goes; `feed` what a backend shared by several nodes tells each
//! node of the others' writes; `dump` the rows a copy of a whole store reads
//! and writes; `rate` the rate limits a store keeps for every node.

pub mod campaigns;
pub mod contract;
pub mod dump;
pub mod feed;
pub mod history;
pub mod keyset;
pub mod moderation;
pub mod outbox;
pub mod rate;
pub mod record;
pub mod reply;

pub use campaigns::{CampaignRows, DonationRow, NewCampaign, NewDonation, Recorded};
pub use dump::{
    CommentRow, MailRows, MembershipRow, ModerationRows, ReportRow, Restore, Secret, Tally, VoteRow,
};
pub use history::{Author, History, HistoryQuery};
pub use moderation::{
    AuditEntry, Ban, BanQuery, Credential, CredentialKind, Membership, NewAudit, NewBan,
    NewCredential, NewReport, NewUser, QueueItem, QueueQuery, ReportSummary, Reported, Revoke,
    User,
};
pub use outbox::{
    ConfirmRequest, DigestItem, Job, NewJob, NewSubscription, NewWebhook, OutboxTally, Settle,
    Subscriber, Subscription, Webhook,
};
pub use rate::{RateDecision, RatePolicy};
pub use record::AuthorRecord;

use async_trait::async_trait;
use rostra_core::campaign::Totals;
use rostra_core::{
    Campaign, CampaignSlug, CampaignSpec, Comment, CommentId, CommentStatus, FieldError,
    NewComment, NewSite, PageUrl, Reason, Role, Seek, Site, SiteId, Sort, ThreadId, Timestamp,
    UserId, VoteTally, VoteValue, VoterKey,
};

/// A thread: the comments of one page of one site.
#[derive(Debug, Clone, PartialEq)]
pub struct Thread {
    /// Identifier.
    pub id: ThreadId,
    /// Its site.
    pub site_id: SiteId,
    /// The canonical page URL.
    pub url: PageUrl,
    /// The page's title when the thread began.
    pub title: Option<String>,
    /// Approved comments.
    pub count: i64,
    /// When its first comment was written.
    pub created_at: Timestamp,
}

/// What a write to one comment left behind: the comment and its thread, both
/// as committed.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    /// The comment after the write.
    pub comment: Comment,
    /// Its thread after the write (counts updated).
    pub thread: Thread,
}

/// An edit of a comment's text.
#[derive(Debug, Clone)]
pub struct CommentEdit {
    /// Site.
    pub site_id: SiteId,
    /// Comment.
    pub id: CommentId,
    /// New Markdown.
    pub markdown: String,
    /// New HTML.
    pub html: String,
    /// When.
    pub at: Timestamp,
}

/// A vote to record.
#[derive(Debug, Clone)]
pub struct Vote {
    /// Site.
    pub site_id: SiteId,
    /// Comment.
    pub comment_id: CommentId,
    /// Who.
    pub voter: VoterKey,
    /// What.
    pub value: VoteValue,
    /// When.
    pub at: Timestamp,
}

/// The tally after a vote, and the thread it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct Voted {
    /// Counters after the vote.
    pub tally: VoteTally,
    /// The comment's thread.
    pub thread: Thread,
}

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The thing does not exist (or not on this site).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The write conflicts with what is stored (a duplicate key, a state that
    /// does not allow it).
    #[error("{0}")]
    Conflict(String),
    /// The write is invalid given what is stored (a parent in another thread,
    /// a reply too deep).
    #[error(transparent)]
    Invalid(#[from] FieldError),
    /// The backend failed; the cause is logged, never shown to clients.
    #[error("storage failure: {0}")]
    Backend(String),
}

/// Shorthand.
pub type StoreResult<T> = Result<T, StoreError>;

/// The storage every backend provides.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Whether the database answers.
    async fn ping(&self) -> StoreResult<()>;

    /// A named installation secret, created from `fresh` the first time.
    async fn secret(&self, name: &str, fresh: Vec<u8>) -> StoreResult<Vec<u8>>;

    /// Creates a site; `Conflict` if the id is taken.
    async fn create_site(&self, site: NewSite) -> StoreResult<Site>;
    /// Replaces a site's name, origins and settings.
    async fn update_site(&self, site: Site) -> StoreResult<Site>;
    /// One site.
    async fn site(&self, id: &SiteId) -> StoreResult<Option<Site>>;
    /// Every site.
    async fn sites(&self) -> StoreResult<Vec<Site>>;

    /// The thread of a page, if it has one.
    async fn thread(&self, site: &SiteId, url: &PageUrl) -> StoreResult<Option<Thread>>;
    /// A thread by id.
    async fn thread_by_id(&self, id: ThreadId) -> StoreResult<Option<Thread>>;
    /// Approved-comment counts of the pages that have threads.
    async fn counts(&self, site: &SiteId, urls: &[PageUrl]) -> StoreResult<Vec<(PageUrl, i64)>>;

    /// What the posting policy asks of the past (see [`HistoryQuery`]), in
    /// one read; the ban is the one [`Store::ban_for`] would give.
    async fn posting_history(&self, site: &SiteId, query: &HistoryQuery) -> StoreResult<History>;

    /// Stores a comment, creating the page's thread if needed. A reply's parent
    /// must be an approved comment of the same thread, and the reply no deeper
    /// than `max_depth`.
    async fn insert_comment(&self, comment: NewComment) -> StoreResult<Written>;
    /// Stores many comments in one transaction (seeding, import): all or none.
    async fn insert_batch(&self, comments: Vec<NewComment>) -> StoreResult<Vec<CommentId>>;
    /// One comment of a site, whatever its status.
    async fn comment(&self, site: &SiteId, id: CommentId) -> StoreResult<Option<Comment>>;
    /// Replaces a comment's text; `NotFound` if it is missing or deleted.
    async fn edit_comment(&self, edit: CommentEdit) -> StoreResult<Written>;
    /// Marks a comment deleted and erases its text and e-mail; it stays as a
    /// tombstone while it has listed replies.
    async fn delete_comment(&self, site: &SiteId, id: CommentId) -> StoreResult<Written>;
    /// Moves a comment to another status, keeping counts and listings right.
    async fn set_status(
        &self,
        site: &SiteId,
        id: CommentId,
        status: CommentStatus,
    ) -> StoreResult<Written>;
    /// Records, changes or retracts a vote; counters change in the same
    /// transaction. Only approved comments take votes.
    async fn vote(&self, vote: Vote) -> StoreResult<Voted>;
    /// Records many votes in one transaction (seeding, import).
    async fn vote_batch(&self, votes: Vec<Vote>) -> StoreResult<()>;

    /// Up to `limit` listed top-level comments of a thread in `sort` order from
    /// `seek`. Costs O(limit), whatever the size of the thread. Listings may
    /// leave out what no page shows (`body_markdown`, `author_email`,
    /// `edit_token_hash`): use [`Store::comment`] for those.
    async fn top_level(
        &self,
        thread: ThreadId,
        sort: Sort,
        seek: Seek,
        limit: u32,
    ) -> StoreResult<Vec<Comment>>;
    /// Every listed reply under the given top-level comments (a listing, as
    /// for [`Store::top_level`]).
    async fn replies(&self, roots: &[CommentId]) -> StoreResult<Vec<Comment>>;

    /// The changes other nodes sharing this database commit, from now on
    /// (see [`feed`]): the feed is listening when this returns, and goes on
    /// listening, reconnecting by itself, until it is dropped. `None` for a
    /// backend that only one node uses, which is the default.
    async fn changes(&self) -> StoreResult<Option<feed::ChangeFeed>> {
        Ok(None)
    }
    /// One take by `key` at `now` under `policy` (see [`rate`]): allowed, and
    /// counted, or refused for a while. Atomic: of takes racing on one key,
    /// from any number of nodes, exactly as many are allowed as the policy
    /// lets through one at a time.
    async fn take_rate(
        &self,
        key: &str,
        now: Timestamp,
        policy: RatePolicy,
    ) -> StoreResult<RateDecision>;
    /// Forgets the rate keys that are no longer limited at `now` (call now
    /// and then); returns how many.
    async fn forget_rates(&self, now: Timestamp) -> StoreResult<u64>;

    /// How many rows the store holds, or those of one site.
    async fn tally(&self, site: Option<&SiteId>) -> StoreResult<Tally>;
    /// The installation's secrets, by name.
    async fn dump_secrets(&self) -> StoreResult<Vec<Secret>>;
    /// Up to `limit` threads (of one site, or all) with ids above `after`, by
    /// id.
    async fn dump_threads(
        &self,
        site: Option<&SiteId>,
        after: Option<ThreadId>,
        limit: u32,
    ) -> StoreResult<Vec<Thread>>;
    /// Up to `limit` comments (of one site, or all) with ids above `after`,
    /// by id, whatever their status, with every stored column.
    async fn dump_comments(
        &self,
        site: Option<&SiteId>,
        after: Option<CommentId>,
        limit: u32,
    ) -> StoreResult<Vec<CommentRow>>;
    /// The votes on comments (of one site, or all) with ids above `after`,
    /// ordered as [`dump::sort_votes`] orders them. A page holds whole
    /// comments' votes: at least `limit` rows while that many are left, more
    /// when the last comment's votes go past it; the next page starts after
    /// the last row's comment.
    async fn dump_votes(
        &self,
        site: Option<&SiteId>,
        after: Option<CommentId>,
        limit: u32,
    ) -> StoreResult<Vec<VoteRow>>;
    /// The moderator side's rows (of one site: its reports, bans and audit
    /// log; no users or credentials), whole, each table by its key.
    async fn dump_moderation(&self, site: Option<&SiteId>) -> StoreResult<ModerationRows>;
    /// The mail side's rows (of one site, or all): subscribers,
    /// subscriptions and webhooks, whole, each table by id.
    async fn dump_mail(&self, site: Option<&SiteId>) -> StoreResult<MailRows>;
    /// Writes rows verbatim in one transaction, ids and counters as given,
    /// and leaves the store's id sequences past the highest ids, so that what
    /// is created afterwards gets fresh ones. `Conflict` if an id is taken,
    /// or if `rows.fresh` and the store is not empty (see [`Restore`]).
    async fn restore(&self, rows: Restore) -> StoreResult<()>;

    // The moderator side (see [`moderation`]).

    /// Creates a user; `Conflict` if the name is taken.
    async fn create_user(&self, user: NewUser) -> StoreResult<User>;
    /// A user by login name.
    async fn user_by_name(&self, name: &str) -> StoreResult<Option<User>>;
    /// Every user, by name.
    async fn users(&self) -> StoreResult<Vec<User>>;
    /// Gives a user a role on a site (replacing the one they had there);
    /// `NotFound` if the user or the site is missing.
    async fn set_role(&self, user: UserId, site: &SiteId, role: Role) -> StoreResult<()>;
    /// A user's roles, by site.
    async fn memberships(&self, user: UserId) -> StoreResult<Vec<Membership>>;
    /// Stores a session or token (its hash).
    async fn create_credential(&self, credential: NewCredential) -> StoreResult<()>;
    /// The user a session or token hash belongs to, unless it expired by
    /// `now`.
    async fn credential(
        &self,
        hash: [u8; 32],
        now: Timestamp,
    ) -> StoreResult<Option<(User, CredentialKind)>>;
    /// Forgets a session or token (logout); nothing if it is unknown.
    async fn delete_credential(&self, hash: [u8; 32]) -> StoreResult<()>;
    /// A user's sessions and tokens that have not expired by `now`, newest
    /// first.
    async fn credentials(&self, user: UserId, now: Timestamp) -> StoreResult<Vec<Credential>>;
    /// Forgets a user's sessions, or sessions and tokens; returns how many.
    async fn revoke_credentials(&self, user: UserId, which: Revoke) -> StoreResult<u64>;
    /// Takes a user's role on a site away; `false` if they had none there.
    async fn remove_role(&self, user: UserId, site: &SiteId) -> StoreResult<bool>;
    /// Replaces a user's password hash and, in the same transaction, ends
    /// their login sessions; `NotFound` if there is no such user.
    async fn set_password(&self, user: UserId, password_hash: String) -> StoreResult<()>;

    /// Records a reader's report on an approved comment of the site, once per
    /// reader (`NotFound` for a comment the public cannot see).
    async fn report(&self, report: NewReport) -> StoreResult<Reported>;
    /// Closes a comment's open reports (a moderator acted on it); returns how
    /// many were open.
    async fn resolve_reports(
        &self,
        site: &SiteId,
        id: CommentId,
        at: Timestamp,
    ) -> StoreResult<u64>;
    /// Holds an approved comment for a moderator: adds `reason` to its
    /// assessment (replacing one of the same code) and moves it to pending,
    /// with `audit` appended to the log, in one transaction. `Conflict` if it
    /// is not approved (already held, say), so that of two racing holds only
    /// one happens.
    async fn hold_comment(
        &self,
        site: &SiteId,
        id: CommentId,
        reason: Reason,
        audit: NewAudit,
    ) -> StoreResult<Written>;
    /// A moderator's decision on a comment, in one transaction: the status
    /// (as [`Store::set_status`]), the comment's open reports closed, and
    /// `audit` appended to the log. An acknowledged action is always logged,
    /// and a logged one always happened.
    async fn moderate_comment(
        &self,
        site: &SiteId,
        id: CommentId,
        status: CommentStatus,
        audit: NewAudit,
    ) -> StoreResult<Written>;
    /// Comments waiting for a moderator, with their threads and reports.
    async fn queue(&self, query: QueueQuery) -> StoreResult<Vec<QueueItem>>;

    /// Creates a ban and, in the same transaction, its audit entry
    /// (`ban`, `ban:ID`, by whom, why).
    async fn create_ban(&self, ban: NewBan) -> StoreResult<Ban>;
    /// Removes a ban of the site and returns it, appending `audit` in the
    /// same transaction; `NotFound` if there is none.
    async fn lift_ban(&self, site: &SiteId, id: i64, audit: NewAudit) -> StoreResult<Ban>;
    /// The site's bans, newest first, expired ones included.
    async fn bans(&self, site: &SiteId) -> StoreResult<Vec<Ban>>;
    /// The first ban in force at `now` that matches any of the given values.
    async fn ban_for(
        &self,
        site: &SiteId,
        query: &BanQuery,
        now: Timestamp,
    ) -> StoreResult<Option<Ban>>;

    /// Appends an entry to the audit log (there is no way to change one).
    async fn append_audit(&self, entry: NewAudit) -> StoreResult<AuditEntry>;
    /// Up to `limit` entries of a site's audit log with ids below `before`,
    /// newest first.
    async fn audit(
        &self,
        site: &SiteId,
        before: Option<i64>,
        limit: u32,
    ) -> StoreResult<Vec<AuditEntry>>;
    /// The addresses of the site's moderators and owners who gave one.
    async fn moderator_emails(&self, site: &SiteId) -> StoreResult<Vec<String>>;

    // Subscriptions, webhooks and the outbox (see [`outbox`]). A comment's
    // event job is enqueued by `insert_comment` and `set_status` themselves.

    /// Records a subscription, creating the address's subscriber (addresses
    /// compare without case), or changes the cadence of the same one.
    async fn subscribe(&self, s: NewSubscription) -> StoreResult<(Subscriber, Subscription)>;
    /// Records a confirmation request and enqueues its message, if the
    /// request's limits allow (see [`outbox::ConfirmRequest`]); whether it did.
    async fn request_confirmation(&self, r: ConfirmRequest) -> StoreResult<bool>;
    /// Marks a subscriber confirmed (again: nothing changes).
    async fn confirm_subscriber(
        &self,
        site: &SiteId,
        id: i64,
        at: Timestamp,
    ) -> StoreResult<Subscriber>;
    /// A subscriber of a site, by id or by address.
    async fn subscriber(
        &self,
        site: &SiteId,
        id: Option<i64>,
        email: Option<&str>,
    ) -> StoreResult<Option<Subscriber>>;
    /// A subscriber's subscriptions, oldest first.
    async fn subscriptions(&self, subscriber: i64) -> StoreResult<Vec<Subscription>>;
    /// One subscription.
    async fn subscription(&self, id: i64) -> StoreResult<Option<Subscription>>;
    /// The confirmed subscribers of a page, with their subscriptions to it.
    async fn page_subscribers(
        &self,
        site: &SiteId,
        url: &PageUrl,
    ) -> StoreResult<Vec<(Subscriber, Subscription)>>;
    /// Removes one of a subscriber's subscriptions, or all of them; how many.
    async fn unsubscribe(&self, subscriber: i64, one: Option<i64>) -> StoreResult<u64>;
    /// Registers a webhook endpoint.
    async fn create_webhook(&self, hook: NewWebhook) -> StoreResult<Webhook>;
    /// A site's webhook endpoints.
    async fn webhooks(&self, site: &SiteId) -> StoreResult<Vec<Webhook>>;
    /// Removes one; `NotFound` if the site has no such endpoint.
    async fn delete_webhook(&self, site: &SiteId, id: i64) -> StoreResult<()>;
    /// Enqueues jobs (those whose key exists are skipped); how many were new.
    async fn enqueue(&self, jobs: Vec<NewJob>) -> StoreResult<u64>;
    /// Leases up to `limit` due jobs to `worker` until `until`, oldest due
    /// first. A job is leased to one worker at a time, on any node; one whose
    /// lease ran out is due again.
    async fn claim_jobs(
        &self,
        worker: &str,
        now: Timestamp,
        until: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<Job>>;
    /// Settles a job the worker holds, in one transaction with what `how`
    /// enqueues; `false` (and nothing written) if the worker no longer
    /// holds it.
    async fn settle_job(
        &self,
        id: i64,
        worker: &str,
        now: Timestamp,
        how: Settle,
    ) -> StoreResult<bool>;
    /// Items waiting for a recipient's digest on a site, oldest first.
    async fn digest_items(&self, site: &SiteId, recipient: &str) -> StoreResult<Vec<DigestItem>>;
    /// Counts of the outbox's jobs (of one site, or all).
    async fn outbox_tally(&self, site: Option<&SiteId>) -> StoreResult<OutboxTally>;

    // Donation campaigns (see [`campaigns`]).

    /// Creates a campaign; `Conflict` if the site has one of that slug,
    /// `NotFound` if the site is missing.
    async fn create_campaign(&self, campaign: NewCampaign) -> StoreResult<Campaign>;
    /// Replaces what a campaign is; `NotFound` if it is missing.
    async fn update_campaign(
        &self,
        site: &SiteId,
        slug: &CampaignSlug,
        spec: CampaignSpec,
    ) -> StoreResult<Campaign>;
    /// One campaign of a site.
    async fn campaign(&self, site: &SiteId, slug: &CampaignSlug) -> StoreResult<Option<Campaign>>;
    /// A site's campaigns, by id.
    async fn campaigns(&self, site: &SiteId) -> StoreResult<Vec<Campaign>>;
    /// A campaign's totals: its offset plus every donation less refunds in
    /// its currency, the payments that still count, and the sums in other
    /// currencies.
    async fn campaign_totals(&self, campaign: &Campaign) -> StoreResult<Totals>;
    /// Records a donation or refund, once per (campaign, source, event id),
    /// a payment once as a gift, and returns the totals after it, in one
    /// transaction; `NotFound` if the campaign is missing.
    async fn record_donation(&self, donation: NewDonation) -> StoreResult<Recorded>;
    /// The campaigns' rows (of one site, or all), whole.
    async fn dump_campaigns(&self, site: Option<&SiteId>) -> StoreResult<CampaignRows>;
}
