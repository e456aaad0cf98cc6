//! A reader's subscriptions: subscribe (double opt-in, with limits on
//! confirmation requests so the form cannot mail strangers), confirm,
//! unsubscribe in one click, and see and change them all.

use super::links::{token, verify, Purpose};
use super::MailJob;
use crate::{Service, ServiceError};
use rostra_core::{Cadence, Email, FieldError, Site, SiteId, SubscriptionKind, Timestamp};
use rostra_store::outbox::{
    ConfirmRequest, JobKind, NewJob, NewSubscription, Subscriber, Subscription,
};
use std::sync::Arc;

/// A subscription as asked, every field still raw.
#[derive(Debug, Clone, Default)]
pub struct SubscribeInput {
    /// The page.
    pub url: String,
    /// Its title.
    pub title: Option<String>,
    /// The reader's address.
    pub email: String,
    /// `thread` (the default) or `replies`.
    pub notify: Option<String>,
    /// `instant` (the default) or `digest`.
    pub cadence: Option<String>,
    /// The language of the mail.
    pub lang: Option<String>,
}

/// A subscriber's page: their subscriptions, and the token that manages
/// them.
#[derive(Debug, Clone)]
pub struct Managed {
    /// The site.
    pub site: Arc<Site>,
    /// The subscriber.
    pub subscriber: Subscriber,
    /// Their subscriptions.
    pub subscriptions: Vec<Subscription>,
    /// The token of the manage page.
    pub manage_token: String,
    /// How many subscriptions the request removed.
    pub removed: u64,
}

/// A change from the manage page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManageChange {
    /// Remove one subscription.
    Remove(i64),
    /// Remove all.
    RemoveAll,
    /// Change one's cadence.
    Cadence(i64, Cadence),
}

fn lang_tag(raw: Option<&str>) -> String {
    let tag: String = raw
        .unwrap_or("en")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(16)
        .collect();
    if tag.is_empty() {
        "en".into()
    } else {
        tag
    }
}

