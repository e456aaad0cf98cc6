//! An account's life after it is created: a role taken away when a
//! moderator leaves, a password reset, sessions and tokens listed and
//! revoked. Each takes effect on the next request, on every node: roles and
//! credentials are read from the store on every request, never cached.

use crate::moderators::{generate_password, hash_password, MIN_PASSWORD_CHARS};
use crate::{Service, ServiceError};
use rostra_core::{FieldError, SiteId, Timestamp, UserName};
use rostra_store::{Credential, Revoke, User};

/// How many leading hex digits of a credential's hash name it: enough to be
/// unique among one user's credentials, too few to matter if seen.
pub const CREDENTIAL_ID_HEX: usize = 12;

/// The name `rostra user tokens` shows for a credential.
pub fn credential_id(credential: &Credential) -> String {
    credential.hash[..CREDENTIAL_ID_HEX / 2]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Which of a user's credentials to revoke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revoking {
    /// Every session and token.
    All,
    /// The one whose id (as [`credential_id`] writes it) is this.
    One(String),
}

impl Service {
    async fn user_named(&self, name: &str) -> Result<User, ServiceError> {
        let name = UserName::parse(name)?;
        self.store
            .user_by_name(name.as_str())
            .await?
            .ok_or(ServiceError::NotFound("user"))
    }

    /// Takes `name`'s role on `site` away, and logs it in the site's audit
    /// log as the operator's doing. `NotFound` if they had no role there.
    pub async fn remove_member(&self, name: &str, site: &SiteId) -> Result<(), ServiceError> {
        let user = self.user_named(name).await?;
        if !self.store.remove_role(user.id, site).await? {
            return Err(ServiceError::NotFound("membership"));
        }
        self.record(
            site,
            None,
            "remove_member",
            format!("user:{}", user.name),
            None,
        )
        .await?;
        Ok(())
    }

    /// `name`'s sessions and tokens in force, newest first.
    pub async fn credentials_of(&self, name: &str) -> Result<Vec<Credential>, ServiceError> {
        let user = self.user_named(name).await?;
        Ok(self.store.credentials(user.id, Timestamp::now()).await?)
    }

    /// Revokes `name`'s credentials; returns how many. `NotFound` if the one
    /// named is not theirs.
    pub async fn revoke(&self, name: &str, which: &Revoking) -> Result<u64, ServiceError> {
        let user = self.user_named(name).await?;
        match which {
            Revoking::All => Ok(self.store.revoke_credentials(user.id, Revoke::All).await?),
            Revoking::One(id) => {
                let id = id.trim().to_ascii_lowercase();
                let all = self.store.credentials(user.id, Timestamp::now()).await?;
                let found = all
                    .iter()
                    .find(|c| credential_id(c) == id)
                    .ok_or(ServiceError::NotFound("credential"))?;
                self.store.delete_credential(found.hash).await?;
                Ok(1)
            }
        }
    }

    /// Gives `name` a new password (a generated one, returned once, when
    /// none is given) and ends their login sessions; API tokens stay.
    pub async fn reset_password(
        &self,
        name: &str,
        password: Option<&str>,
    ) -> Result<Option<String>, ServiceError> {
        let user = self.user_named(name).await?;
        let generated = password.is_none().then(generate_password);
        let password = password.or(generated.as_deref()).unwrap_or_default();
        if password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(FieldError::new(
                "password",
                format!("a password is at least {MIN_PASSWORD_CHARS} characters"),
            )
            .into());
        }
        let owned = password.to_owned();
        let hash = tokio::task::spawn_blocking(move || hash_password(&owned))
            .await
            .map_err(|e| ServiceError::Internal(e.to_string()))??;
        self.store.set_password(user.id, hash).await?;
        Ok(generated)
    }
}
