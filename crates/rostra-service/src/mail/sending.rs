//! Mail jobs and digests: each checks, at sending time, that it is still
//! wanted (the subscription exists, the address is confirmed, the comment
//! is still public, or still held), then composes and sends the message.
//! A comment rejected before its mail goes out sends none.

use super::compose::{build, Body, Envelope, Item};
use super::links::{token, Purpose};
use super::strings::{fill, strings, MailStrings};
use super::worker::JobError;
use super::{DigestJob, MailJob, Mailer};
use crate::Service;
use rostra_core::{Comment, CommentId, CommentStatus, Site, SubscriptionKind};
use rostra_store::outbox::{DigestKind, Job, Settle, Subscriber, Subscription};
use rostra_store::Thread;

impl Service {
    /// The page `path` under `/subscriptions/`, with a token for `purpose`.
    fn link_to(&self, path: &str, purpose: Purpose, site: &Site, id: i64) -> String {
        format!(
            "{}/subscriptions/{path}?t={}",
            self.mail.settings.public_url.trim_end_matches('/'),
            token(&self.mail.link_secret, purpose, &site.id, id)
        )
    }

    /// The link that does `purpose`.
    fn link(&self, purpose: Purpose, site: &Site, id: i64) -> String {
        let path = match purpose {
            Purpose::Confirm => "confirm",
            Purpose::Unsubscribe => "unsubscribe",
            Purpose::Manage => "manage",
        };
        self.link_to(path, purpose, site, id)
    }

    /// The footer of a subscriber's message.
    fn subscriber_footer(
        &self,
        words: &MailStrings,
        site: &Site,
        who: &Subscriber,
        one: Option<&Subscription>,
    ) -> (String, Vec<(String, String)>) {
        let unsubscribe = match one {
            Some(s) => self.link(Purpose::Unsubscribe, site, s.id),
            // A digest covers several subscriptions: its one-click link, a
            // manage token at the unsubscribe address, removes them all.
            None => self.link_to("unsubscribe", Purpose::Manage, site, who.id),
        };
        (
            unsubscribe.clone(),
            vec![
                (words.unsubscribe.to_string(), unsubscribe),
                (
                    words.manage.to_string(),
                    self.link(Purpose::Manage, site, who.id),
                ),
            ],
        )
    }

    fn item(&self, words: &MailStrings, thread: &Thread, c: &Comment) -> Item {
        let title = thread
            .title
            .clone()
            .unwrap_or_else(|| thread.url.as_str().to_string());
        Item {
            title,
            by: fill(words.wrote, "", "", &c.author_name),
            text: c.body_markdown.clone(),
            html: c.body_html.clone(),
            link: format!("{}#rostra-c-{}", thread.url.as_str(), c.id),
            link_label: words.view.to_string(),
        }
    }

    async fn send(
        &self,
        mailer: &Mailer,
        words: &MailStrings,
        envelope: Envelope,
        body: &Body,
    ) -> Result<Settle, JobError> {
        let message =
            build(&self.mail.settings, words, envelope, body).map_err(JobError::Permanent)?;
        mailer.send(message).await.map_err(JobError::Transient)?;
        Ok(Settle::done())
    }

    pub(super) async fn send_mail(&self, job: &Job, mailer: &Mailer) -> Result<Settle, JobError> {
        let mail: MailJob = serde_json::from_str(&job.payload)
            .map_err(|e| JobError::Permanent(format!("mail payload: {e}")))?;
        let site = self
            .sites
            .get(&job.site_id)
            .await
            .map_err(|e| JobError::Transient(e.to_string()))?;
        match mail {
            MailJob::Confirm { subscriber } => {
                let Some(who) = self
                    .store
                    .subscriber(&site.id, Some(subscriber), None)
                    .await?
                else {
                    return Ok(Settle::done());
                };
                if who.confirmed_at.is_some() {
                    return Ok(Settle::done());
                }
                let words = strings(&who.lang);
                let subs = self.store.subscriptions(who.id).await?;
                let title = subs
                    .last()
                    .map(|s| {
                        s.title
                            .clone()
                            .unwrap_or_else(|| s.url.as_str().to_string())
                    })
                    .unwrap_or_else(|| site.name.clone());
                let body = Body {
                    heading: fill(words.confirm_subject, &site.name, &title, ""),
                    intro: fill(words.confirm_intro, &site.name, &title, ""),
                    items: Vec::new(),
                    action: Some((
                        words.confirm_action.to_string(),
                        self.link(Purpose::Confirm, &site, who.id),
                    )),
                    because: String::new(),
                    footer: Vec::new(),
                };
                let envelope = Envelope {
                    to: who.email.clone(),
                    subject: body.heading.clone(),
                    key: job.key.clone(),
                    unsubscribe: None,
                };
                self.send(mailer, words, envelope, &body).await
            }
            MailJob::Comment {
                comment,
                subscription,
            } => {
                let Some(sub) = self.store.subscription(subscription).await? else {
                    return Ok(Settle::done()); // unsubscribed since
                };
                let Some(who) = self
                    .store
                    .subscriber(&site.id, Some(sub.subscriber_id), None)
                    .await?
                    .filter(|w| w.confirmed_at.is_some())
                else {
                    return Ok(Settle::done());
                };
                let Some((c, thread)) = self.approved_with_thread(&site, comment).await? else {
                    return Ok(Settle::done()); // rejected or removed since
                };
                let words = strings(&who.lang);
                let item = self.item(words, &thread, &c);
                let subject = match sub.kind {
                    SubscriptionKind::Replies => words.reply_subject,
                    SubscriptionKind::Thread => words.comment_subject,
                };
                let (unsubscribe, footer) = self.subscriber_footer(words, &site, &who, Some(&sub));
                let body = Body {
                    heading: fill(subject, &site.name, &item.title, ""),
                    intro: String::new(),
                    items: vec![item],
                    action: None,
                    because: fill(words.because, &site.name, "", ""),
                    footer,
                };
                let envelope = Envelope {
                    to: who.email,
                    subject: body.heading.clone(),
                    key: job.key.clone(),
                    unsubscribe: Some(unsubscribe),
                };
                self.send(mailer, words, envelope, &body).await
            }
            MailJob::Held { comment, to, lang } => {
                let Some(c) = self.store.comment(&site.id, CommentId(comment)).await? else {
                    return Ok(Settle::done());
                };
                if c.status != CommentStatus::Pending {
                    return Ok(Settle::done()); // a moderator already acted
                }
                let Some(thread) = self.store.thread_by_id(c.thread_id).await? else {
                    return Ok(Settle::done());
                };
                let words = strings(&lang);
                let body = Body {
                    heading: fill(words.held_subject, &site.name, "", ""),
                    intro: words.held_intro.to_string(),
                    items: vec![self.item(words, &thread, &c)],
                    action: Some((words.open_queue.to_string(), self.queue_link())),
                    because: String::new(),
                    footer: Vec::new(),
                };
                let envelope = Envelope {
                    to,
                    subject: body.heading.clone(),
                    key: job.key.clone(),
                    unsubscribe: None,
                };
                self.send(mailer, words, envelope, &body).await
            }
        }
    }

