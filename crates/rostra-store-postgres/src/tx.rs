//! Running a write as one transaction.
//!
//! PostgreSQL has no single writer: any number of transactions, from any
//! number of Rostra nodes, run at once at `READ COMMITTED`. Each write takes
//! the row locks it needs in one global order (comments from the deepest up
//! their chain of parents, the thread's counter last), so writes of the
//! crate's own do not deadlock; should PostgreSQL still abort one as a
//! deadlock or a serialization failure (a batch that locks rows in an
//! arbitrary order), the whole transaction has rolled back and is run again.

use crate::error::Result;
use futures::future::BoxFuture;
use rostra_store::{StoreError, StoreResult};
use sqlx::{PgConnection, PgPool};
use std::time::Duration;

/// How often a transaction is tried before its failure is reported.
const ATTEMPTS: u32 = 5;

/// Runs `op` in a transaction of its own on a connection of `pool` and
/// commits; rolls back if it fails. A transaction PostgreSQL aborted because
/// of a concurrent one is run again, up to [`ATTEMPTS`] times in all.
pub async fn write<T, F>(pool: &PgPool, mut op: F) -> StoreResult<T>
where
    F: for<'c> FnMut(&'c mut PgConnection) -> BoxFuture<'c, Result<T>>,
{
    let mut attempt = 1;
    loop {
        let outcome: Result<T> = async {
            let mut tx = pool.begin().await?;
            let value = op(&mut tx).await?;
            tx.commit().await?;
            Ok(value)
        }
        .await;
        match outcome {
            Err(e) if e.is_retryable() && attempt < ATTEMPTS => {
                tracing::debug!(error = %e, attempt, "transaction aborted by a concurrent one; retrying");
                tokio::time::sleep(Duration::from_millis(u64::from(attempt) * 5)).await;
                attempt += 1;
            }
            other => return other.map_err(StoreError::from),
        }
    }
}
