//! Moderators and owners: their accounts, how they prove who they are
//! (a password for a login session, or an API token), and what they may do
//! on which site.
//!
//! Passwords are stored as argon2id hashes; sessions and tokens as the
//! SHA-256 of 256 random bits, so a copy of the database logs nobody in.

use crate::{Service, ServiceError};
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rostra_core::{EditToken, Role, SiteId, Timestamp, UserId, UserName};
use rostra_store::{CredentialKind, Membership, NewCredential, NewUser};
use std::sync::OnceLock;

/// How long a login session lasts.
pub const SESSION_SECS: i64 = 7 * 24 * 3600;

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Who is asking: a signed-in user, with their roles.
#[derive(Debug, Clone, PartialEq)]
pub struct Principal {
    /// Their id.
    pub user_id: UserId,
    /// Their login name.
    pub name: String,
    /// Their roles, by site.
    pub memberships: Vec<Membership>,
    /// Whether they came with a session cookie or an API token.
    pub via: CredentialKind,
}

impl Principal {
    /// Their role on `site`, if any.
    pub fn role_on(&self, site: &SiteId) -> Option<Role> {
        self.memberships
            .iter()
            .find(|m| &m.site_id == site)
            .map(|m| m.role)
    }
}

/// A new login session: the secret for the cookie, once.
#[derive(Debug)]
pub struct Session {
    /// The cookie's value; only its hash is stored.
    pub secret: EditToken,
    /// Who signed in.
    pub principal: Principal,
    /// When it ends.
    pub expires_at: Timestamp,
}

/// A user created from the command line.
#[derive(Debug)]
pub struct CreatedUser {
    /// Their id.
    pub id: UserId,
    /// Their name.
    pub name: String,
    /// The password generated for them, when none was given (shown once).
    pub generated_password: Option<String>,
    /// Whether the account already existed (only the role was set).
    pub existed: bool,
}

fn argon2() -> Argon2<'static> {
    Argon2::default()
}

/// The argon2id hash of `password`, as a PHC string.
pub fn hash_password(password: &str) -> Result<String, ServiceError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ServiceError::Internal(format!("hashing a password: {e}")))
}

/// Whether `password` matches the stored hash; a hash that does not parse
/// matches nothing.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to check passwords against when the name is unknown, so that a
/// wrong name costs as long as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password, never valid").unwrap_or_default())
}

fn unauthenticated() -> ServiceError {
    ServiceError::Unauthenticated("the name or password is wrong".into())
}

/// A password of 20 random URL-safe characters.
pub fn generate_password() -> String {
    EditToken::generate().as_str().chars().take(20).collect()
}

impl Service {
    /// Creates a user (or finds the existing one) and gives them `role` on
    /// `site`. A new user without a password gets a generated one, returned
    /// once; one with an e-mail address hears of held comments.
    pub async fn add_user(
        &self,
        name: &str,
        password: Option<&str>,
        email: Option<&str>,
        site: &SiteId,
        role: Role,
    ) -> Result<CreatedUser, ServiceError> {
        let name = UserName::parse(name)?;
        let email = email
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(rostra_core::Email::parse)
            .transpose()?
            .map(|e| e.as_str().to_string());
        self.sites.get(site).await?;
        let (user, generated, existed) = match self.store.user_by_name(name.as_str()).await? {
            Some(user) => (user, None, true),
            None => {
                let generated = password.is_none().then(generate_password);
                let password = password.or(generated.as_deref()).unwrap_or_default();
                if password.chars().count() < MIN_PASSWORD_CHARS {
                    return Err(rostra_core::FieldError::new(
                        "password",
                        format!("a password is at least {MIN_PASSWORD_CHARS} characters"),
                    )
                    .into());
                }
                let password_hash = blocking_hash(password.to_owned()).await?;
                let user = self
                    .store
                    .create_user(NewUser {
                        name,
                        password_hash,
                        created_at: Timestamp::now(),
                        email,
                    })
                    .await?;
                (user, generated, false)
            }
        };
        self.store.set_role(user.id, site, role).await?;
        self.record(
            site,
            None,
            "set_role",
            format!("user:{}", user.name),
            Some(role.as_str()),
        )
        .await?;
        Ok(CreatedUser {
            id: user.id,
            name: user.name,
            generated_password: generated,
            existed,
        })
    }

