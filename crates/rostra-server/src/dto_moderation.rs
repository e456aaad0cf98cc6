//! The JSON of the moderator side: sign-in, the queue, actions, bans, the
//! audit log and readers' reports.

use rostra_core::Comment;
use rostra_service::{ActionOutcome, Principal};
use rostra_store::{AuditEntry, AuthorRecord, Ban, QueueItem};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A sign-in.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Login name.
    pub name: String,
    /// Password.
    pub password: String,
}

/// A role on a site.
#[derive(Debug, Serialize, ToSchema)]
pub struct MembershipView {
    /// Site id.
    pub site: String,
    /// `owner` or `moderator`.
    pub role: String,
}

/// Who is signed in.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeView {
    /// User id.
    pub id: i64,
    /// Login name.
    pub name: String,
    /// Roles, by site.
    pub sites: Vec<MembershipView>,
    /// `session` (cookie) or `token` (bearer).
    pub via: String,
}

impl MeView {
    /// The view of a principal.
    pub fn of(p: &Principal) -> Self {
        Self {
            id: p.user_id.0,
            name: p.name.clone(),
            sites: p
                .memberships
                .iter()
                .map(|m| MembershipView {
                    site: m.site_id.to_string(),
                    role: m.role.as_str().to_owned(),
                })
                .collect(),
            via: p.via.as_str().to_owned(),
        }
    }
}

/// A comment as a moderator sees it: private fields included.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModCommentView {
    /// Id.
    pub id: i64,
    /// The comment it answers.
    pub parent: Option<i64>,
    /// Status.
    pub status: String,
    /// Display name.
    pub author_name: String,
    /// E-mail (moderators only).
    pub author_email: Option<String>,
    /// Website.
    pub author_website: Option<String>,
    /// Markdown as written.
    pub markdown: String,
    /// Sanitized HTML.
    pub html: String,
    /// RFC 3339.
    pub created_at: String,
    /// The policy's findings: `{"scores": [{"label", "score"}], "reasons": [{"code", "detail", "terms"}]}`.
    #[schema(value_type = Option<Object>)]
    pub assessment: Option<serde_json::Value>,
}

impl ModCommentView {
    /// The moderator's view of a comment.
    pub fn of(c: &Comment) -> Self {
        Self {
            id: c.id.0,
            parent: c.parent_id.map(|p| p.0),
            status: c.status.as_str().to_owned(),
            author_name: c.author_name.clone(),
            author_email: c.author_email.clone(),
            author_website: c.author_website.clone(),
            markdown: c.body_markdown.clone(),
            html: c.body_html.clone(),
            created_at: c.created_at.to_rfc3339(),
            assessment: c
                .assessment
                .as_ref()
                .and_then(|a| serde_json::to_value(a).ok()),
        }
    }
}

/// One open report.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportView {
    /// `spam`, `abuse`, `off_topic` or `other`.
    pub reason: String,
    /// The reader's words.
    pub text: Option<String>,
    /// RFC 3339.
    pub created_at: String,
}

/// What an author has written on the site, by status.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuthorRecordView {
    /// How the author is known: `email`, else `address` (hash).
    pub by: String,
    /// Published.
    pub approved: u32,
    /// Held.
    pub pending: u32,
    /// Rejected.
    pub rejected: u32,
    /// Marked as spam.
    pub spam: u32,
}

impl AuthorRecordView {
    fn of(r: &AuthorRecord) -> Self {
        Self {
            by: if r.by_address { "address" } else { "email" }.to_owned(),
            approved: r.approved,
            pending: r.pending,
            rejected: r.rejected,
            spam: r.spam,
        }
    }
}

/// One comment in the queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueItemView {
    /// The comment.
    pub comment: ModCommentView,
    /// Its page.
    pub url: String,
    /// The page's title.
    pub title: Option<String>,
    /// The keyed hash of the author's address: the `value` of an `address`
    /// ban on them.
    pub address_hash: Option<String>,
    /// Open reports.
    pub report_count: usize,
    /// The open reports.
    pub reports: Vec<ReportView>,
    /// The author's comments on this site by status, this one included;
    /// absent when neither an e-mail nor an address is known.
    pub author_record: Option<AuthorRecordView>,
}

impl QueueItemView {
    /// The view of a queue row.
    pub fn of(item: &QueueItem) -> Self {
        Self {
            comment: ModCommentView::of(&item.comment),
            url: item.url.as_str().to_owned(),
            title: item.title.clone(),
            address_hash: item.ip_hash.clone(),
            report_count: item.reports.len(),
            reports: item
                .reports
                .iter()
                .map(|r| ReportView {
                    reason: r.reason.as_str().to_owned(),
                    text: r.text.clone(),
                    created_at: r.at.to_rfc3339(),
                })
                .collect(),
            author_record: item.record.as_ref().map(AuthorRecordView::of),
        }
    }
}

/// A page of the queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueView {
    /// Comments.
    pub items: Vec<QueueItemView>,
    /// Pass as `after` for the next page; absent on the last.
    pub next: Option<String>,
}

