//! Writing, changing and voting on comments.

use crate::events::{Change, CommentChange};
use crate::policy::{Draft, FormSignals};
use crate::{Service, ServiceError};
use rostra_core::comment::AuthorChangeDenied;
use rostra_core::privacy::address_hash;
use rostra_core::{
    markdown, Comment, CommentBody, CommentId, CommentStatus, DisplayName, EditToken, Email,
    FieldError, NewComment, PageUrl, SiteId, Timestamp, VoteTally, VoteValue, VoterKey, Website,
};
use rostra_store::{CommentEdit, Vote, Written};
use std::collections::HashMap;

/// A comment as submitted, every field still raw.
#[derive(Debug, Clone, Default)]
pub struct PostInput {
    /// The page URL.
    pub url: String,
    /// The page title.
    pub title: Option<String>,
    /// The comment answered.
    pub parent: Option<i64>,
    /// Display name.
    pub name: String,
    /// E-mail ("" counts as none).
    pub email: Option<String>,
    /// Website ("" counts as none).
    pub website: Option<String>,
    /// Markdown.
    pub body: String,
    /// The writer's network address, if known.
    pub address: Option<String>,
    /// The form's hidden honeypot field (bots fill it in).
    pub honeypot: Option<String>,
    /// Milliseconds between showing the form and sending it.
    pub elapsed_ms: Option<u64>,
    /// The author was nudged and posts anyway.
    pub acknowledge_nudge: bool,
    /// "Notify of": `thread` (new follow-up comments) or `replies` (new
    /// replies to my comments); none or "" for nothing. Needs the e-mail.
    pub notify: Option<String>,
    /// How often: `instant` (the default) or `digest`.
    pub cadence: Option<String>,
    /// The reader's language, for the mail.
    pub lang: Option<String>,
}

/// The answer to a counts request.
#[derive(Debug, Clone)]
pub struct Counts {
    /// The site, as it was when the URLs were canonicalized.
    pub site: std::sync::Arc<rostra_core::Site>,
    /// One entry per URL asked, in order.
    pub entries: Vec<CountEntry>,
}

/// One page's count.
#[derive(Debug, Clone)]
pub struct CountEntry {
    /// The URL as asked.
    pub raw: String,
    /// Its canonical form.
    pub url: PageUrl,
    /// The thread version the count was read under.
    pub version: u64,
    /// Approved comments (always set in an answer).
    pub count: Option<i64>,
}

impl Counts {
    /// Whether every count is still current.
    pub fn current(&self, versions: &crate::ThreadVersions) -> bool {
        self.entries
            .iter()
            .all(|e| versions.get(&self.site.id, &e.url) == e.version)
    }
}

