//! Mail and deliveries: readers' subscriptions with double opt-in and
//! one-click unsubscribe, moderators' notices of held comments, webhooks,
//! and the outbox worker that carries them out after their commits.
//!
//! Nothing here sends anything inside a request: a use case enqueues a job
//! (a comment's event job is enqueued by the store, in the comment's own
//! transaction), and [`Service::run_outbox`](crate::Service::run_outbox),
//! on every node, claims due jobs with a lease, does them, and settles them.

mod compose;
mod fanout;
pub mod links;
mod sending;
pub mod strings;
mod subscriptions;
mod transport;
mod webhook;
mod worker;

pub use subscriptions::{ManageChange, Managed, SubscribeInput};
pub use transport::{Mailer, SmtpSettings, TlsMode};
pub use webhook::{sign, WebhookInput};

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// How mail and deliveries go out.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// The server's public address, for the links in messages.
    pub public_url: String,
    /// The `From` of every message (`Name <address>` or an address).
    pub from: String,
    /// The `Reply-To`, if any.
    pub reply_to: Option<String>,
    /// Digests go out at multiples of this (a day: at midnight UTC).
    pub digest_every: Duration,
    /// The first retry waits this long; each next one twice as long.
    pub retry_base: Duration,
    /// The longest wait between two retries.
    pub retry_max: Duration,
    /// A job still failing this long after it was enqueued is given up.
    pub give_up_after: Duration,
    /// How long a worker holds a job it claimed.
    pub lease: Duration,
    /// How often an idle worker looks for due jobs (it is also woken when
    /// this node enqueues one).
    pub poll: Duration,
    /// Let webhooks post to plain `http://` (local receivers, tests).
    pub allow_http_webhooks: bool,
    /// Least time between two confirmation requests to one address.
    pub confirm_gap: Duration,
    /// Most confirmation requests an address that never answers gets.
    pub confirm_max: u32,
}

impl Default for MailSettings {
    fn default() -> Self {
        Self {
            public_url: "http://127.0.0.1:8080".into(),
            from: "Rostra <rostra@localhost>".into(),
            reply_to: None,
            digest_every: Duration::from_secs(24 * 3600),
            retry_base: Duration::from_secs(30),
            retry_max: Duration::from_secs(3600),
            give_up_after: Duration::from_secs(3 * 24 * 3600),
            lease: Duration::from_secs(120),
            poll: Duration::from_secs(1),
            allow_http_webhooks: false,
            confirm_gap: Duration::from_secs(10 * 60),
            confirm_max: 3,
        }
    }
}

/// A mail job's payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mail", rename_all = "snake_case")]
enum MailJob {
    /// The double opt-in request.
    Confirm {
        /// Whom.
        subscriber: i64,
    },
    /// A new comment, for one subscription.
    Comment {
        /// The comment.
        comment: i64,
        /// The subscription it is sent under.
        subscription: i64,
    },
    /// A held comment, for one moderator.
    Held {
        /// The comment.
        comment: i64,
        /// The moderator's address.
        to: String,
        /// Their language.
        lang: String,
    },
}

/// A digest job's payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct DigestJob {
    /// The address.
    recipient: String,
    /// Its language.
    lang: String,
    /// The subscriber, for a reader's digest (none: a moderator's).
    subscriber: Option<i64>,
}

/// A webhook delivery's payload: the bytes are fixed when it is enqueued, so
/// every retry posts (and signs) the same body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct WebhookJob {
    /// The endpoint.
    webhook: i64,
    /// The event's name.
    event: String,
    /// The JSON body.
    body: String,
}

/// A comment event job's payload (written by the store).
#[derive(Debug, Clone, Deserialize)]
struct EventJob {
    /// What happened.
    event: String,
    /// To which comment.
    comment: i64,
}
