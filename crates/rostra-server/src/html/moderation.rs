//! The moderation page's template and the rows it shows, built from the
//! queue and the audit log. Every field is plain text (escaped by askama)
//! except [`ModItem::html`], the comment's body as ammonia sanitized it.

use super::i18n::Lang;
use super::i18n_moderation::ModStrings;
use super::render::readable;
use askama::Template;
use rostra_core::BanKind;
use rostra_store::{AuditEntry, AuthorRecord, Ban, QueueItem};

/// How many of the model's label scores a comment shows.
const TOP_SCORES: usize = 3;

/// A link in a row of tabs (sites, filters, orders).
#[derive(Debug)]
pub struct Tab {
    /// What it says.
    pub label: String,
    /// Where it goes.
    pub href: String,
    /// Whether it is the page shown.
    pub current: bool,
}

/// One of the policy's reasons for holding a comment.
#[derive(Debug)]
pub struct ModReason {
    /// `toxicity`, `links`, `reports`, …
    pub code: String,
    /// What was found, in words.
    pub detail: String,
    /// The words that weighed most, or the matched entry.
    pub terms: Vec<String>,
}

/// One reader's report.
#[derive(Debug)]
pub struct ModReport {
    /// `spam`, `abuse`, `off_topic` or `other`.
    pub reason: String,
    /// The reader's words.
    pub text: Option<String>,
}

/// What the ban form of a queue item bans: the author's e-mail, else the
/// hash of their address (as the posting policy knows them).
#[derive(Debug, Clone)]
pub struct BanTarget {
    /// `email` or `address`.
    pub kind: &'static str,
    /// The e-mail, or the address hash.
    pub value: String,
}

impl BanTarget {
    fn of(item: &QueueItem) -> Option<Self> {
        match (&item.comment.author_email, &item.ip_hash) {
            (Some(email), _) => Some(Self {
                kind: "email",
                value: email.clone(),
            }),
            (None, Some(hash)) => Some(Self {
                kind: "address",
                value: hash.clone(),
            }),
            (None, None) => None,
        }
    }
}

/// A ban in force, as the page lists it.
#[derive(Debug)]
pub struct BanLine {
    /// Its id, for the form that lifts it.
    pub id: i64,
    /// What it matches, in the page's language.
    pub kind: &'static str,
    /// The e-mail or name; an address as the start of its hash.
    pub value: String,
    /// Until when, readable; `None`: for ever.
    pub until: Option<String>,
    /// Why.
    pub reason: Option<String>,
}

impl BanLine {
    /// The line of a ban.
    pub fn of(b: &Ban, s: &ModStrings) -> Self {
        let (kind, value) = match b.kind {
            BanKind::Email => (s.kind_email, b.value.clone()),
            BanKind::Name => (s.kind_name, b.value.clone()),
            BanKind::Address => (
                s.kind_address,
                format!("{}…", b.value.chars().take(8).collect::<String>()),
            ),
        };
        Self {
            id: b.id,
            kind,
            value,
            until: b.until.map(|u| readable(&u.to_rfc3339())),
            reason: b.reason.clone(),
        }
    }
}

/// Where a queue item stands, as its badge says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Held for review (pending).
    Held,
    /// Published, in the queue for its reports.
    Published,
    /// Rejected by a moderator (the rejected view).
    Rejected,
    /// Marked as spam (the rejected view).
    Spam,
}

impl Standing {
    fn of(status: rostra_core::CommentStatus) -> Self {
        use rostra_core::CommentStatus as S;
        match status {
            S::Pending => Self::Held,
            S::Rejected => Self::Rejected,
            S::Spam => Self::Spam,
            // The queue lists no deleted comment.
            S::Approved | S::Deleted => Self::Published,
        }
    }
}

/// One comment of the queue, as the page shows it.
#[derive(Debug)]
pub struct ModItem {
    /// Comment id.
    pub id: i64,
    /// Author's display name.
    pub author: String,
    /// The page the comment is on.
    pub url: String,
    /// That page's title, or its URL.
    pub title: String,
    /// RFC 3339.
    pub created_iso: String,
    /// A readable UTC date.
    pub created_text: String,
    /// Where it stands: held, published (and reported), or refused.
    pub standing: Standing,
    /// The author's comments on the site by status, when the author is known.
    pub record: Option<AuthorRecord>,
    /// What a ban of the author matches, when the author is known.
    pub ban: Option<BanTarget>,
    /// The body as ammonia sanitized it when it was posted.
    pub html: String,
    /// The policy's reasons.
    pub reasons: Vec<ModReason>,
    /// The highest label scores: label and percentage.
    pub scores: Vec<(String, String)>,
    /// Open reports.
    pub reports: Vec<ModReport>,
}