/// A stored comment and the token that lets its author change it.
#[derive(Debug, Clone)]
pub struct Posted {
    /// The comment as committed.
    pub comment: Comment,
    /// Handed to the author once.
    pub edit_token: EditToken,
    /// The thread's approved count after the post.
    pub thread_count: i64,
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn title(raw: Option<&str>, max: usize) -> Result<Option<String>, FieldError> {
    let Some(t) = raw.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if t.chars().count() > max {
        return Err(FieldError::new(
            "title",
            format!("the title is longer than {max} characters"),
        ));
    }
    Ok(Some(t.chars().filter(|c| !c.is_control()).collect()))
}

fn denied(e: AuthorChangeDenied) -> ServiceError {
    match e {
        AuthorChangeDenied::WrongToken => ServiceError::Forbidden {
            code: "edit_token_mismatch",
            message: e.to_string(),
        },
        AuthorChangeDenied::WindowClosed { .. } => ServiceError::Forbidden {
            code: "edit_window_closed",
            message: e.to_string(),
        },
        AuthorChangeDenied::Deleted => ServiceError::NotFound("comment"),
    }
}

impl Service {
    /// Posts a comment (or a reply), creating the page's thread if needed.
    pub async fn post_comment(
        &self,
        site_id: &SiteId,
        input: PostInput,
    ) -> Result<Posted, ServiceError> {
        let site = self.sites.get(site_id).await?;
        let limits = &self.limits;
        let url = site.page_url(&input.url, limits.url_bytes)?;
        let author_name = DisplayName::parse(&input.name, limits.name_chars)?;
        let author_email = non_empty(&input.email).map(Email::parse).transpose()?;
        let author_website = non_empty(&input.website).map(Website::parse).transpose()?;
        let body = CommentBody::parse(&input.body, limits.comment_chars)?;
        let title = title(input.title.as_deref(), limits.title_chars)?;
        let parent_id = match input.parent {
            Some(p) if p <= 0 => return Err(FieldError::new("parent", "not a comment id").into()),
            p => p.map(CommentId),
        };
        let notify = match non_empty(&input.notify) {
            None => None,
            Some(k) => Some(rostra_core::SubscriptionKind::parse(k, "notify")?),
        };
        rostra_core::Cadence::parse(input.cadence.as_deref().unwrap_or(""), "cadence")?;
        if notify.is_some() && author_email.is_none() {
            return Err(
                FieldError::new("author.email", "give an e-mail address to be notified").into(),
            );
        }
        let body_html = markdown::render(body.as_str());
        let edit_token = EditToken::generate();
        let ip_hash = input
            .address
            .as_deref()
            .map(|a| address_hash(&self.address_secret, a));
        let (status, assessment) = self
            .assess(Draft {
                site: &site,
                body: &body,
                body_html: &body_html,
                name: author_name.as_str(),
                email: author_email.as_ref(),
                address: input.address.as_deref(),
                ip_hash: ip_hash.as_deref(),
                form: FormSignals {
                    honeypot: input.honeypot.as_deref(),
                    elapsed_ms: input.elapsed_ms,
                    acknowledge_nudge: input.acknowledge_nudge,
                },
            })
            .await?;
        let written = self
            .store
            .insert_comment(NewComment {
                site_id: site.id.clone(),
                url,
                title,
                parent_id,
                author_name,
                author_email,
                author_website,
                body,
                body_html,
                status,
                created_at: Timestamp::now(),
                edit_token_hash: edit_token.hash(),
                ip_hash,
                max_depth: limits.max_depth,
                assessment: (!assessment.scores.is_empty() || !assessment.reasons.is_empty())
                    .then_some(assessment),
            })
            .await?;
        self.versions.bump(&site.id, &written.thread.url);
        // A held comment is announced when a moderator approves it.
        if written.comment.status == CommentStatus::Approved {
            self.announce(&site.id, &written, CommentChange::Created);
        }
        self.wake_outbox();
        if let (Some(kind), Some(email)) = (notify, written.comment.author_email.as_deref()) {
            // The comment is committed: a failure here must not look like
            // the post's own, so it is logged.
            let asked = crate::mail::SubscribeInput {
                url: written.thread.url.as_str().to_string(),
                title: written.thread.title.clone(),
                email: email.to_string(),
                notify: Some(kind.as_str().to_string()),
                cadence: input.cadence.clone(),
                lang: input.lang.clone(),
            };
            if let Err(e) = self.subscribe(&site.id, asked).await {
                tracing::warn!(error = %e, comment = written.comment.id.0, "the author's subscription failed");
            }
        }
        Ok(Posted {
            comment: written.comment,
            edit_token,
            thread_count: written.thread.count,
        })
    }

    /// Tells the thread's live readers that a comment changed (after the
    /// commit, as the version bump).
    pub(crate) fn announce(&self, site_id: &SiteId, written: &Written, kind: CommentChange) {
        self.events.publish(
            site_id.clone(),
            written.thread.url.clone(),
            Change::Comment {
                id: written.comment.id,
                parent: written.comment.parent_id,
                kind,
                count: written.thread.count,
            },
        );
    }

    async fn authorized(
        &self,
        site_id: &SiteId,
        id: CommentId,
        token: &EditToken,
        window: bool,
    ) -> Result<Comment, ServiceError> {
        let site = self.sites.get(site_id).await?;
        let comment = self
            .store
            .comment(site_id, id)
            .await?
            .ok_or(ServiceError::NotFound("comment"))?;
        let window_secs = if window {
            site.settings.edit_window_secs
        } else {
            i64::MAX / 2000
        };
        comment
            .author_may_change(token, Timestamp::now(), window_secs)
            .map_err(denied)?;
        Ok(comment)
    }

    /// A comment as its author sees it, whatever its status (a held comment
    /// is visible to its author through the edit token).
    pub async fn comment_for_author(
        &self,
        site_id: &SiteId,
        id: CommentId,
        token: &EditToken,
    ) -> Result<Comment, ServiceError> {
        self.authorized(site_id, id, token, false).await
    }

    /// A listed comment, as anyone sees it.
    pub async fn public_comment(
        &self,
        site_id: &SiteId,
        id: CommentId,
    ) -> Result<Comment, ServiceError> {
        self.sites.get(site_id).await?;
        let comment = self
            .store
            .comment(site_id, id)
            .await?
            .ok_or(ServiceError::NotFound("comment"))?;
        if !comment.is_listed() {
            return Err(ServiceError::NotFound("comment"));
        }
        Ok(comment)
    }

