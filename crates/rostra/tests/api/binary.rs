//! The real binary as a child process: `rostra serve` started and stopped
//! (SIGTERM, SIGKILL) by tests, writers that post until it stops answering,
//! and checks that what it acknowledged is all there afterwards.

use crate::helpers::top_ids;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::{Child, Command};
use tokio::task::JoinHandle;
use tokio::time::timeout;

/// What the binary prints on stdout once it listens.
const READY: &str = "Rostra is serving at http://";
/// Longest a start (or a stop) may take.
pub(crate) const START_LIMIT: Duration = Duration::from_secs(20);
/// Longest any single HTTP request may take.
pub(crate) const REQUEST_LIMIT: Duration = Duration::from_secs(10);

/// `rostra serve` running as a child process, killed if dropped.
pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) addr: SocketAddr,
    /// What the child wrote on stderr (for failure messages).
    log: Arc<Mutex<String>>,
}

async fn drain(from: impl AsyncRead + Unpin, into: Arc<Mutex<String>>) {
    let mut lines = BufReader::new(from).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        let mut log = into.lock().unwrap();
        log.push_str(&line);
        log.push('\n');
    }
}

impl Server {
    /// Starts `rostra serve` on `data_dir` and waits for its ready line.
    #[allow(dead_code)]
    pub(crate) async fn start(data_dir: &Path) -> Self {
        Self::start_with(data_dir, &[]).await
    }

    /// The same with the configuration `env` adds (`ROSTRA_…` variables).
    pub(crate) async fn start_with(data_dir: &Path, env: &[(&str, &str)]) -> Self {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_rostra"));
        cmd.arg("serve")
            .arg("--data-dir")
            .arg(data_dir)
            .args(["--listen", "127.0.0.1:0"]);
        // Only the configuration this test means: nothing inherited.
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("ROSTRA_") {
                cmd.env_remove(key);
            }
        }
        cmd.env_remove("RUST_LOG")
            .env("ROSTRA_RATE__WRITES_PER_MINUTE", "0")
            .env("ROSTRA_LOG__FILTER", "warn")
            .env("ROSTRA_SERVER__SHUTDOWN_GRACE_SECS", "5")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = cmd.spawn().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        tokio::spawn(drain(child.stderr.take().unwrap(), log.clone()));
        let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
        let line = timeout(START_LIMIT, async {
            while let Some(line) = stdout.next_line().await.unwrap() {
                if line.starts_with(READY) {
                    return Some(line);
                }
            }
            None
        })
        .await;
        let line = match line {
            Ok(Some(line)) => line,
            other => panic!(
                "rostra did not report its address ({other:?}); stderr:\n{}",
                log.lock().unwrap()
            ),
        };
        // Keep reading stdout so the child never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = stdout.next_line().await {} });
        let addr: SocketAddr = line[READY.len()..]
            .split('/')
            .next()
            .unwrap()
            .parse()
            .unwrap_or_else(|e| panic!("bad ready line {line:?}: {e}"));
        assert!(addr.ip().is_loopback(), "{addr}");
        assert_ne!(addr.port(), 0, "the real port is reported");
        Self { child, addr, log }
    }

    pub(crate) fn api(&self, rest: &str) -> String {
        format!("http://{}/api/v1/sites/demo{rest}", self.addr)
    }

    /// A page of the demo site on this server's origin.
    pub(crate) fn page(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.addr.port())
    }

    pub(crate) fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Waits for the child to exit, at most `limit`.
    pub(crate) async fn wait(&mut self, limit: Duration) -> ExitStatus {
        match timeout(limit, self.child.wait()).await {
            Ok(status) => status.unwrap(),
            Err(_) => panic!(
                "rostra did not exit within {limit:?}; stderr:\n{}",
                self.log()
            ),
        }
    }
}

/// A write the server acknowledged.
#[derive(Debug, Clone)]
pub(crate) struct Acked {
    pub(crate) id: i64,
    pub(crate) body: String,
    pub(crate) html: String,
}

/// Shared by the writer tasks.
#[derive(Default)]
pub(crate) struct Storm {
    pub(crate) acked: Mutex<Vec<Acked>>,
    pub(crate) count: AtomicUsize,
    /// Set just before the server is stopped: errors after it are expected.
    pub(crate) stopping: AtomicBool,
    /// Set to make the writers stop after the write they are on.
    pub(crate) halt: AtomicBool,
    /// Anything a writer saw that it should not have.
    pub(crate) failures: Mutex<Vec<String>>,
}

