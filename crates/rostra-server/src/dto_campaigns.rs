//! The JSON of donation campaigns: what an owner sends and sees, what the
//! public sees, and what webhooks are answered. Amounts are integers in the
//! currency's minor unit (cents); times are RFC 3339.

use rostra_core::campaign::Totals;
use rostra_core::Campaign;
use rostra_service::CampaignInput;
use rostra_store::Recorded;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A campaign to create, or (every field optional) the fields to change.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignRequest {
    /// Its name in URLs and `data-rostra-campaign` (creation only).
    pub slug: Option<String>,
    /// Heading ("Support SouthFront").
    pub title: Option<String>,
    /// ISO 4217 code.
    pub currency: Option<String>,
    /// Goal, minor units.
    pub goal: Option<i64>,
    /// Milestones below the goal, minor units.
    pub milestones: Option<Vec<i64>>,
    /// Start (RFC 3339 or a date); default: now.
    pub starts_at: Option<String>,
    /// End, exclusive (RFC 3339 or a date, midnight UTC).
    pub ends_at: Option<String>,
    /// Raised elsewhere, minor units.
    pub offset: Option<i64>,
    /// The call to action's words.
    pub cta_text: Option<String>,
    /// The publisher's payment page.
    pub cta_url: Option<String>,
    /// Whether readers see the donor count.
    pub show_donors: Option<bool>,
    /// The Stripe endpoint's signing secret (`whsec_…`); `""` removes it.
    pub stripe_secret: Option<String>,
    /// Make a new secret for the generic webhook.
    #[serde(default)]
    pub rotate_webhook_secret: bool,
}

impl CampaignRequest {
    /// The use case's input.
    pub fn input(self) -> CampaignInput {
        CampaignInput {
            title: self.title,
            currency: self.currency,
            goal: self.goal,
            milestones: self.milestones,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            offset: self.offset,
            cta_text: self.cta_text,
            cta_url: self.cta_url,
            show_donors: self.show_donors,
            stripe_secret: self.stripe_secret,
            rotate_webhook_secret: self.rotate_webhook_secret,
        }
    }
}

/// A sum in a currency other than the campaign's.
#[derive(Debug, Serialize, ToSchema)]
pub struct CurrencySum {
    /// ISO 4217 code.
    pub currency: String,
    /// Net, minor units.
    pub amount: i64,
}

/// A campaign as the public sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignView {
    /// Slug.
    pub slug: String,
    /// Heading.
    pub title: String,
    /// ISO 4217 code.
    pub currency: String,
    /// Goal, minor units.
    pub goal: i64,
    /// Milestones, minor units, ascending.
    pub milestones: Vec<i64>,
    /// Start, RFC 3339.
    pub starts_at: String,
    /// End (exclusive), RFC 3339.
    pub ends_at: String,
    /// Raised (the offset included), minor units.
    pub raised: i64,
    /// Payments that count; `null` when the site does not show them.
    pub donors: Option<i64>,
    /// The call to action's words.
    pub cta_text: String,
    /// The payment page.
    pub cta_url: String,
}

impl CampaignView {
    /// The public view.
    pub fn of(c: &Campaign, t: &Totals) -> Self {
        Self {
            slug: c.slug.to_string(),
            title: c.spec.title.clone(),
            currency: c.spec.currency.to_string(),
            goal: c.spec.goal,
            milestones: c.spec.milestones.clone(),
            starts_at: c.spec.starts_at.to_rfc3339(),
            ends_at: c.spec.ends_at.to_rfc3339(),
            raised: t.raised,
            donors: c.spec.show_donors.then_some(t.donors),
            cta_text: c.spec.cta_text.clone(),
            cta_url: c.spec.cta_url.clone(),
        }
    }
}

/// A campaign as its owner sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignAdminView {
    /// What the public sees.
    #[serde(flatten)]
    pub public: CampaignView,
    /// The amount raised elsewhere, minor units.
    pub offset: i64,
    /// Payments that count, shown or not.
    pub donors: i64,
    /// Whether readers see the donor count.
    pub show_donors: bool,
    /// Net sums in other currencies (not in `raised`).
    pub elsewhere: Vec<CurrencySum>,
    /// Whether a Stripe secret is set (it is never shown).
    pub stripe_configured: bool,
    /// The secret the generic webhook is signed with.
    pub webhook_secret: Option<String>,
    /// Where Stripe sends events (path under this server).
    pub stripe_webhook: String,
    /// Where other processors send events.
    pub generic_webhook: String,
}

impl CampaignAdminView {
    /// The owner's view.
    pub fn of(c: &Campaign, t: &Totals) -> Self {
        let base = format!("/api/v1/sites/{}/campaigns/{}/webhooks", c.site_id, c.slug);
        let mut public = CampaignView::of(c, t);
        public.donors = None;
        Self {
            public,
            offset: c.spec.offset,
            donors: t.donors,
            show_donors: c.spec.show_donors,
            elsewhere: t
                .elsewhere
                .iter()
                .map(|(c, a)| CurrencySum {
                    currency: c.to_string(),
                    amount: *a,
                })
                .collect(),
            stripe_configured: c.spec.stripe_secret.is_some(),
            webhook_secret: c
                .spec
                .webhook_secret
                .as_ref()
                .map(|s| s.expose().to_owned()),
            stripe_webhook: format!("{base}/stripe"),
            generic_webhook: format!("{base}/generic"),
        }
    }
}

/// A site's campaigns.
#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignsView {
    /// By id.
    pub campaigns: Vec<CampaignAdminView>,
}

/// A donation entered by hand.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DonationRequest {
    /// Minor units, positive.
    pub amount: i64,
    /// ISO 4217; default: the campaign's.
    pub currency: Option<String>,
    /// A refund rather than a gift.
    #[serde(default)]
    pub refund: bool,
    /// The entry's own id: sent twice, it is recorded once.
    pub id: Option<String>,
    /// A note.
    pub note: Option<String>,
    /// When it was paid (RFC 3339 or a date); default: now.
    pub at: Option<String>,
}

/// What a donation (or a webhook delivery) did.
#[derive(Debug, Serialize, ToSchema)]
pub struct DonationResult {
    /// `recorded`, `duplicate` (seen before: nothing changed) or `ignored`
    /// (a genuine event that is no donation for this campaign).
    pub outcome: &'static str,
    /// Why it was ignored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
    /// Raised after it, minor units.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raised: Option<i64>,
    /// Donors after it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub donors: Option<i64>,
}

impl DonationResult {
    /// The result of a recorded (or duplicate) donation.
    pub fn of(r: &Recorded) -> Self {
        Self {
            outcome: if r.duplicate { "duplicate" } else { "recorded" },
            reason: None,
            raised: Some(r.totals.raised),
            donors: Some(r.totals.donors),
        }
    }

    /// An ignored event.
    pub fn ignored(reason: &'static str) -> Self {
        Self {
            outcome: "ignored",
            reason: Some(reason),
            raised: None,
            donors: None,
        }
    }
}

/// What an import did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportResult {
    /// Lines recorded.
    pub recorded: u64,
    /// Lines seen before.
    pub duplicates: u64,
}