/// The queue's query string.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueParams {
    /// `all` (default), `held`, `reported`, `published` or `rejected`.
    pub filter: Option<String>,
    /// `newest` (default) or `urgent`.
    pub order: Option<String>,
    /// Page size, 1-100 (default 50).
    pub limit: Option<u32>,
    /// The `next` of the previous page.
    pub after: Option<String>,
    /// A comment id: every comment of its author on the site instead.
    pub by: Option<String>,
}

/// An action on comments.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionRequest {
    /// `approve`, `reject`, `spam` or `delete`.
    pub action: String,
    /// The comments, 1-200.
    pub ids: Vec<i64>,
    /// Why (kept in the audit log).
    pub reason: Option<String>,
}

/// What an action did to one comment.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActionResultView {
    /// The comment.
    pub id: i64,
    /// `ok`, `not_found` or `failed`.
    pub result: String,
    /// Its status now, when `ok`.
    pub status: Option<String>,
}

impl ActionResultView {
    /// The view of one outcome.
    pub fn of(id: i64, outcome: &ActionOutcome) -> Self {
        let (result, status) = match outcome {
            ActionOutcome::Done(s) => ("ok", Some(s.as_str().to_owned())),
            ActionOutcome::NotFound => ("not_found", None),
            ActionOutcome::Failed(_) => ("failed", None),
        };
        Self {
            id,
            result: result.into(),
            status,
        }
    }
}

/// The results of an action, one per id, in order.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActionResponse {
    /// Per comment.
    pub results: Vec<ActionResultView>,
}

/// A ban to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BanRequest {
    /// `email`, `address` or `name`.
    pub kind: String,
    /// The e-mail, the name, or for `address` an IP address (stored only as
    /// its keyed hash) or a queue item's `address_hash`.
    pub value: String,
    /// How long, in seconds; omit for a permanent ban.
    pub duration_secs: Option<i64>,
    /// Why.
    pub reason: Option<String>,
}

/// Which ban to lift.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LiftBanRequest {
    /// The ban's id.
    pub id: i64,
    /// Why.
    pub reason: Option<String>,
}

/// A ban.
#[derive(Debug, Serialize, ToSchema)]
pub struct BanView {
    /// Id.
    pub id: i64,
    /// `email`, `address` or `name`.
    pub kind: String,
    /// What it matches (an address as its keyed hash).
    pub value: String,
    /// RFC 3339; absent: for ever.
    pub until: Option<String>,
    /// Why.
    pub reason: Option<String>,
    /// Who banned (user id).
    pub by: Option<i64>,
    /// RFC 3339.
    pub created_at: String,
    /// Whether it is in force now.
    pub active: bool,
}

impl BanView {
    /// The view of a ban.
    pub fn of(b: &Ban) -> Self {
        Self {
            id: b.id,
            kind: b.kind.as_str().to_owned(),
            value: b.value.clone(),
            until: b.until.map(|t| t.to_rfc3339()),
            reason: b.reason.clone(),
            by: b.by.map(|u| u.0),
            created_at: b.at.to_rfc3339(),
            active: b.active(rostra_core::Timestamp::now()),
        }
    }
}

/// A site's bans.
#[derive(Debug, Serialize, ToSchema)]
pub struct BansView {
    /// Newest first.
    pub bans: Vec<BanView>,
}

/// An audit log entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryView {
    /// Id (pass as `before` for older entries).
    pub id: i64,
    /// Who (user id; absent for the system).
    pub user_id: Option<i64>,
    /// Their name.
    pub user_name: Option<String>,
    /// `approve`, `reject`, `spam`, `delete`, `ban`, `unban`, `hold`.
    pub action: String,
    /// `comment:42`, `ban:7`.
    pub target: String,
    /// Why.
    pub reason: Option<String>,
    /// RFC 3339.
    pub created_at: String,
}

impl AuditEntryView {
    /// The view of an entry.
    pub fn of(e: &AuditEntry) -> Self {
        Self {
            id: e.id,
            user_id: e.user_id.map(|u| u.0),
            user_name: e.user_name.clone(),
            action: e.action.clone(),
            target: e.target.clone(),
            reason: e.reason.clone(),
            created_at: e.at.to_rfc3339(),
        }
    }
}

/// A page of the audit log.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditView {
    /// Newest first.
    pub entries: Vec<AuditEntryView>,
}

/// The audit log's query string.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditParams {
    /// Entries older than this id.
    pub before: Option<i64>,
    /// Page size, 1-200 (default 50).
    pub limit: Option<u32>,
}

/// A reader's report.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    /// `spam`, `abuse`, `off_topic` or `other`.
    pub reason: String,
    /// What is wrong, in the reader's words (up to 1,000 characters).
    pub text: Option<String>,
}

/// What a report did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportedView {
    /// False when this reader had already reported the comment.
    pub recorded: bool,
}
