//! The outbox worker: claims due jobs with a lease, does each, settles it.
//! A job that fails is retried with exponential backoff until
//! `give_up_after` has passed since it was enqueued; then it is given up,
//! with its last error recorded. Every node runs one; the store leases each
//! job to one worker at a time.

use super::{MailSettings, Mailer};
use crate::Service;
use rostra_core::Timestamp;
use rostra_store::outbox::{Job, JobKind, Settle};
use std::future::Future;
use std::time::Duration;

/// Jobs claimed at once.
const BATCH: u32 = 16;

/// Why a job failed.
#[derive(Debug)]
pub(super) enum JobError {
    /// Worth trying again (the mail server or the database is away).
    Transient(String),
    /// Never going to work (a malformed payload, an impossible address).
    Permanent(String),
}

impl From<rostra_store::StoreError> for JobError {
    fn from(e: rostra_store::StoreError) -> Self {
        Self::Transient(e.to_string())
    }
}

/// When a job that failed on its `attempts`-th try is tried again, or
/// `None` when it is time to give up.
pub(super) fn next_try(
    settings: &MailSettings,
    created: Timestamp,
    attempts: u32,
    now: Timestamp,
) -> Option<Timestamp> {
    let age = Duration::from_millis(now.0.saturating_sub(created.0).max(0) as u64);
    if age >= settings.give_up_after {
        return None;
    }
    let factor = 1u32 << attempts.saturating_sub(1).min(20);
    let wait = settings
        .retry_base
        .saturating_mul(factor)
        .min(settings.retry_max);
    Some(Timestamp(now.0 + wait.as_millis() as i64))
}

impl Service {
    /// Runs this node's outbox worker until `stop` completes, sending mail
    /// through `mailer`.
    pub async fn run_outbox(&self, mailer: Mailer, stop: impl Future<Output = ()>) {
        let worker = format!(
            "{}-{}",
            std::process::id(),
            hex::encode(&crate::random_bytes()[..6])
        );
        tokio::pin!(stop);
        loop {
            let busy = self.outbox_round(&worker, &mailer).await;
            if busy {
                // More may be due: go on at once, unless asked to stop.
                tokio::select! {
                    biased;
                    _ = &mut stop => return,
                    _ = std::future::ready(()) => continue,
                }
            }
            tokio::select! {
                _ = &mut stop => return,
                _ = self.mail.wake.notified() => {}
                _ = tokio::time::sleep(self.mail.settings.poll) => {}
            }
        }
    }

    /// Claims and does one batch of due jobs; whether there were any.
    async fn outbox_round(&self, worker: &str, mailer: &Mailer) -> bool {
        let now = Timestamp::now();
        let until = Timestamp(now.0 + self.mail.settings.lease.as_millis() as i64);
        let jobs = match self.store.claim_jobs(worker, now, until, BATCH).await {
            Ok(jobs) => jobs,
            Err(e) => {
                tracing::warn!(error = %e, "the outbox could not claim jobs");
                return false;
            }
        };
        let busy = !jobs.is_empty();
        // A job is started only while at least half its lease is left, so
        // that it is settled before the lease runs out and another node may
        // claim it (a slow mail server could otherwise make a batch outlast
        // its lease, and a message go out twice). The rest lapse and are
        // claimed again.
        let half = self.mail.settings.lease.as_millis() as i64 / 2;
        for job in jobs {
            if Timestamp::now().0 > until.0 - half {
                tracing::info!(
                    job = job.id,
                    "half the batch's lease is gone; leaving the rest for later"
                );
                break;
            }
            let how = match self.do_job(&job, mailer).await {
                Ok(how) => how,
                Err(JobError::Permanent(error)) => {
                    tracing::warn!(job = job.id, key = %job.key, %error, "outbox job failed for good");
                    Settle::Failed { error }
                }
                Err(JobError::Transient(error)) => {
                    match next_try(
                        &self.mail.settings,
                        job.created_at,
                        job.attempts,
                        Timestamp::now(),
                    ) {
                        Some(at) => {
                            tracing::info!(job = job.id, key = %job.key, attempts = job.attempts, %error, "outbox job will be retried");
                            Settle::Retry { at, error }
                        }
                        None => {
                            tracing::warn!(job = job.id, key = %job.key, %error, "outbox job given up");
                            Settle::Failed { error }
                        }
                    }
                }
            };
            match self
                .store
                .settle_job(job.id, worker, Timestamp::now(), how)
                .await
            {
                Ok(true) => {}
                Ok(false) => tracing::warn!(
                    job = job.id,
                    "outbox job's lease ran out before it was settled"
                ),
                Err(e) => {
                    tracing::warn!(job = job.id, error = %e, "outbox job could not be settled")
                }
            }
        }
        busy
    }

    async fn do_job(&self, job: &Job, mailer: &Mailer) -> Result<Settle, JobError> {
        match job.kind {
            JobKind::Event => self.fan_out(job).await,
            JobKind::Mail => self.send_mail(job, mailer).await,
            JobKind::Digest => self.send_digest(job, mailer).await,
            JobKind::Webhook => self.deliver(job).await,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_up_to_a_cap_then_give_up() {
        let s = MailSettings {
            retry_base: Duration::from_secs(10),
            retry_max: Duration::from_secs(60),
            give_up_after: Duration::from_secs(3600),
            ..MailSettings::default()
        };
        let t0 = Timestamp(1_000_000);
        let wait =
            |attempts, now: i64| next_try(&s, t0, attempts, Timestamp(now)).map(|t| t.0 - now);
        assert_eq!(wait(1, t0.0), Some(10_000));
        assert_eq!(wait(2, t0.0), Some(20_000));
        assert_eq!(wait(3, t0.0), Some(40_000));
        assert_eq!(wait(4, t0.0), Some(60_000));
        assert_eq!(wait(30, t0.0), Some(60_000));
        assert_eq!(wait(5, t0.0 + 3_600_000), None);
    }
}
