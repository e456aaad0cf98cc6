//! Comments, their statuses, and what their authors may do with them.

use crate::{
    Assessment, CommentBody, CommentId, DisplayName, Email, FieldError, PageUrl, SiteId, ThreadId,
    Timestamp, TokenHash, Website,
};
use serde::{Deserialize, Serialize};

/// Where a comment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CommentStatus {
    /// Held for a moderator; seen only by its author and moderators.
    Pending,
    /// Public.
    Approved,
    /// Refused by a moderator or the policy.
    Rejected,
    /// Refused as spam.
    Spam,
    /// Withdrawn by its author or removed by a moderator.
    Deleted,
}

impl CommentStatus {
    /// As stored and as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Spam => "spam",
            Self::Deleted => "deleted",
        }
    }

    /// How a move from this status to `to` changes a thread's approved count:
    /// +1, -1 or 0.
    pub fn approved_delta(self, to: CommentStatus) -> i64 {
        i64::from(to == Self::Approved) - i64::from(self == Self::Approved)
    }

    /// Parses the stored or API spelling.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Ok(match raw {
            "pending" => Self::Pending,
            "approved" => Self::Approved,
            "rejected" => Self::Rejected,
            "spam" => Self::Spam,
            "deleted" => Self::Deleted,
            _ => {
                return Err(FieldError::new(
                    "status",
                    "a status is one of pending, approved, rejected, spam, deleted",
                ))
            }
        })
    }
}

/// Whether a comment appears in its thread's public listing: an approved
/// comment does; any other does only as a tombstone that keeps its listed
/// replies in place.
pub fn is_listed(status: CommentStatus, listed_replies: i64) -> bool {
    status == CommentStatus::Approved || listed_replies > 0
}

/// A comment as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    /// Identifier.
    pub id: CommentId,
    /// The thread it belongs to.
    pub thread_id: ThreadId,
    /// The comment it answers, if any.
    pub parent_id: Option<CommentId>,
    /// The top-level comment its branch hangs from (`None` for a top-level one).
    pub root_id: Option<CommentId>,
    /// 0 for a top-level comment, parent's depth + 1 for a reply.
    pub depth: u32,
    /// Where it stands.
    pub status: CommentStatus,
    /// Author's display name.
    pub author_name: String,
    /// Author's e-mail: stored, never shown publicly.
    pub author_email: Option<String>,
    /// Author's website.
    pub author_website: Option<String>,
    /// The Markdown as written (empty once deleted).
    pub body_markdown: String,
    /// The rendered, sanitized HTML (empty once deleted).
    pub body_html: String,
    /// When it was written.
    pub created_at: Timestamp,
    /// When its author last edited it.
    pub edited_at: Option<Timestamp>,
    /// Up-votes.
    pub upvotes: i64,
    /// Down-votes.
    pub downvotes: i64,
    /// How many direct replies are listed.
    pub listed_replies: i64,
    /// The hash of the author's edit token.
    pub edit_token_hash: Option<TokenHash>,
    /// What the moderation policy (or readers' reports) found, if anything.
    /// Listings leave it out: read one comment for it.
    pub assessment: Option<Assessment>,
}

impl Comment {
    /// Whether it appears in the public listing.
    pub fn is_listed(&self) -> bool {
        is_listed(self.status, self.listed_replies)
    }

    /// Whether the holder of `token` may edit or delete this comment at `now`,
    /// given the site's edit window in seconds.
    pub fn author_may_change(
        &self,
        token: &crate::EditToken,
        now: Timestamp,
        window_secs: i64,
    ) -> Result<(), AuthorChangeDenied> {
        if self.status == CommentStatus::Deleted {
            return Err(AuthorChangeDenied::Deleted);
        }
        if !self.edit_token_hash.is_some_and(|h| h.matches(token)) {
            return Err(AuthorChangeDenied::WrongToken);
        }
        if now > self.created_at.plus_secs(window_secs) {
            return Err(AuthorChangeDenied::WindowClosed { window_secs });
        }
        Ok(())
    }
}

/// Why an author may not change their comment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthorChangeDenied {
    /// The token does not belong to this comment.
    #[error("the edit token does not match this comment")]
    WrongToken,
    /// Too late.
    #[error(
        "comments can be changed for {window_secs} seconds after posting; that time has passed"
    )]
    WindowClosed {
        /// The site's window.
        window_secs: i64,
    },
    /// Already gone.
    #[error("the comment has been deleted")]
    Deleted,
}

