//! Donation campaigns: a site owner's campaigns, the donations recorded
//! toward them (payment providers' webhooks in [`webhooks`], manual entries,
//! CSV in [`import`]), and their live totals ([`bus`]).
//!
//! Every donation goes through [`Service::record_donation`], which stores it
//! once (by the provider's event id) and, when it changed the totals, tells
//! the campaign's watchers after the commit.

pub mod bus;
pub mod import;
pub mod webhooks;

use crate::{Service, ServiceError};
use bus::CampaignNews;
use rostra_core::campaign::{parse_instant, Entry, Source, Totals};
use rostra_core::{
    Campaign, CampaignSlug, CampaignSpec, Currency, FieldError, SiteId, Timestamp, WebhookSecret,
};
use rostra_store::{NewCampaign, NewDonation, Recorded};

/// A campaign's fields as a client sends them, each optional: a creation
/// needs `title`, `currency`, `goal`, `ends_at`, `cta_text` and `cta_url`;
/// an update changes what it names. Amounts are in minor units.
#[derive(Debug, Clone, Default)]
pub struct CampaignInput {
    /// Heading.
    pub title: Option<String>,
    /// ISO 4217 code.
    pub currency: Option<String>,
    /// Goal, minor units.
    pub goal: Option<i64>,
    /// Milestones, minor units.
    pub milestones: Option<Vec<i64>>,
    /// RFC 3339 or a date; default: now.
    pub starts_at: Option<String>,
    /// RFC 3339 or a date.
    pub ends_at: Option<String>,
    /// Raised elsewhere, minor units.
    pub offset: Option<i64>,
    /// The call to action's words.
    pub cta_text: Option<String>,
    /// The payment page.
    pub cta_url: Option<String>,
    /// Whether readers see the donor count.
    pub show_donors: Option<bool>,
    /// Stripe's endpoint secret (`""` removes it).
    pub stripe_secret: Option<String>,
    /// Set to rotate the generic webhook's secret (a fresh one is made).
    pub rotate_webhook_secret: bool,
}

fn required<T>(value: Option<T>, field: &str) -> Result<T, FieldError> {
    value.ok_or_else(|| FieldError::new(field, format!("{field} is required")))
}

impl CampaignInput {
    /// The spec this input makes of `base` (`None`: a new campaign, which
    /// gets a fresh generic-webhook secret), checked.
    pub fn apply(
        self,
        base: Option<&CampaignSpec>,
        now: Timestamp,
    ) -> Result<CampaignSpec, FieldError> {
        let text =
            |v: Option<String>, old: Option<&String>, field: &str| -> Result<String, FieldError> {
                required(v.or_else(|| old.cloned()), field)
            };
        let instant = |v: Option<String>,
                       old: Option<Timestamp>,
                       field: &str|
         -> Result<Timestamp, FieldError> {
            match v {
                Some(raw) => parse_instant(&raw, field),
                None => required(old, field),
            }
        };
        let currency = match self.currency {
            Some(raw) => Currency::parse(&raw)?,
            None => required(base.map(|b| b.currency), "currency")?,
        };
        let stripe_secret = match self.stripe_secret.as_deref() {
            Some("") => None,
            Some(raw) => Some(WebhookSecret::parse(raw, "stripe_secret")?),
            None => base.and_then(|b| b.stripe_secret.clone()),
        };
        let webhook_secret = match base {
            Some(b) if !self.rotate_webhook_secret => b.webhook_secret.clone(),
            _ => Some(WebhookSecret::generate()),
        };
        CampaignSpec {
            title: text(self.title, base.map(|b| &b.title), "title")?,
            currency,
            goal: required(self.goal.or(base.map(|b| b.goal)), "goal")?,
            milestones: self
                .milestones
                .or_else(|| base.map(|b| b.milestones.clone()))
                .unwrap_or_default(),
            starts_at: match self.starts_at {
                Some(raw) => parse_instant(&raw, "starts_at")?,
                None => base.map_or(now, |b| b.starts_at),
            },
            ends_at: instant(self.ends_at, base.map(|b| b.ends_at), "ends_at")?,
            offset: self.offset.or(base.map(|b| b.offset)).unwrap_or(0),
            cta_text: text(self.cta_text, base.map(|b| &b.cta_text), "cta_text")?,
            cta_url: text(self.cta_url, base.map(|b| &b.cta_url), "cta_url")?,
            show_donors: self
                .show_donors
                .or(base.map(|b| b.show_donors))
                .unwrap_or(false),
            stripe_secret,
            webhook_secret,
        }
        .check()
    }
}

/// A donation entered by hand (or one line of a CSV file).
#[derive(Debug, Clone)]
pub struct ManualDonation {
    /// Minor units, positive.
    pub amount: i64,
    /// Default: the campaign's.
    pub currency: Option<Currency>,
    /// A refund rather than a gift.
    pub refund: bool,
    /// The entry's own id, for idempotency (a second entry with it records
    /// nothing); default: a fresh one.
    pub id: Option<String>,
    /// The publisher's words.
    pub note: Option<String>,
    /// When it was paid; default: now.
    pub at: Option<Timestamp>,
}

