//! The storage contract, run against SQLite.

use rostra_store::Store;
use rostra_store_sqlite::{SqliteOptions, SqliteStore};
use std::sync::Arc;

async fn fresh_store() -> Arc<dyn Store> {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let path = dir.path().join("rostra.db");
    // The directory lives as long as the test process; each test has its own.
    std::mem::forget(dir);
    let store = SqliteStore::open(&path, &SqliteOptions::default())
        .await
        .unwrap_or_else(|e| panic!("open: {e}"));
    Arc::new(store)
}

rostra_store::contract_tests!(fresh_store);
