//! The demo's donation campaign, modelled on the reference page's: "Support
//! SouthFront", milestones at 0 $, 2,500 $ and 5,000 $, 1,400 $ raised by
//! ten donations. It runs through the current month (UTC), so that its
//! countdown always means something; a demo restarted after it ended moves
//! it to the month of the restart, donations kept.

use rostra_core::campaign::countdown::month_of;
use rostra_core::campaign::Source;
use rostra_core::{CampaignSlug, SiteId, Timestamp};
use rostra_service::{CampaignInput, ManualDonation, Service, ServiceError};

/// The demo campaign's slug (`data-rostra-campaign` on the demo page).
pub const SLUG: &str = rostra_server::routes::pages::DEMO_CAMPAIGN;

/// The seeded donations, in cents: 1,400 $ in all.
const DONATIONS: [i64; 10] = [
    25_000, 10_000, 5000, 30_000, 7500, 12_500, 20_000, 5000, 10_000, 15_000,
];

/// Creates the demo campaign and its donations, or moves an ended one to
/// the current month.
pub async fn seed(service: &Service, site: &SiteId, canonical: &str) -> anyhow::Result<()> {
    let slug = CampaignSlug::parse(SLUG).map_err(|e| anyhow::anyhow!(e.message))?;
    let (starts, ends) = month_of(Timestamp::now());
    let month = |s: Timestamp, e: Timestamp| CampaignInput {
        starts_at: Some(s.to_rfc3339()),
        ends_at: Some(e.to_rfc3339()),
        ..CampaignInput::default()
    };
    match service.campaign(site, &slug).await {
        Ok(c) if c.spec.ends_at <= Timestamp::now() => {
            service
                .update_campaign(site, &slug, month(starts, ends))
                .await?;
            tracing::info!("moved the demo campaign to this month");
            return Ok(());
        }
        Ok(_) => return Ok(()),
        Err(ServiceError::NotFound(_)) => {}
        Err(e) => return Err(e.into()),
    }
    let input = CampaignInput {
        title: Some("Support SouthFront".into()),
        currency: Some("USD".into()),
        goal: Some(500_000),
        milestones: Some(vec![0, 250_000]),
        cta_text: Some("Support SouthFront".into()),
        cta_url: Some(format!("{canonical}#support")),
        show_donors: Some(true),
        ..month(starts, ends)
    };
    service.create_campaign(site, slug.clone(), input).await?;
    for (i, amount) in DONATIONS.iter().enumerate() {
        let entry = ManualDonation {
            amount: *amount,
            currency: None,
            refund: false,
            id: Some(format!("demo-{}", i + 1)),
            note: None,
            at: Some(starts),
        };
        service
            .manual_donation(site, &slug, entry, Source::Manual)
            .await?;
    }
    tracing::info!(campaign = SLUG, "seeded the demo campaign");
    Ok(())
}