    /// Every user with their roles.
    pub async fn users(&self) -> Result<Vec<(rostra_store::User, Vec<Membership>)>, ServiceError> {
        let mut out = Vec::new();
        for user in self.store.users().await? {
            let roles = self.store.memberships(user.id).await?;
            out.push((user, roles));
        }
        Ok(out)
    }

    /// A new API token for the user: the secret, shown once.
    pub async fn create_token(
        &self,
        name: &str,
        label: Option<&str>,
    ) -> Result<EditToken, ServiceError> {
        let name = UserName::parse(name)?;
        let user = self
            .store
            .user_by_name(name.as_str())
            .await?
            .ok_or(ServiceError::NotFound("user"))?;
        let secret = EditToken::generate();
        self.store
            .create_credential(NewCredential {
                hash: secret.hash().0,
                user_id: user.id,
                kind: CredentialKind::Token,
                label: label.map(str::to_owned),
                created_at: Timestamp::now(),
                expires_at: None,
            })
            .await?;
        Ok(secret)
    }

    /// Checks a name and password and opens a session. A wrong name and a
    /// wrong password fail alike, and take as long.
    pub async fn login(&self, name: &str, password: &str) -> Result<Session, ServiceError> {
        let user = match UserName::parse(name) {
            Ok(name) => self.store.user_by_name(name.as_str()).await?,
            Err(_) => None,
        };
        let hash = user
            .as_ref()
            .map_or_else(|| decoy_hash().to_owned(), |u| u.password_hash.clone());
        let password = password.to_owned();
        let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
            .await
            .map_err(|e| ServiceError::Internal(e.to_string()))?;
        let Some(user) = user.filter(|_| matches) else {
            return Err(unauthenticated());
        };
        let secret = EditToken::generate();
        let now = Timestamp::now();
        let expires_at = now.plus_secs(SESSION_SECS);
        self.store
            .create_credential(NewCredential {
                hash: secret.hash().0,
                user_id: user.id,
                kind: CredentialKind::Session,
                label: None,
                created_at: now,
                expires_at: Some(expires_at),
            })
            .await?;
        let memberships = self.store.memberships(user.id).await?;
        Ok(Session {
            secret,
            principal: Principal {
                user_id: user.id,
                name: user.name,
                memberships,
                via: CredentialKind::Session,
            },
            expires_at,
        })
    }

    /// Ends a session (or revokes a token): the secret no longer works.
    pub async fn logout(&self, secret: &str) -> Result<(), ServiceError> {
        let hash = EditToken::presented(secret).hash().0;
        Ok(self.store.delete_credential(hash).await?)
    }

    /// Who holds this session cookie or API token; `Unauthenticated` if it
    /// is unknown or expired.
    pub async fn authenticate(&self, secret: &str) -> Result<Principal, ServiceError> {
        let hash = EditToken::presented(secret).hash().0;
        let Some((user, via)) = self.store.credential(hash, Timestamp::now()).await? else {
            return Err(ServiceError::Unauthenticated(
                "the session has ended or the token is not valid; sign in again".into(),
            ));
        };
        let memberships = self.store.memberships(user.id).await?;
        Ok(Principal {
            user_id: user.id,
            name: user.name,
            memberships,
            via,
        })
    }

    /// Whether `principal` may act as `needed` on `site`: `Forbidden` if
    /// they are not a member with that role (or one that covers it).
    pub fn authorize(
        &self,
        principal: &Principal,
        site: &SiteId,
        needed: Role,
    ) -> Result<Role, ServiceError> {
        match principal.role_on(site) {
            Some(role) if role.covers(needed) => Ok(role),
            _ => Err(ServiceError::Forbidden {
                code: "not_a_moderator",
                message: format!("you are not a {} of site {site}", needed.as_str()),
            }),
        }
    }
}

async fn blocking_hash(password: String) -> Result<String, ServiceError> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))?
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_hash() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batterz", &hash));
        assert!(!verify_password("anything", "not a hash"));
        assert!(!verify_password("decoy", decoy_hash()));
    }

    #[test]
    fn principals_are_authorized_per_site() {
        let demo = SiteId::parse("demo").unwrap();
        let other = SiteId::parse("other").unwrap();
        let p = Principal {
            user_id: UserId(1),
            name: "alice".into(),
            memberships: vec![Membership {
                site_id: demo.clone(),
                role: Role::Moderator,
            }],
            via: CredentialKind::Token,
        };
        assert_eq!(p.role_on(&demo), Some(Role::Moderator));
        assert_eq!(p.role_on(&other), None);
        assert!(generate_password().len() >= MIN_PASSWORD_CHARS);
    }
}