    fn queue_link(&self) -> String {
        format!(
            "{}/moderation",
            self.mail.settings.public_url.trim_end_matches('/')
        )
    }

    /// A comment that is still public, with its thread.
    async fn approved_with_thread(
        &self,
        site: &Site,
        id: i64,
    ) -> Result<Option<(Comment, Thread)>, JobError> {
        let Some(c) = self.store.comment(&site.id, CommentId(id)).await? else {
            return Ok(None);
        };
        if c.status != CommentStatus::Approved {
            return Ok(None);
        }
        Ok(self.store.thread_by_id(c.thread_id).await?.map(|t| (c, t)))
    }

    pub(super) async fn send_digest(&self, job: &Job, mailer: &Mailer) -> Result<Settle, JobError> {
        let d: DigestJob = serde_json::from_str(&job.payload)
            .map_err(|e| JobError::Permanent(format!("digest payload: {e}")))?;
        let site = self
            .sites
            .get(&job.site_id)
            .await
            .map_err(|e| JobError::Transient(e.to_string()))?;
        let items = self.store.digest_items(&site.id, &d.recipient).await?;
        let Some(last) = items.last().map(|i| i.id) else {
            return Ok(Settle::done());
        };
        let mailed = Some((d.recipient.clone(), last));
        let nothing = Settle::Done {
            then: Vec::new(),
            digest: Vec::new(),
            mailed: mailed.clone(),
        };
        let words = strings(&d.lang);
        let who = match d.subscriber {
            Some(id) => {
                let who = self.store.subscriber(&site.id, Some(id), None).await?;
                match who.filter(|w| w.confirmed_at.is_some()) {
                    Some(w) => Some(w),
                    None => return Ok(nothing),
                }
            }
            None => None,
        };
        let urls: Vec<String> = match &who {
            Some(w) => self
                .store
                .subscriptions(w.id)
                .await?
                .into_iter()
                .map(|s| s.url.as_str().to_string())
                .collect(),
            None => Vec::new(),
        };
        let mut list = Vec::new();
        for item in &items {
            let Some(c) = self.store.comment(&site.id, item.comment_id).await? else {
                continue;
            };
            let wanted = match item.kind {
                DigestKind::Comment => CommentStatus::Approved,
                DigestKind::Held => CommentStatus::Pending,
            };
            if c.status != wanted {
                continue;
            }
            let Some(thread) = self.store.thread_by_id(c.thread_id).await? else {
                continue;
            };
            if who.is_some() && !urls.iter().any(|u| u == thread.url.as_str()) {
                continue; // unsubscribed from that page since
            }
            list.push(self.item(words, &thread, &c));
        }
        if list.is_empty() {
            return Ok(nothing);
        }
        let (heading, intro, action, because, footer, unsubscribe) = match &who {
            Some(w) => {
                let (unsubscribe, footer) = self.subscriber_footer(words, &site, w, None);
                (
                    fill(words.digest_subject, &site.name, "", ""),
                    words.digest_intro.to_string(),
                    None,
                    fill(words.because, &site.name, "", ""),
                    footer,
                    Some(unsubscribe),
                )
            }
            None => (
                fill(words.held_digest_subject, &site.name, "", ""),
                words.held_intro.to_string(),
                Some((words.open_queue.to_string(), self.queue_link())),
                String::new(),
                Vec::new(),
                None,
            ),
        };
        let body = Body {
            heading,
            intro,
            items: list,
            action,
            because,
            footer,
        };
        let envelope = Envelope {
            to: d.recipient,
            subject: body.heading.clone(),
            key: job.key.clone(),
            unsubscribe,
        };
        self.send(mailer, words, envelope, &body).await?;
        Ok(nothing)
    }
}
