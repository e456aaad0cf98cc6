//! The moderation queue and what moderators do from it: approve, reject,
//! mark as spam or delete many comments at once. Each change, the closing of
//! the comment's open reports and its audit entry are one transaction
//! ([`rostra_store::Store::moderate_comment`]); then versions are bumped and
//! live readers told.

use crate::events::CommentChange;
use crate::moderators::Principal;
use crate::{Service, ServiceError};
use rostra_core::{
    CommentId, CommentStatus, FieldError, ModAction, QueueFilter, QueueOrder, Role, SiteId,
};
use rostra_store::{QueueItem, QueueQuery};

/// Most comments one queue page holds.
pub const MAX_QUEUE_PAGE: u32 = 100;
/// Most comments one action names.
pub const MAX_ACTION_IDS: usize = 200;
/// Longest reason a moderator may give, in characters.
pub const MAX_REASON_CHARS: usize = 1000;

/// Which comments a queue page lists, and in which order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueSelect {
    /// Held, reported, both, published or refused.
    pub filter: QueueFilter,
    /// Newest or most urgent first.
    pub order: QueueOrder,
    /// Instead of `filter`: every comment of this comment's author on the
    /// site (by e-mail, else address hash), whatever its status.
    pub by: Option<CommentId>,
}

/// One page of the queue.
#[derive(Debug, Clone)]
pub struct QueuePage {
    /// The comments.
    pub items: Vec<QueueItem>,
    /// Where the next page starts, if there is one.
    pub next: Option<u32>,
}

/// What an action did to one comment.
#[derive(Debug, Clone, PartialEq)]
pub enum ActionOutcome {
    /// Moved to this status.
    Done(CommentStatus),
    /// No such comment on this site.
    NotFound,
    /// It failed for another reason (logged).
    Failed(String),
}

/// A moderator's reason, trimmed; empty is none.
pub(crate) fn reason(raw: Option<&str>) -> Result<Option<&str>, FieldError> {
    let r = raw.map(str::trim).filter(|r| !r.is_empty());
    if r.is_some_and(|r| r.chars().count() > MAX_REASON_CHARS) {
        return Err(FieldError::new(
            "reason",
            format!("a reason is at most {MAX_REASON_CHARS} characters"),
        ));
    }
    Ok(r)
}

impl Service {
    /// A page of the site's queue: the comments `select` names.
    pub async fn moderation_queue(
        &self,
        principal: &Principal,
        site: &SiteId,
        select: QueueSelect,
        after: u32,
        limit: u32,
    ) -> Result<QueuePage, ServiceError> {
        self.authorize(principal, site, Role::Moderator)?;
        let limit = limit.clamp(1, MAX_QUEUE_PAGE);
        let mut items = self
            .store
            .queue(QueueQuery {
                site_id: site.clone(),
                filter: select.filter,
                order: select.order,
                offset: after,
                limit: limit + 1,
                by: select.by,
            })
            .await?;
        let next = (items.len() > limit as usize).then(|| after + limit);
        items.truncate(limit as usize);
        Ok(QueuePage { items, next })
    }

    /// Applies `action` to each comment of `ids` on `site`, one at a time:
    /// a comment that fails does not stop the others. Returns each id's
    /// outcome, in order.
    pub async fn moderate(
        &self,
        principal: &Principal,
        site: &SiteId,
        action: ModAction,
        ids: &[i64],
        why: Option<&str>,
    ) -> Result<Vec<(i64, ActionOutcome)>, ServiceError> {
        self.authorize(principal, site, Role::Moderator)?;
        if ids.is_empty() || ids.len() > MAX_ACTION_IDS {
            return Err(
                FieldError::new("ids", format!("name 1 to {MAX_ACTION_IDS} comments")).into(),
            );
        }
        let why = reason(why)?;
        let mut outcomes = Vec::with_capacity(ids.len());
        for &raw in ids {
            let outcome = self.act(principal, site, action, CommentId(raw), why).await;
            let outcome = match outcome {
                Ok(status) => ActionOutcome::Done(status),
                Err(ServiceError::NotFound(_)) => ActionOutcome::NotFound,
                Err(e) => {
                    tracing::error!(error = %e, comment = raw, "moderator action failed");
                    ActionOutcome::Failed("the action failed; try again".into())
                }
            };
            outcomes.push((raw, outcome));
        }
        Ok(outcomes)
    }

    async fn act(
        &self,
        principal: &Principal,
        site: &SiteId,
        action: ModAction,
        id: CommentId,
        why: Option<&str>,
    ) -> Result<CommentStatus, ServiceError> {
        if id.0 <= 0 {
            return Err(ServiceError::NotFound("comment"));
        }
        let audit = crate::audit::entry(
            site,
            Some(principal.user_id),
            action.as_str(),
            format!("comment:{id}"),
            why,
        );
        let written = self
            .store
            .moderate_comment(site, id, action.status(), audit)
            .await?;
        self.versions.bump(site, &written.thread.url);
        self.announce(site, &written, CommentChange::Status);
        Ok(written.comment.status)
    }
}
