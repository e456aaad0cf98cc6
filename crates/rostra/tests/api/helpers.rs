//! `TestApp`: one running Rostra per test, on the backend its test target
//! names (`crate::BACKEND`): a SQLite file in a scratch data directory, or a
//! scratch schema on the PostgreSQL server `ROSTRA_TEST_POSTGRES_URL` names.

use reqwest::{Client, Response, StatusCode};
use rostra::config::Config;
use rostra::startup::Application;
use rostra_server::AppState;
use rostra_store_postgres::testing::TestSchema;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::path::Path;
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The database a test target runs its tests on.
#[allow(dead_code)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// `DATA_DIR/rostra.db`, as shipped.
    Sqlite,
    /// A scratch schema on the server `ROSTRA_TEST_POSTGRES_URL` names.
    Postgres,
}

/// In a PostgreSQL run, the file of the data directory that names the
/// app's schema, so that an app restarted on the same directory finds its
/// data again, as it does on SQLite.
const SCHEMA_FILE: &str = "postgres-schema";

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: Client,
    pub state: AppState,
    /// The configuration it runs with (for tests that restart it).
    #[allow(dead_code)]
    pub config: Config,
    _dir: TempDir,
    /// The PostgreSQL schema it stores into, dropped with it.
    schema: Option<TestSchema>,
    stop: Option<oneshot::Sender<()>>,
    served: Option<JoinHandle<anyhow::Result<()>>>,
}

/// What a stopped app leaves: its data directory (and, on PostgreSQL, its
/// schema), kept until this is dropped, for a test to start another app on.
pub struct Stopped {
    dir: TempDir,
    _schema: Option<TestSchema>,
}

impl Stopped {
    /// The data directory.
    #[allow(dead_code)]
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// The scratch schema of an app on `config`'s data directory: the one an app
/// before it made there, or a new one (`None`: no server, test skipped).
async fn schema_for(config: &Config) -> Option<TestSchema> {
    let file = config.server.data_dir.join(SCHEMA_FILE);
    if let Ok(name) = std::fs::read_to_string(&file) {
        return Some(TestSchema::borrowed(name.trim()).unwrap());
    }
    let test = std::thread::current().name().unwrap_or("api").to_owned();
    let schema = TestSchema::create(&test)
        .await
        .unwrap_or_else(|e| panic!("{e}"))?;
    std::fs::write(&file, schema.name()).unwrap();
    Some(schema)
}

impl TestApp {
    /// Rostra with test defaults: rate limits off, everything else as shipped.
    /// `None` when the target's backend is not there (the test is skipped,
    /// and says so).
    pub async fn spawn() -> Option<Self> {
        Self::spawn_with(|_| {}).await
    }

    /// Rostra with the test defaults changed by `tweak`.
    pub async fn spawn_with(tweak: impl FnOnce(&mut Config)) -> Option<Self> {
        Self::spawn_in(tempfile::tempdir().unwrap(), tweak).await
    }

    /// The scratch PostgreSQL schema this app stores into, if any.
    #[allow(dead_code)]
    pub fn schema_name(&self) -> Option<&str> {
        self.schema.as_ref().map(|s| s.name())
    }

    /// Another node on this app's database (PostgreSQL only): a server of
    /// its own, on its own port, with its own caches and streams, sharing
    /// the data. It leaves the schema to this app.
    #[allow(dead_code)]
    pub async fn spawn_node(&self) -> Self {
        self.spawn_node_with(|_| {}).await
    }

    /// Another node, with the test defaults changed by `tweak`.
    #[allow(dead_code)]
    pub async fn spawn_node_with(&self, tweak: impl FnOnce(&mut Config)) -> Self {
        let schema = self
            .schema
            .as_ref()
            .expect("several nodes share a PostgreSQL database");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(SCHEMA_FILE), schema.name()).unwrap();
        Self::spawn_in(dir, tweak).await.unwrap()
    }

