//! `rostra campaign …`: a site owner's donation campaigns from the command
//! line. Amounts are written in major units (`5000`, `25.50`) and stored in
//! the currency's minor unit, exactly.

use crate::cli::DataArgs;
use anyhow::Context;
use clap::{Args, Subcommand};
use rostra_core::campaign::Source;
use rostra_core::{Campaign, CampaignSlug, Currency, FieldError, SiteId};
use rostra_service::{CampaignInput, ManualDonation, Service, ServiceError};

/// `campaign …`.
#[derive(Debug, Subcommand)]
pub enum CampaignCommand {
    /// Create a campaign; prints where payment providers send donations.
    Create {
        /// Which campaign.
        #[command(flatten)]
        which: Which,
        /// What it is.
        #[command(flatten)]
        fields: Fields,
    },
    /// Change the fields given.
    Update {
        /// Which campaign.
        #[command(flatten)]
        which: Which,
        /// What changes.
        #[command(flatten)]
        fields: Fields,
        /// Make a new secret for the generic webhook.
        #[arg(long)]
        rotate_webhook_secret: bool,
    },
    /// Show a campaign: its webhook addresses and the generic webhook's
    /// secret (or, with --secret, only the secret, for scripts).
    Show {
        /// Which campaign.
        #[command(flatten)]
        which: Which,
        /// Print only the generic webhook's secret.
        #[arg(long)]
        secret: bool,
    },
    /// List a site's campaigns with their totals.
    List {
        /// Data directory.
        #[command(flatten)]
        data: DataArgs,
        /// The site.
        #[arg(long)]
        site: String,
    },
    /// Record a donation (or a refund) by hand.
    Donate {
        /// Which campaign.
        #[command(flatten)]
        which: Which,
        /// The amount in major units (`25`, `25.50`).
        #[arg(long)]
        amount: String,
        /// Its currency (default: the campaign's).
        #[arg(long)]
        currency: Option<String>,
        /// A refund rather than a gift.
        #[arg(long)]
        refund: bool,
        /// The entry's own id: given twice, it is recorded once.
        #[arg(long)]
        id: Option<String>,
        /// A note.
        #[arg(long)]
        note: Option<String>,
    },
    /// Record the donations of a CSV file (columns `id`, `amount`, and
    /// optionally `currency`, `date`, `note`); each line once, however often
    /// the file is imported.
    Import {
        /// Which campaign.
        #[command(flatten)]
        which: Which,
        /// The file.
        #[arg(long)]
        csv: std::path::PathBuf,
    },
}

/// A campaign of a site.
#[derive(Debug, Args)]
pub struct Which {
    /// Data directory.
    #[command(flatten)]
    pub data: DataArgs,
    /// The site.
    #[arg(long)]
    pub site: String,
    /// The campaign's slug (its name in URLs and `data-rostra-campaign`).
    #[arg(long)]
    pub slug: String,
}

/// A campaign's fields (amounts in major units).
#[derive(Debug, Args)]
pub struct Fields {
    /// Heading ("Support SouthFront").
    #[arg(long)]
    pub title: Option<String>,
    /// ISO 4217 code (USD, EUR, …).
    #[arg(long)]
    pub currency: Option<String>,
    /// The goal (`5000`).
    #[arg(long)]
    pub goal: Option<String>,
    /// A milestone below the goal; repeat for more (`--milestone 2500`).
    #[arg(long = "milestone")]
    pub milestones: Vec<String>,
    /// Start: RFC 3339 or a date (default: now).
    #[arg(long)]
    pub starts: Option<String>,
    /// End, exclusive: RFC 3339 or a date (`2026-10-01` ends with September, UTC).
    #[arg(long)]
    pub ends: Option<String>,
    /// Raised elsewhere, added to the total.
    #[arg(long)]
    pub offset: Option<String>,
    /// The button's words ("Support SouthFront").
    #[arg(long)]
    pub cta: Option<String>,
    /// The publisher's payment page.
    #[arg(long)]
    pub url: Option<String>,
    /// Show readers how many donated.
    #[arg(long)]
    pub show_donors: Option<bool>,
    /// The Stripe endpoint's signing secret (`whsec_…`; "" removes it).
    #[arg(long)]
    pub stripe_secret: Option<String>,
}

impl CampaignCommand {
    /// The data directory the command names.
    pub fn data(&self) -> &DataArgs {
        match self {
            Self::Create { which, .. }
            | Self::Update { which, .. }
            | Self::Show { which, .. }
            | Self::Donate { which, .. }
            | Self::Import { which, .. } => &which.data,
            Self::List { data, .. } => data,
        }
    }
}

fn field(e: FieldError) -> anyhow::Error {
    anyhow::anyhow!("{}: {}", e.field, e.message)
}

fn plain(e: ServiceError) -> anyhow::Error {
    match e {
        ServiceError::Invalid(f) => field(f),
        other => other.into(),
    }
}