impl ModItem {
    /// The row of a queue item.
    pub fn of(item: &QueueItem) -> Self {
        let c = &item.comment;
        let (reasons, scores) = c.assessment.as_ref().map_or_else(
            || (Vec::new(), Vec::new()),
            |a| {
                let reasons = a
                    .reasons
                    .iter()
                    .map(|r| ModReason {
                        code: r.code.clone(),
                        detail: r.detail.clone(),
                        terms: r.terms.clone(),
                    })
                    .collect();
                let mut scores: Vec<_> = a.scores.iter().collect();
                scores.sort_by(|x, y| y.score.total_cmp(&x.score));
                let scores = scores
                    .into_iter()
                    .take(TOP_SCORES)
                    .map(|s| (s.label.clone(), format!("{:.0}%", s.score * 100.0)))
                    .collect();
                (reasons, scores)
            },
        );
        let created_iso = c.created_at.to_rfc3339();
        Self {
            id: c.id.0,
            author: c.author_name.clone(),
            url: item.url.as_str().to_owned(),
            title: item
                .title
                .clone()
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| item.url.as_str().to_owned()),
            created_text: readable(&created_iso),
            created_iso,
            standing: Standing::of(c.status),
            record: item.record,
            ban: BanTarget::of(item),
            html: c.body_html.clone(),
            reasons,
            scores,
            reports: item
                .reports
                .iter()
                .map(|r| ModReport {
                    reason: r.reason.as_str().to_owned(),
                    text: r.text.clone(),
                })
                .collect(),
        }
    }
}

/// One line of the audit log.
#[derive(Debug)]
pub struct AuditLine {
    /// Who (a name, or `system`).
    pub who: String,
    /// What, in the page's language where it is a queue action.
    pub action: String,
    /// To what (`comment:42`).
    pub target: String,
    /// Why.
    pub reason: Option<String>,
    /// RFC 3339.
    pub when_iso: String,
    /// A readable UTC date.
    pub when_text: String,
}

impl AuditLine {
    /// The line of an audit entry.
    pub fn of(e: &AuditEntry, s: &ModStrings) -> Self {
        let action = match e.action.as_str() {
            "approve" => s.approve.to_owned(),
            "reject" => s.reject.to_owned(),
            "spam" => s.spam.to_owned(),
            "delete" => s.delete.to_owned(),
            "ban" => s.ban.to_owned(),
            "unban" => s.lift.to_owned(),
            other => other.to_owned(),
        };
        let when_iso = e.at.to_rfc3339();
        Self {
            who: e.user_name.clone().unwrap_or_else(|| "system".to_owned()),
            action,
            target: e.target.clone(),
            reason: e.reason.clone(),
            when_text: readable(&when_iso),
            when_iso,
        }
    }
}

/// The queue of one site, as the signed-in moderator sees it.
#[derive(Debug, Default)]
pub struct QueueView {
    /// The site shown.
    pub site: String,
    /// Filter tabs.
    pub filters: Vec<Tab>,
    /// Order tabs.
    pub orders: Vec<Tab>,
    /// The filter shown (`held`, `reported`, `all`, `published`, `rejected`).
    pub filter: String,
    /// The order shown (`newest`, `urgent`).
    pub order: String,
    /// The comment whose author's comments are shown, or empty.
    pub by: String,
    /// The heading of an author's view.
    pub by_title: Option<String>,
    /// The comments.
    pub items: Vec<ModItem>,
    /// The next page of the queue.
    pub next_href: Option<String>,
    /// The site's latest audit entries.
    pub audit: Vec<AuditLine>,
    /// The site's bans in force, newest first.
    pub bans: Vec<BanLine>,
}

/// The moderation page: the sign-in form, or the queue.
#[derive(Template)]
#[template(path = "moderation.html")]
pub struct ModerationHtml<'a> {
    /// Strings.
    pub s: &'static ModStrings,
    /// Language.
    pub lang: Lang,
    /// The widget's stylesheet (its variables and look).
    pub embed_css: &'a str,
    /// The page's own stylesheet.
    pub css: &'a str,
    /// Where the page's forms post: `{public_url}/moderation`.
    pub base: &'a str,
    /// The signed-in user's name; `None` shows the sign-in form.
    pub user: Option<&'a str>,
    /// The name typed into a failed sign-in.
    pub login_name: &'a str,
    /// An error (shown as an alert).
    pub error: &'a str,
    /// A status message after an action.
    pub notice: &'a str,
    /// The sites the user moderates (shown as a picker when several).
    pub sites: Vec<Tab>,
    /// The site's queue, when the user moderates one.
    pub queue: Option<QueueView>,
}
