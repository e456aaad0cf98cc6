//! The records of a Rostra JSON Lines export, one JSON object a line, its
//! kind in `type`. Times are milliseconds since the epoch and bytes are
//! lower-case hex, both as stored, so that nothing is lost on the way.

use rostra_core::{Assessment, CommentStatus, Site, SiteSettings};
use rostra_store::{
    AuditEntry, Ban, CommentRow, MembershipRow, NewCredential, ReportRow, Secret, Subscriber,
    Subscription, Thread, User, VoteRow, Webhook,
};
use serde::{Deserialize, Serialize};

/// The version of the format [`Record::Header`] announces.
pub const FORMAT: u32 = 1;

/// One line of an export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Record {
    /// The first line.
    #[serde(rename = "rostra-export")]
    Header {
        /// The format's version ([`FORMAT`]).
        format: u32,
        /// The site exported, or `null` for the whole installation.
        site: Option<String>,
    },
    /// An installation secret (whole exports only): the key of the stored
    /// address hashes.
    Secret {
        /// Its name.
        name: String,
        /// Its bytes, hex.
        value: String,
    },
    /// A site.
    Site {
        /// Its id.
        id: String,
        /// Display name.
        name: String,
        /// Origins allowed to embed it.
        allowed_origins: Vec<String>,
        /// Its settings.
        settings: SiteSettings,
        /// The secret guest voter keys are HMACs of, hex: with it, guests'
        /// earlier votes are recognised after a move.
        voter_secret: String,
        /// Creation time, ms.
        created_at: i64,
    },
    /// A thread.
    Thread {
        /// Its id.
        id: i64,
        /// Its site.
        site: String,
        /// The canonical page URL.
        url: String,
        /// The page's title.
        title: Option<String>,
        /// Approved comments.
        count: i64,
        /// Creation time, ms.
        created_at: i64,
    },
    /// A comment, whatever its status.
    Comment {
        /// Its id.
        id: i64,
        /// Its thread.
        thread: i64,
        /// The comment it answers.
        parent: Option<i64>,
        /// Its top-level ancestor.
        root: Option<i64>,
        /// Replies above it.
        depth: u32,
        /// `pending`, `approved`, `rejected`, `spam` or `deleted`.
        status: CommentStatus,
        /// Display name.
        author_name: String,
        /// E-mail (private).
        author_email: Option<String>,
        /// Website.
        author_website: Option<String>,
        /// The Markdown as written.
        markdown: String,
        /// The rendered HTML.
        html: String,
        /// Creation time, ms.
        created_at: i64,
        /// Last edit, ms.
        edited_at: Option<i64>,
        /// Up-votes.
        upvotes: i64,
        /// Down-votes.
        downvotes: i64,
        /// Direct replies listed.
        listed_replies: i64,
        /// SHA-256 of the author's edit token, hex.
        edit_token_hash: Option<String>,
        /// Keyed hash of the author's address.
        ip_hash: Option<String>,
        /// What the moderation policy found (left out when nothing).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        assessment: Option<Assessment>,
    },
    /// A vote.
    Vote {
        /// The comment.
        comment: i64,
        /// The voter's key.
        voter: String,
        /// 1 or -1.
        value: i64,
        /// When, ms.
        created_at: i64,
    },
    /// A moderator or owner (whole exports only).
    User {
        /// Its id.
        id: i64,
        /// Login name.
        name: String,
        /// The argon2id hash of the password (PHC string).
        password_hash: String,
        /// Creation time, ms.
        created_at: i64,
        /// Where held comments are announced (left out when none).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        email: Option<String>,
    },
    /// A reader's address on a site, for e-mail subscriptions.
    Subscriber {
        /// Its id.
        id: i64,
        /// Its site.
        site: String,
        /// The address.
        email: String,
        /// The language of its mail.
        lang: String,
        /// When first given, ms.
        created_at: i64,
        /// When confirmed, ms (null: not yet).
        confirmed_at: Option<i64>,
        /// The last confirmation request, ms.
        confirm_sent_at: Option<i64>,
        /// Requests sent while unconfirmed.
        confirms_sent: u32,
    },
    /// A subscription to a page.
    Subscription {
        /// Its id.
        id: i64,
        /// Its subscriber.
        subscriber: i64,
        /// The canonical page URL.
        url: String,
        /// The page's title.
        title: Option<String>,
        /// `thread` or `replies`.
        kind: String,
        /// `instant` or `digest`.
        cadence: String,
        /// When, ms.
        created_at: i64,
    },
    /// A webhook endpoint, with its signing secret.
    Webhook {
        /// Its id.
        id: i64,
        /// Its site.
        site: String,
        /// Where deliveries go.
        url: String,
        /// The signing secret.
        secret: String,
        /// The events it takes.
        events: Vec<String>,
        /// When registered, ms.
        created_at: i64,
    },
    /// A user's role on a site (whole exports only).
    Membership {
        /// The user.
        user: i64,
        /// The site.
        site: String,
        /// `owner` or `moderator`.
        role: String,
    },
    /// A session or API token: the SHA-256 of its secret (whole exports
    /// only).
    Credential {
        /// SHA-256, hex.
        hash: String,
        /// The user.
        user: i64,
        /// `session` or `token`.
        kind: String,
        /// What it is for.
        label: Option<String>,
        /// Creation time, ms.
        created_at: i64,
        /// Expiry, ms; `null`: never.
        expires_at: Option<i64>,
    },
    /// A reader's report.
    Report {
        /// Its id.
        id: i64,
        /// The comment.
        comment: i64,
        /// The keyed hash of the reader.
        reporter: String,
        /// `spam`, `abuse`, `off_topic` or `other`.
        reason: String,
        /// The reader's words.
        text: Option<String>,
        /// When, ms.
        created_at: i64,
        /// When a moderator acted, ms; `null` while open.
        resolved_at: Option<i64>,
    },
    /// A ban.
    Ban {
        /// Its id.
        id: i64,
        /// The site.
        site: String,
        /// `email`, `address` or `name`.
        kind: String,
        /// What it matches.
        value: String,
        /// Until when, ms; `null`: for ever.
        until: Option<i64>,
        /// Why.
        reason: Option<String>,
        /// Who banned.
        by: Option<i64>,
        /// When, ms.
        created_at: i64,
    },
    /// A donation campaign.
    Campaign(super::campaign_records::CampaignRecord),
    /// A donation toward a campaign (a refund: negative).
    Donation(super::campaign_records::DonationRecord),
    /// An entry of the audit log.
    Audit {
        /// Its id.
        id: i64,
        /// The site.
        site: String,
        /// Who (`null`: the system).
        user: Option<i64>,
        /// What.
        action: String,
        /// To what.
        target: String,
        /// Why.
        reason: Option<String>,
        /// When, ms.
        created_at: i64,
    },
}

