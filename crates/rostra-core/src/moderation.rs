//! The moderator side: who moderates a site, what they may do to comments,
//! what readers may report, and what a ban matches. Parsed here, stored and
//! enforced above.

use crate::{Assessment, CommentStatus, FieldError, Reason};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A moderator's (or owner's) account id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub i64);

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A user's login name: 1–64 lower-case ASCII letters, digits, `.`, `_`, `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct UserName(String);

impl UserName {
    /// Parses a login name (lower-casing it).
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let name = raw.trim().to_ascii_lowercase();
        let ok = !name.is_empty()
            && name.len() <= 64
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
        if ok {
            Ok(Self(name))
        } else {
            Err(FieldError::new(
                "name",
                "a user name is 1-64 letters, digits, dots, underscores and hyphens",
            ))
        }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a member of a site may do there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Moderates comments, bans, reads the audit log.
    Moderator,
    /// Everything a moderator does, and owns the site.
    Owner,
}

impl Role {
    /// As stored and as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Moderator => "moderator",
        }
    }

    /// Parses `owner` or `moderator`.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        match raw {
            "owner" => Ok(Self::Owner),
            "moderator" => Ok(Self::Moderator),
            _ => Err(FieldError::new("role", "a role is owner or moderator")),
        }
    }

    /// Whether this role may do what `needed` may.
    pub fn covers(self, needed: Role) -> bool {
        self >= needed
    }
}

/// What a moderator does to comments from the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModAction {
    /// Publish it.
    Approve,
    /// Refuse it.
    Reject,
    /// Refuse it as spam.
    Spam,
    /// Remove it (a tombstone stays while it has listed replies).
    Delete,
}

impl ModAction {
    /// Parses `approve`, `reject`, `spam` or `delete`.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Ok(match raw {
            "approve" => Self::Approve,
            "reject" => Self::Reject,
            "spam" => Self::Spam,
            "delete" => Self::Delete,
            _ => {
                return Err(FieldError::new(
                    "action",
                    "an action is approve, reject, spam or delete",
                ))
            }
        })
    }

    /// As the API and the audit log spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Approve => "approve",
            Self::Reject => "reject",
            Self::Spam => "spam",
            Self::Delete => "delete",
        }
    }

    /// The status the comment moves to.
    pub fn status(self) -> CommentStatus {
        match self {
            Self::Approve => CommentStatus::Approved,
            Self::Reject => CommentStatus::Rejected,
            Self::Spam => CommentStatus::Spam,
            Self::Delete => CommentStatus::Deleted,
        }
    }
}

/// Why a reader reports a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportReason {
    /// Advertising, links, bots.
    Spam,
    /// Insults, threats, harassment.
    Abuse,
    /// Not about the page.
    OffTopic,
    /// Something else (the reader says what).
    Other,
}

impl ReportReason {
    /// Parses `spam`, `abuse`, `off_topic` or `other`.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Ok(match raw {
            "spam" => Self::Spam,
            "abuse" => Self::Abuse,
            "off_topic" => Self::OffTopic,
            "other" => Self::Other,
            _ => {
                return Err(FieldError::new(
                    "reason",
                    "a reason is spam, abuse, off_topic or other",
                ))
            }
        })
    }

    /// As stored and as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Spam => "spam",
            Self::Abuse => "abuse",
            Self::OffTopic => "off_topic",
            Self::Other => "other",
        }
    }
}

/// What a ban matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BanKind {
    /// An author's e-mail address (compared lower-cased).
    Email,
    /// The keyed hash of a network address.
    Address,
    /// A display name (compared lower-cased and trimmed).
    Name,
}

impl BanKind {
    /// Parses `email`, `address` or `name`.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Ok(match raw {
            "email" => Self::Email,
            "address" => Self::Address,
            "name" => Self::Name,
            _ => {
                return Err(FieldError::new(
                    "kind",
                    "a ban's kind is email, address or name",
                ))
            }
        })
    }

    /// As stored and as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Address => "address",
            Self::Name => "name",
        }
    }

    /// The value as stored and compared: e-mails and names lower-cased and
    /// trimmed, address hashes as given. An empty value is refused.
    pub fn normalize(self, raw: &str) -> Result<String, FieldError> {
        let v = raw.trim();
        if v.is_empty() || v.len() > 320 {
            return Err(FieldError::new("value", "a ban's value is 1-320 bytes"));
        }
        Ok(match self {
            Self::Email | Self::Name => v.to_lowercase(),
            Self::Address => v.to_owned(),
        })
    }
}

