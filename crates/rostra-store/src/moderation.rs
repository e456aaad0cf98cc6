//! The rows of the moderator side: users and their roles on sites, login
//! sessions and API tokens (stored only as SHA-256 hashes), readers'
//! reports, bans, the append-only audit log, and the moderation queue.

use rostra_core::{
    Assessment, BanKind, Comment, CommentId, PageUrl, QueueFilter, QueueOrder, ReportReason, Role,
    SiteId, Timestamp, UserId, UserName, PUBLISHED_WINDOW,
};

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Login name, unique.
    pub name: UserName,
    /// The password's argon2id hash in PHC string form.
    pub password_hash: String,
    /// When.
    pub created_at: Timestamp,
    /// Where to mail news of held comments, if anywhere.
    pub email: Option<String>,
}

/// A user as stored.
#[derive(Clone, PartialEq)]
pub struct User {
    /// Identifier.
    pub id: UserId,
    /// Login name.
    pub name: String,
    /// The password's argon2id hash (PHC string).
    pub password_hash: String,
    /// When the account was created.
    pub created_at: Timestamp,
    /// Where to mail news of held comments, if anywhere.
    pub email: Option<String>,
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("created_at", &self.created_at)
            .finish_non_exhaustive()
    }
}

/// A user's role on one site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    /// The site.
    pub site_id: SiteId,
    /// The role there.
    pub role: Role,
}

/// What a credential is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialKind {
    /// A browser's login session (a cookie), with an expiry.
    Session,
    /// An API token for tools (a bearer token).
    Token,
}

impl CredentialKind {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Session => "session",
            Self::Token => "token",
        }
    }

    /// From its stored spelling.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "session" => Some(Self::Session),
            "token" => Some(Self::Token),
            _ => None,
        }
    }
}

/// A session or token to store: only the SHA-256 of the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCredential {
    /// SHA-256 of the secret handed to the user.
    pub hash: [u8; 32],
    /// Whose.
    pub user_id: UserId,
    /// Session or token.
    pub kind: CredentialKind,
    /// What the user called it (tokens).
    pub label: Option<String>,
    /// When.
    pub created_at: Timestamp,
    /// After this it no longer authenticates; `None`: never expires.
    pub expires_at: Option<Timestamp>,
}

/// A stored session or token, as its owner may see it: never the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    /// SHA-256 of the secret; its first bytes name it (`rostra user tokens`).
    pub hash: [u8; 32],
    /// Session or token.
    pub kind: CredentialKind,
    /// What the user called it (tokens).
    pub label: Option<String>,
    /// When.
    pub created_at: Timestamp,
    /// When it stops working; `None`: never.
    pub expires_at: Option<Timestamp>,
}

/// Which of a user's credentials to forget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revoke {
    /// Every session and token.
    All,
    /// The login sessions only (a new password ends them).
    Sessions,
}

/// A reader's report on a comment.
#[derive(Debug, Clone)]
pub struct NewReport {
    /// Site.
    pub site_id: SiteId,
    /// The reported comment.
    pub comment_id: CommentId,
    /// A keyed hash that identifies the reader (one report per reader and
    /// comment).
    pub reporter: String,
    /// Why.
    pub reason: ReportReason,
    /// The reader's words, if any.
    pub text: Option<String>,
    /// When.
    pub at: Timestamp,
}

/// What recording a report left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reported {
    /// Whether this reader's report is new (`false`: they had reported it).
    pub added: bool,
    /// Open reports on the comment now.
    pub open: i64,
}

/// A ban to create.
#[derive(Debug, Clone)]
pub struct NewBan {
    /// Site.
    pub site_id: SiteId,
    /// What it matches.
    pub kind: BanKind,
    /// The value matched, normalized by [`BanKind::normalize`].
    pub value: String,
    /// Until when; `None`: for ever.
    pub until: Option<Timestamp>,
    /// Why.
    pub reason: Option<String>,
    /// Who banned.
    pub by: Option<UserId>,
    /// When.
    pub at: Timestamp,
}