impl Service {
    /// Subscribes an address to a page. An unconfirmed address gets a
    /// confirmation request (within the limits); nothing else is mailed to
    /// it until it is confirmed. The answer is the same whether or not the
    /// address was known, so it tells nobody who subscribes.
    pub async fn subscribe(
        &self,
        site: &SiteId,
        input: SubscribeInput,
    ) -> Result<(), ServiceError> {
        let site = self.sites.get(site).await?;
        let url = site.page_url(&input.url, self.limits.url_bytes)?;
        let email = Email::parse(&input.email).map_err(|mut e| {
            e.field = "email".into();
            e
        })?;
        let kind = match input.notify.as_deref().map(str::trim) {
            None | Some("") => SubscriptionKind::Thread,
            Some(k) => SubscriptionKind::parse(k, "notify")?,
        };
        let cadence = Cadence::parse(input.cadence.as_deref().unwrap_or(""), "cadence")?;
        let title = input
            .title
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| {
                t.chars()
                    .filter(|c| !c.is_control())
                    .take(self.limits.title_chars)
                    .collect()
            });
        let (who, _) = self
            .store
            .subscribe(NewSubscription {
                site_id: site.id.clone(),
                email: email.as_str().to_string(),
                lang: lang_tag(input.lang.as_deref()),
                url,
                title,
                kind,
                cadence,
                at: Timestamp::now(),
            })
            .await?;
        if who.confirmed_at.is_none() {
            let now = Timestamp::now();
            let sent = self
                .store
                .request_confirmation(ConfirmRequest {
                    subscriber_id: who.id,
                    at: now,
                    min_gap_ms: self.mail.settings.confirm_gap.as_millis() as i64,
                    max_unanswered: self.mail.settings.confirm_max,
                    job: NewJob {
                        site_id: site.id.clone(),
                        kind: JobKind::Mail,
                        key: format!("mail:confirm:{}:{}", who.id, now.0),
                        payload: serde_json::to_string(&MailJob::Confirm { subscriber: who.id })
                            .map_err(|e| ServiceError::Internal(e.to_string()))?,
                        run_at: now,
                    },
                })
                .await?;
            if sent {
                self.wake_outbox();
            }
        }
        Ok(())
    }

    /// Wakes this node's outbox worker (after enqueuing).
    pub fn wake_outbox(&self) {
        self.mail.wake.notify_one();
    }

    async fn managed(
        &self,
        site: &SiteId,
        subscriber: i64,
        removed: u64,
    ) -> Result<Managed, ServiceError> {
        let site = self.sites.get(site).await?;
        let who = self
            .store
            .subscriber(&site.id, Some(subscriber), None)
            .await?
            .ok_or(ServiceError::NotFound("subscriber"))?;
        Ok(Managed {
            subscriptions: self.store.subscriptions(who.id).await?,
            manage_token: token(&self.mail.link_secret, Purpose::Manage, &site.id, who.id),
            site,
            subscriber: who,
            removed,
        })
    }

    /// Confirms the address a confirmation link names.
    pub async fn confirm_subscriber(&self, link: &str) -> Result<Managed, ServiceError> {
        let l = verify(&self.mail.link_secret, Purpose::Confirm, link)
            .ok_or_else(|| FieldError::new("t", "this link is not valid"))?;
        let who = self
            .store
            .confirm_subscriber(&l.site, l.id, Timestamp::now())
            .await?;
        self.managed(&l.site, who.id, 0).await
    }

    /// Unsubscribes per an unsubscribe link: from one page, or (a digest's
    /// link) from everything.
    pub async fn unsubscribe_link(&self, link: &str) -> Result<Managed, ServiceError> {
        let secret = &self.mail.link_secret;
        if let Some(l) = verify(secret, Purpose::Unsubscribe, link) {
            let Some(sub) = self.store.subscription(l.id).await? else {
                return Err(ServiceError::NotFound("subscription"));
            };
            let removed = self
                .store
                .unsubscribe(sub.subscriber_id, Some(sub.id))
                .await?;
            return self.managed(&l.site, sub.subscriber_id, removed).await;
        }
        let l = verify(secret, Purpose::Manage, link)
            .ok_or_else(|| FieldError::new("t", "this link is not valid"))?;
        let removed = self.store.unsubscribe(l.id, None).await?;
        self.managed(&l.site, l.id, removed).await
    }

    /// What an unsubscribe link would remove, without removing it (the page
    /// a reader's browser opens asks first; mail clients POST).
    pub async fn unsubscribe_preview(&self, link: &str) -> Result<Managed, ServiceError> {
        let secret = &self.mail.link_secret;
        if let Some(l) = verify(secret, Purpose::Unsubscribe, link) {
            let sub = self
                .store
                .subscription(l.id)
                .await?
                .ok_or(ServiceError::NotFound("subscription"))?;
            let mut m = self.managed(&l.site, sub.subscriber_id, 0).await?;
            m.subscriptions.retain(|s| s.id == sub.id);
            return Ok(m);
        }
        let l = verify(secret, Purpose::Manage, link)
            .ok_or_else(|| FieldError::new("t", "this link is not valid"))?;
        self.managed(&l.site, l.id, 0).await
    }

    /// The manage page's subscriber, after `change` if one is given.
    pub async fn manage_subscriptions(
        &self,
        link: &str,
        change: Option<ManageChange>,
    ) -> Result<Managed, ServiceError> {
        let l = verify(&self.mail.link_secret, Purpose::Manage, link)
            .ok_or_else(|| FieldError::new("t", "this link is not valid"))?;
        let removed = match change {
            None => 0,
            Some(ManageChange::RemoveAll) => self.store.unsubscribe(l.id, None).await?,
            Some(ManageChange::Remove(id)) => self.store.unsubscribe(l.id, Some(id)).await?,
            Some(ManageChange::Cadence(id, cadence)) => {
                let who = self
                    .store
                    .subscriber(&l.site, Some(l.id), None)
                    .await?
                    .ok_or(ServiceError::NotFound("subscriber"))?;
                let sub = self
                    .store
                    .subscriptions(l.id)
                    .await?
                    .into_iter()
                    .find(|s| s.id == id)
                    .ok_or(ServiceError::NotFound("subscription"))?;
                self.store
                    .subscribe(NewSubscription {
                        site_id: l.site.clone(),
                        email: who.email,
                        lang: who.lang,
                        url: sub.url,
                        title: sub.title,
                        kind: sub.kind,
                        cadence,
                        at: Timestamp::now(),
                    })
                    .await?;
                0
            }
        };
        self.managed(&l.site, l.id, removed).await
    }
}
