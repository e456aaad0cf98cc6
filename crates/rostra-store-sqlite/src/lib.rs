//! Rostra's embedded SQLite backend.
//!
//! One database file in WAL mode with `synchronous = FULL`: a write is
//! acknowledged only once its commit is on disk, and survives `kill -9` or a
//! power cut. Writes go through one writer task that commits them in groups
//! (see [`writer`]); reads run on a small pool of connections alongside it.

mod batch;
mod campaigns;
mod direct;
mod dump;
mod history;
mod moderation;
mod outbox;
mod reads;
mod restore;
mod rows;
mod writer;
mod writes;

/// A migrated store in a scratch directory (kept while the directory
/// lives), for the tests that read plans.
#[cfg(test)]
#[allow(clippy::unwrap_used)]
async fn scratch_store() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("rostra.db"), &SqliteOptions::default())
        .await
        .unwrap();
    (dir, store)
}

/// The steps of SQLite's plan for `sql` (`EXPLAIN QUERY PLAN`), for the
/// tests that check a statement reads an index rather than a table.
#[cfg(test)]
#[allow(clippy::unwrap_used)]
async fn query_plan(pool: &sqlx::SqlitePool, sql: &str) -> Vec<String> {
    use sqlx::Row;
    let rows = sqlx::query(&format!("EXPLAIN QUERY PLAN {sql}"))
        .fetch_all(pool)
        .await
        .unwrap();
    rows.iter().map(|r| r.get::<String, _>(3)).collect()
}

use async_trait::async_trait;
use campaigns::{CampDone, CampOp};
use direct::Direct;
use moderation::{ModDone, ModOp};
use outbox::{MailDone, MailOp};
use rostra_core::campaign::Totals;
use rostra_core::{Campaign, CampaignSlug, CampaignSpec};
use rostra_core::{
    Comment, CommentId, CommentStatus, NewComment, NewSite, PageUrl, Reason, Role, Seek, Site,
    SiteId, Sort, ThreadId, Timestamp, UserId,
};
use rostra_store::outbox::{
    ConfirmRequest, DigestItem, Job as OutboxJob, NewJob, NewSubscription, NewWebhook, OutboxTally,
    Settle, Subscriber, Subscription, Webhook,
};
use rostra_store::rate::MemoryRates;
use rostra_store::{
    AuditEntry, Ban, BanQuery, CampaignRows, CommentEdit, CommentRow, Credential, CredentialKind,
    History, HistoryQuery, Membership, ModerationRows, NewAudit, NewBan, NewCampaign,
    NewCredential, NewDonation, NewReport, NewUser, QueueItem, QueueQuery, RateDecision,
    RatePolicy, Recorded, Reported, Restore, Revoke, Secret, Store, StoreError, StoreResult, Tally,
    Thread, User, Vote, VoteRow, Voted, Written,
};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, SqliteConnection, SqlitePool};
use std::path::Path;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use writer::{Done, Job, Op};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// How to open the database.
#[derive(Debug, Clone)]
pub struct SqliteOptions {
    /// Read connections.
    pub readers: u32,
    /// Page cache per connection, in KiB.
    pub cache_kib: u32,
    /// How long a connection waits on a lock held by another process.
    pub busy_timeout: Duration,
}

impl Default for SqliteOptions {
    fn default() -> Self {
        Self {
            readers: 2,
            cache_kib: 2048,
            busy_timeout: Duration::from_secs(5),
        }
    }
}