impl From<&Secret> for Record {
    fn from(s: &Secret) -> Self {
        Record::Secret {
            name: s.name.clone(),
            value: hex::encode(&s.value),
        }
    }
}

impl From<&Site> for Record {
    fn from(s: &Site) -> Self {
        Record::Site {
            id: s.id.to_string(),
            name: s.name.clone(),
            allowed_origins: s
                .allowed_origins
                .iter()
                .map(|o| o.as_str().to_owned())
                .collect(),
            settings: s.settings.clone(),
            voter_secret: hex::encode(&s.voter_secret),
            created_at: s.created_at.0,
        }
    }
}

impl From<&Thread> for Record {
    fn from(t: &Thread) -> Self {
        Record::Thread {
            id: t.id.0,
            site: t.site_id.to_string(),
            url: t.url.as_str().to_owned(),
            title: t.title.clone(),
            count: t.count,
            created_at: t.created_at.0,
        }
    }
}

impl From<&CommentRow> for Record {
    fn from(row: &CommentRow) -> Self {
        let c = &row.comment;
        Record::Comment {
            id: c.id.0,
            thread: c.thread_id.0,
            parent: c.parent_id.map(|p| p.0),
            root: c.root_id.map(|r| r.0),
            depth: c.depth,
            status: c.status,
            author_name: c.author_name.clone(),
            author_email: c.author_email.clone(),
            author_website: c.author_website.clone(),
            markdown: c.body_markdown.clone(),
            html: c.body_html.clone(),
            created_at: c.created_at.0,
            edited_at: c.edited_at.map(|t| t.0),
            upvotes: c.upvotes,
            downvotes: c.downvotes,
            listed_replies: c.listed_replies,
            edit_token_hash: c.edit_token_hash.map(|h| hex::encode(h.0)),
            ip_hash: row.ip_hash.clone(),
            assessment: c.assessment.clone(),
        }
    }
}

impl From<&VoteRow> for Record {
    fn from(v: &VoteRow) -> Self {
        Record::Vote {
            comment: v.comment_id.0,
            voter: v.voter.as_str().to_owned(),
            value: v.value.as_i64(),
            created_at: v.at.0,
        }
    }
}

impl From<&User> for Record {
    fn from(u: &User) -> Self {
        Record::User {
            id: u.id.0,
            name: u.name.clone(),
            password_hash: u.password_hash.clone(),
            created_at: u.created_at.0,
            email: u.email.clone(),
        }
    }
}

impl From<&Subscriber> for Record {
    fn from(b: &Subscriber) -> Self {
        Record::Subscriber {
            id: b.id,
            site: b.site_id.as_str().to_owned(),
            email: b.email.clone(),
            lang: b.lang.clone(),
            created_at: b.created_at.0,
            confirmed_at: b.confirmed_at.map(|t| t.0),
            confirm_sent_at: b.confirm_sent_at.map(|t| t.0),
            confirms_sent: b.confirms_sent,
        }
    }
}

