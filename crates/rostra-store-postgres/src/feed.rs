//! The change feed: the other nodes' announcements ([`notice`](crate::notice)),
//! heard on a connection of its own that does nothing but `LISTEN`.
//!
//! The connection is made before the feed is handed out, so that nothing
//! committed after [`Store::changes`](rostra_store::Store::changes) returns
//! goes unheard. When it is lost (the server restarted, an administrator
//! ended it, the network failed) the feed connects again, with a growing
//! pause between attempts, and yields [`Change::LostTrack`] once it listens
//! again: what was announced meanwhile is gone. A connection that stays
//! silent is checked every [`CHECK_AFTER`], so that one lost without a word
//! (a dead peer, a dropped route) is noticed too.

use crate::notice::{self, NodeId};
use futures::StreamExt;
use rostra_store::feed::{Change, ChangeFeed};
use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};
use sqlx::PgPool;
use std::time::{Duration, Instant};

/// How long a silent connection is trusted before it is checked.
const CHECK_AFTER: Duration = Duration::from_secs(30);
/// The first pause before connecting again after a failed attempt.
const FIRST_PAUSE: Duration = Duration::from_millis(100);
/// The longest pause between attempts.
const LONGEST_PAUSE: Duration = Duration::from_secs(10);
/// A connection that lasted this long resets the pauses.
const STEADY_AFTER: Duration = Duration::from_secs(30);

/// The `application_name` of a node's listening connection, by which it can
/// be told apart in `pg_stat_activity`.
pub fn application_name(node: NodeId) -> String {
    format!("rostra-feed-{node}")
}

/// A feed for `node`, listening on `channel` when it returns. `options` are
/// the store's connection options; `within` bounds each connection attempt.
pub async fn open(
    options: PgConnectOptions,
    channel: String,
    node: NodeId,
    within: Duration,
) -> Result<ChangeFeed, sqlx::Error> {
    let options = options.application_name(&application_name(node));
    // A pool of one, only for the listener: it reconnects through it, and
    // the store's own pool keeps all its connections.
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .min_connections(0)
        .acquire_timeout(within)
        .idle_timeout(None)
        .max_lifetime(None)
        .connect_lazy_with(options);
    let listener = listen(&pool, &channel).await?;
    tracing::debug!(%node, "listening for other nodes' changes");
    let feed = Feed {
        pool,
        channel,
        node,
        within,
        listener: Some(listener),
        since: Instant::now(),
        pause: None,
    };
    Ok(futures::stream::unfold(feed, |mut feed| async move {
        let change = feed.next().await;
        Some((change, feed))
    })
    .boxed())
}

/// A fresh listening connection.
async fn listen(pool: &PgPool, channel: &str) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    // A lost connection is ours to notice and remake (see `Feed::next`).
    listener.eager_reconnect(false);
    listener.listen(channel).await?;
    Ok(listener)
}

struct Feed {
    pool: PgPool,
    channel: String,
    node: NodeId,
    within: Duration,
    /// `None` while not connected.
    listener: Option<PgListener>,
    /// When the current connection was made.
    since: Instant,
    /// The pause before the next attempt; `None` for none.
    pause: Option<Duration>,
}

impl Feed {
    /// The next change another node announced, or [`Change::LostTrack`]
    /// once listening again after the connection was lost.
    async fn next(&mut self) -> Change {
        loop {
            let Some(listener) = self.listener.as_mut() else {
                if self.reconnect().await {
                    return Change::LostTrack;
                }
                continue;
            };
            match tokio::time::timeout(CHECK_AFTER, listener.try_recv()).await {
                Ok(Ok(Some(notification))) => {
                    if let Some(change) = notice::decode(notification.payload(), self.node) {
                        return change;
                    }
                }
                Ok(Ok(None)) => self.lost("the connection closed"),
                Ok(Err(e)) => self.lost(&e.to_string()),
                Err(_silent) => {
                    if let Err(why) = self.check().await {
                        self.lost(&why);
                    }
                }
            }
        }
    }

    /// Whether a silent connection still answers; why not.
    async fn check(&mut self) -> Result<(), String> {
        let Some(listener) = self.listener.as_mut() else {
            return Ok(());
        };
        let asked = sqlx::query("SELECT 1").execute(listener);
        match tokio::time::timeout(self.within, asked).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err(format!("no answer within {:?}", self.within)),
        }
    }

    fn lost(&mut self, why: &str) {
        tracing::warn!(
            node = %self.node,
            why,
            "lost the connection that listens for other nodes' changes; reconnecting"
        );
        self.listener = None;
        if self.since.elapsed() >= STEADY_AFTER {
            self.pause = None;
        }
    }

    /// One attempt to listen again, after the pause due; whether it worked.
    async fn reconnect(&mut self) -> bool {
        if let Some(pause) = self.pause {
            tokio::time::sleep(pause).await;
        }
        self.pause = Some(
            self.pause
                .map_or(FIRST_PAUSE, |p| (p * 2).min(LONGEST_PAUSE)),
        );
        match listen(&self.pool, &self.channel).await {
            Ok(listener) => {
                tracing::info!(node = %self.node, "listening for other nodes' changes again");
                self.listener = Some(listener);
                self.since = Instant::now();
                true
            }
            Err(e) => {
                tracing::warn!(node = %self.node, error = %e, pause = ?self.pause, "cannot listen for other nodes' changes");
                false
            }
        }
    }
}
