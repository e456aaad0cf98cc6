//! Webhooks: a site's owners register HTTPS endpoints for comment events;
//! each delivery goes through the outbox (retried like mail) and is signed:
//! `Rostra-Signature: t=UNIX_SECONDS,v1=HEX`, where HEX is the HMAC-SHA256,
//! under the endpoint's secret, of `"{t}.{body}"` (the scheme Stripe's
//! receivers already know).

use super::worker::JobError;
use super::WebhookJob;
use crate::{Service, ServiceError};
use rostra_core::{FieldError, SiteId, Timestamp, WebhookEvent};
use rostra_store::outbox::{Job, NewWebhook, Settle, Webhook};
use std::time::Duration;

/// Longest a delivery may take.
const TIMEOUT: Duration = Duration::from_secs(10);

/// An endpoint to register.
#[derive(Debug, Clone, Default)]
pub struct WebhookInput {
    /// Where to post.
    pub url: String,
    /// The events it wants; none means all.
    pub events: Vec<String>,
}

/// The `Rostra-Signature` header's value for `body` sent at `t` (seconds):
/// the same scheme the campaign webhooks verify on the way in.
pub fn sign(secret: &str, t: i64, body: &str) -> String {
    rostra_core::campaign::signature::sign(secret.as_bytes(), t, body.as_bytes())
}

impl Service {
    /// Registers an endpoint; its secret is made here and shown once.
    pub async fn add_webhook(
        &self,
        site: &SiteId,
        input: WebhookInput,
    ) -> Result<Webhook, ServiceError> {
        let site = self.sites.get(site).await?;
        let url = rostra_core::subscription::webhook_url(
            &input.url,
            self.mail.settings.allow_http_webhooks,
        )?;
        let mut events = Vec::new();
        for e in &input.events {
            let e = WebhookEvent::parse(e)?;
            if !events.contains(&e) {
                events.push(e);
            }
        }
        if events.is_empty() {
            events = WebhookEvent::ALL.to_vec();
        }
        if self.store.webhooks(&site.id).await?.len() >= 20 {
            return Err(FieldError::new("url", "a site has at most 20 webhooks").into());
        }
        Ok(self
            .store
            .create_webhook(NewWebhook {
                site_id: site.id.clone(),
                url: url.to_string(),
                secret: format!("whsec_{}", hex::encode(crate::random_bytes())),
                events,
                at: Timestamp::now(),
            })
            .await?)
    }

    /// A site's endpoints.
    pub async fn webhooks(&self, site: &SiteId) -> Result<Vec<Webhook>, ServiceError> {
        Ok(self.store.webhooks(site).await?)
    }

    /// Removes an endpoint.
    pub async fn remove_webhook(&self, site: &SiteId, id: i64) -> Result<(), ServiceError> {
        Ok(self.store.delete_webhook(site, id).await?)
    }

    /// Enqueues a delivery of a recorded donation to every endpoint of the
    /// site that wants `donation.recorded` (once per donation and endpoint,
    /// however often the provider repeats the event).
    pub(crate) async fn announce_donation(
        &self,
        donation: &rostra_store::NewDonation,
        recorded: &rostra_store::Recorded,
    ) -> Result<(), ServiceError> {
        let c = &recorded.campaign;
        let event = WebhookEvent::DonationRecorded;
        let hooks = self.store.webhooks(&c.site_id).await?;
        let hooks: Vec<_> = hooks.iter().filter(|h| h.events.contains(&event)).collect();
        if hooks.is_empty() {
            return Ok(());
        }
        let (kind, amount) = match donation.entry {
            rostra_core::campaign::Entry::Gift(n) => ("gift", n),
            rostra_core::campaign::Entry::Refund(n) => ("refund", n),
            rostra_core::campaign::Entry::RefundedTotal(n) => ("refunded_total", n),
        };
        let id = format!(
            "donation:{}:{}:{}:{}",
            c.site_id,
            c.slug.as_str(),
            donation.source.as_str(),
            donation.event_id
        );
        let body = serde_json::json!({
            "id": id,
            "event": event.as_str(),
            "site": c.site_id.as_str(),
            "created_at": Timestamp::now().to_rfc3339(),
            "donation": {
                "campaign": c.slug.as_str(),
                "source": donation.source.as_str(),
                "event_id": donation.event_id,
                "kind": kind,
                "amount": amount,
                "currency": donation.currency.as_str(),
                "at": donation.at.to_rfc3339(),
            },
            "totals": {"raised": recorded.totals.raised, "donors": recorded.totals.donors},
        })
        .to_string();
        let mut jobs = Vec::new();
        for hook in hooks {
            jobs.push(rostra_store::NewJob {
                site_id: c.site_id.clone(),
                kind: rostra_store::outbox::JobKind::Webhook,
                key: format!("hook:{id}:{}", hook.id),
                payload: super::fanout::json(&WebhookJob {
                    webhook: hook.id,
                    event: event.as_str().to_string(),
                    body: body.clone(),
                })
                .map_err(|_| ServiceError::Internal("a webhook payload".into()))?,
                run_at: Timestamp::now(),
            });
        }
        self.store.enqueue(jobs).await?;
        self.wake_outbox();
        Ok(())
    }

    pub(super) async fn deliver(&self, job: &Job) -> Result<Settle, JobError> {
        let d: WebhookJob = serde_json::from_str(&job.payload)
            .map_err(|e| JobError::Permanent(format!("webhook payload: {e}")))?;
        let hooks = self.store.webhooks(&job.site_id).await?;
        let Some(hook) = hooks.into_iter().find(|h| h.id == d.webhook) else {
            return Ok(Settle::done()); // removed since
        };
        let t = Timestamp::now().0 / 1000;
        let sent = self
            .mail
            .http
            .post(&hook.url)
            .timeout(TIMEOUT)
            .header("content-type", "application/json")
            .header("user-agent", "Rostra-Webhooks/1")
            .header("rostra-event", &d.event)
            .header("rostra-delivery", &job.key)
            .header("rostra-signature", sign(&hook.secret, t, &d.body))
            .body(d.body)
            .send()
            .await
            .map_err(|e| JobError::Transient(format!("{}: {e}", hook.url)))?;
        let status = sent.status();
        if status.is_success() {
            Ok(Settle::done())
        } else if status == reqwest::StatusCode::GONE {
            Err(JobError::Permanent(format!(
                "{} answered 410 Gone",
                hook.url
            )))
        } else {
            Err(JobError::Transient(format!(
                "{} answered {status}",
                hook.url
            )))
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_of_timestamp_dot_body() {
        // Computed independently: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
        assert_eq!(
            sign("whsec_test", 1_700_000_000, "{\"a\":1}"),
            "t=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789"
        );
    }
}