impl From<&Subscription> for Record {
    fn from(s: &Subscription) -> Self {
        Record::Subscription {
            id: s.id,
            subscriber: s.subscriber_id,
            url: s.url.as_str().to_owned(),
            title: s.title.clone(),
            kind: s.kind.as_str().to_owned(),
            cadence: s.cadence.as_str().to_owned(),
            created_at: s.created_at.0,
        }
    }
}

impl From<&Webhook> for Record {
    fn from(w: &Webhook) -> Self {
        Record::Webhook {
            id: w.id,
            site: w.site_id.as_str().to_owned(),
            url: w.url.clone(),
            secret: w.secret.clone(),
            events: w.events.iter().map(|e| e.as_str().to_owned()).collect(),
            created_at: w.created_at.0,
        }
    }
}

impl From<&MembershipRow> for Record {
    fn from(m: &MembershipRow) -> Self {
        Record::Membership {
            user: m.user_id.0,
            site: m.site_id.to_string(),
            role: m.role.as_str().to_owned(),
        }
    }
}

impl From<&NewCredential> for Record {
    fn from(c: &NewCredential) -> Self {
        Record::Credential {
            hash: hex::encode(c.hash),
            user: c.user_id.0,
            kind: c.kind.as_str().to_owned(),
            label: c.label.clone(),
            created_at: c.created_at.0,
            expires_at: c.expires_at.map(|t| t.0),
        }
    }
}

impl From<&ReportRow> for Record {
    fn from(r: &ReportRow) -> Self {
        Record::Report {
            id: r.id,
            comment: r.comment_id.0,
            reporter: r.reporter.clone(),
            reason: r.reason.as_str().to_owned(),
            text: r.text.clone(),
            created_at: r.at.0,
            resolved_at: r.resolved_at.map(|t| t.0),
        }
    }
}

impl From<&Ban> for Record {
    fn from(b: &Ban) -> Self {
        Record::Ban {
            id: b.id,
            site: b.site_id.to_string(),
            kind: b.kind.as_str().to_owned(),
            value: b.value.clone(),
            until: b.until.map(|t| t.0),
            reason: b.reason.clone(),
            by: b.by.map(|u| u.0),
            created_at: b.at.0,
        }
    }
}

impl From<&AuditEntry> for Record {
    fn from(a: &AuditEntry) -> Self {
        Record::Audit {
            id: a.id,
            site: a.site_id.to_string(),
            user: a.user_id.map(|u| u.0),
            action: a.action.clone(),
            target: a.target.clone(),
            reason: a.reason.clone(),
            created_at: a.at.0,
        }
    }
}

impl From<&rostra_core::Campaign> for Record {
    fn from(c: &rostra_core::Campaign) -> Self {
        Record::Campaign(c.into())
    }
}

impl From<&rostra_store::DonationRow> for Record {
    fn from(d: &rostra_store::DonationRow) -> Self {
        Record::Donation(d.into())
    }
}

impl Record {
    /// The record as one line of JSON, without the newline.
    pub fn to_line(&self) -> anyhow::Result<String> {
        Ok(serde_json::to_string(self)?)
    }

    /// Which record this is, for messages: its kind and id (never a
    /// secret's value).
    pub fn describe(&self) -> String {
        match self {
            Record::Header { .. } => "the header".into(),
            Record::Secret { name, .. } => format!("secret {name}"),
            Record::Site { id, .. } => format!("site {id}"),
            Record::Thread { id, .. } => format!("thread {id}"),
            Record::Comment { id, .. } => format!("comment {id}"),
            Record::Vote { comment, voter, .. } => {
                format!("the vote of {voter} on comment {comment}")
            }
            Record::User { id, .. } => format!("user {id}"),
            Record::Subscriber { id, .. } => format!("subscriber {id}"),
            Record::Subscription { id, .. } => format!("subscription {id}"),
            Record::Webhook { id, .. } => format!("webhook {id}"),
            Record::Membership { user, site, .. } => format!("the role of user {user} on {site}"),
            Record::Credential { user, kind, .. } => format!("a {kind} of user {user}"),
            Record::Report { id, .. } => format!("report {id}"),
            Record::Ban { id, .. } => format!("ban {id}"),
            Record::Audit { id, .. } => format!("audit entry {id}"),
            Record::Campaign(c) => format!("campaign {}", c.id),
            Record::Donation(d) => format!("donation {}", d.id),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn lines_name_their_type_first_and_read_back() {
        let r = Record::Vote {
            comment: 3,
            voter: "g:ab".into(),
            value: -1,
            created_at: 5,
        };
        let line = r.to_line().unwrap();
        assert_eq!(
            line,
            r#"{"type":"vote","comment":3,"voter":"g:ab","value":-1,"created_at":5}"#
        );
        assert_eq!(serde_json::from_str::<Record>(&line).unwrap(), r);
        let h = Record::Header {
            format: FORMAT,
            site: None,
        };
        assert_eq!(
            h.to_line().unwrap(),
            r#"{"type":"rostra-export","format":1,"site":null}"#
        );
    }
}
