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
mod comments;
mod dump;
mod error;
mod feed;
mod history;
mod moderation;
mod notice;
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
use rostra_core::{
    Comment, CommentId, CommentStatus, NewComment, NewSite, PageUrl, Reason, Role, Seek, Site,
    SiteId, Sort, ThreadId, Timestamp, UserId,
};
use rostra_store::feed::ChangeFeed;
use rostra_store::{
    AuditEntry, Ban, BanQuery, CommentEdit, CommentRow, CredentialKind, Membership, ModerationRows,
    NewAudit, NewBan, NewCredential, NewReport, NewUser, QueueItem, QueueQuery, RateDecision,
    RatePolicy, Reported, Restore, Secret, Store, StoreError, StoreResult, Tally, Thread, User,
    Vote, VoteRow, Voted, Written,
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

    async fn approved_by(
        &self,
        site: &SiteId,
        email: Option<&str>,
        ip_hash: Option<&str>,
    ) -> StoreResult<i64> {
        Ok(history::approved_by(&self.pool, site, email, ip_hash).await?)
    }

    async fn posted_since(
        &self,
        site: &SiteId,
        body: &str,
        since: rostra_core::Timestamp,
    ) -> StoreResult<bool> {
        Ok(history::posted_since(&self.pool, site, body, since).await?)
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
    ) -> StoreResult<Written> {
        match self.moderate(ModOp::Hold(site.clone(), id, reason)).await? {
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

    async fn lift_ban(&self, site: &SiteId, id: i64) -> StoreResult<Ban> {
        match self.moderate(ModOp::LiftBan(site.clone(), id)).await? {
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
}

fn unexpected() -> StoreError {
    StoreError::Backend("a moderation write answered with the wrong kind of result".into())
}
