//! The records of a Rostra JSON Lines export, one JSON object a line, its
//! kind in `type`. Times are milliseconds since the epoch and bytes are
//! lower-case hex, both as stored, so that nothing is lost on the way.

use rostra_core::{Assessment, CommentStatus, Site, SiteSettings};
use rostra_store::{CommentRow, Secret, Thread, VoteRow};
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
