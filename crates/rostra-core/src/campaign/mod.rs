//! Donation campaigns: a goal with milestones, in one currency, between a
//! start and an end, and the donations recorded toward it. Amounts are
//! integers in the currency's minor unit ([`money`]); the countdown is
//! counted in the reader's calendar ([`countdown`]); payment providers'
//! webhooks are authenticated by [`signature`].

pub mod countdown;
pub mod money;
pub mod signature;

pub use countdown::{countdown, Countdown, Until};
pub use money::{Currency, NumberStyle};

use crate::{FieldError, SiteId, Timestamp};
use serde::Serialize;
use std::fmt;

/// The most milestones a campaign has (its goal aside).
pub const MAX_MILESTONES: usize = 20;

/// A campaign's name within its site: 1–64 lower-case ASCII letters, digits
/// and inner hyphens (`september-2026`), as in its URLs and
/// `data-rostra-campaign`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct CampaignSlug(String);

impl CampaignSlug {
    /// Parses a slug.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        SiteId::parse(raw)
            .map(|s| Self(s.as_str().to_owned()))
            .map_err(|_| {
                FieldError::new(
                    "slug",
                    "a campaign slug is 1-64 lower-case letters, digits and inner hyphens",
                )
            })
    }

    /// The slug.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CampaignSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A webhook's signing secret (Stripe's `whsec_…`, or Rostra's own for the
/// generic webhook). Never shown in `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecret(String);

impl WebhookSecret {
    /// Parses a secret: 16–200 printable ASCII characters.
    pub fn parse(raw: &str, field: &str) -> Result<Self, FieldError> {
        let raw = raw.trim();
        if (16..=200).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_graphic()) {
            Ok(Self(raw.to_owned()))
        } else {
            Err(FieldError::new(
                field,
                "a webhook secret is 16-200 printable ASCII characters",
            ))
        }
    }

    /// A fresh random secret, `rsec_` and 64 hex digits.
    pub fn generate() -> Self {
        Self(format!("rsec_{}", hex::encode(rand::random::<[u8; 32]>())))
    }

    /// The secret's bytes, the HMAC key.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret(***)")
    }
}

/// What a publisher says a campaign is. Checked by [`CampaignSpec::check`]
/// before any store sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignSpec {
    /// The heading ("Support SouthFront").
    pub title: String,
    /// Its currency; donations in others are kept apart.
    pub currency: Currency,
    /// The goal, in minor units.
    pub goal: i64,
    /// Milestones below the goal, in minor units (ascending once checked).
    pub milestones: Vec<i64>,
    /// When donations start counting.
    pub starts_at: Timestamp,
    /// When the campaign ends (exclusive).
    pub ends_at: Timestamp,
    /// Money raised elsewhere, added to the total, in minor units.
    pub offset: i64,
    /// The call to action's words ("Support SouthFront").
    pub cta_text: String,
    /// The publisher's payment page.
    pub cta_url: String,
    /// Whether readers see the number of donors.
    pub show_donors: bool,
    /// The Stripe endpoint's signing secret, if Stripe sends donations.
    pub stripe_secret: Option<WebhookSecret>,
    /// The generic webhook's signing secret, if it is used.
    pub webhook_secret: Option<WebhookSecret>,
}

