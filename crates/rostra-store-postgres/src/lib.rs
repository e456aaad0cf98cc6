//! Rostra's PostgreSQL backend: the same [`Store`] as the SQLite one, for
//! installations that run several Rostra nodes on one database.
//!
//! There is no single writer here: every write is one transaction of its own
//! (see [`tx`]), correct when any number of them run at once — atomic
//! `UPDATE … RETURNING` for counters, `INSERT … ON CONFLICT` for threads,
//! secrets and votes, and row locks taken in one order (see [`comments`] and
//! [`votes`]). Reads are single statements on the pool. Migrations are
//! embedded and forward-only, like SQLite's, and mean the same schema.
//!
//! Several nodes share one database, so each write that changes what a
//! reader sees also announces itself to the other nodes (`NOTIFY`, inside
//! its transaction: see [`notice`]), and [`Store::changes`] hears the
//! others' announcements (see [`feed`]).

mod announce;
mod batch;
mod campaigns;
mod comments;
mod dump;
mod error;
mod feed;
mod history;
mod moderation;
mod notice;
mod outbox;
mod rates;
mod reads;
mod restore;
mod rows;
mod sites;
pub mod testing;
mod tx;
mod votes;

use announce::Announcer;
use async_trait::async_trait;
use moderation::{ModDone, ModOp};
use notice::NodeId;
use outbox::{MailDone, MailOp};
use rostra_core::campaign::Totals;
use rostra_core::{Campaign, CampaignSlug, CampaignSpec};
use rostra_core::{
    Comment, CommentId, CommentStatus, NewComment, NewSite, PageUrl, Reason, Role, Seek, Site,
    SiteId, Sort, ThreadId, Timestamp, UserId,
};
use rostra_store::feed::ChangeFeed;
use rostra_store::outbox::{
    ConfirmRequest, DigestItem, Job as OutboxJob, NewJob, NewSubscription, NewWebhook, OutboxTally,
    Settle, Subscriber, Subscription, Webhook,
};
use rostra_store::{
    AuditEntry, Ban, BanQuery, CampaignRows, CommentEdit, CommentRow, Credential, CredentialKind,
    History, HistoryQuery, Membership, ModerationRows, NewAudit, NewBan, NewCampaign,
    NewCredential, NewDonation, NewReport, NewUser, QueueItem, QueueQuery, RateDecision,
    RatePolicy, Recorded, Reported, Restore, Revoke, Secret, Store, StoreError, StoreResult, Tally,
    Thread, User, Vote, VoteRow, Voted, Written,
};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, PgConnection, PgPool};
use std::str::FromStr;
use std::time::Duration;

pub use notice::channel;
pub use sqlx::postgres::PgSslMode;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// How to connect to the database.
#[derive(Debug, Clone)]
pub struct PostgresOptions {
    /// Connections in the pool, for reads and writes alike.
    pub max_connections: u32,
    /// Longest a statement may run (or wait on a lock) before PostgreSQL
    /// cancels it; zero for no limit.
    pub statement_timeout: Duration,
    /// Longest to wait for a connection, new or pooled; also bounds a
    /// [`Store::ping`], so readiness answers even while the server is away.
    pub connect_timeout: Duration,
    /// TLS to the server; `None` keeps what the URL's `sslmode` says (by
    /// default `prefer`: TLS when the server offers it).
    pub ssl_mode: Option<PgSslMode>,
}

impl Default for PostgresOptions {
    fn default() -> Self {
        Self {
            max_connections: 10,
            statement_timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(5),
            ssl_mode: None,
        }
    }
}

/// The PostgreSQL store.
pub struct PostgresStore {
    pool: PgPool,
    ping_timeout: Duration,
    /// The pool's connection options, for the change feed's connections.
    connect: PgConnectOptions,
    /// This store's id and channel, for its announcements.
    say: Announcer,
}