/// The SQLite store.
pub struct SqliteStore {
    readers: SqlitePool,
    writer: mpsc::Sender<Job>,
    /// Rate limits: only one node uses an SQLite database, so they live in
    /// its memory and never touch the file.
    rates: MemoryRates,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and applies pending
    /// migrations.
    pub async fn open(path: &Path, options: &SqliteOptions) -> Result<Self, StoreError> {
        let backend = |e: sqlx::Error| StoreError::Backend(e.to_string());
        let connect = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(options.busy_timeout)
            .foreign_keys(true)
            .pragma("cache_size", format!("-{}", options.cache_kib))
            .pragma("temp_store", "memory")
            .log_statements(tracing::log::LevelFilter::Trace);
        let mut conn = SqliteConnection::connect_with(&connect)
            .await
            .map_err(backend)?;
        MIGRATOR
            .run(&mut conn)
            .await
            .map_err(|e| StoreError::Backend(format!("migrating: {e}")))?;
        let readers = SqlitePoolOptions::new()
            .max_connections(options.readers.max(1))
            .min_connections(1)
            .connect_with(connect)
            .await
            .map_err(backend)?;
        // Opened after the migrations, which it relies on.
        let direct = Direct::open(path, options)?;
        let (tx, rx) = mpsc::channel(4096);
        // The writer gets a thread of its own: see `writer`.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| StoreError::Backend(format!("starting the writer: {e}")))?;
        std::thread::Builder::new()
            .name("rostra-writer".into())
            .spawn(move || runtime.block_on(writer::run(conn, direct, rx)))
            .map_err(|e| StoreError::Backend(format!("starting the writer: {e}")))?;
        Ok(Self {
            readers,
            writer: tx,
            rates: MemoryRates::default(),
        })
    }

    async fn write(&self, op: Op) -> StoreResult<Done> {
        self.send(|reply| Job::Other(op, reply)).await
    }

    /// Hands the writer a job and waits for its outcome.
    async fn send<T>(
        &self,
        job: impl FnOnce(oneshot::Sender<StoreResult<T>>) -> Job,
    ) -> StoreResult<T> {
        let (reply, answer) = oneshot::channel();
        self.writer
            .send(job(reply))
            .await
            .map_err(|_| StoreError::Backend("the writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| StoreError::Backend("the writer dropped a job".into()))?
    }

    async fn moderate(&self, op: ModOp) -> StoreResult<ModDone> {
        match self.write(Op::Mod(op)).await? {
            Done::Mod(done) => Ok(done),
            _ => Err(unexpected()),
        }
    }

    async fn mail(&self, op: MailOp) -> StoreResult<MailDone> {
        match self.write(Op::Mail(op)).await? {
            Done::Mail(done) => Ok(done),
            _ => Err(unexpected()),
        }
    }

    async fn campaign_write(&self, op: CampOp) -> StoreResult<CampDone> {
        match self.write(Op::Campaign(op)).await? {
            Done::Campaign(done) => Ok(done),
            _ => Err(unexpected()),
        }
    }

    /// Closes the read pool; the writer stops once the store is dropped.
    pub async fn close(&self) {
        self.readers.close().await;
    }
}

fn unexpected() -> StoreError {
    StoreError::Backend("the writer answered with the wrong kind of result".into())
}

#[async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1")
            .execute(&self.readers)
            .await
            .map(|_| ())
            .map_err(rows::backend)
    }

    async fn secret(&self, name: &str, fresh: Vec<u8>) -> StoreResult<Vec<u8>> {
        match self.write(Op::Secret(name.to_owned(), fresh)).await? {
            Done::Bytes(b) => Ok(b),
            _ => Err(unexpected()),
        }
    }

    async fn create_site(&self, site: NewSite) -> StoreResult<Site> {
        match self.write(Op::CreateSite(site)).await? {
            Done::Site(s) => Ok(s),
            _ => Err(unexpected()),
        }
    }

    async fn update_site(&self, site: Site) -> StoreResult<Site> {
        match self.write(Op::UpdateSite(site)).await? {
            Done::Site(s) => Ok(s),
            _ => Err(unexpected()),
        }
    }

    async fn site(&self, id: &SiteId) -> StoreResult<Option<Site>> {
        reads::site(&self.readers, id).await
    }

    async fn sites(&self) -> StoreResult<Vec<Site>> {
        reads::sites(&self.readers).await
    }

    async fn thread(&self, site: &SiteId, url: &PageUrl) -> StoreResult<Option<Thread>> {
        reads::thread(&self.readers, site, url).await
    }

