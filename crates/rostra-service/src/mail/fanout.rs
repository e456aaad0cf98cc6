//! A comment's event, fanned out: one mail job per subscriber who hears of
//! it at once, digest items for the others, notices for the site's
//! moderators when it is held, and one delivery per webhook that wants the
//! event. All of it is enqueued in the transaction that settles the event,
//! so a fan-out happens once.

use super::worker::JobError;
use super::{DigestJob, EventJob, MailJob, WebhookJob};
use crate::Service;
use rostra_core::{
    Cadence, Comment, CommentId, CommentStatus, ModeratorNotify, Site, SubscriptionKind, Timestamp,
    WebhookEvent,
};
use rostra_store::outbox::{DigestKind, Job, JobKind, NewDigestItem, NewJob, Settle};
use rostra_store::Thread;
use std::collections::HashSet;

/// What a fan-out enqueues.
#[derive(Default)]
struct Fan {
    then: Vec<NewJob>,
    digest: Vec<NewDigestItem>,
}

impl Service {
    pub(super) async fn fan_out(&self, job: &Job) -> Result<Settle, JobError> {
        let ev: EventJob = serde_json::from_str(&job.payload)
            .map_err(|e| JobError::Permanent(format!("event payload: {e}")))?;
        let site = self
            .sites
            .get(&job.site_id)
            .await
            .map_err(|e| JobError::Transient(e.to_string()))?;
        let Some(comment) = self.store.comment(&site.id, CommentId(ev.comment)).await? else {
            return Ok(Settle::done());
        };
        let Some(thread) = self.store.thread_by_id(comment.thread_id).await? else {
            return Ok(Settle::done());
        };
        let mut fan = Fan::default();
        match (ev.event.as_str(), comment.status) {
            ("created" | "approved", CommentStatus::Approved) => {
                self.fan_to_subscribers(&site, &thread, &comment, &mut fan)
                    .await?;
            }
            ("held", CommentStatus::Pending) => {
                self.fan_to_moderators(&site, &comment, &mut fan).await?;
            }
            _ => {}
        }
        let hook_event = match ev.event.as_str() {
            "created" | "held" => WebhookEvent::CommentCreated,
            "approved" => WebhookEvent::CommentApproved,
            _ => WebhookEvent::CommentRejected,
        };
        self.fan_to_webhooks(job, &site, &thread, &comment, hook_event, &mut fan)
            .await?;
        Ok(Settle::Done {
            then: fan.then,
            digest: fan.digest,
            mailed: None,
        })
    }

    async fn fan_to_subscribers(
        &self,
        site: &Site,
        thread: &Thread,
        comment: &Comment,
        fan: &mut Fan,
    ) -> Result<(), JobError> {
        let subscribers = self.store.page_subscribers(&site.id, &thread.url).await?;
        if subscribers.is_empty() {
            return Ok(());
        }
        let same = |a: &str, b: Option<&str>| b.is_some_and(|b| b.eq_ignore_ascii_case(a));
        let parent_email = match comment.parent_id {
            Some(p) => self
                .store
                .comment(&site.id, p)
                .await?
                .and_then(|p| p.author_email),
            None => None,
        };
        let mut told = HashSet::new();
        // Replies first: a reader subscribed both ways hears of a reply as one.
        let mut ordered = subscribers;
        ordered.sort_by_key(|(_, s)| (s.kind != SubscriptionKind::Replies, s.id));
        for (who, sub) in ordered {
            if same(&who.email, comment.author_email.as_deref()) || told.contains(&who.id) {
                continue;
            }
            if sub.kind == SubscriptionKind::Replies && !same(&who.email, parent_email.as_deref()) {
                continue;
            }
            told.insert(who.id);
            match sub.cadence {
                Cadence::Instant => fan.then.push(NewJob {
                    site_id: site.id.clone(),
                    kind: JobKind::Mail,
                    key: format!("mail:comment:{}:{}", comment.id, who.id),
                    payload: json(&MailJob::Comment {
                        comment: comment.id.0,
                        subscription: sub.id,
                    })?,
                    run_at: Timestamp::now(),
                }),
                Cadence::Digest => self.add_to_digest(
                    site,
                    &who.email,
                    &who.lang,
                    Some(who.id),
                    DigestKind::Comment,
                    comment.id,
                    fan,
                )?,
            }
        }
        Ok(())
    }