/// Why the store could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The URL does not parse.
    #[error("the database URL is not valid")]
    Url(#[source] sqlx::Error),
    /// The server did not answer in time.
    #[error("no connection to the database within {0:?}")]
    Timeout(Duration),
    /// The server refused the connection, or it failed.
    #[error("connecting to the database")]
    Connect(#[source] sqlx::Error),
    /// A migration failed.
    #[error("migrating the database")]
    Migrate(#[source] sqlx::migrate::MigrateError),
}

impl PostgresStore {
    /// Connects to the database a `postgres://` URL names and applies pending
    /// migrations (several nodes starting at once take turns: the migrator
    /// holds an advisory lock).
    pub async fn open(url: &str, options: &PostgresOptions) -> Result<Self, OpenError> {
        let mut connect = PgConnectOptions::from_str(url)
            .map_err(OpenError::Url)?
            .log_statements(tracing::log::LevelFilter::Trace);
        if let Some(mode) = options.ssl_mode {
            connect = connect.ssl_mode(mode);
        }
        let within = options.connect_timeout;
        // Migrations run on a connection of their own, without the statement
        // timeout: waiting for another node's migration is not an error.
        let mut conn = tokio::time::timeout(within, PgConnection::connect_with(&connect))
            .await
            .map_err(|_| OpenError::Timeout(within))?
            .map_err(OpenError::Connect)?;
        MIGRATOR.run(&mut conn).await.map_err(OpenError::Migrate)?;
        let _ = conn.close().await;
        let limited = connect.options([(
            "statement_timeout",
            options.statement_timeout.as_millis().to_string(),
        )]);
        let pool = PgPoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .min_connections(0)
            .acquire_timeout(within)
            .connect_with(limited.clone())
            .await
            .map_err(OpenError::Connect)?;
        let schema: Option<String> = sqlx::query_scalar("SELECT current_schema()::text")
            .fetch_one(&pool)
            .await
            .map_err(OpenError::Connect)?;
        Ok(Self {
            pool,
            ping_timeout: within,
            connect: limited,
            say: Announcer {
                node: NodeId::random(),
                channel: notice::channel(schema.as_deref()).into(),
            },
        })
    }

    /// The `application_name` of this store's change-feed connections, as
    /// `pg_stat_activity` shows them (each store has its own).
    pub fn feed_application_name(&self) -> String {
        feed::application_name(self.say.node)
    }

    /// Closes every connection of the pool.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    async fn write<T, F>(&self, op: F) -> StoreResult<T>
    where
        F: for<'c> FnMut(&'c mut PgConnection) -> futures::future::BoxFuture<'c, error::Result<T>>,
    {
        tx::write(&self.pool, op).await
    }

    async fn moderate(&self, op: ModOp) -> StoreResult<ModDone> {
        self.write(|c| Box::pin(moderation::apply(c, self.say.clone(), op.clone())))
            .await
    }

    async fn mail(&self, op: MailOp) -> StoreResult<MailDone> {
        self.write(|c| Box::pin(outbox::apply(c, op.clone()))).await
    }
}

#[async_trait]
impl Store for PostgresStore {
    async fn ping(&self) -> StoreResult<()> {
        let asked = sqlx::query("SELECT 1").execute(&self.pool);
        match tokio::time::timeout(self.ping_timeout, asked).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(StoreError::Backend(e.to_string())),
            Err(_) => Err(StoreError::Backend(format!(
                "the database did not answer within {:?}",
                self.ping_timeout
            ))),
        }
    }

    async fn secret(&self, name: &str, fresh: Vec<u8>) -> StoreResult<Vec<u8>> {
        self.write(|c| Box::pin(sites::secret(c, name.to_owned(), fresh.clone())))
            .await
    }

    async fn create_site(&self, site: NewSite) -> StoreResult<Site> {
        self.write(|c| Box::pin(sites::create_site(c, site.clone())))
            .await
    }

    async fn update_site(&self, site: Site) -> StoreResult<Site> {
        self.write(|c| Box::pin(sites::update_site(c, site.clone())))
            .await
    }

    async fn site(&self, id: &SiteId) -> StoreResult<Option<Site>> {
        Ok(reads::site(&self.pool, id).await?)
    }

    async fn sites(&self) -> StoreResult<Vec<Site>> {
        Ok(reads::sites(&self.pool).await?)
    }

    async fn thread(&self, site: &SiteId, url: &PageUrl) -> StoreResult<Option<Thread>> {
        Ok(reads::thread(&self.pool, site, url).await?)
    }

    async fn thread_by_id(&self, id: ThreadId) -> StoreResult<Option<Thread>> {
        Ok(reads::thread_by_id(&self.pool, id).await?)
    }

    async fn counts(&self, site: &SiteId, urls: &[PageUrl]) -> StoreResult<Vec<(PageUrl, i64)>> {
        Ok(reads::counts(&self.pool, site, urls).await?)
    }

    async fn posting_history(&self, site: &SiteId, query: &HistoryQuery) -> StoreResult<History> {
        Ok(history::posting_history(&self.pool, site, query).await?)
    }

    async fn insert_comment(&self, comment: NewComment) -> StoreResult<Written> {
        self.write(|c| {
            Box::pin(announce::insert_comment(
                c,
                self.say.clone(),
                comment.clone(),
            ))
        })
        .await
    }

    async fn insert_batch(&self, batch: Vec<NewComment>) -> StoreResult<Vec<CommentId>> {
        self.write(|c| Box::pin(announce::insert_batch(c, self.say.clone(), batch.clone())))
            .await
    }

    async fn comment(&self, site: &SiteId, id: CommentId) -> StoreResult<Option<Comment>> {
        Ok(reads::comment(&self.pool, site, id).await?)
    }

    async fn edit_comment(&self, edit: CommentEdit) -> StoreResult<Written> {
        self.write(|c| Box::pin(announce::edit_comment(c, self.say.clone(), edit.clone())))
            .await
    }

    async fn delete_comment(&self, site: &SiteId, id: CommentId) -> StoreResult<Written> {
        self.write(|c| {
            Box::pin(announce::delete_comment(
                c,
                self.say.clone(),
                site.clone(),
                id,
            ))
        })
        .await
    }

    async fn set_status(
        &self,
        site: &SiteId,
        id: CommentId,
        status: CommentStatus,
    ) -> StoreResult<Written> {
        self.write(|c| {
            Box::pin(announce::set_status(
                c,
                self.say.clone(),
                site.clone(),
                id,
                status,
            ))
        })
        .await
    }

    async fn vote(&self, vote: Vote) -> StoreResult<Voted> {
        self.write(|c| Box::pin(announce::vote(c, self.say.clone(), vote.clone())))
            .await
    }

    async fn vote_batch(&self, batch: Vec<Vote>) -> StoreResult<()> {
        self.write(|c| Box::pin(announce::vote_batch(c, self.say.clone(), batch.clone())))
            .await
    }

    async fn top_level(
        &self,
        thread: ThreadId,
        sort: Sort,
        seek: Seek,
        limit: u32,
    ) -> StoreResult<Vec<Comment>> {
        Ok(reads::top_level(&self.pool, thread, sort, seek, limit).await?)
    }

    async fn replies(&self, roots: &[CommentId]) -> StoreResult<Vec<Comment>> {
        Ok(reads::replies(&self.pool, roots).await?)
    }

    async fn changes(&self) -> StoreResult<Option<ChangeFeed>> {
        let feed = feed::open(
            self.connect.clone(),
            self.say.channel.to_string(),
            self.say.node,
            self.ping_timeout,
        )
        .await
        .map_err(|e| StoreError::Backend(format!("listening for changes: {e}")))?;
        Ok(Some(feed))
    }

    async fn take_rate(
        &self,
        key: &str,
        now: Timestamp,
        policy: RatePolicy,
    ) -> StoreResult<RateDecision> {
        Ok(rates::take(&self.pool, key, now, policy).await?)
    }

    async fn forget_rates(&self, now: Timestamp) -> StoreResult<u64> {
        Ok(rates::forget(&self.pool, now).await?)
    }

    async fn tally(&self, site: Option<&SiteId>) -> StoreResult<Tally> {
        Ok(dump::tally(&self.pool, site).await?)
    }

    async fn dump_secrets(&self) -> StoreResult<Vec<Secret>> {
        Ok(dump::secrets(&self.pool).await?)
    }

    async fn dump_threads(
        &self,
        site: Option<&SiteId>,
        after: Option<ThreadId>,
        limit: u32,
    ) -> StoreResult<Vec<Thread>> {
        Ok(dump::threads(&self.pool, site, after, limit).await?)
    }

    async fn dump_comments(
        &self,
        site: Option<&SiteId>,
        after: Option<CommentId>,
        limit: u32,
    ) -> StoreResult<Vec<CommentRow>> {
        Ok(dump::comments(&self.pool, site, after, limit).await?)
    }

    async fn dump_votes(
        &self,
        site: Option<&SiteId>,
        after: Option<CommentId>,
        limit: u32,
    ) -> StoreResult<Vec<VoteRow>> {
        Ok(dump::votes(&self.pool, site, after, limit).await?)
    }

    async fn dump_moderation(&self, site: Option<&SiteId>) -> StoreResult<ModerationRows> {
        Ok(moderation::dump(&self.pool, site).await?)
    }

    async fn dump_mail(&self, site: Option<&SiteId>) -> StoreResult<rostra_store::MailRows> {
        Ok(outbox::copy::dump(&self.pool, site).await?)
    }

    async fn restore(&self, rows: Restore) -> StoreResult<()> {
        self.write(|c| Box::pin(restore::restore(c, rows.clone())))
            .await
    }

    async fn create_user(&self, user: NewUser) -> StoreResult<User> {
        match self.moderate(ModOp::CreateUser(user)).await? {
            ModDone::User(u) => Ok(u),
            _ => Err(unexpected()),
        }
    }

    async fn user_by_name(&self, name: &str) -> StoreResult<Option<User>> {
        Ok(moderation::user_by_name(&self.pool, name).await?)
    }

    async fn users(&self) -> StoreResult<Vec<User>> {
        Ok(moderation::users(&self.pool).await?)
    }

    async fn set_role(&self, user: UserId, site: &SiteId, role: Role) -> StoreResult<()> {
        self.moderate(ModOp::SetRole(user, site.clone(), role))
            .await
            .map(|_| ())
    }

    async fn memberships(&self, user: UserId) -> StoreResult<Vec<Membership>> {
        Ok(moderation::memberships(&self.pool, user).await?)
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
        Ok(moderation::credential(&self.pool, hash, now).await?)
    }

    async fn delete_credential(&self, hash: [u8; 32]) -> StoreResult<()> {
        self.moderate(ModOp::DeleteCredential(hash))
            .await
            .map(|_| ())
    }

    async fn credentials(&self, user: UserId, now: Timestamp) -> StoreResult<Vec<Credential>> {
        Ok(moderation::credentials(&self.pool, user, now).await?)
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
        Ok(moderation::queue(&self.pool, &query).await?)
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
        Ok(moderation::bans(&self.pool, site).await?)
    }

    async fn ban_for(
        &self,
        site: &SiteId,
        query: &BanQuery,
        now: Timestamp,
    ) -> StoreResult<Option<Ban>> {
        Ok(moderation::ban_for(&self.pool, site, query, now).await?)
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
        Ok(moderation::audit(&self.pool, site, before, limit).await?)
    }

    async fn moderator_emails(&self, site: &SiteId) -> StoreResult<Vec<String>> {
        Ok(outbox::moderator_emails(&self.pool, site).await?)
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
        Ok(outbox::subscriber_by(&self.pool, site, id, email).await?)
    }

    async fn subscriptions(&self, subscriber: i64) -> StoreResult<Vec<Subscription>> {
        Ok(outbox::subscriptions(&self.pool, subscriber).await?)
    }

    async fn subscription(&self, id: i64) -> StoreResult<Option<Subscription>> {
        Ok(outbox::subscription_by_id(&self.pool, id).await?)
    }

    async fn page_subscribers(
        &self,
        site: &SiteId,
        url: &PageUrl,
    ) -> StoreResult<Vec<(Subscriber, Subscription)>> {
        Ok(outbox::page_subscribers(&self.pool, site, url).await?)
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
        Ok(outbox::webhooks(&self.pool, site).await?)
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
        Ok(outbox::digest_items(&self.pool, site, recipient).await?)
    }

    async fn outbox_tally(&self, site: Option<&SiteId>) -> StoreResult<OutboxTally> {
        Ok(outbox::outbox_tally(&self.pool, site).await?)
    }

    async fn create_campaign(&self, campaign: NewCampaign) -> StoreResult<Campaign> {
        self.write(|c| Box::pin(campaigns::create(c, campaign.clone())))
            .await
    }

    async fn update_campaign(
        &self,
        site: &SiteId,
        slug: &CampaignSlug,
        spec: CampaignSpec,
    ) -> StoreResult<Campaign> {
        self.write(|c| {
            Box::pin(campaigns::update(
                c,
                site.clone(),
                slug.clone(),
                spec.clone(),
            ))
        })
        .await
    }

    async fn campaign(&self, site: &SiteId, slug: &CampaignSlug) -> StoreResult<Option<Campaign>> {
        Ok(campaigns::get(&self.pool, site, slug).await?)
    }

    async fn campaigns(&self, site: &SiteId) -> StoreResult<Vec<Campaign>> {
        Ok(campaigns::list(&self.pool, Some(site)).await?)
    }

    async fn campaign_totals(&self, campaign: &Campaign) -> StoreResult<Totals> {
        Ok(campaigns::totals_of(&self.pool, campaign).await?)
    }

    async fn record_donation(&self, donation: NewDonation) -> StoreResult<Recorded> {
        self.write(|c| Box::pin(campaigns::donate(c, self.say.clone(), donation.clone())))
            .await
    }

    async fn dump_campaigns(&self, site: Option<&SiteId>) -> StoreResult<CampaignRows> {
        Ok(campaigns::dump(&self.pool, site).await?)
    }
}

fn unexpected() -> StoreError {
    StoreError::Backend("a moderation write answered with the wrong kind of result".into())
}