impl Fields {
    fn input(self, currency: Currency) -> Result<CampaignInput, FieldError> {
        let amount = |raw: &str, name: &str| currency.parse_amount(raw, name);
        Ok(CampaignInput {
            title: self.title,
            currency: self.currency,
            goal: self.goal.map(|g| amount(&g, "goal")).transpose()?,
            milestones: if self.milestones.is_empty() {
                None
            } else {
                Some(
                    self.milestones
                        .iter()
                        .map(|m| amount(m, "milestone"))
                        .collect::<Result<_, _>>()?,
                )
            },
            starts_at: self.starts,
            ends_at: self.ends,
            offset: self.offset.map(|o| amount(&o, "offset")).transpose()?,
            cta_text: self.cta,
            cta_url: self.url,
            show_donors: self.show_donors,
            stripe_secret: self.stripe_secret,
            rotate_webhook_secret: false,
        })
    }
}

fn describe(c: &Campaign, public_url: &str) {
    let base = format!(
        "{public_url}/api/v1/sites/{}/campaigns/{}/webhooks",
        c.site_id, c.slug
    );
    println!("campaign {} of {}: {}", c.slug, c.site_id, c.spec.title);
    println!("  Stripe webhook:  POST {base}/stripe  (events: checkout.session.completed, payment_intent.succeeded, charge.refunded)");
    if c.spec.stripe_secret.is_none() {
        println!("    (no Stripe secret yet: `rostra campaign update --stripe-secret whsec_…`)");
    }
    println!("  generic webhook: POST {base}/generic");
    if let Some(secret) = &c.spec.webhook_secret {
        println!("    signed with:   {}", secret.expose());
    }
    println!(
        "  embed:           <div data-rostra-campaign=\"{}\"></div>",
        c.slug
    );
}

/// Runs a `campaign` subcommand.
pub async fn run(
    service: &Service,
    command: CampaignCommand,
    public_url: &str,
) -> anyhow::Result<()> {
    match command {
        CampaignCommand::Create { which, fields } => {
            let (site, slug) = ids(&which)?;
            let code = fields.currency.as_deref().unwrap_or_default();
            let currency = Currency::parse(code).map_err(field)?;
            let input = fields.input(currency).map_err(field)?;
            let c = service
                .create_campaign(&site, slug, input)
                .await
                .map_err(plain)?;
            describe(&c, public_url);
        }
        CampaignCommand::Update {
            which,
            fields,
            rotate_webhook_secret,
        } => {
            let (site, slug) = ids(&which)?;
            let old = service.campaign(&site, &slug).await.map_err(plain)?;
            let currency = match fields.currency.as_deref() {
                Some(code) => Currency::parse(code).map_err(field)?,
                None => old.spec.currency,
            };
            let mut input = fields.input(currency).map_err(field)?;
            input.rotate_webhook_secret = rotate_webhook_secret;
            let c = service
                .update_campaign(&site, &slug, input)
                .await
                .map_err(plain)?;
            describe(&c, public_url);
        }
        CampaignCommand::Show { which, secret } => {
            let (site, slug) = ids(&which)?;
            let c = service.campaign(&site, &slug).await.map_err(plain)?;
            if secret {
                let s = c.spec.webhook_secret.as_ref();
                println!("{}", s.map(|s| s.expose()).unwrap_or_default());
            } else {
                describe(&c, public_url);
            }
        }
        CampaignCommand::List { site, .. } => {
            let site = SiteId::parse(&site).map_err(field)?;
            for (c, t) in service.campaigns(&site).await.map_err(plain)? {
                let cur = c.spec.currency;
                println!(
                    "{}\t{}\t{} {} of {}\t{} donors\tends {}",
                    c.slug,
                    c.spec.title,
                    cur.plain(t.raised),
                    cur,
                    cur.plain(c.spec.goal),
                    t.donors,
                    c.spec.ends_at.to_rfc3339()
                );
            }
        }
        CampaignCommand::Donate {
            which,
            amount,
            currency,
            refund,
            id,
            note,
        } => {
            let (site, slug) = ids(&which)?;
            let c = service.campaign(&site, &slug).await.map_err(plain)?;
            let currency = match currency {
                Some(code) => Currency::parse(&code).map_err(field)?,
                None => c.spec.currency,
            };
            let entry = ManualDonation {
                amount: currency.parse_amount(&amount, "amount").map_err(field)?,
                currency: Some(currency),
                refund,
                id,
                note,
                at: None,
            };
            let r = service
                .manual_donation(&site, &slug, entry, Source::Manual)
                .await
                .map_err(plain)?;
            let cur = c.spec.currency;
            let what = if r.duplicate {
                "seen before"
            } else {
                "recorded"
            };
            println!(
                "{what}: {} {cur} raised, {} donors",
                cur.plain(r.totals.raised),
                r.totals.donors
            );
        }
        CampaignCommand::Import { which, csv } => {
            let (site, slug) = ids(&which)?;
            let text = std::fs::read_to_string(&csv)
                .with_context(|| format!("reading {}", csv.display()))?;
            let done = service
                .import_donations(&site, &slug, &text)
                .await
                .map_err(plain)?;
            println!(
                "imported {}: {} recorded, {} seen before",
                csv.display(),
                done.recorded,
                done.duplicates
            );
        }
    }
    Ok(())
}

fn ids(which: &Which) -> anyhow::Result<(SiteId, CampaignSlug)> {
    Ok((
        SiteId::parse(&which.site).map_err(field)?,
        CampaignSlug::parse(&which.slug).map_err(field)?,
    ))
}