/// A ban as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Ban {
    /// Identifier.
    pub id: i64,
    /// Site.
    pub site_id: SiteId,
    /// What it matches.
    pub kind: BanKind,
    /// The value matched.
    pub value: String,
    /// Until when; `None`: for ever.
    pub until: Option<Timestamp>,
    /// Why.
    pub reason: Option<String>,
    /// Who banned.
    pub by: Option<UserId>,
    /// When.
    pub at: Timestamp,
}

impl Ban {
    /// Whether it is in force at `now`.
    pub fn active(&self, now: Timestamp) -> bool {
        self.until.is_none_or(|u| u > now)
    }

    /// The audit entry that records this ban's creation, written by
    /// [`crate::Store::create_ban`] in the same transaction.
    pub fn audit_entry(&self) -> NewAudit {
        NewAudit {
            site_id: self.site_id.clone(),
            user_id: self.by,
            action: "ban".into(),
            target: format!("ban:{}", self.id),
            reason: self.reason.clone(),
            at: self.at,
        }
    }
}

/// What a ban lookup compares: the values as [`BanKind::normalize`] gives
/// them.
#[derive(Debug, Clone, Default)]
pub struct BanQuery {
    /// Author's e-mail.
    pub email: Option<String>,
    /// Keyed hash of the network address.
    pub ip_hash: Option<String>,
    /// Display name.
    pub name: Option<String>,
}

/// An entry to append to the audit log.
#[derive(Debug, Clone)]
pub struct NewAudit {
    /// Site.
    pub site_id: SiteId,
    /// Who did it (`None`: the system, e.g. reports past the threshold).
    pub user_id: Option<UserId>,
    /// What: `approve`, `reject`, `spam`, `delete`, `ban`, `unban`, `hold`.
    pub action: String,
    /// To what: `comment:42`, `ban:7`, `user:3`.
    pub target: String,
    /// Why, in the moderator's words.
    pub reason: Option<String>,
    /// When.
    pub at: Timestamp,
}

/// An entry of the audit log. Entries are only ever appended.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    /// Identifier, increasing.
    pub id: i64,
    /// Site.
    pub site_id: SiteId,
    /// Who did it.
    pub user_id: Option<UserId>,
    /// Their name, when they had one.
    pub user_name: Option<String>,
    /// What.
    pub action: String,
    /// To what.
    pub target: String,
    /// Why.
    pub reason: Option<String>,
    /// When.
    pub at: Timestamp,
}

/// Which page of the moderation queue to read.
#[derive(Debug, Clone)]
pub struct QueueQuery {
    /// Site.
    pub site_id: SiteId,
    /// Which comments: held, reported, both, published or refused.
    pub filter: QueueFilter,
    /// Newest or most urgent first.
    pub order: QueueOrder,
    /// Rows to skip.
    pub offset: u32,
    /// Most rows.
    pub limit: u32,
    /// Instead of `filter`: every comment of the author of this one on the
    /// site, whatever its status (deleted ones aside); the author known by
    /// e-mail, else by address hash, as the posting policy knows them.
    pub by: Option<CommentId>,
}

/// One open report, as the queue shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportSummary {
    /// Why.
    pub reason: ReportReason,
    /// The reader's words.
    pub text: Option<String>,
    /// When.
    pub at: Timestamp,
}

/// One comment in the moderation queue.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueItem {
    /// The comment (with its assessment, e-mail and Markdown).
    pub comment: Comment,
    /// Its thread's page.
    pub url: PageUrl,
    /// Its thread's title.
    pub title: Option<String>,
    /// The keyed hash of its author's address (what an address ban matches).
    pub ip_hash: Option<String>,
    /// Open reports.
    pub reports: Vec<ReportSummary>,
    /// What its author has written on the site, by status; `None` when the
    /// author gave no e-mail and no address is known.
    pub record: Option<crate::AuthorRecord>,
}

