//! Scratch schemas on a test server, for the test suites of this crate and of
//! the `rostra` binary.
//!
//! The server is the one [`URL_VAR`] names. When the variable is unset, the
//! PostgreSQL tests are skipped (and say so); when it is set, a server that
//! does not answer is a failure, never a skip.
//!
//! Each test gets a schema of its own, `rostra_test_<secs>_<pid>_<n>`, and the
//! connection URL that puts it first on the `search_path`. The schema is
//! dropped when its [`TestSchema`] is; schemas left behind by a test process
//! that died are dropped, an hour after their creation, by the first
//! [`TestSchema::create`] of a later process.

use sqlx::{Connection, PgConnection};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Once;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::OnceCell;

/// The environment variable that names the test server.
pub const URL_VAR: &str = "ROSTRA_TEST_POSTGRES_URL";

/// The prefix of every scratch schema.
const PREFIX: &str = "rostra_test_";

/// How old a scratch schema must be before another process drops it.
const STALE_AFTER: Duration = Duration::from_secs(3600);

/// Longest a connection to the test server may take.
const CONNECT_LIMIT: Duration = Duration::from_secs(10);

/// Why a scratch schema could not be made.
#[derive(Debug, thiserror::Error)]
pub enum TestDbError {
    /// The server named by [`URL_VAR`] failed or did not answer.
    #[error("the PostgreSQL test server ({URL_VAR}) failed: {0}")]
    Server(String),
}

/// A schema of its own for one test; dropped with this value.
#[derive(Debug)]
pub struct TestSchema {
    server: String,
    name: String,
    owned: bool,
}

static SWEPT: OnceCell<()> = OnceCell::const_new();
static NEXT: AtomicU32 = AtomicU32::new(0);

/// Says that a test is skipped: in its captured output (seen with
/// `--nocapture`), and once per test process on the real standard error,
/// which the test harness does not capture, so a plain `cargo test` shows it.
fn say_skipped(test: &str) {
    use std::io::Write;
    static SAID: Once = Once::new();
    println!("{test}: skipped, {URL_VAR} is unset (no PostgreSQL to test against)");
    SAID.call_once(|| {
        let _ = writeln!(
            std::io::stderr(),
            "PostgreSQL tests of this target skipped: set {URL_VAR} (e.g. postgres://postgres@127.0.0.1:5432/test) to run them"
        );
    });
}

fn server_error(e: impl std::fmt::Display) -> TestDbError {
    TestDbError::Server(e.to_string())
}

async fn connect(server: &str) -> Result<PgConnection, TestDbError> {
    tokio::time::timeout(CONNECT_LIMIT, PgConnection::connect(server))
        .await
        .map_err(|_| server_error(format!("no answer within {CONNECT_LIMIT:?}")))?
        .map_err(server_error)
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Drops the scratch schemas older than [`STALE_AFTER`].
async fn sweep(conn: &mut PgConnection) -> Result<(), TestDbError> {
    let names: Vec<String> =
        sqlx::query_scalar("SELECT nspname::text FROM pg_namespace WHERE starts_with(nspname, $1)")
            .bind(PREFIX)
            .fetch_all(&mut *conn)
            .await
            .map_err(server_error)?;
    let cutoff = now_secs().saturating_sub(STALE_AFTER.as_secs());
    for name in names {
        let born = name
            .strip_prefix(PREFIX)
            .and_then(|rest| rest.split('_').next())
            .and_then(|secs| secs.parse::<u64>().ok());
        if born.is_some_and(|b| b < cutoff) {
            drop_schema(conn, &name).await?;
        }
    }
    Ok(())
}

async fn drop_schema(conn: &mut PgConnection, name: &str) -> Result<(), TestDbError> {
    // The name is ours: PREFIX, digits and underscores only.
    sqlx::query(&format!("DROP SCHEMA IF EXISTS \"{name}\" CASCADE"))
        .execute(&mut *conn)
        .await
        .map(|_| ())
        .map_err(server_error)
}

impl TestSchema {
    /// A fresh, empty schema on the test server; `None`, after printing that
    /// the test is skipped, when [`URL_VAR`] is unset.
    pub async fn create(test: &str) -> Result<Option<Self>, TestDbError> {
        let Some(server) = std::env::var(URL_VAR).ok().filter(|u| !u.is_empty()) else {
            say_skipped(test);
            return Ok(None);
        };
        let mut conn = connect(&server).await?;
        SWEPT
            .get_or_try_init(|| async { sweep(&mut conn).await })
            .await?;
        let name = format!(
            "{PREFIX}{}_{}_{}",
            now_secs(),
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        sqlx::query(&format!("CREATE SCHEMA \"{name}\""))
            .execute(&mut conn)
            .await
            .map_err(server_error)?;
        let _ = conn.close().await;
        Ok(Some(Self {
            server,
            name,
            owned: true,
        }))
    }

    /// A schema another [`TestSchema`] made and still owns (a restarted
    /// server of the same test): it is not dropped with this value.
    pub fn borrowed(name: &str) -> Result<Self, TestDbError> {
        let server =
            std::env::var(URL_VAR).map_err(|_| server_error(format!("{URL_VAR} is unset")))?;
        Ok(Self {
            server,
            name: name.to_owned(),
            owned: false,
        })
    }

    /// The schema's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The URL of the test server with this schema first on the search path.
    ///
    /// Its sessions commit without waiting for the server's WAL flush
    /// (`synchronous_commit = off`): a test never outlives a crash of the
    /// server, and a flush per commit would make the API suites, which write
    /// thousands of small transactions, several times slower. Atomicity,
    /// isolation and locks, what the tests are about, are unchanged.
    pub fn url(&self) -> Result<String, TestDbError> {
        let mut url = url::Url::parse(&self.server).map_err(server_error)?;
        url.query_pairs_mut()
            .append_pair("options[search_path]", &self.name)
            .append_pair("options[synchronous_commit]", "off");
        Ok(url.to_string())
    }
}

impl Drop for TestSchema {
    /// Drops the schema, on a thread of its own (a `Drop` cannot wait on the
    /// runtime it may run inside). A failure is only reported: the next test
    /// process sweeps what is left.
    fn drop(&mut self) {
        if !self.owned {
            return;
        }
        let server = self.server.clone();
        let name = self.name.clone();
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(server_error)?;
            runtime.block_on(async {
                let mut conn = connect(&server).await?;
                sqlx::query("SET lock_timeout = '5s'")
                    .execute(&mut conn)
                    .await
                    .map_err(server_error)?;
                drop_schema(&mut conn, &name).await?;
                let _ = conn.close().await;
                Ok::<(), TestDbError>(())
            })
        })
        .join();
        match dropped {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("leaving schema {} behind: {e}", self.name),
            Err(_) => eprintln!(
                "leaving schema {} behind: the dropping thread panicked",
                self.name
            ),
        }
    }
}
