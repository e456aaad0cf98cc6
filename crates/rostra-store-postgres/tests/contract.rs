//! The storage contract, run against PostgreSQL: each test on a schema of its
//! own on the server `ROSTRA_TEST_POSTGRES_URL` names (skipped when unset).

use rostra_store::Store;
use rostra_store_postgres::testing::TestSchema;
use rostra_store_postgres::{PostgresOptions, PostgresStore};
use std::sync::Arc;

async fn fresh_store() -> Option<(Arc<dyn Store>, TestSchema)> {
    let schema = TestSchema::create("contract")
        .await
        .unwrap_or_else(|e| panic!("{e}"))?;
    let url = schema.url().unwrap_or_else(|e| panic!("{e}"));
    let store = PostgresStore::open(&url, &PostgresOptions::default())
        .await
        .unwrap_or_else(|e| panic!("open: {e}"));
    Some((Arc::new(store), schema))
}

rostra_store::contract_tests!(optional fresh_store);