    /// Rostra on the data directory `dir` (on PostgreSQL: in the schema its
    /// schema file names, or a new one).
    async fn spawn_in(dir: TempDir, tweak: impl FnOnce(&mut Config)) -> Option<Self> {
        let mut config = Config::default();
        config.server.listen = "127.0.0.1:0".parse().unwrap();
        config.server.data_dir = dir.path().to_path_buf();
        config.server.shutdown_grace_secs = 2;
        config.rate.writes_per_minute = 0;
        config.rate.votes_per_minute = 0;
        // Tests start from an empty demo thread unless they ask for the seed.
        config.demo.seed = false;
        tweak(&mut config);
        let schema = match crate::BACKEND {
            Backend::Sqlite => None,
            Backend::Postgres => {
                let schema = schema_for(&config).await?;
                config.database.url = schema.url().unwrap();
                Some(schema)
            }
        };
        let app = Application::build(&config).await.unwrap();
        let addr = app.local_addr();
        let state = app.state().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        let served = tokio::spawn(app.run_until(async move {
            let _ = stopped.await;
        }));
        Some(Self {
            addr,
            client: Client::new(),
            state,
            config,
            _dir: dir,
            schema,
            stop: Some(stop),
            served: Some(served),
        })
    }

    /// Stops the server, waits for it to finish, and hands back its data
    /// (deleted when dropped).
    pub async fn stop(mut self) -> Stopped {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(served) = self.served.take() {
            served.await.unwrap().unwrap();
        }
        let dir = tempfile::tempdir().unwrap();
        Stopped {
            dir: std::mem::replace(&mut self._dir, dir),
            _schema: self.schema.take(),
        }
    }

    /// An absolute URL on the server.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// A page of the demo site (its origin is the server's own).
    pub fn page(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.addr.port())
    }

    pub fn api(&self, rest: &str) -> String {
        self.url(&format!("/api/v1/sites/demo{rest}"))
    }

    /// POSTs a comment as `name` on `page`.
    pub async fn post_comment(
        &self,
        page: &str,
        parent: Option<i64>,
        name: &str,
        body: &str,
    ) -> Response {
        self.post_comment_at(&self.page(page), parent, name, body)
            .await
    }

    /// POSTs a comment as `name` on the absolute page URL `url`.
    pub async fn post_comment_at(
        &self,
        url: &str,
        parent: Option<i64>,
        name: &str,
        body: &str,
    ) -> Response {
        let mut req =
            json!({"url": url, "title": "A page", "author": {"name": name}, "body": body});
        if let Some(p) = parent {
            req["parent"] = json!(p);
        }
        self.client
            .post(self.api("/comments"))
            .json(&req)
            .send()
            .await
            .unwrap()
    }

    /// Posts and returns (id, edit token); panics unless 201.
    pub async fn comment(&self, page: &str, parent: Option<i64>, body: &str) -> (i64, String) {
        self.comment_at(&self.page(page), parent, body).await
    }

    /// The same on the absolute page URL `url`.
    pub async fn comment_at(&self, url: &str, parent: Option<i64>, body: &str) -> (i64, String) {
        let r = self.post_comment_at(url, parent, "Ann", body).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        let v: Value = r.json().await.unwrap();
        (
            v["comment"]["id"].as_i64().unwrap(),
            v["edit_token"].as_str().unwrap().to_owned(),
        )
    }

    /// GETs a thread page with extra query parameters.
    pub async fn thread(&self, page: &str, query: &[(&str, &str)]) -> Response {
        self.thread_at(&self.page(page), query).await
    }

    /// GETs the thread page of the absolute page URL `url` (a page of
    /// another node's origin, say).
    pub async fn thread_at(&self, url: &str, query: &[(&str, &str)]) -> Response {
        let mut q: Vec<(&str, String)> = vec![("url", url.to_owned())];
        q.extend(query.iter().map(|(k, v)| (*k, (*v).to_owned())));
        self.client
            .get(self.api("/thread"))
            .query(&q)
            .send()
            .await
            .unwrap()
    }

    /// The thread page's JSON; panics unless 200.
    pub async fn thread_json(&self, page: &str, query: &[(&str, &str)]) -> Value {
        let r = self.thread(page, query).await;
        assert_eq!(r.status(), StatusCode::OK);
        r.json().await.unwrap()
    }

    /// Votes as `voter`.
    pub async fn vote(&self, id: i64, voter: &str, value: i64) -> Response {
        self.client
            .post(self.api(&format!("/comments/{id}/vote")))
            .header("x-rostra-voter", voter)
            .json(&json!({"value": value}))
            .send()
            .await
            .unwrap()
    }
}

