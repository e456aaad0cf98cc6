//! Durability of the real binary: a write the server acknowledged (201)
//! survives SIGKILL in the middle of a write storm, and SIGTERM drains
//! requests in flight and exits 0.

use crate::binary::{
    assert_all_present, assert_writable, join_writers, storm, wait_for_acks, Server, REQUEST_LIMIT,
    START_LIMIT,
};
use crate::helpers::EventStream;
use reqwest::{Client, StatusCode};
use serde_json::json;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use tokio::time::timeout;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_writes_survive_sigkill() {
    const WRITERS: usize = 8;
    const ACKED: usize = 300;
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path()).await;
    let page = server.page("/durability/kill");
    let (storm, writers) = storm(&server, "/durability/kill", WRITERS);
    wait_for_acks(&storm, ACKED, &server).await;

    // Writers are still posting: kill the server under them.
    storm.stopping.store(true, Ordering::SeqCst);
    let in_flight_at_kill = writers.iter().filter(|w| !w.is_finished()).count();
    server.child.kill().await.unwrap();
    let status = server.wait(START_LIMIT).await;
    assert!(
        !status.success(),
        "SIGKILL cannot look like a clean exit: {status:?}"
    );
    let failures = storm.failures.lock().unwrap().clone();
    assert_eq!(
        in_flight_at_kill, WRITERS,
        "every writer was still writing at the kill ({failures:?})"
    );
    join_writers(writers).await;
    let failures = storm.failures.lock().unwrap().clone();
    assert!(
        failures.is_empty(),
        "writes failed before the kill: {failures:?}"
    );
    // Responses already on the wire at the kill count too: the server only
    // answers after the commit.
    let acked = storm.acked.lock().unwrap().clone();
    assert!(acked.len() >= ACKED, "{}", acked.len());
    drop(server);

    let server = Server::start(dir.path()).await;
    assert_all_present(&server, &page, &acked).await;
    assert_writable(&server, &page, acked.len()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_drains_and_exits_cleanly() {
    const WRITERS: usize = 4;
    const ACKED: usize = 60;
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path()).await;
    let page = server.page("/durability/term");
    let (storm, writers) = storm(&server, "/durability/term", WRITERS);
    wait_for_acks(&storm, ACKED, &server).await;

    storm.stopping.store(true, Ordering::SeqCst);
    let pid = server.child.id().unwrap();
    let asked = Instant::now();
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(kill.success(), "kill -TERM {pid}: {kill:?}");
    let status = server.wait(START_LIMIT).await;
    let took = asked.elapsed();
    let log = server.log();
    assert!(
        status.success(),
        "SIGTERM must end in a clean exit, got {status:?}; stderr:\n{log}"
    );
    assert_eq!(status.code(), Some(0));
    // Requests in flight finished on their own: the 5 s grace did not run out.
    assert!(
        took < Duration::from_secs(5),
        "shutdown took {took:?}; stderr:\n{log}"
    );
    assert!(!log.contains("still in flight"), "stderr:\n{log}");
    join_writers(writers).await;
    let failures = storm.failures.lock().unwrap().clone();
    assert!(
        failures.is_empty(),
        "writes failed before SIGTERM: {failures:?}"
    );
    let acked = storm.acked.lock().unwrap().clone();
    assert!(acked.len() >= ACKED, "{}", acked.len());
    drop(server);

    let server = Server::start(dir.path()).await;
    assert_all_present(&server, &page, &acked).await;
    assert_writable(&server, &page, acked.len()).await;
}

/// A SIGTERM that arrives the moment the server says it is ready still means
/// a graceful stop: the handlers are installed before the ready line.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_right_after_start_is_graceful() {
    for _ in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        let mut server = Server::start(dir.path()).await;
        let pid = server.child.id().unwrap();
        let kill = std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .unwrap();
        assert!(kill.success());
        let status = server.wait(START_LIMIT).await;
        assert_eq!(
            status.code(),
            Some(0),
            "{status:?}; stderr:\n{}",
            server.log()
        );
    }
}

/// A live-update stream never ends on its own: SIGTERM must end it, not wait
/// for it until the grace period runs out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_ends_open_streams_and_exits_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path()).await;
    let client = Client::new();
    let open = client
        .get(server.api("/stream"))
        .query(&[("url", server.page("/durability/stream"))])
        .send();
    let mut events = EventStream::new(timeout(REQUEST_LIMIT, open).await.unwrap().unwrap());
    // The stream is live: a post arrives on it.
    let r = client
        .post(server.api("/comments"))
        .json(&json!({"url": server.page("/durability/stream"), "author": {"name": "Ann"}, "body": "hi"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(events.next().await.data["kind"], "created");

    let pid = server.child.id().unwrap();
    let asked = Instant::now();
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(kill.success(), "kill -TERM {pid}: {kill:?}");
    let status = server.wait(START_LIMIT).await;
    let took = asked.elapsed();
    let log = server.log();
    assert_eq!(status.code(), Some(0), "{status:?}; stderr:\n{log}");
    assert!(
        took < Duration::from_secs(3),
        "shutdown took {took:?}: the stream held it up; stderr:\n{log}"
    );
    assert!(!log.contains("still in flight"), "stderr:\n{log}");
    let end = timeout(REQUEST_LIMIT, events.next_or_end()).await;
    assert!(matches!(end, Ok(None)), "the stream ended: {end:?}");
}
