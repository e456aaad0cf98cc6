//! Subscriptions, webhooks and the outbox: the rows behind e-mail and
//! deliveries, and the jobs that carry them out after a commit.
//!
//! A comment that someone may hear of enqueues an `event` job in its own
//! transaction ([`event_job_key`], [`event_payload`]); a worker on any node
//! claims due jobs with a lease ([`crate::Store::claim_jobs`]), does them,
//! and settles each ([`Settle`]), which may enqueue further jobs in the same
//! transaction. Only the holder of a job's lease can settle it.

use rostra_core::{Cadence, CommentId, PageUrl, SiteId, SubscriptionKind, Timestamp, WebhookEvent};

/// What a comment's event job says happened to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentEvent {
    /// Stored approved.
    Created,
    /// Stored held for a moderator.
    Held,
    /// A held comment was approved.
    Approved,
    /// Rejected or marked spam.
    Rejected,
}

impl CommentEvent {
    /// The name in the job's payload.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Held => "held",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }

    /// The event a status change makes, if any: approval of a comment that
    /// was not approved, or a rejection of one that was public or held.
    pub fn of_change(
        from: rostra_core::CommentStatus,
        to: rostra_core::CommentStatus,
    ) -> Option<Self> {
        use rostra_core::CommentStatus as S;
        match (from, to) {
            (S::Pending | S::Rejected | S::Spam, S::Approved) => Some(Self::Approved),
            (S::Pending | S::Approved, S::Rejected | S::Spam) => Some(Self::Rejected),
            _ => None,
        }
    }
}

/// The unique key of a comment's event job: one per comment and event, so
/// that approving a comment twice notifies once.
pub fn event_job_key(comment: CommentId, event: CommentEvent) -> String {
    format!("event:{}:{}", comment.0, event.as_str())
}

/// The payload of a comment's event job.
pub fn event_payload(comment: CommentId, event: CommentEvent) -> String {
    format!(
        "{{\"event\":\"{}\",\"comment\":{}}}",
        event.as_str(),
        comment.0
    )
}

/// What kind of work a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    /// A comment event to fan out into mail and deliveries.
    Event,
    /// One message to mail.
    Mail,
    /// A digest to assemble and mail.
    Digest,
    /// One webhook delivery.
    Webhook,
}

impl JobKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Event => "event",
            Self::Mail => "mail",
            Self::Digest => "digest",
            Self::Webhook => "webhook",
        }
    }

    /// Parses the stored name.
    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Event, Self::Mail, Self::Digest, Self::Webhook]
            .into_iter()
            .find(|k| k.as_str() == raw)
    }
}

/// A job to enqueue.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    /// The site it is for.
    pub site_id: SiteId,
    /// What it is.
    pub kind: JobKind,
    /// Unique: a job whose key exists is not enqueued again.
    pub key: String,
    /// What the worker needs (JSON).
    pub payload: String,
    /// Not before.
    pub run_at: Timestamp,
}

/// A job as claimed.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    /// Identifier.
    pub id: i64,
    /// The site.
    pub site_id: SiteId,
    /// What it is.
    pub kind: JobKind,
    /// Its unique key.
    pub key: String,
    /// What the worker needs (JSON).
    pub payload: String,
    /// When it was enqueued.
    pub created_at: Timestamp,
    /// Attempts so far, this one included.
    pub attempts: u32,
}

/// How a claimed job ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Settle {
    /// Done; enqueue `then` and record `digest` items in the same
    /// transaction, and drop the recipient's digest items up to an id (the
    /// ones a digest just mailed).
    Done {
        /// Jobs it leads to.
        then: Vec<NewJob>,
        /// Items for digests.
        digest: Vec<NewDigestItem>,
        /// `(recipient, last id)`: digest items now mailed.
        mailed: Option<(String, i64)>,
    },
    /// Failed for now: try again at `at`.
    Retry {
        /// When.
        at: Timestamp,
        /// Why it failed.
        error: String,
    },
    /// Given up (or nothing left to do, with the reason): never tried again.
    Failed {
        /// Why.
        error: String,
    },
}

impl Settle {
    /// Done, leading to nothing.
    pub fn done() -> Self {
        Self::Done {
            then: Vec::new(),
            digest: Vec::new(),
            mailed: None,
        }
    }
}

/// Counts of the outbox's jobs, for operators and tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutboxTally {
    /// Waiting or leased.
    pub pending: u64,
    /// Done.
    pub done: u64,
    /// Given up.
    pub failed: u64,
}

