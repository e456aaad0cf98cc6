//! Failures inside the backend, and how they become [`StoreError`]s.

use rostra_store::StoreError;

/// A failure while running a read or a write: either a verdict of the store
/// itself (not found, conflict, invalid) or an error from PostgreSQL.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    /// The store's own verdict, passed through as it is.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// PostgreSQL (or the connection to it) failed.
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
}

/// Shorthand inside the crate.
pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;

/// SQLSTATE `serialization_failure`.
const SERIALIZATION_FAILURE: &str = "40001";
/// SQLSTATE `deadlock_detected`.
const DEADLOCK_DETECTED: &str = "40P01";

impl Error {
    /// Whether the transaction failed only because of another one running at
    /// the same time, so that running it again from the start is safe.
    pub(crate) fn is_retryable(&self) -> bool {
        match self {
            Error::Sql(sqlx::Error::Database(d)) => matches!(
                d.code().as_deref(),
                Some(SERIALIZATION_FAILURE | DEADLOCK_DETECTED)
            ),
            _ => false,
        }
    }
}

/// A value read from the database that the domain does not accept.
pub(crate) fn corrupt(e: impl std::fmt::Display) -> Error {
    Error::Store(StoreError::Backend(format!("unreadable row: {e}")))
}

/// What a foreign key points at, named as the store's `NotFound` names it.
fn referenced(constraint: Option<&str>) -> &'static str {
    match constraint {
        Some("threads_site_id_fkey") => "site",
        Some("comments_thread_id_fkey") => "thread",
        Some("comments_parent_id_fkey" | "comments_root_id_fkey" | "votes_comment_id_fkey") => {
            "comment"
        }
        _ => "referenced row",
    }
}

impl From<Error> for StoreError {
    fn from(e: Error) -> Self {
        match e {
            Error::Store(s) => s,
            Error::Sql(sqlx::Error::Database(d)) if d.is_unique_violation() => {
                let what = match d.table() {
                    Some("sites") => "the site already exists",
                    Some("threads") => "the page already has a thread",
                    Some("votes") => "the vote already exists",
                    _ => "the row already exists",
                };
                StoreError::Conflict(what.into())
            }
            Error::Sql(sqlx::Error::Database(d)) if d.is_foreign_key_violation() => {
                StoreError::NotFound(referenced(d.constraint()))
            }
            Error::Sql(e) => StoreError::Backend(e.to_string()),
        }
    }
}