    async fn thread_by_id(&self, id: ThreadId) -> StoreResult<Option<Thread>> {
        reads::thread_by_id(&self.readers, id).await
    }

    async fn counts(&self, site: &SiteId, urls: &[PageUrl]) -> StoreResult<Vec<(PageUrl, i64)>> {
        reads::counts(&self.readers, site, urls).await
    }

    async fn posting_history(&self, site: &SiteId, query: &HistoryQuery) -> StoreResult<History> {
        history::posting_history(&self.readers, site, query).await
    }

    async fn insert_comment(&self, comment: NewComment) -> StoreResult<Written> {
        self.send(|reply| Job::Comment(comment, reply)).await
    }

    async fn insert_batch(&self, comments: Vec<NewComment>) -> StoreResult<Vec<CommentId>> {
        match self.write(Op::InsertBatch(comments)).await? {
            Done::Ids(ids) => Ok(ids),
            _ => Err(unexpected()),
        }
    }

    async fn comment(&self, site: &SiteId, id: CommentId) -> StoreResult<Option<Comment>> {
        reads::comment(&self.readers, site, id).await
    }

    async fn edit_comment(&self, edit: CommentEdit) -> StoreResult<Written> {
        match self.write(Op::Edit(edit)).await? {
            Done::Written(w) => Ok(w),
            _ => Err(unexpected()),
        }
    }

    async fn delete_comment(&self, site: &SiteId, id: CommentId) -> StoreResult<Written> {
        match self.write(Op::Delete(site.clone(), id)).await? {
            Done::Written(w) => Ok(w),
            _ => Err(unexpected()),
        }
    }

    async fn set_status(
        &self,
        site: &SiteId,
        id: CommentId,
        status: CommentStatus,
    ) -> StoreResult<Written> {
        match self.write(Op::SetStatus(site.clone(), id, status)).await? {
            Done::Written(w) => Ok(w),
            _ => Err(unexpected()),
        }
    }

    async fn vote(&self, vote: Vote) -> StoreResult<Voted> {
        match self.write(Op::Vote(vote)).await? {
            Done::Voted(v) => Ok(v),
            _ => Err(unexpected()),
        }
    }

    async fn vote_batch(&self, votes: Vec<Vote>) -> StoreResult<()> {
        match self.write(Op::VoteBatch(votes)).await? {
            Done::Nothing => Ok(()),
            _ => Err(unexpected()),
        }
    }

    async fn top_level(
        &self,
        thread: ThreadId,
        sort: Sort,
        seek: Seek,
        limit: u32,
    ) -> StoreResult<Vec<Comment>> {
        reads::top_level(&self.readers, thread, sort, seek, limit).await
    }

    async fn replies(&self, roots: &[CommentId]) -> StoreResult<Vec<Comment>> {
        reads::replies(&self.readers, roots).await
    }

    async fn take_rate(
        &self,
        key: &str,
        now: Timestamp,
        policy: RatePolicy,
    ) -> StoreResult<RateDecision> {
        Ok(self.rates.take(key, now, policy))
    }

    async fn forget_rates(&self, now: Timestamp) -> StoreResult<u64> {
        Ok(self.rates.forget(now))
    }

    async fn tally(&self, site: Option<&SiteId>) -> StoreResult<Tally> {
        dump::tally(&self.readers, site).await
    }

    async fn dump_secrets(&self) -> StoreResult<Vec<Secret>> {
        dump::secrets(&self.readers).await
    }

    async fn dump_threads(
        &self,
        site: Option<&SiteId>,
        after: Option<ThreadId>,
        limit: u32,
    ) -> StoreResult<Vec<Thread>> {
        dump::threads(&self.readers, site, after, limit).await
    }

    async fn dump_comments(
        &self,
        site: Option<&SiteId>,
        after: Option<CommentId>,
        limit: u32,
    ) -> StoreResult<Vec<CommentRow>> {
        dump::comments(&self.readers, site, after, limit).await
    }

