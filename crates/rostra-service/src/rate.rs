//! Rate limits per client address and site, kept by the store, so that
//! several nodes on one database count the same takes (see
//! [`rostra_store::rate`]).

use crate::{Service, ServiceError};
use rostra_core::privacy::address_hash;
use rostra_core::Timestamp;
use rostra_store::{RateDecision, RatePolicy};

impl Service {
    /// One take of `action` (a short name: `write`, `vote`, …) by the client
    /// at `address` on `site` (empty for limits across sites), under
    /// `policy`. The store sees the address only as its keyed hash.
    pub async fn take_rate(
        &self,
        action: &str,
        address: &str,
        site: &str,
        policy: RatePolicy,
    ) -> Result<RateDecision, ServiceError> {
        let key = format!(
            "{action}:{site}:{}",
            address_hash(&self.address_secret, address)
        );
        Ok(self.store.take_rate(&key, Timestamp::now(), policy).await?)
    }

    /// Forgets the rate keys no longer limited (call now and then).
    pub async fn forget_rates(&self) -> Result<u64, ServiceError> {
        Ok(self.store.forget_rates(Timestamp::now()).await?)
    }
}
