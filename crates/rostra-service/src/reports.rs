//! Readers' reports. Anyone may report a public comment, once per reader;
//! when a comment's open reports reach the site's `report_threshold`, it is
//! held for a moderator: it leaves the listing, the counts and the live
//! streams until someone approves it again.

use crate::events::Change;
use crate::{Service, ServiceError};
use rostra_core::privacy::address_hash;
use rostra_core::{
    CommentId, CommentStatus, FieldError, Reason, ReportReason, SiteId, Timestamp, VoterKey,
};
use rostra_store::feed::CommentChange;
use rostra_store::{NewReport, Reported, StoreError};

/// Longest text a reader may add to a report, in characters.
pub const MAX_REPORT_TEXT: usize = 1000;

/// What a report did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportOutcome {
    /// Whether this reader's report is new.
    pub added: bool,
    /// Whether this report held the comment for a moderator.
    pub held: bool,
}

impl Service {
    /// Records a reader's report on a listed comment. The reader is the id
    /// their browser keeps (as for votes) or, without one, their address
    /// (as a keyed hash).
    pub async fn report_comment(
        &self,
        site_id: &SiteId,
        id: CommentId,
        reader_id: Option<&str>,
        address: Option<&str>,
        reason: &str,
        text: Option<&str>,
    ) -> Result<ReportOutcome, ServiceError> {
        let site = self.sites.get(site_id).await?;
        let reason = ReportReason::parse(reason)?;
        let text = text.map(str::trim).filter(|t| !t.is_empty());
        if text.is_some_and(|t| t.chars().count() > MAX_REPORT_TEXT) {
            return Err(FieldError::new(
                "text",
                format!("a report's text is at most {MAX_REPORT_TEXT} characters"),
            )
            .into());
        }
        let reporter = match (reader_id, address) {
            (Some(r), _) => VoterKey::guest(&site.voter_secret, r)?.as_str().to_owned(),
            (None, Some(a)) => format!("a:{}", address_hash(&self.address_secret, a)),
            (None, None) => return Err(FieldError::new("voter", "say who reports").into()),
        };
        let Reported { added, open } = self
            .store
            .report(NewReport {
                site_id: site.id.clone(),
                comment_id: id,
                reporter,
                reason,
                text: text.map(str::to_owned),
                at: Timestamp::now(),
            })
            .await?;
        let threshold = i64::from(site.settings.report_threshold);
        let held = if added && threshold > 0 && open >= threshold {
            self.hold_for_reports(&site.id, id, open).await?
        } else {
            false
        };
        Ok(ReportOutcome { added, held })
    }

    /// Holds a comment that readers reported, announces that it left the
    /// thread, and logs it in the same transaction; `false` if it was no longer approved (another
    /// report held it first, or a moderator acted).
    async fn hold_for_reports(
        &self,
        site: &SiteId,
        id: CommentId,
        open: i64,
    ) -> Result<bool, ServiceError> {
        let reason = Reason {
            code: "reports".into(),
            detail: format!("{open} readers reported it"),
            terms: vec![],
        };
        let audit = crate::audit::entry(
            site,
            None,
            "hold",
            format!("comment:{id}"),
            Some(&format!("{open} reader reports")),
        );
        let written = match self.store.hold_comment(site, id, reason, audit).await {
            Ok(w) => w,
            Err(StoreError::Conflict(_)) => return Ok(false),
            Err(e) => return Err(e.into()),
        };
        self.versions.bump(site, &written.thread.url);
        self.events.publish(
            site.clone(),
            written.thread.url.clone(),
            Change::Comment {
                id: written.comment.id,
                parent: written.comment.parent_id,
                kind: CommentChange::Status,
                count: written.thread.count,
            },
        );
        debug_assert_eq!(written.comment.status, CommentStatus::Pending);
        Ok(true)
    }
}