    async fn dump_votes(
        &self,
        site: Option<&SiteId>,
        after: Option<CommentId>,
        limit: u32,
    ) -> StoreResult<Vec<VoteRow>> {
        dump::votes(&self.readers, site, after, limit).await
    }

    async fn dump_moderation(&self, site: Option<&SiteId>) -> StoreResult<ModerationRows> {
        moderation::dump(&self.readers, site).await
    }

    async fn dump_mail(&self, site: Option<&SiteId>) -> StoreResult<rostra_store::MailRows> {
        outbox::copy::dump(&self.readers, site).await
    }

    async fn restore(&self, rows: Restore) -> StoreResult<()> {
        match self.write(Op::Restore(rows)).await? {
            Done::Nothing => Ok(()),
            _ => Err(unexpected()),
        }
    }

    async fn create_user(&self, user: NewUser) -> StoreResult<User> {
        match self.moderate(ModOp::CreateUser(user)).await? {
            ModDone::User(u) => Ok(u),
            _ => Err(unexpected()),
        }
    }

    async fn user_by_name(&self, name: &str) -> StoreResult<Option<User>> {
        moderation::user_by_name(&self.readers, name).await
    }

    async fn users(&self) -> StoreResult<Vec<User>> {
        moderation::users(&self.readers).await
    }

    async fn set_role(&self, user: UserId, site: &SiteId, role: Role) -> StoreResult<()> {
        self.moderate(ModOp::SetRole(user, site.clone(), role))
            .await
            .map(|_| ())
    }

    async fn memberships(&self, user: UserId) -> StoreResult<Vec<Membership>> {
        moderation::memberships(&self.readers, user).await
    }

    async fn create_credential(&self, credential: NewCredential) -> StoreResult<()> {
        self.moderate(ModOp::CreateCredential(credential))
            .await
            .map(|_| ())
    }

    async fn credential(
        &self,
        hash: [u8; 32],
        now: Timestamp,
    ) -> StoreResult<Option<(User, CredentialKind)>> {
        moderation::credential(&self.readers, hash, now).await
    }

    async fn delete_credential(&self, hash: [u8; 32]) -> StoreResult<()> {
        self.moderate(ModOp::DeleteCredential(hash))
            .await
            .map(|_| ())
    }

    async fn credentials(&self, user: UserId, now: Timestamp) -> StoreResult<Vec<Credential>> {
        moderation::credentials(&self.readers, user, now).await
    }

    async fn revoke_credentials(&self, user: UserId, which: Revoke) -> StoreResult<u64> {
        match self.moderate(ModOp::RevokeCredentials(user, which)).await? {
            ModDone::Count(n) => Ok(n),
            _ => Err(unexpected()),
        }
    }

    async fn remove_role(&self, user: UserId, site: &SiteId) -> StoreResult<bool> {
        match self.moderate(ModOp::RemoveRole(user, site.clone())).await? {
            ModDone::Count(n) => Ok(n > 0),
            _ => Err(unexpected()),
        }
    }

    async fn set_password(&self, user: UserId, password_hash: String) -> StoreResult<()> {
        self.moderate(ModOp::SetPassword(user, password_hash))
            .await
            .map(|_| ())
    }

    async fn report(&self, report: NewReport) -> StoreResult<Reported> {
        match self.moderate(ModOp::Report(report)).await? {
            ModDone::Reported(r) => Ok(r),
            _ => Err(unexpected()),
        }
    }

    async fn resolve_reports(
        &self,
        site: &SiteId,
        id: CommentId,
        at: Timestamp,
    ) -> StoreResult<u64> {
        match self
            .moderate(ModOp::ResolveReports(site.clone(), id, at))
            .await?
        {
            ModDone::Count(n) => Ok(n),
            _ => Err(unexpected()),
        }
    }

    async fn hold_comment(
        &self,
        site: &SiteId,
        id: CommentId,
        reason: Reason,
        audit: NewAudit,
    ) -> StoreResult<Written> {
        let hold = ModOp::Hold(site.clone(), id, reason);
        match self.moderate(ModOp::Audited(Box::new(hold), audit)).await? {
            ModDone::Written(w) => Ok(*w),
            _ => Err(unexpected()),
        }
    }

