//! End-to-end tests in a real browser: Debian's Chromium, driven by
//! playwright-core from the Node test files in `e2e/tests/`, against the
//! real application with the demo page at `/`.
//!
//! Each test file gets a Rostra of its own (port 0, a fresh data directory,
//! the demo seeded with its eleven comments), so that what one file posts
//! never shows in another's counts; the file runs as `node --test FILE` with
//! the server in `ROSTRA_E2E_BASE` and the screenshot folder in
//! `ROSTRA_E2E_ARTIFACTS` (`target/e2e-artifacts/`). Each Rostra also has an
//! owner (so also a moderator) of the demo, `alice`, whose password is in
//! `ROSTRA_E2E_MODERATOR_PASSWORD` (for the moderation page's test, and the
//! campaign's, which reads the webhook secret). Node's output is
//! streamed into this test's output (`--nocapture` shows it live); a line per
//! file goes to the real standard error either way.
//!
//! Needs `/usr/bin/chromium` and `e2e/node_modules` (`apt-get install -y
//! chromium`, `npm ci` in `e2e/`: what `.ci/run` does). Without them the
//! test says it is skipped and passes, unless `ROSTRA_TEST_BROWSER=1`, which
//! makes it a failure (CI sets it). `ROSTRA_E2E_FILTER=vote` runs only the
//! files whose name contains `vote`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use rostra::config::Config;
use rostra::startup::Application;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::Command;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The browser the tests drive (Debian's package `chromium`).
const CHROMIUM: &str = "/usr/bin/chromium";
/// Set to 1, a missing browser or Node package fails the test instead of skipping it.
const REQUIRE_VAR: &str = "ROSTRA_TEST_BROWSER";
/// Longest one test file may run, its browser's start included (a file
/// usually takes 2-6 s).
const FILE_LIMIT: Duration = Duration::from_secs(180);
/// Past this, no further file is started: a hanging browser must not eat
/// CI's time (the whole suite usually takes under a minute).
const SUITE_LIMIT: Duration = Duration::from_secs(900);
/// The demo's owner (who moderates too) in every test file's Rostra.
const MODERATOR: &str = "alice";
/// Their password (a throwaway Rostra on 127.0.0.1, gone after the file).
const MODERATOR_PASSWORD: &str = "e2e moderator password";

/// Writes a line on the real standard error, which the test harness does not
/// capture, so that a plain `cargo test` shows it.
fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// The repository's `e2e/` folder.
fn e2e_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../e2e")
}

/// What the suite needs and this machine lacks, each with how to install it.
fn missing(e2e: &Path) -> Vec<&'static str> {
    let mut lacks = Vec::new();
    if !Path::new(CHROMIUM).is_file() {
        lacks.push("Chromium at /usr/bin/chromium (`apt-get install -y chromium`)");
    }
    if node_major().is_none_or(|major| major < 20) {
        lacks.push("Node.js 20 or later as `node` (`apt-get install -y nodejs`, or nodesource)");
    }
    if !e2e
        .join("node_modules/playwright-core/package.json")
        .is_file()
        || !e2e.join("node_modules/axe-core/axe.min.js").is_file()
    {
        lacks.push("the Node packages of e2e/ (`npm ci` in e2e/, with Node.js 20 or later)");
    }
    lacks
}

/// The major version of the `node` on the PATH, if there is one.
fn node_major() -> Option<u32> {
    let out = std::process::Command::new("node")
        .arg("--version")
        .output()
        .ok()?;
    let version = String::from_utf8_lossy(&out.stdout);
    version
        .trim()
        .strip_prefix('v')?
        .split('.')
        .next()?
        .parse()
        .ok()
}

/// The test files, in name order, narrowed by `ROSTRA_E2E_FILTER`.
fn test_files(e2e: &Path) -> Vec<PathBuf> {
    let filter = std::env::var("ROSTRA_E2E_FILTER").unwrap_or_default();
    let mut files: Vec<PathBuf> = std::fs::read_dir(e2e.join("tests"))
        .expect("reading e2e/tests")
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".test.js") && n.contains(filter.as_str()))
        })
        .collect();
    files.sort();
    files
}

/// Where the screenshots go: `ROSTRA_E2E_ARTIFACTS`, or `target/e2e-artifacts/`.
fn artifacts_dir() -> PathBuf {
    match std::env::var_os("ROSTRA_E2E_ARTIFACTS") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e-artifacts"),
    }
}

/// The application, in this process, with the demo on and its own data.
struct App {
    base: String,
    /// Where the demo's mail goes (`[mail] transport = "files"`, the default).
    mail_dir: PathBuf,
    stop: Option<oneshot::Sender<()>>,
    served: Option<JoinHandle<anyhow::Result<()>>>,
    _dir: tempfile::TempDir,
}

