//! What the posting policy asks of the past, in one question: a ban in
//! force on the author, how many of their comments were approved, and
//! whether the same body was posted lately. Backends answer it with one
//! statement, since a comment POST waits for it.

use crate::moderation::{Ban, BanQuery};
use rostra_core::Timestamp;

/// The question. Parts the policy has no use for are left out.
#[derive(Debug, Clone)]
pub struct HistoryQuery {
    /// Who the author is, for bans (values as `BanKind::normalize` gives
    /// them); all `None`: no ban is looked for.
    pub ban: BanQuery,
    /// The time bans are judged at.
    pub now: Timestamp,
    /// Count the author's approved comments: by e-mail when given, else by
    /// address hash.
    pub approved: Option<Author>,
    /// Stop counting at this many: the policy needs no more than its trust
    /// threshold, and an author with a long history would cost a row each.
    pub approved_up_to: u32,
    /// Look for exactly this body posted at or after this time.
    pub duplicate: Option<(String, Timestamp)>,
}

/// An author as their history is kept: e-mail, else address hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Author {
    /// By e-mail.
    Email(String),
    /// By keyed hash of the network address.
    IpHash(String),
}

impl Author {
    /// The author by e-mail when given, else by address hash; `None` when
    /// neither is known.
    pub fn of(email: Option<&str>, ip_hash: Option<&str>) -> Option<Self> {
        match (email, ip_hash) {
            (Some(e), _) => Some(Self::Email(e.to_owned())),
            (None, Some(h)) => Some(Self::IpHash(h.to_owned())),
            (None, None) => None,
        }
    }

    /// The comments column that holds it, and its value.
    pub fn column(&self) -> (&'static str, &str) {
        match self {
            Self::Email(e) => ("author_email", e),
            Self::IpHash(h) => ("ip_hash", h),
        }
    }
}

impl BanQuery {
    /// Whether there is anything to look a ban up by.
    pub fn is_empty(&self) -> bool {
        self.email.is_none() && self.ip_hash.is_none() && self.name.is_none()
    }
}

/// The answer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    /// The first ban in force that matches the author.
    pub ban: Option<Ban>,
    /// Their approved comments on the site, counted up to
    /// `approved_up_to` (0 when not asked).
    pub approved: i64,
    /// Whether the body was posted in the window (false when not asked).
    pub duplicate: bool,
}
