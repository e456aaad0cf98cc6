//! Rate limits shared by every node on the database (see
//! [`rostra_store::rate`]): one atomic statement per take.

use crate::error::Result;
use rostra_core::Timestamp;
use rostra_store::{RateDecision, RatePolicy};
use sqlx::PgPool;

/// One take. The upsert moves the key's TAT on only where the take is
/// allowed (the `WHERE` of `DO UPDATE` sees the row as the latest committed
/// take left it, under its row lock), so racing takes from any number of
/// nodes are counted one at a time. No row back means refused; the TAT is
/// then read again only to say how long to wait.
pub(crate) async fn take(
    pool: &PgPool,
    key: &str,
    now: Timestamp,
    policy: RatePolicy,
) -> Result<RateDecision> {
    let now_ms = now.millis();
    let taken: Option<i64> = sqlx::query_scalar(
        "INSERT INTO rate_limits (key, tat) VALUES ($1, $2 + $3)
         ON CONFLICT (key) DO UPDATE SET tat = GREATEST(rate_limits.tat, $2) + $3
             WHERE GREATEST(rate_limits.tat, $2) - $2 <= $4
         RETURNING tat",
    )
    .bind(key)
    .bind(now_ms)
    .bind(policy.interval_ms())
    .bind(policy.tolerance_ms())
    .fetch_optional(pool)
    .await?;
    if taken.is_some() {
        return Ok(RateDecision::Allowed);
    }
    let tat: Option<i64> = sqlx::query_scalar("SELECT tat FROM rate_limits WHERE key = $1")
        .bind(key)
        .fetch_optional(pool)
        .await?;
    Ok(match policy.decide(tat, now).0 {
        // Time moved on between the two statements: wait the least.
        RateDecision::Allowed => RateDecision::RetryAfter { millis: 1 },
        refused => refused,
    })
}

/// Deletes the rows no longer limiting anything at `now`.
pub(crate) async fn forget(pool: &PgPool, now: Timestamp) -> Result<u64> {
    let done = sqlx::query("DELETE FROM rate_limits WHERE tat <= $1")
        .bind(now.millis())
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}