/// Posts comments one after another until the server stops answering.
fn writer(
    client: Client,
    url: String,
    page: String,
    task: usize,
    storm: Arc<Storm>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        for seq in 0.. {
            if storm.halt.load(Ordering::SeqCst) {
                return;
            }
            let body = format!("durable write {task}-{seq}");
            let req = json!({"url": page, "title": "Durability", "author": {"name": format!("writer {task}")}, "body": body});
            let sent = client
                .post(&url)
                .json(&req)
                .timeout(REQUEST_LIMIT)
                .send()
                .await;
            let response = match sent {
                Ok(r) => r,
                Err(e) => {
                    if !storm.stopping.load(Ordering::SeqCst) {
                        storm
                            .failures
                            .lock()
                            .unwrap()
                            .push(format!("writer {task}: {e}"));
                    }
                    return;
                }
            };
            if response.status() != StatusCode::CREATED {
                let status = response.status();
                let text = response.text().await.unwrap_or_default();
                storm
                    .failures
                    .lock()
                    .unwrap()
                    .push(format!("writer {task}: {status} {text}"));
                return;
            }
            // A 201 whose body never arrived names no id: it cannot be checked.
            let Ok(v) = response.json::<Value>().await else {
                return;
            };
            let id = v["comment"]["id"].as_i64().unwrap();
            let html = v["comment"]["html"].as_str().unwrap().to_owned();
            storm.acked.lock().unwrap().push(Acked { id, body, html });
            storm.count.fetch_add(1, Ordering::SeqCst);
        }
    })
}

/// Starts `n` writers on `page`.
pub(crate) fn storm(server: &Server, page: &str, n: usize) -> (Arc<Storm>, Vec<JoinHandle<()>>) {
    let storm = Arc::new(Storm::default());
    let client = Client::new();
    let tasks = (0..n)
        .map(|t| {
            writer(
                client.clone(),
                server.api("/comments"),
                server.page(page),
                t,
                storm.clone(),
            )
        })
        .collect();
    (storm, tasks)
}

/// Polls until `at_least` writes are acknowledged (bounded).
pub(crate) async fn wait_for_acks(storm: &Storm, at_least: usize, server: &Server) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while storm.count.load(Ordering::SeqCst) < at_least {
        let failures = storm.failures.lock().unwrap().clone();
        assert!(
            failures.is_empty(),
            "writes failed: {failures:?}\nstderr:\n{}",
            server.log()
        );
        assert!(
            Instant::now() < deadline,
            "only {} of {at_least} writes acknowledged in time; stderr:\n{}",
            storm.count.load(Ordering::SeqCst),
            server.log()
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Waits for every writer to notice the server is gone.
pub(crate) async fn join_writers(tasks: Vec<JoinHandle<()>>) {
    for t in tasks {
        timeout(REQUEST_LIMIT + Duration::from_secs(5), t)
            .await
            .expect("a writer hung after the server stopped")
            .unwrap();
    }
}

/// Every top-level comment id of a thread, through its `next` cursors.
async fn all_ids(client: &Client, server: &Server, page: &str) -> (Vec<i64>, i64) {
    let mut ids = Vec::new();
    let mut after: Option<String> = None;
    let mut count = None;
    loop {
        let mut q = vec![("url", page.to_owned()), ("limit", "100".to_owned())];
        if let Some(a) = &after {
            q.push(("after", a.clone()));
        }
        let r = client
            .get(server.api("/thread"))
            .query(&q)
            .timeout(REQUEST_LIMIT)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let v: Value = r.json().await.unwrap();
        count.get_or_insert(v["thread"]["count"].as_i64().unwrap());
        ids.extend(top_ids(&v));
        match v["next"].as_str() {
            Some(n) => after = Some(n.to_owned()),
            None => break,
        }
    }
    (ids, count.unwrap())
}

/// Checks, on a freshly started server, that every acknowledged write is
/// there, whole, and listed in its thread.
pub(crate) async fn assert_all_present(server: &Server, page: &str, acked: &[Acked]) {
    let client = Client::new();
    let unique: HashSet<i64> = acked.iter().map(|a| a.id).collect();
    assert_eq!(unique.len(), acked.len(), "ids are never reused");
    for a in acked {
        let r = client
            .get(server.api(&format!("/comments/{}", a.id)))
            .timeout(REQUEST_LIMIT)
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::OK,
            "acknowledged comment {} lost",
            a.id
        );
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["id"], a.id);
        assert_eq!(v["status"], "approved");
        assert_eq!(v["html"], a.html.as_str(), "comment {} changed", a.id);
        assert!(a.html.contains(&a.body), "{} renders {:?}", a.body, a.html);
    }
    let (ids, count) = all_ids(&client, server, page).await;
    assert!(
        count >= acked.len() as i64,
        "thread count {count} < {} acknowledged",
        acked.len()
    );
    assert_eq!(
        ids.len() as i64,
        count,
        "the thread lists exactly its count"
    );
    let listed: HashSet<i64> = ids.iter().copied().collect();
    assert_eq!(listed.len(), ids.len(), "no comment listed twice");
    let missing: Vec<i64> = unique.difference(&listed).copied().collect();
    assert!(
        missing.is_empty(),
        "acknowledged but not listed: {missing:?}"
    );
}

/// The restarted server still takes writes on the recovered database.
pub(crate) async fn assert_writable(server: &Server, page: &str, count_before: usize) {
    let r = Client::new()
        .post(server.api("/comments"))
        .json(&json!({"url": page, "author": {"name": "after"}, "body": "after the restart"}))
        .timeout(REQUEST_LIMIT)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    assert!(
        v["thread_count"].as_i64().unwrap() > count_before as i64,
        "{v}"
    );
}