/// Which comments the moderation queue shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QueueFilter {
    /// Held ones (pending) and reported ones.
    #[default]
    All,
    /// Held by the policy or pre-moderation.
    Held,
    /// With open reports.
    Reported,
    /// Rejected or marked as spam: where a refusal is found again and
    /// undone (approved), since a moderator's mistake must not be final.
    Rejected,
    /// Published (approved), the site's latest [`PUBLISHED_WINDOW`]: where
    /// post-moderation reviews what went out at once, newest first or the
    /// model's most suspect first.
    Published,
}

/// How many of a site's latest published comments the `published` view
/// reads: it walks comments newest first and stops there, so that its
/// cost does not grow with the site's history.
pub const PUBLISHED_WINDOW: u32 = 1000;

impl QueueFilter {
    /// Parses `all`, `held`, `reported`, `rejected` or `published`.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Ok(match raw {
            "all" => Self::All,
            "held" => Self::Held,
            "reported" => Self::Reported,
            "rejected" => Self::Rejected,
            "published" => Self::Published,
            _ => {
                return Err(FieldError::new(
                    "filter",
                    "a filter is all, held, reported, rejected or published",
                ))
            }
        })
    }
}

/// In which order the queue lists comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QueueOrder {
    /// Newest first.
    #[default]
    Newest,
    /// Most reports first, then the highest toxicity score, then newest.
    Urgent,
}

impl QueueOrder {
    /// Parses `newest` or `urgent`.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Ok(match raw {
            "newest" => Self::Newest,
            "urgent" => Self::Urgent,
            _ => return Err(FieldError::new("order", "an order is newest or urgent")),
        })
    }
}

/// `assessment` with `reason` added, replacing an earlier reason of the
/// same code (reports accumulate into one `reports` reason).
pub fn with_reason(assessment: Option<Assessment>, reason: Reason) -> Assessment {
    let mut a = assessment.unwrap_or_default();
    a.reasons.retain(|r| r.code != reason.code);
    a.reasons.insert(0, reason);
    a
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn roles_cover_lesser_roles() {
        assert!(Role::Owner.covers(Role::Moderator));
        assert!(Role::Owner.covers(Role::Owner));
        assert!(!Role::Moderator.covers(Role::Owner));
        for r in ["owner", "moderator"] {
            assert_eq!(Role::parse(r).map(|r| r.as_str()), Ok(r));
        }
        assert_eq!(Role::parse("admin").unwrap_err().field, "role");
    }

    #[test]
    fn parsers_round_trip_and_name_the_field() {
        for a in ["approve", "reject", "spam", "delete"] {
            assert_eq!(ModAction::parse(a).map(|a| a.as_str()), Ok(a));
        }
        for r in ["spam", "abuse", "off_topic", "other"] {
            assert_eq!(ReportReason::parse(r).map(|r| r.as_str()), Ok(r));
        }
        for k in ["email", "address", "name"] {
            assert_eq!(BanKind::parse(k).map(|k| k.as_str()), Ok(k));
        }
        assert_eq!(ModAction::parse("nuke").unwrap_err().field, "action");
        assert_eq!(QueueFilter::parse("x").unwrap_err().field, "filter");
        assert_eq!(QueueFilter::parse("rejected"), Ok(QueueFilter::Rejected));
        assert_eq!(QueueFilter::parse("published"), Ok(QueueFilter::Published));
        assert_eq!(QueueOrder::parse("x").unwrap_err().field, "order");
        assert_eq!(
            ModAction::Reject.status(),
            CommentStatus::Rejected,
            "reject moves to rejected"
        );
    }

    #[test]
    fn user_names_and_ban_values_are_normalized() {
        assert_eq!(UserName::parse(" Alice ").unwrap().as_str(), "alice");
        assert!(UserName::parse("a b").is_err());
        assert!(UserName::parse("").is_err());
        assert_eq!(
            BanKind::Email.normalize(" Bob@Example.ORG ").unwrap(),
            "bob@example.org"
        );
        assert_eq!(BanKind::Address.normalize("AbC").unwrap(), "AbC");
        assert!(BanKind::Name.normalize("  ").is_err());
    }

    #[test]
    fn a_reason_replaces_its_code() {
        let r = |code: &str, detail: &str| Reason {
            code: code.into(),
            detail: detail.into(),
            terms: vec![],
        };
        let a = with_reason(None, r("reports", "3 reports"));
        let a = with_reason(Some(a), r("links", "too many"));
        let a = with_reason(Some(a), r("reports", "4 reports"));
        let codes: Vec<_> = a.reasons.iter().map(|r| r.detail.as_str()).collect();
        assert_eq!(codes, ["4 reports", "too many"]);
    }
}
