//! Bans per site: an e-mail address, a network address (kept only as its
//! keyed hash) or a display name, for a while or for ever. Moderators create
//! and lift them (audited); the posting policy asks [`Service::ban_for`].

use crate::moderators::Principal;
use crate::queue::reason;
use crate::{Service, ServiceError};
use rostra_core::privacy::address_hash;
use rostra_core::{BanKind, FieldError, Role, SiteId, Timestamp};
use rostra_store::{Ban, BanQuery, NewBan};

/// A ban a moderator asks for, as the request gave it.
#[derive(Debug, Clone, Default)]
pub struct BanInput {
    /// `email`, `address` or `name`.
    pub kind: String,
    /// The e-mail, the name, or an IP address (hashed before it is stored)
    /// or the stored hash of one (a queue item's).
    pub value: String,
    /// How long, in seconds; `None`: for ever.
    pub duration_secs: Option<i64>,
    /// Why.
    pub reason: Option<String>,
}

/// Whether `raw` has the shape of a stored address hash (32 lower-case hex
/// digits).
fn is_address_hash(raw: &str) -> bool {
    raw.len() == 32
        && raw
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl Service {
    /// Bans an author from a site, and logs it.
    pub async fn create_ban(
        &self,
        principal: &Principal,
        site: &SiteId,
        input: BanInput,
    ) -> Result<Ban, ServiceError> {
        self.authorize(principal, site, Role::Moderator)?;
        let kind = BanKind::parse(&input.kind)?;
        let value = kind.normalize(&input.value)?;
        let value = match kind {
            BanKind::Address => match value.parse::<std::net::IpAddr>() {
                Ok(ip) => address_hash(&self.address_secret, &ip.to_string()),
                Err(_) if is_address_hash(&value) => value,
                Err(_) => {
                    return Err(FieldError::new(
                        "value",
                        "an address ban names an IP address or a comment's address_hash",
                    )
                    .into())
                }
            },
            _ => value,
        };
        let now = Timestamp::now();
        let until = match input.duration_secs {
            None => None,
            Some(secs) if secs > 0 && secs <= 100 * 365 * 24 * 3600 => Some(now.plus_secs(secs)),
            Some(_) => return Err(FieldError::new(
                "duration_secs",
                "a ban lasts a positive number of seconds (up to 100 years), or omit it for ever",
            )
            .into()),
        };
        let why = reason(input.reason.as_deref())?;
        let ban = self
            .store
            .create_ban(NewBan {
                site_id: site.clone(),
                kind,
                value,
                until,
                reason: why.map(str::to_owned),
                by: Some(principal.user_id),
                at: now,
            })
            .await?;
        Ok(ban)
    }

    /// Lifts a ban, and logs it.
    pub async fn lift_ban(
        &self,
        principal: &Principal,
        site: &SiteId,
        id: i64,
        why: Option<&str>,
    ) -> Result<Ban, ServiceError> {
        self.authorize(principal, site, Role::Moderator)?;
        let why = reason(why)?;
        let audit = crate::audit::entry(
            site,
            Some(principal.user_id),
            "unban",
            format!("ban:{id}"),
            why,
        );
        Ok(self.store.lift_ban(site, id, audit).await?)
    }

    /// The site's bans, newest first, expired ones included.
    pub async fn list_bans(
        &self,
        principal: &Principal,
        site: &SiteId,
    ) -> Result<Vec<Ban>, ServiceError> {
        self.authorize(principal, site, Role::Moderator)?;
        Ok(self.store.bans(site).await?)
    }

    /// The ban in force on `site` that matches an author, if any: their
    /// e-mail, the keyed hash of their address (as `NewComment::ip_hash`
    /// holds it) or their display name. The posting policy asks the same
    /// (with the same `ban_query`) inside `Store::posting_history`.
    pub async fn ban_for(
        &self,
        site: &SiteId,
        email: Option<&str>,
        ip_hash: Option<&str>,
        name: Option<&str>,
    ) -> Result<Option<Ban>, ServiceError> {
        let query = ban_query(email, ip_hash, name);
        if query.is_empty() {
            return Ok(None);
        }
        Ok(self.store.ban_for(site, &query, Timestamp::now()).await?)
    }
}

/// What a ban of an author would match, normalized as bans are stored.
pub(crate) fn ban_query(
    email: Option<&str>,
    ip_hash: Option<&str>,
    name: Option<&str>,
) -> BanQuery {
    BanQuery {
        email: email.and_then(|e| BanKind::Email.normalize(e).ok()),
        ip_hash: ip_hash.map(str::to_owned),
        name: name.and_then(|n| BanKind::Name.normalize(n).ok()),
    }
}
