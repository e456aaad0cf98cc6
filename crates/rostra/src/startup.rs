//! Building and running the server: testable, because it binds its own
//! listener and reports the port (tests bind port 0).

use crate::config::{redact_password, Config, DatabaseConfig};
use anyhow::Context;
use axum::http::HeaderName;
use rostra_server::cache::{CountsCache, PageCache};
use rostra_server::metrics::Metrics;
use rostra_server::rate::RateLimits;
use rostra_server::streams::StreamSlots;
use rostra_server::{AppState, HttpSettings, Shared};
use rostra_service::Service;
use rostra_store::feed::ChangeFeed;
use rostra_store::Store;
use rostra_store_postgres::{PostgresOptions, PostgresStore};
use rostra_store_sqlite::{SqliteOptions, SqliteStore};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// Opens the store the configuration names, creating and migrating it.
pub async fn open_store(config: &Config) -> anyhow::Result<Arc<dyn Store>> {
    open_store_url(&config.database_url(), &config.database).await
}

/// The file a `sqlite://` URL names (`sqlite:///abs/path` or
/// `sqlite://relative/path`); `None` for any other URL.
pub fn sqlite_path(url: &str) -> Option<&std::path::Path> {
    url.strip_prefix("sqlite://").map(std::path::Path::new)
}

/// Opens the store `url` names, creating and migrating it, with the pool
/// sizes and timeouts of `db`: the URL's scheme chooses the backend
/// (`sqlite://` for SQLite; `postgres://` or `postgresql://` for
/// PostgreSQL).
pub async fn open_store_url(url: &str, db: &DatabaseConfig) -> anyhow::Result<Arc<dyn Store>> {
    if let Some(path) = sqlite_path(url) {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        let options = SqliteOptions {
            readers: db.readers,
            cache_kib: db.cache_kib,
            ..SqliteOptions::default()
        };
        let store = SqliteStore::open(path, &options)
            .await
            .with_context(|| format!("opening the SQLite database {}", path.display()))?;
        return Ok(Arc::new(store));
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let options = PostgresOptions {
            max_connections: db.max_connections,
            statement_timeout: Duration::from_millis(db.statement_timeout_ms),
            connect_timeout: Duration::from_secs(db.connect_timeout_secs),
            ..PostgresOptions::default()
        };
        let store = PostgresStore::open(url, &options)
            .await
            .with_context(|| format!("opening the PostgreSQL database {}", redact_password(url)))?;
        return Ok(Arc::new(store));
    }
    anyhow::bail!(
        "database.url {:?}: Rostra stores data in SQLite (sqlite://PATH, or empty for DATA_DIR/rostra.db) \
         or PostgreSQL (postgres://USER:PASSWORD@HOST/DB)",
        redact_password(url)
    )
}

/// A server, bound and ready to run.
pub struct Application {
    listener: TcpListener,
    state: AppState,
    grace: Duration,
    /// Other nodes' changes, for the relay (a shared database only).
    feed: Option<ChangeFeed>,
    /// Where this node's outbox worker sends mail (`None`: mail is off).
    mailer: Option<rostra_service::mail::Mailer>,
}

impl Application {
    /// Opens the store, ensures the demo site, and binds the listener.
    pub async fn build(config: &Config) -> anyhow::Result<Self> {
        let store = open_store(config).await?;
        Self::build_with_store(config, store).await
    }

