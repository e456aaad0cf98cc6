//! What can go wrong in a use case, in terms a client can act on.

use rostra_core::FieldError;
use rostra_store::StoreError;

/// A use case's failure. The web layer maps each variant to one HTTP status.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// A field did not parse or does not fit (422).
    #[error(transparent)]
    Invalid(#[from] FieldError),
    /// The thing asked for does not exist (404).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The caller has not proved who they are, or failed to (401).
    #[error("{0}")]
    Unauthenticated(String),
    /// The caller may not do this (403); `code` names why.
    #[error("{message}")]
    Forbidden {
        /// Machine-readable reason.
        code: &'static str,
        /// Human-readable reason.
        message: String,
    },
    /// The request conflicts with the current state (409).
    #[error("{0}")]
    Conflict(String),
    /// The comment may break the site's guidelines (422): nothing was
    /// stored; the author may edit it or post it anyway, for review.
    #[error("{message}")]
    Nudge {
        /// In words, for the author.
        message: String,
        /// What the policy found.
        assessment: rostra_core::Assessment,
    },
    /// Something broke inside (500); the cause is logged, not shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => Self::NotFound(what),
            StoreError::Conflict(m) => Self::Conflict(m),
            StoreError::Invalid(f) => Self::Invalid(f),
            StoreError::Backend(m) => Self::Internal(m),
        }
    }
}
