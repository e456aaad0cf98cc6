//! The contract of donation campaigns: one slug per site, donations
//! recorded once per event and payment, refunds subtracted, currencies kept
//! apart, and a copy that carries every row.

use super::{site_id, with_site};
use crate::{NewCampaign, NewDonation, Restore, Store, StoreError};
use rostra_core::campaign::{Entry, Source};
use rostra_core::{CampaignSlug, CampaignSpec, Currency, Timestamp, WebhookSecret};
use std::sync::Arc;

fn usd() -> Currency {
    Currency::parse("USD").unwrap()
}

fn slug() -> CampaignSlug {
    CampaignSlug::parse("fall").unwrap()
}

pub fn spec() -> CampaignSpec {
    CampaignSpec {
        title: "Support the newsroom".into(),
        currency: usd(),
        goal: 500_000,
        milestones: vec![0, 250_000],
        starts_at: Timestamp(1_000),
        ends_at: Timestamp(2_000_000),
        offset: 10_000,
        cta_text: "Support us".into(),
        cta_url: "https://news.example/donate".into(),
        show_donors: true,
        stripe_secret: Some(WebhookSecret::parse("whsec_0123456789abcdef", "s").unwrap()),
        webhook_secret: Some(WebhookSecret::parse("rsec_0123456789abcdef", "s").unwrap()),
    }
}

async fn with_campaign(store: &Arc<dyn Store>) {
    with_site(store).await;
    store
        .create_campaign(NewCampaign {
            site_id: site_id(),
            slug: slug(),
            spec: spec(),
            created_at: Timestamp(5),
        })
        .await
        .unwrap();
}

fn donation(event: &str, reference: Option<&str>, entry: Entry) -> NewDonation {
    NewDonation {
        site_id: site_id(),
        campaign: slug(),
        source: Source::Stripe,
        event_id: event.into(),
        reference: reference.map(str::to_owned),
        currency: usd(),
        entry,
        note: None,
        at: Timestamp(10),
    }
}