    /// The same over a store the caller opened.
    pub async fn build_with_store(config: &Config, store: Arc<dyn Store>) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(config.server.listen)
            .await
            .with_context(|| format!("listening on {}", config.server.listen))?;
        // Listening before anything is read, so no cache can miss a change.
        let feed = store
            .changes()
            .await
            .context("listening for other nodes' changes")?;
        let model = crate::moderation::configured_model(&config.moderation.model)?;
        let port = listener.local_addr()?.port();
        let own_url = match config.server.public_url.trim() {
            "" => format!("http://{}", listener.local_addr()?),
            u => u.to_string(),
        };
        let service = Service::new(store, config.limits.clone())
            .await?
            .with_model(model)
            .with_mail(config.mail.settings(&own_url));
        let mailer = config.mail.mailer(&config.server.data_dir)?;
        let demo_page = if config.demo.enabled {
            Some(crate::demo::prepare(&service, config, port).await?)
        } else {
            None
        };
        let client_ip_header = match config.server.client_ip_header.trim() {
            "" => None,
            h => Some(
                HeaderName::try_from(h).context("server.client_ip_header is not a header name")?,
            ),
        };
        let r = &config.rate;
        let metrics = Arc::new(Metrics::default());
        let state = AppState::new(Shared {
            service,
            cache: PageCache::new(config.cache.page_bytes),
            counts_cache: CountsCache::new(config.cache.counts_entries),
            rate: RateLimits::new(
                r.writes_per_minute,
                r.write_burst,
                r.votes_per_minute,
                r.vote_burst,
            ),
            streams: StreamSlots::new(config.limits.streams, metrics.streams_open.clone()),
            metrics,
            http: Arc::new(HttpSettings {
                client_ip_header,
                public_url: config.server.public_url.trim_end_matches('/').to_owned(),
                demo_page,
            }),
        });
        Ok(Self {
            listener,
            state,
            grace: Duration::from_secs(config.server.shutdown_grace_secs),
            feed,
            mailer,
        })
    }

    /// The address bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    /// The shared state (tests reach the service through it).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `stop` completes, then lets requests in flight finish
    /// (for at most the grace period).
    pub async fn run_until(
        self,
        stop: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        // Rate keys no longer limiting anything (each node sweeps; on a
        // shared database the sweeps are idempotent).
        let service = self.state.service.clone();
        let sweeper = tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                if let Err(e) = service.forget_rates().await {
                    tracing::warn!(error = %e, "forgetting expired rate limits");
                }
            }
        });
        // Other nodes' writes, into this node's caches and streams, until
        // the server stops.
        let relay = self.feed.map(|feed| {
            let service = self.state.service.clone();
            tokio::spawn(async move { service.relay(feed).await })
        });
        // This node's outbox worker: mail and webhook deliveries, whatever
        // node enqueued them, until the server stops.
        let (outbox_stop, outbox_stopped) = tokio::sync::oneshot::channel::<()>();
        let outbox = self.mailer.map(|mailer| {
            let service = self.state.service.clone();
            tokio::spawn(async move {
                service
                    .run_outbox(mailer, async move {
                        let _ = outbox_stopped.await;
                    })
                    .await
            })
        });
        let events = self.state.service.events().clone();
        let campaigns = self.state.service.campaign_bus().clone();
        let app = rostra_server::router(self.state);
        let (stopped_tx, stopped_rx) = tokio::sync::oneshot::channel::<()>();
        let grace = self.grace;
        let serve = axum::serve(
            self.listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            stop.await;
            tracing::info!("shutting down; finishing requests in flight");
            // Live-update streams never end on their own: end them, or the
            // graceful stop would wait for them until the grace runs out.
            events.close();
            campaigns.close();
            let _ = stopped_tx.send(());
        });
        let outcome = tokio::select! {
            r = serve => r.context("serving"),
            () = async move {
                let _ = stopped_rx.await;
                tokio::time::sleep(grace).await;
            } => {
                tracing::warn!("requests still in flight after the grace period; stopping anyway");
                Ok(())
            }
        };
        sweeper.abort();
        // The worker stops between jobs: a message being sent is settled.
        let _ = outbox_stop.send(());
        if let Some(outbox) = outbox {
            let _ = tokio::time::timeout(Duration::from_secs(5), outbox).await;
        }
        if let Some(relay) = relay {
            relay.abort();
        }
        outcome
    }
}

/// SIGTERM or Ctrl-C, with the handlers installed now (not on first poll), so
/// a signal that arrives right after start-up still means a graceful stop.
pub fn shutdown_signal() -> anyhow::Result<impl Future<Output = ()> + Send + 'static> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate()).context("installing the SIGTERM handler")?;
        let mut int = signal(SignalKind::interrupt()).context("installing the SIGINT handler")?;
        Ok(async move {
            tokio::select! {
                _ = term.recv() => {},
                _ = int.recv() => {},
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}
