//! The rows of donation campaigns: campaigns, and donations toward them,
//! recorded once per provider event (see [`Store::record_donation`]).
//!
//! [`Store::record_donation`]: crate::Store::record_donation

use rostra_core::campaign::{Entry, Source, Totals};
use rostra_core::{Campaign, CampaignSlug, CampaignSpec, Currency, SiteId, Timestamp};

/// A campaign to create.
#[derive(Debug, Clone)]
pub struct NewCampaign {
    /// Its site.
    pub site_id: SiteId,
    /// Its name within the site.
    pub slug: CampaignSlug,
    /// What it is (checked).
    pub spec: CampaignSpec,
    /// When.
    pub created_at: Timestamp,
}

/// A donation (or a refund) to record.
#[derive(Debug, Clone)]
pub struct NewDonation {
    /// The campaign's site.
    pub site_id: SiteId,
    /// The campaign.
    pub campaign: CampaignSlug,
    /// Who sent it.
    pub source: Source,
    /// The provider's event id: a second event with the same id (from the
    /// same source, for the same campaign) records nothing.
    pub event_id: String,
    /// The payment it is or undoes (Stripe's payment intent); `None`: the
    /// event id. A payment is a gift once, whichever event announced it.
    pub reference: Option<String>,
    /// Its currency.
    pub currency: Currency,
    /// What it does to the total.
    pub entry: Entry,
    /// The publisher's words (manual entries, CSV).
    pub note: Option<String>,
    /// When it was paid.
    pub at: Timestamp,
}

/// A donation as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DonationRow {
    /// Its id.
    pub id: i64,
    /// The campaign.
    pub campaign_id: i64,
    /// Who sent it.
    pub source: Source,
    /// The provider's event id.
    pub event_id: String,
    /// The payment.
    pub reference: String,
    /// Whether it is a refund (its amount is then negative).
    pub refund: bool,
    /// Its currency.
    pub currency: Currency,
    /// Minor units, negative for a refund.
    pub amount: i64,
    /// The publisher's words.
    pub note: Option<String>,
    /// When it was paid.
    pub at: Timestamp,
}

/// What recording a donation did.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    /// The campaign.
    pub campaign: Campaign,
    /// The campaign's totals after it.
    pub totals: Totals,
    /// Whether it changed nothing (an event seen before, a payment already
    /// counted, a refund already subtracted).
    pub duplicate: bool,
}

/// The campaigns' rows, read whole for a copy, each table by id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CampaignRows {
    /// Campaigns, secrets included.
    pub campaigns: Vec<Campaign>,
    /// Donations.
    pub donations: Vec<DonationRow>,
}

impl CampaignRows {
    /// How many rows it holds.
    pub fn len(&self) -> usize {
        self.campaigns.len() + self.donations.len()
    }

    /// Whether it holds no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Milestones as stored: a JSON array of minor units.
pub fn milestones_json(milestones: &[i64]) -> String {
    serde_json::to_string(milestones).unwrap_or_else(|_| "[]".into())
}

/// Milestones from storage.
pub fn parse_milestones(raw: &str) -> Result<Vec<i64>, crate::StoreError> {
    serde_json::from_str(raw)
        .map_err(|e| crate::StoreError::Backend(format!("stored milestones: {e}")))
}

/// Builds totals from the net sums per currency and the donors in the
/// campaign's currency.
pub fn totals(campaign: &Campaign, sums: Vec<(String, i64)>, donors: i64) -> Totals {
    let mut totals = Totals {
        raised: campaign.spec.offset,
        donors,
        elsewhere: Vec::new(),
    };
    for (code, sum) in sums {
        match Currency::parse(&code) {
            Ok(c) if c == campaign.spec.currency => totals.raised += sum,
            Ok(c) => totals.elsewhere.push((c, sum)),
            Err(_) => {}
        }
    }
    totals.elsewhere.sort();
    totals
}

/// What a donation inserts: its kind and signed amount, given what the
/// payment's refunds already total (for [`Entry::RefundedTotal`]); `None`:
/// nothing is left to subtract.
pub fn signed_amount(entry: Entry, refunded_so_far: i64) -> Option<(bool, i64)> {
    match entry {
        Entry::Gift(a) => Some((false, a)),
        Entry::Refund(a) => Some((true, -a)),
        Entry::RefundedTotal(total) => {
            let left = total - refunded_so_far;
            (left > 0).then_some((true, -left))
        }
    }
}
