//! Two real `rostra serve` processes on one PostgreSQL schema, both under a
//! storm of writes, and one of them killed with SIGKILL: nothing it
//! acknowledged is lost, and the other node keeps taking writes throughout.

use crate::binary::{
    assert_all_present, assert_writable, join_writers, storm, wait_for_acks, Server, START_LIMIT,
};
use rostra_store_postgres::testing::TestSchema;
use std::sync::atomic::Ordering;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_node_killed_mid_storm_loses_nothing_acknowledged_and_the_other_keeps_serving() {
    const WRITERS: usize = 4;
    const ACKED: usize = 200;
    const AFTER_THE_KILL: usize = 100;
    let Some(schema) = TestSchema::create("node_kill")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
    else {
        return;
    };
    let url = schema.url().unwrap();
    let env = [("ROSTRA_DATABASE__URL", url.as_str())];
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    // One after the other: the first creates the demo site.
    let mut a = Server::start_with(dir_a.path(), &env).await;
    let b = Server::start_with(dir_b.path(), &env).await;
    let (page_a, page_b) = (a.page("/nodes/kill-a"), b.page("/nodes/kill-b"));
    let (on_a, writers_a) = storm(&a, "/nodes/kill-a", WRITERS);
    let (on_b, writers_b) = storm(&b, "/nodes/kill-b", WRITERS);
    wait_for_acks(&on_a, ACKED, &a).await;
    wait_for_acks(&on_b, ACKED, &b).await;

    // A's writers are still posting: kill A under them.
    on_a.stopping.store(true, Ordering::SeqCst);
    let in_flight_at_kill = writers_a.iter().filter(|w| !w.is_finished()).count();
    a.child.kill().await.unwrap();
    let status = a.wait(START_LIMIT).await;
    assert!(!status.success(), "SIGKILL: {status:?}");
    assert_eq!(in_flight_at_kill, WRITERS, "A's writers were all writing");
    join_writers(writers_a).await;
    let failures = on_a.failures.lock().unwrap().clone();
    assert!(
        failures.is_empty(),
        "A failed before the kill: {failures:?}"
    );
    let acked_a = on_a.acked.lock().unwrap().clone();
    assert!(acked_a.len() >= ACKED, "{}", acked_a.len());

    // B never noticed: its writers go on being acknowledged.
    let before = on_b.count.load(Ordering::SeqCst);
    wait_for_acks(&on_b, before + AFTER_THE_KILL, &b).await;
    on_b.halt.store(true, Ordering::SeqCst);
    join_writers(writers_b).await;
    let failures = on_b.failures.lock().unwrap().clone();
    assert!(failures.is_empty(), "B failed: {failures:?}\n{}", b.log());
    let acked_b = on_b.acked.lock().unwrap().clone();

    // Every write either node acknowledged is on B, whole and listed.
    assert_all_present(&b, &page_a, &acked_a).await;
    assert_all_present(&b, &page_b, &acked_b).await;
    assert_writable(&b, &page_a, acked_a.len()).await;
    drop(schema);
}