    async fn moderate_comment(
        &self,
        site: &SiteId,
        id: CommentId,
        status: CommentStatus,
        audit: NewAudit,
    ) -> StoreResult<Written> {
        let decide = ModOp::Moderate(site.clone(), id, status, audit.at);
        match self
            .moderate(ModOp::Audited(Box::new(decide), audit))
            .await?
        {
            ModDone::Written(w) => Ok(*w),
            _ => Err(unexpected()),
        }
    }

    async fn queue(&self, query: QueueQuery) -> StoreResult<Vec<QueueItem>> {
        moderation::queue(&self.readers, &query).await
    }

    async fn create_ban(&self, ban: NewBan) -> StoreResult<Ban> {
        match self.moderate(ModOp::CreateBan(ban)).await? {
            ModDone::Ban(b) => Ok(b),
            _ => Err(unexpected()),
        }
    }

    async fn lift_ban(&self, site: &SiteId, id: i64, audit: NewAudit) -> StoreResult<Ban> {
        let lift = ModOp::LiftBan(site.clone(), id);
        match self.moderate(ModOp::Audited(Box::new(lift), audit)).await? {
            ModDone::Ban(b) => Ok(b),
            _ => Err(unexpected()),
        }
    }

    async fn bans(&self, site: &SiteId) -> StoreResult<Vec<Ban>> {
        moderation::bans(&self.readers, site).await
    }

    async fn ban_for(
        &self,
        site: &SiteId,
        query: &BanQuery,
        now: Timestamp,
    ) -> StoreResult<Option<Ban>> {
        moderation::ban_for(&self.readers, site, query, now).await
    }

    async fn append_audit(&self, entry: NewAudit) -> StoreResult<AuditEntry> {
        match self.moderate(ModOp::AppendAudit(entry)).await? {
            ModDone::Audit(a) => Ok(a),
            _ => Err(unexpected()),
        }
    }

    async fn audit(
        &self,
        site: &SiteId,
        before: Option<i64>,
        limit: u32,
    ) -> StoreResult<Vec<AuditEntry>> {
        moderation::audit(&self.readers, site, before, limit).await
    }

    async fn moderator_emails(&self, site: &SiteId) -> StoreResult<Vec<String>> {
        outbox::moderator_emails(&self.readers, site).await
    }

    async fn subscribe(&self, s: NewSubscription) -> StoreResult<(Subscriber, Subscription)> {
        match self.mail(MailOp::Subscribe(s)).await? {
            MailDone::Subscribed(both) => Ok(*both),
            _ => Err(unexpected()),
        }
    }

    async fn request_confirmation(&self, r: ConfirmRequest) -> StoreResult<bool> {
        match self.mail(MailOp::RequestConfirmation(r)).await? {
            MailDone::Flag(sent) => Ok(sent),
            _ => Err(unexpected()),
        }
    }

    async fn confirm_subscriber(
        &self,
        site: &SiteId,
        id: i64,
        at: Timestamp,
    ) -> StoreResult<Subscriber> {
        match self.mail(MailOp::Confirm(site.clone(), id, at)).await? {
            MailDone::Subscriber(s) => Ok(s),
            _ => Err(unexpected()),
        }
    }

    async fn subscriber(
        &self,
        site: &SiteId,
        id: Option<i64>,
        email: Option<&str>,
    ) -> StoreResult<Option<Subscriber>> {
        outbox::subscriber_by(&self.readers, site, id, email).await
    }

    async fn subscriptions(&self, subscriber: i64) -> StoreResult<Vec<Subscription>> {
        outbox::subscriptions(&self.readers, subscriber).await
    }

    async fn subscription(&self, id: i64) -> StoreResult<Option<Subscription>> {
        outbox::subscription_by_id(&self.readers, id).await
    }

    async fn page_subscribers(
        &self,
        site: &SiteId,
        url: &PageUrl,
    ) -> StoreResult<Vec<(Subscriber, Subscription)>> {
        outbox::page_subscribers(&self.readers, site, url).await
    }

