//! E-mail subscriptions and webhooks: what a reader can ask to hear of,
//! how often, and the events a site's endpoints can receive.

use crate::FieldError;
use serde::{Deserialize, Serialize};

/// What a subscription to a page covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SubscriptionKind {
    /// Every new approved comment of the page ("new follow-up comments").
    Thread,
    /// Replies to the subscriber's own comments on the page ("new replies
    /// to my comments").
    Replies,
}

impl SubscriptionKind {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Thread => "thread",
            Self::Replies => "replies",
        }
    }

    /// Parses the wire name; `field` names the input at fault.
    pub fn parse(raw: &str, field: &str) -> Result<Self, FieldError> {
        match raw.trim() {
            "thread" => Ok(Self::Thread),
            "replies" => Ok(Self::Replies),
            other => Err(FieldError::new(
                field,
                format!("{other:?} is neither \"thread\" nor \"replies\""),
            )),
        }
    }
}

/// How often a subscription's mail goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Cadence {
    /// One message per comment, as soon as it is approved.
    #[default]
    Instant,
    /// One message a day listing what came.
    Digest,
}

impl Cadence {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Instant => "instant",
            Self::Digest => "digest",
        }
    }

    /// Parses the wire name; `field` names the input at fault.
    pub fn parse(raw: &str, field: &str) -> Result<Self, FieldError> {
        match raw.trim() {
            "instant" | "" => Ok(Self::Instant),
            "digest" => Ok(Self::Digest),
            other => Err(FieldError::new(
                field,
                format!("{other:?} is neither \"instant\" nor \"digest\""),
            )),
        }
    }
}

/// How a site's moderators hear of held comments (those who have an
/// e-mail address).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModeratorNotify {
    /// Not by mail.
    Off,
    /// One message per held comment.
    #[default]
    Each,
    /// One message a day listing them.
    Digest,
}

/// What a webhook can be told of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WebhookEvent {
    /// A comment was stored (whatever its first status).
    #[serde(rename = "comment.created")]
    CommentCreated,
    /// A held comment was approved.
    #[serde(rename = "comment.approved")]
    CommentApproved,
    /// A comment was rejected or marked spam.
    #[serde(rename = "comment.rejected")]
    CommentRejected,
    /// A donation (or a refund) changed a campaign's totals.
    #[serde(rename = "donation.recorded")]
    DonationRecorded,
}

impl WebhookEvent {
    /// Every event, in a fixed order.
    pub const ALL: [Self; 4] = [
        Self::CommentCreated,
        Self::CommentApproved,
        Self::CommentRejected,
        Self::DonationRecorded,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CommentCreated => "comment.created",
            Self::CommentApproved => "comment.approved",
            Self::CommentRejected => "comment.rejected",
            Self::DonationRecorded => "donation.recorded",
        }
    }

    /// Parses the wire name.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|e| e.as_str() == raw.trim())
            .ok_or_else(|| {
                FieldError::new(
                    "events",
                    format!(
                        "{raw:?} is not an event; the events are {}",
                        Self::ALL.map(Self::as_str).join(", ")
                    ),
                )
            })
    }
}

/// A webhook endpoint's address: HTTPS (plain HTTP only when the
/// installation allows it, for local receivers), no credentials in it.
pub fn webhook_url(raw: &str, allow_http: bool) -> Result<url::Url, FieldError> {
    let err = |m: &str| FieldError::new("url", m.to_string());
    let url = url::Url::parse(raw.trim()).map_err(|_| err("not an absolute URL"))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_http => {}
        _ => return Err(err("webhook endpoints must use https")),
    }
    if url.host_str().is_none() {
        return Err(err("the URL has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(err("put no credentials in the URL; requests are signed"));
    }
    if raw.len() > 2000 {
        return Err(err("the URL is longer than 2000 bytes"));
    }
    Ok(url)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_cadences_round_trip_and_name_the_field() {
        for k in [SubscriptionKind::Thread, SubscriptionKind::Replies] {
            assert_eq!(SubscriptionKind::parse(k.as_str(), "notify").unwrap(), k);
        }
        assert_eq!(
            SubscriptionKind::parse("all", "notify").unwrap_err().field,
            "notify"
        );
        assert_eq!(Cadence::parse("", "cadence").unwrap(), Cadence::Instant);
        assert_eq!(
            Cadence::parse("digest", "cadence").unwrap(),
            Cadence::Digest
        );
        assert!(Cadence::parse("weekly", "cadence").is_err());
    }

    #[test]
    fn webhook_urls_must_be_https_without_credentials() {
        assert!(webhook_url("https://hooks.example.org/rostra", false).is_ok());
        assert!(webhook_url("http://127.0.0.1:9/x", false).is_err());
        assert!(webhook_url("http://127.0.0.1:9/x", true).is_ok());
        assert!(webhook_url("https://u:p@example.org/", false).is_err());
        assert!(webhook_url("ftp://example.org/", true).is_err());
        assert!(webhook_url("/relative", true).is_err());
    }

    #[test]
    fn events_parse_by_wire_name() {
        for e in WebhookEvent::ALL {
            assert_eq!(WebhookEvent::parse(e.as_str()).unwrap(), e);
        }
        let e = WebhookEvent::parse("comment.edited").unwrap_err();
        assert!(e.message.contains("comment.created"), "{}", e.message);
    }
}