impl App {
    async fn spawn() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config::default();
        config.server.listen = "127.0.0.1:0".parse().unwrap();
        config.server.data_dir = dir.path().to_path_buf();
        config.server.shutdown_grace_secs = 2;
        config.demo.enabled = true;
        config.demo.seed = true;
        // Every request comes from 127.0.0.1: limits generous enough for the
        // tests that post dozens of comments, but still in the path.
        config.rate.writes_per_minute = 6_000;
        config.rate.write_burst = 500;
        config.rate.votes_per_minute = 6_000;
        config.rate.vote_burst = 500;
        let app = Application::build(&config).await.unwrap();
        // Playwright fills a form in milliseconds where people take seconds:
        // the time-to-submit check would keep every test comment as spam.
        let sites = app.state().service.sites();
        let demo = rostra_core::SiteId::parse("demo").unwrap();
        let mut site = (*sites.get(&demo).await.unwrap()).clone();
        site.settings.spam.min_submit_secs = 0;
        // The widget's nudge is tested (e2e/tests/nudge.test.js); calm test
        // comments are never nudged.
        site.settings.toxicity.nudge = true;
        sites.update(site).await.unwrap();
        app.state()
            .service
            .add_user(
                MODERATOR,
                Some(MODERATOR_PASSWORD),
                None,
                &demo,
                rostra_core::Role::Owner,
            )
            .await
            .unwrap();
        // The demo page's canonical URL is http://127.0.0.1:PORT/.
        let base = format!("http://127.0.0.1:{}", app.local_addr().port());
        let (stop, stopped) = oneshot::channel::<()>();
        let served = tokio::spawn(app.run_until(async move {
            let _ = stopped.await;
        }));
        Self {
            base,
            mail_dir: dir.path().join("mail"),
            stop: Some(stop),
            served: Some(served),
            _dir: dir,
        }
    }

    async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(served) = self.served.take() {
            served.await.unwrap().unwrap();
        }
    }
}

/// Copies a child's output into this test's output, line by line.
async fn stream(from: impl AsyncRead + Unpin) {
    let mut lines = BufReader::new(from).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        println!("{line}");
    }
}

/// Runs one test file against `app`; whether it passed.
async fn run_file(e2e: &Path, file: &Path, app: &App, artifacts: &Path) -> Result<(), String> {
    let mut cmd = Command::new("node");
    cmd.current_dir(e2e)
        .args(["--test", "--test-reporter=spec"])
        .arg(file)
        .env("ROSTRA_E2E_BASE", &app.base)
        .env("ROSTRA_E2E_ARTIFACTS", artifacts)
        .env("ROSTRA_E2E_MODERATOR", MODERATOR)
        .env("ROSTRA_E2E_MODERATOR_PASSWORD", MODERATOR_PASSWORD)
        .env("ROSTRA_E2E_CHROMIUM", CHROMIUM)
        .env("ROSTRA_E2E_MAIL_DIR", &app.mail_dir)
        .env("FORCE_COLOR", "0")
        .env_remove("NODE_OPTIONS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("could not start `node` (Node.js 20 or later is needed): {e}"))?;
    let out = tokio::spawn(stream(child.stdout.take().unwrap()));
    let err = tokio::spawn(stream(child.stderr.take().unwrap()));
    let status = match tokio::time::timeout(FILE_LIMIT, child.wait()).await {
        Ok(status) => status.map_err(|e| e.to_string())?,
        Err(_) => {
            let _ = child.kill().await;
            return Err(format!("still running after {FILE_LIMIT:?}; killed"));
        }
    };
    let _ = out.await;
    let _ = err.await;
    if status.success() {
        Ok(())
    } else {
        Err(format!("node --test exited with {status}"))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_end_to_end() {
    let e2e = e2e_dir().canonicalize().expect("the e2e/ folder");
    let lacks = missing(&e2e);
    if !lacks.is_empty() {
        let msg = format!(
            "the browser tests need {}; .ci/run installs them",
            lacks.join(" and ")
        );
        if std::env::var(REQUIRE_VAR).is_ok_and(|v| v == "1") {
            panic!("{REQUIRE_VAR}=1 but {msg}");
        }
        println!("browser_end_to_end: skipped: {msg}");
        say(&format!(
            "browser tests skipped: {msg} (set {REQUIRE_VAR}=1 to make this a failure)"
        ));
        return;
    }
    let artifacts = artifacts_dir();
    std::fs::create_dir_all(&artifacts).unwrap();
    let artifacts = artifacts.canonicalize().unwrap();
    let files = test_files(&e2e);
    assert!(!files.is_empty(), "no e2e/tests/*.test.js file to run");

    let started = Instant::now();
    let mut failed = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        if started.elapsed() > SUITE_LIMIT {
            say(&format!(
                "e2e {name}: NOT RUN, the suite ran past {SUITE_LIMIT:?}"
            ));
            failed.push(format!(
                "{name}: not run, the suite ran past {SUITE_LIMIT:?}"
            ));
            continue;
        }
        let app = App::spawn().await;
        println!("== e2e {name} against {}", app.base);
        let t = Instant::now();
        let outcome = run_file(&e2e, file, &app, &artifacts).await;
        app.stop().await;
        let secs = t.elapsed().as_secs_f32();
        match outcome {
            Ok(()) => say(&format!("e2e {name}: ok ({secs:.1} s)")),
            Err(why) => {
                say(&format!("e2e {name}: FAILED ({secs:.1} s): {why}"));
                failed.push(format!("{name}: {why}"));
            }
        }
    }
    say(&format!(
        "e2e: {} of {} files passed in {:.1} s; screenshots in {}",
        files.len() - failed.len(),
        files.len(),
        started.elapsed().as_secs_f32(),
        artifacts.display()
    ));
    assert!(
        failed.is_empty(),
        "browser tests failed (their output is above):\n  {}",
        failed.join("\n  ")
    );
}