/// The queue's statement, the same SQL on every backend but for its
/// placeholders: `p(1)` the site, `p(2)` the limit, `p(3)` the offset,
/// and with `by`, `p(4)` the comment whose author's comments it lists.
/// `cols` are the comment's columns a backend reads its rows from.
pub fn queue_sql(
    filter: QueueFilter,
    order: QueueOrder,
    by: bool,
    cols: &str,
    p: impl Fn(usize) -> String,
) -> String {
    let cols = cols
        .split(", ")
        .map(|c| format!("c.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let (site, limit, offset) = (p(1), p(2), p(3));
    // The candidates come from the partial indexes of held comments, of
    // open reports and of refused comments, or from the latest published
    // ones: a queue read costs what it lists, never the whole site.
    const HELD: &str = "SELECT id FROM comments WHERE status = 'pending'";
    const REPORTED: &str = "SELECT comment_id AS id FROM reports WHERE resolved_at IS NULL";
    const REFUSED: &str = "SELECT id FROM comments WHERE status IN ('rejected', 'spam')";
    // Refused comments leave the other views; only their own lists them.
    const OPEN: &str = "c.status NOT IN ('deleted', 'rejected', 'spam')";
    let (candidates, statuses) = match (by, filter) {
        // An author's comments: those sharing the e-mail of the given one
        // (a comment of this site), or, when it has none, its address
        // hash; each through that column's index.
        (true, _) => {
            let one = p(4);
            (
                format!(
                    "SELECT b.id FROM comments a JOIN threads ta ON ta.id = a.thread_id \
                     JOIN comments b ON b.author_email = a.author_email \
                     WHERE a.id = {one} AND ta.site_id = {site} \
                     UNION SELECT b.id FROM comments a JOIN threads ta ON ta.id = a.thread_id \
                     JOIN comments b ON b.ip_hash = a.ip_hash \
                     WHERE a.id = {one} AND ta.site_id = {site} AND a.author_email IS NULL"
                ),
                "c.status <> 'deleted'",
            )
        }
        (false, QueueFilter::Held) => (HELD.to_owned(), OPEN),
        (false, QueueFilter::Reported) => (format!("SELECT DISTINCT id FROM ({REPORTED}) r"), OPEN),
        (false, QueueFilter::All) => (format!("{HELD} UNION {REPORTED}"), OPEN),
        (false, QueueFilter::Rejected) => (REFUSED.to_owned(), "c.status IN ('rejected', 'spam')"),
        // The site's latest published comments, newest first by id: the
        // walk stops after the window, whatever the size of the site.
        (false, QueueFilter::Published) => (
            format!(
                "SELECT p.id FROM comments p JOIN threads pt ON pt.id = p.thread_id \
                 WHERE p.status = 'approved' AND pt.site_id = {site} \
                 ORDER BY p.id DESC LIMIT {PUBLISHED_WINDOW}"
            ),
            "c.status = 'approved'",
        ),
    };
    let order = match order {
        QueueOrder::Newest => "id DESC",
        QueueOrder::Urgent => "open_reports DESC, urgency DESC, id DESC",
    };
    format!(
        "SELECT * FROM (SELECT {cols}, c.urgency, c.ip_hash, t.url AS thread_url, t.title AS thread_title, \
         (SELECT COUNT(*) FROM reports r WHERE r.comment_id = c.id AND r.resolved_at IS NULL) AS open_reports \
         FROM ({candidates}) k JOIN comments c ON c.id = k.id JOIN threads t ON t.id = c.thread_id \
         WHERE t.site_id = {site} AND {statuses}) q \
         ORDER BY {order} LIMIT {limit} OFFSET {offset}"
    )
}

/// The JSON an assessment is stored as.
pub fn assessment_json(a: Option<&Assessment>) -> Result<Option<String>, crate::StoreError> {
    a.map(serde_json::to_string)
        .transpose()
        .map_err(|e| crate::StoreError::Backend(e.to_string()))
}

/// The numeric urgency stored beside an assessment, for ordering the queue.
pub fn urgency(a: Option<&Assessment>) -> f64 {
    a.map_or(0.0, |a| f64::from(a.urgency()))
}

/// An assessment from its stored JSON.
pub fn parse_assessment(raw: Option<&str>) -> Result<Option<Assessment>, crate::StoreError> {
    raw.map(serde_json::from_str)
        .transpose()
        .map_err(|e| crate::StoreError::Backend(format!("unreadable assessment: {e}")))
}