impl CampaignSpec {
    /// Checks every field (naming the first bad one) and puts the
    /// milestones in order, without duplicates.
    pub fn check(mut self) -> Result<Self, FieldError> {
        self.title = self.title.trim().to_owned();
        let title_len = self.title.chars().count();
        if !(1..=200).contains(&title_len) || self.title.chars().any(char::is_control) {
            return Err(FieldError::new("title", "a title is 1-200 characters"));
        }
        money::check_amount(self.goal, "goal")?;
        self.milestones.sort_unstable();
        self.milestones.dedup();
        if self.milestones.len() > MAX_MILESTONES {
            return Err(FieldError::new(
                "milestones",
                format!("at most {MAX_MILESTONES} milestones"),
            ));
        }
        if let Some(bad) = self
            .milestones
            .iter()
            .position(|m| *m < 0 || *m > self.goal)
        {
            return Err(FieldError::new(
                format!("milestones[{bad}]"),
                "a milestone is between 0 and the goal",
            ));
        }
        if self.ends_at <= self.starts_at {
            return Err(FieldError::new(
                "ends_at",
                "a campaign ends after it starts",
            ));
        }
        if !(0..=money::MAX_AMOUNT).contains(&self.offset) {
            return Err(FieldError::new(
                "offset",
                "the amount raised elsewhere is 0 or more, at most 10^13",
            ));
        }
        self.cta_text = self.cta_text.trim().to_owned();
        if !(1..=80).contains(&self.cta_text.chars().count()) {
            return Err(FieldError::new(
                "cta_text",
                "the call to action is 1-80 characters",
            ));
        }
        let url = url::Url::parse(self.cta_url.trim())
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            .filter(|_| self.cta_url.len() <= 2048);
        match url {
            Some(u) => self.cta_url = u.to_string(),
            None => {
                return Err(FieldError::new(
                    "cta_url",
                    "the payment page is an http(s) URL of at most 2048 bytes",
                ))
            }
        }
        Ok(self)
    }
}

/// An instant from RFC 3339 (`2026-10-01T00:00:00-04:00`) or a date
/// (`2026-10-01`, midnight UTC).
pub fn parse_instant(raw: &str, field: &str) -> Result<Timestamp, FieldError> {
    let raw = raw.trim();
    let full = if raw.len() == 10 {
        format!("{raw}T00:00:00Z")
    } else {
        raw.to_owned()
    };
    Timestamp::parse_rfc3339(&full).ok_or_else(|| {
        FieldError::new(
            field,
            "a time is RFC 3339 (2026-10-01T00:00:00-04:00) or a date (2026-10-01, midnight UTC)",
        )
    })
}

/// A stored campaign.
#[derive(Debug, Clone, PartialEq)]
pub struct Campaign {
    /// Its id, unique across the installation.
    pub id: i64,
    /// Its site.
    pub site_id: SiteId,
    /// Its name within the site.
    pub slug: CampaignSlug,
    /// What the publisher said (checked).
    pub spec: CampaignSpec,
    /// When it was created.
    pub created_at: Timestamp,
}

impl Campaign {
    /// The bar's ticks: 0, every milestone and the goal, ascending.
    pub fn ticks(&self) -> Vec<i64> {
        let mut ticks = Vec::with_capacity(self.spec.milestones.len() + 2);
        ticks.push(0);
        ticks.extend(&self.spec.milestones);
        ticks.push(self.spec.goal);
        ticks.sort_unstable();
        ticks.dedup();
        ticks
    }

    /// The next tick above `raised`, or `None` once the goal is reached.
    pub fn next_milestone(&self, raised: i64) -> Option<i64> {
        self.ticks().into_iter().find(|t| *t > raised)
    }

    /// `part` of the goal, in tenths of a percent, 0–1000.
    pub fn permille(&self, part: i64) -> i64 {
        let goal = i128::from(self.spec.goal.max(1));
        let share = i128::from(part.max(0)) * 1000 / goal;
        share.min(1000) as i64
    }
}

/// A campaign's totals in its own currency (donations in other currencies
/// are kept apart, in `elsewhere`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    /// The offset plus every donation less refunds, in minor units.
    pub raised: i64,
    /// Payments that still count (not wholly refunded).
    pub donors: i64,
    /// Net sums in other currencies, by code.
    pub elsewhere: Vec<(Currency, i64)>,
}

/// What a recorded donation does to the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// A payment of this many minor units.
    Gift(i64),
    /// A refund of this many minor units of a payment.
    Refund(i64),
    /// The payment's refunds now total this many minor units (Stripe's
    /// `amount_refunded`): what is not yet subtracted is.
    RefundedTotal(i64),
}

