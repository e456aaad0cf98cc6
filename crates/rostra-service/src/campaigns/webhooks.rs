//! Donations from payment providers' webhooks.
//!
//! Stripe: `checkout.session.completed` (a paid Checkout Session, e.g. a
//! Payment Link), `payment_intent.succeeded` and `charge.refunded`, signed
//! under the endpoint's secret (`Stripe-Signature`). A payment announced by
//! both of the first two counts once (by its payment intent), and a refund
//! subtracts what Stripe's cumulative `amount_refunded` adds. Other events
//! are acknowledged and ignored, as are payments whose `metadata` names
//! another campaign (`rostra_campaign`).
//!
//! The generic webhook, for other processors: the same signature scheme
//! under the campaign's own secret (`X-Rostra-Signature`), and a body of
//! `{"id", "type": "donation" | "refund", "amount", "currency", "reference",
//! "created", "note"}`.
//!
//! Both are verified against the raw body before anything is parsed.

use super::parse_event_id;
use crate::{Service, ServiceError};
use rostra_core::campaign::signature::{self, SignatureError, DEFAULT_TOLERANCE_SECS};
use rostra_core::campaign::{Entry, Source};
use rostra_core::{CampaignSlug, Currency, FieldError, SiteId, Timestamp, WebhookSecret};
use rostra_store::{NewDonation, Recorded};
use serde::Deserialize;
use serde_json::Value;

/// What a webhook delivery did.
#[derive(Debug)]
pub enum Delivery {
    /// A donation or refund was recorded (or had been: `duplicate`).
    Recorded(Box<Recorded>),
    /// A genuine event that is no donation for this campaign; why.
    Ignored(&'static str),
}

#[derive(Deserialize)]
struct StripeEvent {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    created: Option<i64>,
    data: StripeData,
}

#[derive(Deserialize)]
struct StripeData {
    object: Value,
}

#[derive(Deserialize)]
struct GenericEvent {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    amount: i64,
    currency: String,
    reference: Option<String>,
    created: Option<i64>,
    note: Option<String>,
}

fn verify(
    secret: Option<&WebhookSecret>,
    header: Option<&str>,
    body: &[u8],
    now: Timestamp,
) -> Result<(), ServiceError> {
    let secret = secret.ok_or_else(|| ServiceError::Forbidden {
        code: "webhook_not_configured",
        message: "this campaign has no secret for this webhook".into(),
    })?;
    let now_secs = now.0.div_euclid(1000);
    signature::verify(
        header,
        body,
        secret.expose().as_bytes(),
        now_secs,
        DEFAULT_TOLERANCE_SECS,
    )
    .map(|_| ())
    .map_err(|e: SignatureError| ServiceError::Unauthenticated(e.to_string()))
}

fn body_error(e: serde_json::Error) -> FieldError {
    FieldError::new("body", format!("not an event this webhook reads: {e}"))
}

fn text<'a>(object: &'a Value, key: &str) -> Option<&'a str> {
    object.get(key).and_then(Value::as_str)
}

fn at(created: Option<i64>, now: Timestamp) -> Timestamp {
    created.map_or(now, |secs| Timestamp(secs.saturating_mul(1000)))
}

impl Service {
    /// A Stripe webhook delivery for a campaign.
    pub async fn stripe_webhook(
        &self,
        site: &SiteId,
        slug: &CampaignSlug,
        signature: Option<&str>,
        body: &[u8],
        now: Timestamp,
    ) -> Result<Delivery, ServiceError> {
        let campaign = self.campaign(site, slug).await?;
        verify(campaign.spec.stripe_secret.as_ref(), signature, body, now)?;
        let event: StripeEvent = serde_json::from_slice(body).map_err(body_error)?;
        let o = &event.data.object;
        if let Some(other) = o
            .get("metadata")
            .and_then(|m| text(m, "rostra_campaign"))
            .filter(|c| *c != slug.as_str())
        {
            tracing::debug!(campaign = other, "a payment for another campaign; ignored");
            return Ok(Delivery::Ignored("another campaign's payment"));
        }
        let (entry, reference) = match event.kind.as_str() {
            "checkout.session.completed" => {
                if text(o, "payment_status") != Some("paid") {
                    return Ok(Delivery::Ignored("the session is not paid"));
                }
                let amount = o.get("amount_total").and_then(Value::as_i64);
                let reference = text(o, "payment_intent").or_else(|| text(o, "id"));
                (amount.map(Entry::Gift), reference)
            }
            "payment_intent.succeeded" => (
                o.get("amount_received")
                    .and_then(Value::as_i64)
                    .map(Entry::Gift),
                text(o, "id"),
            ),
            "charge.refunded" => (
                o.get("amount_refunded")
                    .and_then(Value::as_i64)
                    .map(Entry::RefundedTotal),
                text(o, "payment_intent").or_else(|| text(o, "id")),
            ),
            _ => return Ok(Delivery::Ignored("not a donation event")),
        };
        let entry =
            entry.ok_or_else(|| FieldError::new("data.object", "no amount in the event"))?;
        let amount = match entry {
            Entry::Gift(a) | Entry::Refund(a) | Entry::RefundedTotal(a) => a,
        };
        if amount <= 0 {
            return Ok(Delivery::Ignored("nothing paid"));
        }
        rostra_core::campaign::money::check_amount(amount, "data.object.amount")?;
        let currency = Currency::parse(text(o, "currency").unwrap_or_default())
            .map_err(|_| FieldError::new("data.object.currency", "no currency in the event"))?;
        let recorded = self
            .record_donation(NewDonation {
                site_id: site.clone(),
                campaign: slug.clone(),
                source: Source::Stripe,
                event_id: parse_event_id(&event.id, "id")?,
                reference: reference
                    .map(|r| parse_event_id(r, "reference"))
                    .transpose()?,
                currency,
                entry,
                note: None,
                at: at(event.created, now),
            })
            .await?;
        Ok(Delivery::Recorded(Box::new(recorded)))
    }

    /// A generic (Rostra-signed) webhook delivery for a campaign.
    pub async fn generic_webhook(
        &self,
        site: &SiteId,
        slug: &CampaignSlug,
        signature: Option<&str>,
        body: &[u8],
        now: Timestamp,
    ) -> Result<Delivery, ServiceError> {
        let campaign = self.campaign(site, slug).await?;
        verify(campaign.spec.webhook_secret.as_ref(), signature, body, now)?;
        let event: GenericEvent = serde_json::from_slice(body).map_err(body_error)?;
        rostra_core::campaign::money::check_amount(event.amount, "amount")?;
        let entry = match event.kind.as_str() {
            "donation" => Entry::Gift(event.amount),
            "refund" => Entry::Refund(event.amount),
            _ => return Err(FieldError::new("type", "a type is donation or refund").into()),
        };
        let note = event
            .note
            .map(|n| n.trim().chars().take(500).collect::<String>())
            .filter(|n| !n.is_empty());
        let recorded = self
            .record_donation(NewDonation {
                site_id: site.clone(),
                campaign: slug.clone(),
                source: Source::Webhook,
                event_id: parse_event_id(&event.id, "id")?,
                reference: event
                    .reference
                    .map(|r| parse_event_id(&r, "reference"))
                    .transpose()?,
                currency: Currency::parse(&event.currency)?,
                entry,
                note,
                at: at(event.created, now),
            })
            .await?;
        Ok(Delivery::Recorded(Box::new(recorded)))
    }
}