    async fn unsubscribe(&self, subscriber: i64, one: Option<i64>) -> StoreResult<u64> {
        match self.mail(MailOp::Unsubscribe(subscriber, one)).await? {
            MailDone::Count(n) => Ok(n),
            _ => Err(unexpected()),
        }
    }

    async fn create_webhook(&self, hook: NewWebhook) -> StoreResult<Webhook> {
        match self.mail(MailOp::CreateWebhook(hook)).await? {
            MailDone::Webhook(w) => Ok(w),
            _ => Err(unexpected()),
        }
    }

    async fn webhooks(&self, site: &SiteId) -> StoreResult<Vec<Webhook>> {
        outbox::webhooks(&self.readers, site).await
    }

    async fn delete_webhook(&self, site: &SiteId, id: i64) -> StoreResult<()> {
        self.mail(MailOp::DeleteWebhook(site.clone(), id)).await?;
        Ok(())
    }

    async fn enqueue(&self, jobs: Vec<NewJob>) -> StoreResult<u64> {
        match self.mail(MailOp::Enqueue(jobs)).await? {
            MailDone::Count(n) => Ok(n),
            _ => Err(unexpected()),
        }
    }

    async fn claim_jobs(
        &self,
        worker: &str,
        now: Timestamp,
        until: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<OutboxJob>> {
        match self
            .mail(MailOp::Claim(worker.to_string(), now, until, limit))
            .await?
        {
            MailDone::Jobs(jobs) => Ok(jobs),
            _ => Err(unexpected()),
        }
    }

    async fn settle_job(
        &self,
        id: i64,
        worker: &str,
        now: Timestamp,
        how: Settle,
    ) -> StoreResult<bool> {
        match self
            .mail(MailOp::Settle(id, worker.to_string(), now, how))
            .await?
        {
            MailDone::Flag(owned) => Ok(owned),
            _ => Err(unexpected()),
        }
    }

    async fn digest_items(&self, site: &SiteId, recipient: &str) -> StoreResult<Vec<DigestItem>> {
        outbox::digest_items(&self.readers, site, recipient).await
    }

    async fn outbox_tally(&self, site: Option<&SiteId>) -> StoreResult<OutboxTally> {
        outbox::outbox_tally(&self.readers, site).await
    }

    async fn create_campaign(&self, campaign: NewCampaign) -> StoreResult<Campaign> {
        match self.campaign_write(CampOp::Create(campaign)).await? {
            CampDone::Campaign(c) => Ok(c),
            CampDone::Recorded(_) => Err(unexpected()),
        }
    }

    async fn update_campaign(
        &self,
        site: &SiteId,
        slug: &CampaignSlug,
        spec: CampaignSpec,
    ) -> StoreResult<Campaign> {
        let op = CampOp::Update(site.clone(), slug.clone(), spec);
        match self.campaign_write(op).await? {
            CampDone::Campaign(c) => Ok(c),
            CampDone::Recorded(_) => Err(unexpected()),
        }
    }

    async fn campaign(&self, site: &SiteId, slug: &CampaignSlug) -> StoreResult<Option<Campaign>> {
        campaigns::get(&self.readers, site, slug).await
    }

    async fn campaigns(&self, site: &SiteId) -> StoreResult<Vec<Campaign>> {
        campaigns::list(&self.readers, Some(site)).await
    }

    async fn campaign_totals(&self, campaign: &Campaign) -> StoreResult<Totals> {
        campaigns::totals_of(&self.readers, campaign).await
    }

    async fn record_donation(&self, donation: NewDonation) -> StoreResult<Recorded> {
        match self.campaign_write(CampOp::Donate(donation)).await? {
            CampDone::Recorded(r) => Ok(r),
            CampDone::Campaign(_) => Err(unexpected()),
        }
    }

    async fn dump_campaigns(&self, site: Option<&SiteId>) -> StoreResult<CampaignRows> {
        campaigns::dump(&self.readers, site).await
    }
}
