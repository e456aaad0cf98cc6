//! Rostra's use cases: what a reader, an author or a tool can do, on top of any
//! [`Store`](rostra_store::Store). The web layer and the CLI both call these;
//! neither talks to the store for anything a user asked for.

mod audit;
mod bans;
mod comments;
mod error;
pub mod events;
pub mod moderators;
mod pages;
pub mod policy;
mod preview;
pub mod queue;
mod rate;
mod relay;
mod reports;
mod sites;
mod versions;

pub use bans::BanInput;
pub use comments::{CountEntry, Counts, PostInput, Posted};
pub use error::ServiceError;
pub use events::EventBus;
pub use moderators::{Principal, Session};
pub use pages::{Paging, ThreadPage};
pub use policy::FormSignals;
pub use queue::{ActionOutcome, QueuePage};
pub use reports::ReportOutcome;
pub use sites::SiteCache;
pub use versions::ThreadVersions;

use rand::RngCore;
use rostra_core::Limits;
use rostra_store::Store;
use std::sync::Arc;

/// The use cases, with what they share.
#[derive(Clone)]
pub struct Service {
    store: Arc<dyn Store>,
    limits: Arc<Limits>,
    sites: SiteCache,
    versions: ThreadVersions,
    events: EventBus,
    address_secret: Arc<Vec<u8>>,
    model: Option<Arc<rostra_toxicity::Model>>,
}

impl Service {
    /// Builds the service over `store`.
    pub async fn new(store: Arc<dyn Store>, limits: Limits) -> Result<Self, ServiceError> {
        let address_secret = store.secret("address-hash", random_bytes()).await?;
        Ok(Self {
            sites: SiteCache::new(store.clone()),
            store,
            limits: Arc::new(limits),
            versions: ThreadVersions::default(),
            events: EventBus::default(),
            address_secret: Arc::new(address_secret),
            model: Some(rostra_toxicity::shipped()),
        })
    }

    /// Scores comments with `model` instead of the shipped one (`None`: no
    /// model; the policy then acts on spam signals alone).
    pub fn with_model(mut self, model: Option<Arc<rostra_toxicity::Model>>) -> Self {
        self.model = model;
        self
    }

    /// The store underneath (for health checks and tools).
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Sites, cached.
    pub fn sites(&self) -> &SiteCache {
        &self.sites
    }

    /// Per-thread version counters: a cached rendering of a thread is current
    /// while its thread's version is unchanged.
    pub fn versions(&self) -> &ThreadVersions {
        &self.versions
    }

    /// Live events of threads: every committed change a reader of the page
    /// may see, for the streams that watch it.
    pub fn events(&self) -> &EventBus {
        &self.events
    }
}

/// 32 random bytes, for secrets.
pub fn random_bytes() -> Vec<u8> {
    let mut b = vec![0u8; 32];
    rand::rng().fill_bytes(&mut b);
    b
}
