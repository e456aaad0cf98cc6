//! Rostra's use cases: what a reader, an author or a tool can do, on top of any
//! [`Store`](rostra_store::Store). The web layer and the CLI both call these;
//! neither talks to the store for anything a user asked for.

pub mod accounts;
mod audit;
mod bans;
pub mod campaigns;
mod comments;
mod error;
pub mod events;
pub mod mail;
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
pub use campaigns::bus::{CampaignBus, CampaignNews};
pub use campaigns::{CampaignInput, ManualDonation};
pub use comments::{CountEntry, Counts, PostInput, Posted};
pub use error::ServiceError;
pub use events::EventBus;
pub use moderators::{Principal, Session};
pub use pages::{Paging, ThreadPage};
pub use policy::FormSignals;
pub use queue::{ActionOutcome, QueuePage, QueueSelect};
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
    campaign_bus: CampaignBus,
    address_secret: Arc<Vec<u8>>,
    model: Option<Arc<rostra_toxicity::Model>>,
    mail: MailRuntime,
}

/// What mail and deliveries share across the service's clones.
#[derive(Clone)]
struct MailRuntime {
    settings: Arc<mail::MailSettings>,
    link_secret: Arc<Vec<u8>>,
    wake: Arc<tokio::sync::Notify>,
    http: reqwest::Client,
}

impl Service {
    /// Builds the service over `store`.
    pub async fn new(store: Arc<dyn Store>, limits: Limits) -> Result<Self, ServiceError> {
        let address_secret = store.secret("address-hash", random_bytes()).await?;
        let link_secret = store.secret("subscription-links", random_bytes()).await?;
        Ok(Self {
            sites: SiteCache::new(store.clone()),
            store,
            limits: Arc::new(limits),
            versions: ThreadVersions::default(),
            events: EventBus::default(),
            campaign_bus: CampaignBus::default(),
            address_secret: Arc::new(address_secret),
            model: Some(rostra_toxicity::shipped()),
            mail: MailRuntime {
                settings: Arc::new(mail::MailSettings::default()),
                link_secret: Arc::new(link_secret),
                wake: Arc::new(tokio::sync::Notify::new()),
                http: reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .map_err(|e| ServiceError::Internal(e.to_string()))?,
            },
        })
    }

    /// Scores comments with `model` instead of the shipped one (`None`: no
    /// model; the policy then acts on spam signals alone).
    pub fn with_model(mut self, model: Option<Arc<rostra_toxicity::Model>>) -> Self {
        self.model = model;
        self
    }

    /// Sends mail and deliveries per `settings`.
    pub fn with_mail(mut self, settings: mail::MailSettings) -> Self {
        self.mail.settings = Arc::new(settings);
        self
    }

    /// How mail goes out.
    pub fn mail_settings(&self) -> &mail::MailSettings {
        &self.mail.settings
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