/// Where a donation came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// Stripe's webhook.
    Stripe,
    /// The generic signed webhook.
    Webhook,
    /// Entered by the site's owner.
    Manual,
    /// Imported from CSV.
    Csv,
}

impl Source {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Stripe => "stripe",
            Self::Webhook => "webhook",
            Self::Manual => "manual",
            Self::Csv => "csv",
        }
    }

    /// From storage.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Ok(match raw {
            "stripe" => Self::Stripe,
            "webhook" => Self::Webhook,
            "manual" => Self::Manual,
            "csv" => Self::Csv,
            _ => return Err(FieldError::new("source", "unknown donation source")),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    pub(crate) fn spec() -> CampaignSpec {
        CampaignSpec {
            title: " Support SouthFront ".into(),
            currency: Currency::parse("USD").unwrap(),
            goal: 500_000,
            milestones: vec![250_000, 0, 250_000],
            starts_at: Timestamp(0),
            ends_at: Timestamp(1000),
            offset: 0,
            cta_text: "Support SouthFront".into(),
            cta_url: "https://example.org/donate".into(),
            show_donors: true,
            stripe_secret: None,
            webhook_secret: None,
        }
    }

    #[test]
    fn a_spec_is_trimmed_and_its_milestones_ordered() {
        let s = spec().check().unwrap();
        assert_eq!(s.title, "Support SouthFront");
        assert_eq!(s.milestones, vec![0, 250_000]);
    }

    /// Breaks one field of a good spec.
    type Break = fn(&mut CampaignSpec);

    #[test]
    fn each_bad_field_is_named() {
        let cases: [(&str, Break); 7] = [
            ("title", |s| s.title = " ".into()),
            ("goal", |s| s.goal = 0),
            ("milestones[1]", |s| s.milestones = vec![1, 600_000]),
            ("ends_at", |s| s.ends_at = s.starts_at),
            ("offset", |s| s.offset = -1),
            ("cta_text", |s| s.cta_text = String::new()),
            ("cta_url", |s| s.cta_url = "javascript:alert(1)".into()),
        ];
        for (field, break_it) in cases {
            let mut s = spec();
            break_it(&mut s);
            assert_eq!(s.check().unwrap_err().field, field);
        }
    }

    #[test]
    fn ticks_and_the_next_milestone() {
        let c = Campaign {
            id: 1,
            site_id: SiteId::parse("demo").unwrap(),
            slug: CampaignSlug::parse("fall").unwrap(),
            spec: spec().check().unwrap(),
            created_at: Timestamp(0),
        };
        assert_eq!(c.ticks(), vec![0, 250_000, 500_000]);
        assert_eq!(c.next_milestone(140_000), Some(250_000));
        assert_eq!(c.next_milestone(250_000), Some(500_000));
        assert_eq!(c.next_milestone(500_000), None);
        assert_eq!(c.permille(140_000), 280);
        assert_eq!(c.permille(900_000), 1000);
        assert_eq!(c.permille(-5), 0);
    }

    #[test]
    fn instants_are_rfc3339_or_dates() {
        assert_eq!(
            parse_instant("2026-10-01", "ends_at").unwrap(),
            Timestamp::parse_rfc3339("2026-10-01T00:00:00Z").unwrap()
        );
        assert_eq!(
            parse_instant("2026-10-01T00:00:00-04:00", "e").unwrap(),
            Timestamp::parse_rfc3339("2026-10-01T04:00:00Z").unwrap()
        );
        assert_eq!(
            parse_instant("next week", "ends_at").unwrap_err().field,
            "ends_at"
        );
    }

    #[test]
    fn secrets_stay_out_of_debug() {
        let s = WebhookSecret::parse("whsec_0123456789abcdef", "s").unwrap();
        assert_eq!(format!("{s:?}"), "WebhookSecret(***)");
        assert!(WebhookSecret::parse("short", "s").is_err());
        assert!(WebhookSecret::generate().expose().starts_with("rsec_"));
    }
}
