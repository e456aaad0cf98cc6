//! The export's lines for donation campaigns: a campaign (its webhook
//! secrets included: treat the file as the database) and each donation.

use rostra_core::Campaign;
use rostra_store::DonationRow;
use serde::{Deserialize, Serialize};

/// A donation campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignRecord {
    /// Its id.
    pub id: i64,
    /// Its site.
    pub site: String,
    /// Its slug.
    pub slug: String,
    /// Heading.
    pub title: String,
    /// ISO 4217 code.
    pub currency: String,
    /// Goal, minor units.
    pub goal: i64,
    /// Milestones, minor units.
    pub milestones: Vec<i64>,
    /// Start, ms.
    pub starts_at: i64,
    /// End (exclusive), ms.
    pub ends_at: i64,
    /// Raised elsewhere, minor units.
    pub offset: i64,
    /// The call to action.
    pub cta_text: String,
    /// The payment page.
    pub cta_url: String,
    /// Whether readers see the donors.
    pub show_donors: bool,
    /// Stripe's endpoint secret.
    pub stripe_secret: Option<String>,
    /// The generic webhook's secret.
    pub webhook_secret: Option<String>,
    /// Creation time, ms.
    pub created_at: i64,
}

impl From<&Campaign> for CampaignRecord {
    fn from(c: &Campaign) -> Self {
        let s = &c.spec;
        Self {
            id: c.id,
            site: c.site_id.to_string(),
            slug: c.slug.to_string(),
            title: s.title.clone(),
            currency: s.currency.to_string(),
            goal: s.goal,
            milestones: s.milestones.clone(),
            starts_at: s.starts_at.0,
            ends_at: s.ends_at.0,
            offset: s.offset,
            cta_text: s.cta_text.clone(),
            cta_url: s.cta_url.clone(),
            show_donors: s.show_donors,
            stripe_secret: s.stripe_secret.as_ref().map(|x| x.expose().to_owned()),
            webhook_secret: s.webhook_secret.as_ref().map(|x| x.expose().to_owned()),
            created_at: c.created_at.0,
        }
    }
}

/// A donation; a refund's amount is negative.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DonationRecord {
    /// Its id.
    pub id: i64,
    /// The campaign.
    pub campaign: i64,
    /// `stripe`, `webhook`, `manual` or `csv`.
    pub source: String,
    /// The provider's event id.
    pub event_id: String,
    /// The payment.
    pub reference: String,
    /// `gift` or `refund`.
    pub kind: String,
    /// ISO 4217 code.
    pub currency: String,
    /// Minor units.
    pub amount: i64,
    /// A note.
    pub note: Option<String>,
    /// When it was paid, ms.
    pub created_at: i64,
}

impl From<&DonationRow> for DonationRecord {
    fn from(d: &DonationRow) -> Self {
        Self {
            id: d.id,
            campaign: d.campaign_id,
            source: d.source.as_str().to_owned(),
            event_id: d.event_id.clone(),
            reference: d.reference.clone(),
            kind: if d.refund { "refund" } else { "gift" }.to_owned(),
            currency: d.currency.to_string(),
            amount: d.amount,
            note: d.note.clone(),
            created_at: d.at.0,
        }
    }
}
