//! Readiness: while the database cannot be reached, `ping` fails within the
//! connect timeout (so `/readyz` answers 503 instead of hanging), and once the
//! database is back, the store recovers by itself, its change feed too. The
//! database "goes away" behind a TCP relay this test runs between the store
//! and the server.

use futures::StreamExt;
use rostra_store::contract::{new_comment, with_site};
use rostra_store::feed::{Change, ChangeFeed, ThreadEvent};
use rostra_store::Store;
use rostra_store_postgres::testing::TestSchema;
use rostra_store_postgres::{PostgresOptions, PostgresStore};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

/// Relays connections from a local port to the database server until
/// dropped; dropping it cuts every relayed connection.
struct Relay {
    accepting: tokio::task::JoinHandle<()>,
}

impl Relay {
    async fn start(listen: SocketAddr, server: SocketAddr) -> (Self, SocketAddr) {
        let listener = TcpListener::bind(listen)
            .await
            .unwrap_or_else(|e| panic!("bind {listen}: {e}"));
        let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
        let accepting = tokio::spawn(async move {
            let mut links = JoinSet::new();
            while let Ok((mut client, _)) = listener.accept().await {
                links.spawn(async move {
                    if let Ok(mut upstream) = TcpStream::connect(server).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
                    }
                });
            }
        });
        (Self { accepting }, addr)
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        // Aborting the accept loop drops the listener and the JoinSet, which
        // aborts every link and closes its sockets.
        self.accepting.abort();
    }
}

/// The test server's address, and the URL of `schema` through `relay`.
fn addresses(schema: &TestSchema) -> (SocketAddr, impl Fn(SocketAddr) -> String) {
    let direct = url::Url::parse(&schema.url().unwrap_or_else(|e| panic!("{e}")))
        .unwrap_or_else(|e| panic!("{e}"));
    let host = direct.host_str().unwrap_or("127.0.0.1").to_owned();
    let port = direct.port().unwrap_or(5432);
    let server = std::net::ToSocketAddrs::to_socket_addrs(&(host.as_str(), port))
        .unwrap_or_else(|e| panic!("{e}"))
        .next()
        .unwrap_or_else(|| panic!("no address for {host}"));
    let via = move |relay: SocketAddr| {
        let mut u = direct.clone();
        let _ = u.set_host(Some(&relay.ip().to_string()));
        let _ = u.set_port(Some(relay.port()));
        u.to_string()
    };
    (server, via)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ping_fails_fast_while_the_database_is_away_and_recovers() {
    let Some(schema) = TestSchema::create("readiness")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
    else {
        return;
    };
    let (server, via) = addresses(&schema);
    let (relay, relay_addr) = Relay::start(
        "127.0.0.1:0".parse().unwrap_or_else(|e| panic!("{e}")),
        server,
    )
    .await;
    let options = PostgresOptions {
        max_connections: 2,
        connect_timeout: Duration::from_secs(1),
        ..PostgresOptions::default()
    };
    let store = PostgresStore::open(&via(relay_addr), &options)
        .await
        .unwrap_or_else(|e| panic!("open: {e}"));
    store.ping().await.unwrap_or_else(|e| panic!("ping: {e}"));

    drop(relay);
    for _ in 0..3 {
        let began = Instant::now();
        let pinged = store.ping().await;
        assert!(pinged.is_err(), "the database is away, yet ping answered");
        assert!(
            began.elapsed() < Duration::from_secs(3),
            "ping took {:?} to fail",
            began.elapsed()
        );
    }

    let (_relay, _) = Relay::start(relay_addr, server).await;
    let began = Instant::now();
    loop {
        match store.ping().await {
            Ok(()) => break,
            Err(e) if began.elapsed() > Duration::from_secs(10) => {
                panic!("the store did not recover: {e}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    let secret = store.secret("after", vec![1]).await;
    assert!(secret.is_ok(), "writes work again: {secret:?}");
}

#[tokio::test]
async fn an_unreachable_server_fails_to_open_within_the_timeout() {
    // Only meaningful where PostgreSQL tests run at all.
    let Some(_schema) = TestSchema::create("readiness")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
    else {
        return;
    };
    // A port nothing listens on: bound, then closed.
    let closed = TcpListener::bind("127.0.0.1:0")
        .await
        .and_then(|l| l.local_addr())
        .unwrap_or_else(|e| panic!("{e}"));
    let options = PostgresOptions {
        connect_timeout: Duration::from_secs(1),
        ..PostgresOptions::default()
    };
    let began = Instant::now();
    let opened = PostgresStore::open(&format!("postgres://rostra@{closed}/rostra"), &options).await;
    assert!(opened.is_err());
    assert!(
        began.elapsed() < Duration::from_secs(3),
        "{:?}",
        began.elapsed()
    );
}

/// The feed's next item, which must come within 15 s.
async fn next(feed: &mut ChangeFeed) -> Change {
    tokio::time::timeout(Duration::from_secs(15), feed.next())
        .await
        .unwrap_or_else(|_| panic!("nothing from the feed within 15 s"))
        .unwrap_or_else(|| panic!("the feed ended"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_change_feed_listens_again_by_itself_when_the_database_returns() {
    let Some(schema) = TestSchema::create("readiness_feed")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
    else {
        return;
    };
    let (server, via) = addresses(&schema);
    let any = "127.0.0.1:0".parse().unwrap_or_else(|e| panic!("{e}"));
    let (relay, relay_addr) = Relay::start(any, server).await;
    let options = PostgresOptions {
        connect_timeout: Duration::from_secs(1),
        ..PostgresOptions::default()
    };
    let direct = schema.url().unwrap_or_else(|e| panic!("{e}"));
    let writer: Arc<dyn Store> = Arc::new(
        PostgresStore::open(&direct, &options)
            .await
            .unwrap_or_else(|e| panic!("open: {e}")),
    );
    with_site(&writer).await;
    let reader = PostgresStore::open(&via(relay_addr), &options)
        .await
        .unwrap_or_else(|e| panic!("open: {e}"));
    let mut feed = reader
        .changes()
        .await
        .unwrap_or_else(|e| panic!("listen: {e}"))
        .unwrap_or_else(|| panic!("PostgreSQL has a feed"));
    let posted = |body: &'static str| {
        let writer = writer.clone();
        async move {
            writer
                .insert_comment(new_comment("/feed", None, body, 1))
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .comment
                .id
        }
    };
    let id_of = |change: Change| match change {
        Change::Thread {
            event: ThreadEvent::Comment { id, .. },
            ..
        } => id,
        other => panic!("a comment expected, got {other:?}"),
    };

    let before = posted("before").await;
    assert_eq!(id_of(next(&mut feed).await), before);
    drop(relay);
    // (The relay's links close as their aborted tasks end.)
    tokio::time::sleep(Duration::from_millis(300)).await;
    // Written while the feed cannot listen: lost to it, and it says so.
    posted("while away").await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let (_relay, _) = Relay::start(relay_addr, server).await;
    assert_eq!(next(&mut feed).await, Change::LostTrack);
    let after = posted("after").await;
    assert_eq!(id_of(next(&mut feed).await), after);
}
