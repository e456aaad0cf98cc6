//! Sites, cached: every request names one, few ever change.

use crate::ServiceError;
use rostra_core::{NewSite, Origin, Site, SiteId, SiteSettings};
use rostra_store::Store;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How long a site is trusted from memory before it is read again (changes
/// made through this process are seen at once).
const TTL: Duration = Duration::from_secs(10);

type Cached = HashMap<SiteId, (Instant, Arc<Site>)>;

/// A read-through cache of sites.
#[derive(Clone)]
pub struct SiteCache {
    store: Arc<dyn Store>,
    cached: Arc<RwLock<Cached>>,
}

impl SiteCache {
    pub(crate) fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            cached: Arc::default(),
        }
    }

    /// The site, or `NotFound`.
    pub async fn get(&self, id: &SiteId) -> Result<Arc<Site>, ServiceError> {
        if let Ok(cached) = self.cached.read() {
            if let Some((at, site)) = cached.get(id) {
                if at.elapsed() < TTL {
                    return Ok(site.clone());
                }
            }
        }
        let site = self
            .store
            .site(id)
            .await?
            .ok_or(ServiceError::NotFound("site"))?;
        Ok(self.remember(site))
    }

    fn remember(&self, site: Site) -> Arc<Site> {
        let site = Arc::new(site);
        if let Ok(mut cached) = self.cached.write() {
            cached.insert(site.id.clone(), (Instant::now(), site.clone()));
        }
        site
    }

    /// Creates a site.
    pub async fn create(
        &self,
        id: SiteId,
        name: String,
        allowed_origins: Vec<Origin>,
        settings: SiteSettings,
    ) -> Result<Arc<Site>, ServiceError> {
        let site = self
            .store
            .create_site(NewSite {
                id,
                name,
                allowed_origins,
                settings,
                voter_secret: crate::random_bytes(),
            })
            .await?;
        Ok(self.remember(site))
    }

    /// Creates the site unless it exists; returns it either way.
    pub async fn ensure(
        &self,
        id: SiteId,
        name: String,
        allowed_origins: Vec<Origin>,
        settings: SiteSettings,
    ) -> Result<Arc<Site>, ServiceError> {
        match self
            .create(id.clone(), name, allowed_origins, settings)
            .await
        {
            Err(ServiceError::Conflict(_)) => self.get(&id).await,
            other => other,
        }
    }

    /// Saves a changed site.
    pub async fn update(&self, site: Site) -> Result<Arc<Site>, ServiceError> {
        let site = self.store.update_site(site).await?;
        Ok(self.remember(site))
    }

    /// Every site, from the store.
    pub async fn all(&self) -> Result<Vec<Site>, ServiceError> {
        Ok(self.store.sites().await?)
    }
}