/// A reader's address on a site.
#[derive(Debug, Clone, PartialEq)]
pub struct Subscriber {
    /// Identifier.
    pub id: i64,
    /// The site.
    pub site_id: SiteId,
    /// The address, as given (trimmed; compared without case).
    pub email: String,
    /// The language mail goes out in.
    pub lang: String,
    /// When it was first given.
    pub created_at: Timestamp,
    /// When its owner confirmed it; nothing is mailed before.
    pub confirmed_at: Option<Timestamp>,
    /// The last confirmation request.
    pub confirm_sent_at: Option<Timestamp>,
    /// Confirmation requests sent while unconfirmed.
    pub confirms_sent: u32,
}

/// One page a subscriber hears of.
#[derive(Debug, Clone, PartialEq)]
pub struct Subscription {
    /// Identifier.
    pub id: i64,
    /// Whose.
    pub subscriber_id: i64,
    /// The page.
    pub url: PageUrl,
    /// Its title when subscribed.
    pub title: Option<String>,
    /// Everything, or replies to the subscriber.
    pub kind: SubscriptionKind,
    /// Each, or a daily digest.
    pub cadence: Cadence,
    /// When.
    pub created_at: Timestamp,
}

/// A subscription to record (or whose cadence to change).
#[derive(Debug, Clone)]
pub struct NewSubscription {
    /// The site.
    pub site_id: SiteId,
    /// The address (a subscriber is created for it if needed).
    pub email: String,
    /// Language of the mail.
    pub lang: String,
    /// The page.
    pub url: PageUrl,
    /// Its title.
    pub title: Option<String>,
    /// What it covers.
    pub kind: SubscriptionKind,
    /// How often.
    pub cadence: Cadence,
    /// When.
    pub at: Timestamp,
}

/// A confirmation request to record: sent only if the address is still
/// unconfirmed, the last request is older than `min_gap_ms` and fewer than
/// `max_unanswered` went unanswered; then `job` is enqueued in the same
/// transaction.
#[derive(Debug, Clone)]
pub struct ConfirmRequest {
    /// The subscriber.
    pub subscriber_id: i64,
    /// Now.
    pub at: Timestamp,
    /// Least time between two requests to one address.
    pub min_gap_ms: i64,
    /// Most requests an address that never answers gets.
    pub max_unanswered: u32,
    /// The message's job.
    pub job: NewJob,
}

/// A webhook endpoint to register.
#[derive(Debug, Clone)]
pub struct NewWebhook {
    /// The site.
    pub site_id: SiteId,
    /// Where to post.
    pub url: String,
    /// The signing secret.
    pub secret: String,
    /// What to post.
    pub events: Vec<WebhookEvent>,
    /// When.
    pub at: Timestamp,
}

/// A registered webhook endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    /// Identifier.
    pub id: i64,
    /// The site.
    pub site_id: SiteId,
    /// Where to post.
    pub url: String,
    /// The signing secret.
    pub secret: String,
    /// What to post.
    pub events: Vec<WebhookEvent>,
    /// When it was registered.
    pub created_at: Timestamp,
}

/// The stored form of a webhook's events.
pub fn events_text(events: &[WebhookEvent]) -> String {
    events
        .iter()
        .map(|e| e.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Parses the stored form of a webhook's events (unknown names skipped).
pub fn parse_events(text: &str) -> Vec<WebhookEvent> {
    text.split_whitespace()
        .filter_map(|e| WebhookEvent::parse(e).ok())
        .collect()
}

/// What a digest will list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestKind {
    /// A new comment, for a subscriber.
    Comment,
    /// A held comment, for a moderator.
    Held,
}

impl DigestKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Comment => "comment",
            Self::Held => "held",
        }
    }
}

/// An item for a digest.
#[derive(Debug, Clone, PartialEq)]
pub struct NewDigestItem {
    /// The site.
    pub site_id: SiteId,
    /// Who gets it.
    pub recipient: String,
    /// What it is.
    pub kind: DigestKind,
    /// The comment.
    pub comment_id: CommentId,
    /// When.
    pub at: Timestamp,
}

/// An item waiting for its digest.
#[derive(Debug, Clone, PartialEq)]
pub struct DigestItem {
    /// Identifier (increasing).
    pub id: i64,
    /// What it is.
    pub kind: DigestKind,
    /// The comment.
    pub comment_id: CommentId,
}

/// Parses a stored digest kind.
pub fn parse_digest_kind(raw: &str) -> Option<DigestKind> {
    match raw {
        "comment" => Some(DigestKind::Comment),
        "held" => Some(DigestKind::Held),
        _ => None,
    }
}