/// A comment to be stored, every field already parsed.
#[derive(Debug, Clone)]
pub struct NewComment {
    /// The site.
    pub site_id: SiteId,
    /// The page; its thread is created if this is the page's first comment.
    pub url: PageUrl,
    /// The page's title, recorded when the thread is created.
    pub title: Option<String>,
    /// The comment it answers.
    pub parent_id: Option<CommentId>,
    /// Display name.
    pub author_name: DisplayName,
    /// Optional e-mail.
    pub author_email: Option<Email>,
    /// Optional website.
    pub author_website: Option<Website>,
    /// The body.
    pub body: CommentBody,
    /// The body rendered.
    pub body_html: String,
    /// Initial status (approved under post-moderation, pending under pre-moderation).
    pub status: CommentStatus,
    /// When.
    pub created_at: Timestamp,
    /// The hash of the edit token given to the author.
    pub edit_token_hash: TokenHash,
    /// A keyed hash of the author's network address, for rate limits and bans.
    pub ip_hash: Option<String>,
    /// Deepest reply allowed.
    pub max_depth: u32,
    /// The moderation policy's findings, kept with the comment for moderators.
    pub assessment: Option<Assessment>,
}

impl NewComment {
    /// The comment as stored: under `id`, in `thread_id`, `depth` levels below
    /// its top-level ancestor `root_id`, with no votes or replies yet.
    pub fn stored(
        self,
        id: CommentId,
        thread_id: ThreadId,
        root_id: Option<CommentId>,
        depth: u32,
    ) -> Comment {
        Comment {
            id,
            thread_id,
            parent_id: self.parent_id,
            root_id,
            depth,
            status: self.status,
            author_name: self.author_name.as_str().to_owned(),
            author_email: self.author_email.map(|e| e.as_str().to_owned()),
            author_website: self.author_website.map(|w| w.as_str().to_owned()),
            body_markdown: self.body.as_str().to_owned(),
            body_html: self.body_html,
            created_at: self.created_at,
            edited_at: None,
            upvotes: 0,
            downvotes: 0,
            listed_replies: 0,
            edit_token_hash: Some(self.edit_token_hash),
            assessment: self.assessment,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EditToken;

    fn comment(token: &EditToken) -> Comment {
        Comment {
            id: CommentId(1),
            thread_id: ThreadId(1),
            parent_id: None,
            root_id: None,
            depth: 0,
            status: CommentStatus::Approved,
            author_name: "Ann".into(),
            author_email: None,
            author_website: None,
            body_markdown: "hi".into(),
            body_html: "<p>hi</p>".into(),
            created_at: Timestamp(1_000_000),
            edited_at: None,
            upvotes: 0,
            downvotes: 0,
            listed_replies: 0,
            edit_token_hash: Some(token.hash()),
            assessment: None,
        }
    }

    #[test]
    fn edit_window_and_token() {
        let token = EditToken::generate();
        let c = comment(&token);
        assert_eq!(
            c.author_may_change(&token, Timestamp(1_000_000 + 899_000), 900),
            Ok(())
        );
        assert_eq!(
            c.author_may_change(&token, Timestamp(1_000_000 + 901_000), 900),
            Err(AuthorChangeDenied::WindowClosed { window_secs: 900 })
        );
        assert_eq!(
            c.author_may_change(&EditToken::generate(), Timestamp(1_000_000), 900),
            Err(AuthorChangeDenied::WrongToken)
        );
        let gone = Comment {
            status: CommentStatus::Deleted,
            ..c
        };
        assert_eq!(
            gone.author_may_change(&token, Timestamp(1_000_000), 900),
            Err(AuthorChangeDenied::Deleted)
        );
    }

    #[test]
    fn listing_rule() {
        assert!(is_listed(CommentStatus::Approved, 0));
        assert!(!is_listed(CommentStatus::Deleted, 0));
        assert!(is_listed(CommentStatus::Deleted, 2));
        assert!(!is_listed(CommentStatus::Pending, 0));
        assert_eq!(
            CommentStatus::Pending.approved_delta(CommentStatus::Approved),
            1
        );
        assert_eq!(
            CommentStatus::Approved.approved_delta(CommentStatus::Deleted),
            -1
        );
        assert_eq!(
            CommentStatus::Approved.approved_delta(CommentStatus::Approved),
            0
        );
        for s in ["pending", "approved", "rejected", "spam", "deleted"] {
            assert_eq!(CommentStatus::parse(s).map(|s| s.as_str()), Ok(s));
        }
    }
}