/// Asserts an error response: status, code and (when given) field.
pub async fn assert_error(
    r: Response,
    status: StatusCode,
    code: &str,
    field: Option<&str>,
) -> Value {
    assert_eq!(r.status(), status, "status");
    assert!(
        r.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json")),
        "error bodies are JSON"
    );
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], code, "{v}");
    if let Some(f) = field {
        assert_eq!(v["error"]["field"], f, "{v}");
    }
    assert!(
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{v}"
    );
    v
}

/// Ids of top-level comments in a page.
pub fn top_ids(page: &Value) -> Vec<i64> {
    page["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect()
}

/// One Server-Sent Event as received.
#[derive(Debug, Clone, PartialEq)]
pub struct SseEvent {
    /// `event:`
    pub event: String,
    /// `data:`, parsed as JSON.
    pub data: Value,
    /// `id:`
    pub id: Option<String>,
}

/// A live-update stream being read: a tiny SSE parser over the response's
/// chunks. Every read has a time limit, so a failing test fails, never hangs.
pub struct EventStream {
    response: Response,
    buffer: String,
    /// The last `id:` seen, as a browser keeps it for `Last-Event-ID`
    /// (messages with no data, which carry only an id, move it too).
    pub last_id: Option<String>,
}

/// How long a test waits for an event that should come.
const EVENT_LIMIT: std::time::Duration = std::time::Duration::from_secs(10);

impl EventStream {
    /// Reads `response`, which must be a 200 event stream.
    pub fn new(response: Response) -> Self {
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.headers()["content-type"].to_str().unwrap(),
            "text/event-stream"
        );
        Self {
            response,
            buffer: String::new(),
            last_id: None,
        }
    }

    /// The next message block (up to a blank line); `None` when the stream
    /// ends.
    async fn block(&mut self) -> Option<String> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block = self.buffer[..end].to_owned();
                self.buffer.drain(..end + 2);
                return Some(block);
            }
            let chunk = self.response.chunk().await.unwrap()?;
            self.buffer.push_str(std::str::from_utf8(&chunk).unwrap());
        }
    }

    /// The next event with data (comments and id-only messages are read
    /// past, noting their ids); `None` when the stream ends first.
    pub async fn next_or_end(&mut self) -> Option<SseEvent> {
        loop {
            let block = self.block().await?;
            let (mut event, mut data, mut id) = (String::from("message"), None::<String>, None);
            for line in block.lines() {
                let (field, value) = line.split_once(':').unwrap_or((line, ""));
                let value = value.strip_prefix(' ').unwrap_or(value);
                match field {
                    "event" => event = value.to_owned(),
                    "data" => data = Some(value.to_owned()),
                    "id" => id = Some(value.to_owned()),
                    _ => {}
                }
            }
            if id.is_some() {
                self.last_id.clone_from(&id);
            }
            if let Some(data) = data {
                let data = serde_json::from_str(&data).unwrap();
                return Some(SseEvent { event, data, id });
            }
        }
    }

    /// The next event; fails the test if none comes in time.
    pub async fn next(&mut self) -> SseEvent {
        match tokio::time::timeout(EVENT_LIMIT, self.next_or_end()).await {
            Ok(Some(event)) => event,
            Ok(None) => panic!("the stream ended"),
            Err(_) => panic!("no event within {EVENT_LIMIT:?}"),
        }
    }

    /// Fails the test if an event comes within `wait`.
    pub async fn quiet(&mut self, wait: std::time::Duration) {
        if let Ok(got) = tokio::time::timeout(wait, self.next_or_end()).await {
            panic!("no event expected, got {got:?}");
        }
    }
}

impl TestApp {
    /// Opens the live-update stream of a demo page, as a browser that last
    /// saw `last_id`.
    pub async fn stream(&self, page: &str, last_id: Option<&str>) -> Response {
        self.stream_at(&self.page(page), last_id).await
    }

    /// Opens the live-update stream of the absolute page URL `url`.
    pub async fn stream_at(&self, url: &str, last_id: Option<&str>) -> Response {
        let mut req = self.client.get(self.api("/stream")).query(&[("url", url)]);
        if let Some(id) = last_id {
            req = req.header("last-event-id", id);
        }
        req.send().await.unwrap()
    }

    /// The same, read as events.
    pub async fn events(&self, page: &str, last_id: Option<&str>) -> EventStream {
        EventStream::new(self.stream(page, last_id).await)
    }
}