pub async fn campaigns_are_created_once_per_slug(store: Arc<dyn Store>) {
    with_campaign(&store).await;
    let got = store.campaign(&site_id(), &slug()).await.unwrap().unwrap();
    assert_eq!(got.spec, spec());
    assert_eq!(got.created_at, Timestamp(5));
    let again = store
        .create_campaign(NewCampaign {
            site_id: site_id(),
            slug: slug(),
            spec: spec(),
            created_at: Timestamp(6),
        })
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let nowhere = store
        .create_campaign(NewCampaign {
            site_id: rostra_core::SiteId::parse("nowhere").unwrap(),
            slug: slug(),
            spec: spec(),
            created_at: Timestamp(6),
        })
        .await;
    assert!(
        matches!(nowhere, Err(StoreError::NotFound("site"))),
        "{nowhere:?}"
    );
    let mut changed = spec();
    changed.goal = 900_000;
    changed.stripe_secret = None;
    let updated = store
        .update_campaign(&site_id(), &slug(), changed.clone())
        .await
        .unwrap();
    assert_eq!((updated.id, updated.spec), (got.id, changed));
    let missing = CampaignSlug::parse("spring").unwrap();
    assert!(store
        .campaign(&site_id(), &missing)
        .await
        .unwrap()
        .is_none());
    assert!(matches!(
        store.update_campaign(&site_id(), &missing, spec()).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(store.campaigns(&site_id()).await.unwrap().len(), 1);
}

pub async fn donations_count_once_and_refunds_subtract(store: Arc<dyn Store>) {
    with_campaign(&store).await;
    // The offset counts from the start.
    let c = store.campaign(&site_id(), &slug()).await.unwrap().unwrap();
    let t = store.campaign_totals(&c).await.unwrap();
    assert_eq!((t.raised, t.donors), (10_000, 0));

    let r = store
        .record_donation(donation("evt_1", Some("pi_1"), Entry::Gift(2500)))
        .await
        .unwrap();
    assert!(!r.duplicate);
    assert_eq!((r.totals.raised, r.totals.donors), (12_500, 1));
    // The same event again, and the same payment announced by another event.
    for (event, reference) in [("evt_1", Some("pi_1")), ("evt_2", Some("pi_1"))] {
        let r = store
            .record_donation(donation(event, reference, Entry::Gift(2500)))
            .await
            .unwrap();
        assert!(r.duplicate, "{event}");
        assert_eq!(r.totals.raised, 12_500);
    }
    store
        .record_donation(donation("evt_3", Some("pi_2"), Entry::Gift(5000)))
        .await
        .unwrap();
    // Stripe's refunds are cumulative: 10, then 30 in all (20 more), then
    // the same total again (nothing).
    let r = store
        .record_donation(donation("evt_4", Some("pi_2"), Entry::RefundedTotal(1000)))
        .await
        .unwrap();
    assert_eq!(
        (r.totals.raised, r.totals.donors, r.duplicate),
        (16_500, 2, false)
    );
    let r = store
        .record_donation(donation("evt_5", Some("pi_2"), Entry::RefundedTotal(3000)))
        .await
        .unwrap();
    assert_eq!(r.totals.raised, 14_500);
    let r = store
        .record_donation(donation("evt_6", Some("pi_2"), Entry::RefundedTotal(3000)))
        .await
        .unwrap();
    assert_eq!((r.totals.raised, r.duplicate), (14_500, true));
    // A whole refund: the payment no longer counts as a donor.
    let r = store
        .record_donation(donation("evt_7", Some("pi_1"), Entry::Refund(2500)))
        .await
        .unwrap();
    assert_eq!((r.totals.raised, r.totals.donors), (12_000, 1));
    // Another currency is kept apart.
    let mut eur = donation("evt_8", None, Entry::Gift(700));
    eur.currency = Currency::parse("EUR").unwrap();
    let r = store.record_donation(eur).await.unwrap();
    assert_eq!((r.totals.raised, r.totals.donors), (12_000, 1));
    assert_eq!(
        r.totals.elsewhere,
        vec![(Currency::parse("EUR").unwrap(), 700)]
    );
    // The same event id from another source is another event.
    let mut manual = donation("evt_1", None, Entry::Gift(100));
    manual.source = Source::Manual;
    let r = store.record_donation(manual).await.unwrap();
    assert_eq!((r.totals.raised, r.duplicate), (12_100, false));
    let mut lost = donation("evt_9", None, Entry::Gift(100));
    lost.campaign = CampaignSlug::parse("spring").unwrap();
    assert!(matches!(
        store.record_donation(lost).await,
        Err(StoreError::NotFound("campaign"))
    ));
}

pub async fn campaigns_copy_between_stores(source: Arc<dyn Store>, target: Arc<dyn Store>) {
    with_campaign(&source).await;
    source
        .record_donation(donation("evt_1", Some("pi_1"), Entry::Gift(2500)))
        .await
        .unwrap();
    source
        .record_donation(donation("evt_2", Some("pi_1"), Entry::Refund(500)))
        .await
        .unwrap();
    let rows = source.dump_campaigns(None).await.unwrap();
    assert_eq!((rows.campaigns.len(), rows.donations.len()), (1, 2));
    assert_eq!(rows.donations[1].amount, -500);
    assert!(rows.donations[1].refund);
    assert_eq!(source.dump_campaigns(Some(&site_id())).await.unwrap(), rows);
    let other = rostra_core::SiteId::parse("other").unwrap();
    assert!(source
        .dump_campaigns(Some(&other))
        .await
        .unwrap()
        .is_empty());

    target
        .restore(Restore {
            fresh: true,
            sites: source.sites().await.unwrap(),
            campaigns: rows.clone(),
            ..Restore::default()
        })
        .await
        .unwrap();
    assert_eq!(target.dump_campaigns(None).await.unwrap(), rows);
    let c = target.campaign(&site_id(), &slug()).await.unwrap().unwrap();
    assert_eq!(
        target.campaign_totals(&c).await.unwrap(),
        source.campaign_totals(&c).await.unwrap()
    );
    // What comes next gets fresh ids, and what was seen stays seen.
    let again = target
        .record_donation(donation("evt_1", Some("pi_1"), Entry::Gift(2500)))
        .await
        .unwrap();
    assert!(again.duplicate);
    target
        .record_donation(donation("evt_3", Some("pi_3"), Entry::Gift(100)))
        .await
        .unwrap();
    let after = target.dump_campaigns(None).await.unwrap();
    assert!(after.donations[2].id > rows.donations[1].id);
    let mut second = spec();
    second.title = "Spring".into();
    let spring = target
        .create_campaign(NewCampaign {
            site_id: site_id(),
            slug: CampaignSlug::parse("spring").unwrap(),
            spec: second,
            created_at: Timestamp(7),
        })
        .await
        .unwrap();
    assert!(spring.id > c.id);
}
