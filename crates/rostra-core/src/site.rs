//! Sites: the publications Rostra serves, each with its own settings.

use crate::blocklist::BlockList;
use crate::policy::{SpamPolicy, ToxicityPolicy};
use crate::{FieldError, ModeratorNotify, PageUrl, SiteId, Timestamp, UrlPolicy};
use serde::{Deserialize, Serialize};

/// How new comments are published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ModerationMode {
    /// Published at once; moderators act afterwards. The model's scores
    /// are recorded, not acted on.
    Post,
    /// Held until a moderator approves.
    Pre,
    /// The toxicity model decides: approved below `toxicity.hold`, held
    /// above it, rejected above `toxicity.reject`.
    #[default]
    Model,
}

/// A site's settings, stored as one JSON document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SiteSettings {
    /// Pre-, post- or model-driven moderation.
    pub moderation: ModerationMode,
    /// The model's thresholds and the nudge.
    pub toxicity: ToxicityPolicy,
    /// Spam controls.
    pub spam: SpamPolicy,
    /// Words, e-mail domains and address ranges the site refuses.
    pub blocklist: BlockList,
    /// How long after posting an author may edit or delete, in seconds.
    pub edit_window_secs: i64,
    /// Replies deeper than this are shown flattened under their ancestor at
    /// this depth.
    pub display_depth: u32,
    /// Top-level comments per page unless the request asks otherwise.
    pub page_size: u32,
    /// How page URLs are canonicalized.
    pub url_policy: UrlPolicy,
    /// Open reader reports that hold an approved comment for a moderator;
    /// 0: reports never hold a comment by themselves.
    pub report_threshold: u32,
    /// How moderators with an e-mail address hear of held comments.
    pub notify_moderators: ModeratorNotify,
}

impl Default for SiteSettings {
    fn default() -> Self {
        Self {
            moderation: ModerationMode::default(),
            toxicity: ToxicityPolicy::default(),
            spam: SpamPolicy::default(),
            blocklist: BlockList::default(),
            edit_window_secs: 15 * 60,
            display_depth: 4,
            page_size: 20,
            url_policy: UrlPolicy::default(),
            report_threshold: 3,
            notify_moderators: ModeratorNotify::Each,
        }
    }
}

/// An origin a site's pages are served from: `scheme://host[:port]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Origin(String);

impl Origin {
    /// Parses an origin; `*` means any.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let raw = raw.trim();
        if raw == "*" {
            return Ok(Self("*".into()));
        }
        let err = || {
            FieldError::new(
                "allowed_origins",
                format!("{raw:?} is not an origin like https://example.org"),
            )
        };
        let url = url::Url::parse(raw).map_err(|_| err())?;
        if !matches!(url.scheme(), "http" | "https")
            || url.host_str().is_none()
            || url.path() != "/" && !url.path().is_empty()
        {
            return Err(err());
        }
        Ok(Self(url.origin().ascii_serialization()))
    }

    /// The serialized origin.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Origin {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Origin::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// A site.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    /// Slug.
    pub id: SiteId,
    /// Display name.
    pub name: String,
    /// Origins allowed to embed the site's threads and call its API from a
    /// browser; page URLs must belong to one of them. Empty or `*`: any.
    pub allowed_origins: Vec<Origin>,
    /// Settings.
    pub settings: SiteSettings,
    /// The secret guest voter keys are derived with.
    pub voter_secret: Vec<u8>,
    /// When it was created.
    pub created_at: Timestamp,
}

impl Site {
    fn allows_any(&self) -> bool {
        self.allowed_origins.is_empty() || self.allowed_origins.iter().any(|o| o.0 == "*")
    }

    /// Whether a browser at `origin` may call this site's API.
    pub fn allows_origin(&self, origin: &str) -> bool {
        self.allows_any()
            || self
                .allowed_origins
                .iter()
                .any(|o| o.0.eq_ignore_ascii_case(origin))
    }

    /// Whether `url` is a page of this site.
    pub fn owns_page(&self, url: &PageUrl) -> bool {
        self.allows_any() || {
            let origin = url.origin();
            self.allowed_origins.iter().any(|o| o.0 == origin)
        }
    }

    /// Parses a page URL under this site's policy and checks it belongs here.
    pub fn page_url(&self, raw: &str, max_bytes: usize) -> Result<PageUrl, FieldError> {
        let url = PageUrl::parse(raw, &self.settings.url_policy, max_bytes)?;
        if !self.owns_page(&url) {
            return Err(FieldError::new(
                "url",
                format!(
                    "{} is not one of site {}'s allowed origins",
                    url.origin(),
                    self.id
                ),
            ));
        }
        Ok(url)
    }
}

/// A site to be created.
#[derive(Debug, Clone)]
pub struct NewSite {
    /// Slug.
    pub id: SiteId,
    /// Display name.
    pub name: String,
    /// Allowed origins.
    pub allowed_origins: Vec<Origin>,
    /// Settings.
    pub settings: SiteSettings,
    /// Voter secret (random, 32 bytes).
    pub voter_secret: Vec<u8>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(origins: &[&str]) -> Site {
        Site {
            id: SiteId::parse("demo").unwrap_or_else(|e| panic!("{e}")),
            name: "Demo".into(),
            allowed_origins: origins
                .iter()
                .filter_map(|o| Origin::parse(o).ok())
                .collect(),
            settings: SiteSettings::default(),
            voter_secret: vec![1; 32],
            created_at: Timestamp(0),
        }
    }

    #[test]
    fn origins() {
        assert_eq!(
            Origin::parse("HTTPS://Example.org:443").map(|o| o.0),
            Ok("https://example.org".into())
        );
        assert_eq!(
            Origin::parse("http://localhost:8080/").map(|o| o.0),
            Ok("http://localhost:8080".into())
        );
        assert!(Origin::parse("https://example.org/path").is_err());
        assert!(Origin::parse("example.org").is_err());
        let s = site(&["https://example.org"]);
        assert!(s.allows_origin("https://example.org"));
        assert!(!s.allows_origin("https://evil.example"));
        assert!(s.page_url("https://example.org/a", 2048).is_ok());
        assert_eq!(
            s.page_url("https://evil.example/a", 2048)
                .map_err(|e| e.field),
            Err("url".to_string())
        );
        assert!(site(&[])
            .page_url("https://anything.example/a", 2048)
            .is_ok());
    }

    #[test]
    fn settings_reject_unknown_keys() {
        let ok: Result<SiteSettings, _> = serde_json::from_str(r#"{"moderation":"pre"}"#);
        assert_eq!(ok.map(|s| s.moderation).ok(), Some(ModerationMode::Pre));
        let bad: Result<SiteSettings, _> = serde_json::from_str(r#"{"moderaton":"pre"}"#);
        assert!(bad.is_err());
    }
}