    /// Replaces the text of the author's comment, within the edit window.
    pub async fn edit_comment(
        &self,
        site_id: &SiteId,
        id: CommentId,
        token: &EditToken,
        body: &str,
    ) -> Result<Comment, ServiceError> {
        let before = self.authorized(site_id, id, token, true).await?;
        let body = CommentBody::parse(body, self.limits.comment_chars)?;
        let html = markdown::render(body.as_str());
        let written = self
            .store
            .edit_comment(CommentEdit {
                site_id: site_id.clone(),
                id,
                markdown: body.as_str().to_owned(),
                html,
                at: Timestamp::now(),
            })
            .await?;
        self.versions.bump(site_id, &written.thread.url);
        if before.is_listed() {
            self.announce(site_id, &written, CommentChange::Edited);
        }
        Ok(written.comment)
    }

    /// Deletes the author's comment, within the edit window.
    pub async fn delete_comment(
        &self,
        site_id: &SiteId,
        id: CommentId,
        token: &EditToken,
    ) -> Result<Comment, ServiceError> {
        let before = self.authorized(site_id, id, token, true).await?;
        let written = self.store.delete_comment(site_id, id).await?;
        self.versions.bump(site_id, &written.thread.url);
        if before.is_listed() {
            self.announce(site_id, &written, CommentChange::Deleted);
        }
        Ok(written.comment)
    }

    /// Moves a comment to another status (moderation, tools).
    pub async fn set_status(
        &self,
        site_id: &SiteId,
        id: CommentId,
        status: CommentStatus,
    ) -> Result<Comment, ServiceError> {
        let written = self.store.set_status(site_id, id, status).await?;
        self.versions.bump(site_id, &written.thread.url);
        self.announce(site_id, &written, CommentChange::Status);
        Ok(written.comment)
    }

    /// Records a guest's vote; `voter_id` is the id the browser keeps.
    pub async fn vote(
        &self,
        site_id: &SiteId,
        id: CommentId,
        voter_id: &str,
        value: i64,
    ) -> Result<VoteTally, ServiceError> {
        let site = self.sites.get(site_id).await?;
        let value = VoteValue::parse(value)?;
        let voter = VoterKey::guest(&site.voter_secret, voter_id)?;
        let voted = self
            .store
            .vote(Vote {
                site_id: site.id.clone(),
                comment_id: id,
                voter,
                value,
                at: Timestamp::now(),
            })
            .await?;
        self.versions.bump(&site.id, &voted.thread.url);
        self.events.publish(
            site.id.clone(),
            voted.thread.url,
            Change::Vote {
                id,
                up: voted.tally.upvotes,
                down: voted.tally.downvotes,
            },
        );
        Ok(voted.tally)
    }

    /// Approved-comment counts for up to `limits.counts_urls` pages. Pages
    /// without comments count 0. Each entry carries the thread version it was
    /// read under, so a caller may cache the answer until one of them moves.
    pub async fn counts(
        &self,
        site_id: &SiteId,
        raw_urls: &[String],
    ) -> Result<Counts, ServiceError> {
        let site = self.sites.get(site_id).await?;
        if raw_urls.len() > self.limits.counts_urls {
            return Err(FieldError::new(
                "url",
                format!("at most {} URLs per request", self.limits.counts_urls),
            )
            .into());
        }
        let mut entries: Vec<CountEntry> = Vec::with_capacity(raw_urls.len());
        for (i, raw) in raw_urls.iter().enumerate() {
            let url = site
                .page_url(raw, self.limits.url_bytes)
                .map_err(|e| FieldError::new(format!("url[{i}]"), e.message))?;
            // The version is read before the count: a write after it bumps it.
            let version = self.versions.get(&site.id, &url);
            entries.push(CountEntry {
                raw: raw.clone(),
                url,
                version,
                count: None,
            });
        }
        let mut urls: Vec<PageUrl> = entries.iter().map(|e| e.url.clone()).collect();
        urls.sort();
        urls.dedup();
        let found: HashMap<PageUrl, i64> = self
            .store
            .counts(&site.id, &urls)
            .await?
            .into_iter()
            .collect();
        for e in &mut entries {
            e.count = Some(found.get(&e.url).copied().unwrap_or(0));
        }
        Ok(Counts { site, entries })
    }
}