/// Checks an entry id or reference: 1–200 printable characters.
pub fn parse_event_id(raw: &str, field: &str) -> Result<String, FieldError> {
    let raw = raw.trim();
    if (1..=200).contains(&raw.len()) && !raw.chars().any(char::is_control) {
        Ok(raw.to_owned())
    } else {
        Err(FieldError::new(
            field,
            "an id is 1-200 printable characters",
        ))
    }
}

impl Service {
    /// Creates a campaign on a site.
    pub async fn create_campaign(
        &self,
        site: &SiteId,
        slug: CampaignSlug,
        input: CampaignInput,
    ) -> Result<Campaign, ServiceError> {
        self.sites.get(site).await?;
        let now = Timestamp::now();
        let spec = input.apply(None, now)?;
        let campaign = self
            .store
            .create_campaign(NewCampaign {
                site_id: site.clone(),
                slug,
                spec,
                created_at: now,
            })
            .await?;
        tracing::info!(site = %site, campaign = %campaign.slug, "campaign created");
        Ok(campaign)
    }

    /// Changes what a campaign is; its watchers refetch.
    pub async fn update_campaign(
        &self,
        site: &SiteId,
        slug: &CampaignSlug,
        input: CampaignInput,
    ) -> Result<Campaign, ServiceError> {
        let old = self.campaign(site, slug).await?;
        let spec = input.apply(Some(&old.spec), Timestamp::now())?;
        let campaign = self.store.update_campaign(site, slug, spec).await?;
        self.campaign_bus
            .publish(site.clone(), slug.clone(), CampaignNews::Reset);
        Ok(campaign)
    }

    /// One campaign, or `NotFound`.
    pub async fn campaign(
        &self,
        site: &SiteId,
        slug: &CampaignSlug,
    ) -> Result<Campaign, ServiceError> {
        self.store
            .campaign(site, slug)
            .await?
            .ok_or(ServiceError::NotFound("campaign"))
    }

    /// One campaign with its totals.
    pub async fn campaign_with_totals(
        &self,
        site: &SiteId,
        slug: &CampaignSlug,
    ) -> Result<(Campaign, Totals), ServiceError> {
        let campaign = self.campaign(site, slug).await?;
        let totals = self.store.campaign_totals(&campaign).await?;
        Ok((campaign, totals))
    }

    /// A site's campaigns with their totals.
    pub async fn campaigns(&self, site: &SiteId) -> Result<Vec<(Campaign, Totals)>, ServiceError> {
        self.sites.get(site).await?;
        let mut out = Vec::new();
        for campaign in self.store.campaigns(site).await? {
            let totals = self.store.campaign_totals(&campaign).await?;
            out.push((campaign, totals));
        }
        Ok(out)
    }

    /// Records a donation once and, if it moved the totals, tells the
    /// campaign's watchers.
    pub async fn record_donation(&self, donation: NewDonation) -> Result<Recorded, ServiceError> {
        let asked = donation.clone();
        let recorded = self.store.record_donation(donation).await?;
        let c = &recorded.campaign;
        if recorded.duplicate {
            tracing::info!(site = %c.site_id, campaign = %c.slug, "donation seen before; nothing recorded");
        } else {
            tracing::info!(site = %c.site_id, campaign = %c.slug, raised = recorded.totals.raised, "donation recorded");
            self.campaign_bus.publish(
                c.site_id.clone(),
                c.slug.clone(),
                CampaignNews::Totals {
                    raised: recorded.totals.raised,
                    donors: recorded.totals.donors,
                },
            );
            // The donation is committed: a failure to enqueue its webhook
            // deliveries is logged, not answered as the donation's own.
            if let Err(e) = self.announce_donation(&asked, &recorded).await {
                tracing::warn!(error = %e, campaign = %c.slug, "the donation's webhooks were not enqueued");
            }
        }
        Ok(recorded)
    }

    /// Records a donation entered by the site's owner.
    pub async fn manual_donation(
        &self,
        site: &SiteId,
        slug: &CampaignSlug,
        entry: ManualDonation,
        source: Source,
    ) -> Result<Recorded, ServiceError> {
        let campaign = self.campaign(site, slug).await?;
        rostra_core::campaign::money::check_amount(entry.amount, "amount")?;
        let event_id = match entry.id {
            Some(id) => parse_event_id(&id, "id")?,
            None => format!("{}-{}", source.as_str(), hex_id()),
        };
        let note = entry
            .note
            .map(|n| n.trim().chars().take(500).collect::<String>())
            .filter(|n| !n.is_empty());
        self.record_donation(NewDonation {
            site_id: site.clone(),
            campaign: slug.clone(),
            source,
            event_id,
            reference: None,
            currency: entry.currency.unwrap_or(campaign.spec.currency),
            entry: if entry.refund {
                Entry::Refund(entry.amount)
            } else {
                Entry::Gift(entry.amount)
            },
            note,
            at: entry.at.unwrap_or_else(Timestamp::now),
        })
        .await
    }

    /// The bus of campaigns' live totals.
    pub fn campaign_bus(&self) -> &bus::CampaignBus {
        &self.campaign_bus
    }
}

fn hex_id() -> String {
    crate::random_bytes()[..12]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
