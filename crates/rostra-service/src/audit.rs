//! The audit log: one entry for every moderator action, never changed. A
//! decision on a comment, a hold and a ban are logged by the store in the
//! same transaction as the change itself (see [`entry`]); the rest (roles
//! given or taken) right after.

use crate::moderators::Principal;
use crate::{Service, ServiceError};
use rostra_core::{Role, SiteId, Timestamp, UserId};
use rostra_store::{AuditEntry, NewAudit};

/// Most entries one read returns.
pub const MAX_AUDIT_PAGE: u32 = 200;

/// An entry for the site's log, stamped now.
pub(crate) fn entry(
    site: &SiteId,
    user: Option<UserId>,
    action: &str,
    target: String,
    reason: Option<&str>,
) -> NewAudit {
    NewAudit {
        site_id: site.clone(),
        user_id: user,
        action: action.to_owned(),
        target,
        reason: reason.map(str::to_owned),
        at: Timestamp::now(),
    }
}

impl Service {
    /// Appends one entry to a site's audit log.
    pub(crate) async fn record(
        &self,
        site: &SiteId,
        user: Option<UserId>,
        action: &str,
        target: String,
        reason: Option<&str>,
    ) -> Result<AuditEntry, ServiceError> {
        Ok(self
            .store
            .append_audit(entry(site, user, action, target, reason))
            .await?)
    }

    /// A page of a site's audit log, newest first, before the entry
    /// `before`; owners and moderators may read it.
    pub async fn audit_log(
        &self,
        principal: &Principal,
        site: &SiteId,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<AuditEntry>, ServiceError> {
        self.authorize(principal, site, Role::Moderator)?;
        Ok(self
            .store
            .audit(site, before, limit.clamp(1, MAX_AUDIT_PAGE))
            .await?)
    }
}