    async fn fan_to_moderators(
        &self,
        site: &Site,
        comment: &Comment,
        fan: &mut Fan,
    ) -> Result<(), JobError> {
        let mode = site.settings.notify_moderators;
        if mode == ModeratorNotify::Off {
            return Ok(());
        }
        for to in self.store.moderator_emails(&site.id).await? {
            if mode == ModeratorNotify::Digest {
                self.add_to_digest(site, &to, "en", None, DigestKind::Held, comment.id, fan)?;
                continue;
            }
            fan.then.push(NewJob {
                site_id: site.id.clone(),
                kind: JobKind::Mail,
                key: format!("mail:held:{}:{to}", comment.id),
                payload: json(&MailJob::Held {
                    comment: comment.id.0,
                    to: to.clone(),
                    lang: "en".into(),
                })?,
                run_at: Timestamp::now(),
            });
        }
        Ok(())
    }

    /// Adds an item to a recipient's next digest, and the digest's job (one
    /// per recipient and digest time).
    #[allow(clippy::too_many_arguments)]
    fn add_to_digest(
        &self,
        site: &Site,
        recipient: &str,
        lang: &str,
        subscriber: Option<i64>,
        kind: DigestKind,
        comment: CommentId,
        fan: &mut Fan,
    ) -> Result<(), JobError> {
        let every = self.mail.settings.digest_every.as_millis().max(1) as i64;
        let now = Timestamp::now();
        let at = Timestamp((now.0 / every + 1) * every);
        fan.digest.push(NewDigestItem {
            site_id: site.id.clone(),
            recipient: recipient.to_string(),
            kind,
            comment_id: comment,
            at: now,
        });
        fan.then.push(NewJob {
            site_id: site.id.clone(),
            kind: JobKind::Digest,
            key: format!("digest:{}:{recipient}:{}", kind.as_str(), at.0),
            payload: json(&DigestJob {
                recipient: recipient.to_string(),
                lang: lang.to_string(),
                subscriber,
            })?,
            run_at: at,
        });
        Ok(())
    }

    async fn fan_to_webhooks(
        &self,
        job: &Job,
        site: &Site,
        thread: &Thread,
        comment: &Comment,
        event: WebhookEvent,
        fan: &mut Fan,
    ) -> Result<(), JobError> {
        let hooks = self.store.webhooks(&site.id).await?;
        let hooks: Vec<_> = hooks.iter().filter(|h| h.events.contains(&event)).collect();
        if hooks.is_empty() {
            return Ok(());
        }
        let delivery = format!("{}:{}", job.id, event.as_str());
        let body = serde_json::json!({
            "id": delivery,
            "event": event.as_str(),
            "site": site.id.as_str(),
            "created_at": Timestamp::now().to_rfc3339(),
            "comment": {
                "id": comment.id.0,
                "url": thread.url.as_str(),
                "title": thread.title,
                "parent": comment.parent_id.map(|p| p.0),
                "status": comment.status.as_str(),
                "author": {
                    "name": comment.author_name.as_str(),
                    "website": comment.author_website,
                },
                "body_markdown": comment.body_markdown,
                "body_html": comment.body_html,
                "created_at": comment.created_at.to_rfc3339(),
            },
        })
        .to_string();
        for hook in hooks {
            fan.then.push(NewJob {
                site_id: site.id.clone(),
                kind: JobKind::Webhook,
                key: format!("hook:{}:{}:{}", job.id, event.as_str(), hook.id),
                payload: json(&WebhookJob {
                    webhook: hook.id,
                    event: event.as_str().to_string(),
                    body: body.clone(),
                })?,
                run_at: Timestamp::now(),
            });
        }
        Ok(())
    }
}

pub(super) fn json<T: serde::Serialize>(v: &T) -> Result<String, JobError> {
    serde_json::to_string(v).map_err(|e| JobError::Permanent(e.to_string()))
}
