//! Live totals of campaigns: who watches which campaign, and the news of
//! each donation for them.
//!
//! Unlike a thread's events, a campaign's news is its whole state (the
//! amount raised and the donors), so nothing needs replaying: a reader that
//! connects, reconnects or falls behind simply asks for the current totals
//! (a [`CampaignNews::Reset`] says so), and the next donation brings the new
//! ones. One `broadcast` channel per watched campaign wakes only its readers.

use rostra_core::{CampaignSlug, SiteId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::{broadcast, watch};

/// News a watcher may fall behind by before it is told to refetch.
const LIVE_PER_CAMPAIGN: usize = 16;

type Key = (SiteId, CampaignSlug);

/// What a campaign's watchers hear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CampaignNews {
    /// A donation (or refund) moved the totals.
    Totals {
        /// The amount raised, in minor units.
        raised: i64,
        /// The donors.
        donors: i64,
    },
    /// The totals may have changed unseen: fetch them.
    Reset,
}

/// The in-process bus of campaign news. Cheap to clone: clones share it.
#[derive(Clone)]
pub struct CampaignBus {
    live: Arc<Mutex<HashMap<Key, broadcast::Sender<CampaignNews>>>>,
    closed: Arc<watch::Sender<bool>>,
}

impl Default for CampaignBus {
    fn default() -> Self {
        Self {
            live: Arc::default(),
            closed: Arc::new(watch::channel(false).0),
        }
    }
}

impl CampaignBus {
    fn live(&self) -> std::sync::MutexGuard<'_, HashMap<Key, broadcast::Sender<CampaignNews>>> {
        // Nothing under the lock can leave the map half-changed.
        self.live.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Tells a campaign's watchers its new totals (after the commit).
    pub fn publish(&self, site: SiteId, slug: CampaignSlug, news: CampaignNews) {
        let mut live = self.live();
        let key = (site, slug);
        if let Some(tx) = live.get(&key) {
            if tx.send(news).is_err() {
                // Nobody watches any more.
                live.remove(&key);
            }
        }
    }

    /// Tells every watcher of every campaign to refetch.
    pub fn reset_all(&self) {
        for tx in self.live().values() {
            let _ = tx.send(CampaignNews::Reset);
        }
    }

    /// Watches a campaign.
    pub fn subscribe(&self, site: SiteId, slug: CampaignSlug) -> CampaignWatch {
        let rx = self
            .live()
            .entry((site, slug))
            .or_insert_with(|| broadcast::channel(LIVE_PER_CAMPAIGN).0)
            .subscribe();
        CampaignWatch {
            rx,
            closed: self.closed.subscribe(),
        }
    }

    /// Ends every watch, now and to come (a graceful stop).
    pub fn close(&self) {
        self.closed.send_replace(true);
    }

    /// Campaigns somebody watches.
    pub fn watched(&self) -> usize {
        self.live().len()
    }
}

/// One watcher of one campaign.
pub struct CampaignWatch {
    rx: broadcast::Receiver<CampaignNews>,
    closed: watch::Receiver<bool>,
}

impl CampaignWatch {
    /// The next news; `None` once the bus is closed.
    pub async fn next(&mut self) -> Option<CampaignNews> {
        if *self.closed.borrow() {
            return None;
        }
        tokio::select! {
            biased;
            _ = self.closed.changed() => None,
            news = self.rx.recv() => match news {
                Ok(news) => Some(news),
                Err(broadcast::error::RecvError::Lagged(_)) => Some(CampaignNews::Reset),
                Err(broadcast::error::RecvError::Closed) => None,
            },
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn key() -> (SiteId, CampaignSlug) {
        (
            SiteId::parse("demo").unwrap(),
            CampaignSlug::parse("fall").unwrap(),
        )
    }

    #[tokio::test]
    async fn watchers_hear_their_campaign_only() {
        let bus = CampaignBus::default();
        let (site, slug) = key();
        let mut w = bus.subscribe(site.clone(), slug.clone());
        let other = CampaignSlug::parse("spring").unwrap();
        bus.publish(site.clone(), other, CampaignNews::Reset);
        let news = CampaignNews::Totals {
            raised: 5,
            donors: 1,
        };
        bus.publish(site, slug, news);
        assert_eq!(w.next().await, Some(news));
    }

    #[tokio::test]
    async fn a_slow_watcher_is_told_to_refetch_and_close_ends_watches() {
        let bus = CampaignBus::default();
        let (site, slug) = key();
        let mut w = bus.subscribe(site.clone(), slug.clone());
        for raised in 0..40 {
            bus.publish(
                site.clone(),
                slug.clone(),
                CampaignNews::Totals { raised, donors: 0 },
            );
        }
        assert_eq!(w.next().await, Some(CampaignNews::Reset));
        bus.close();
        assert_eq!(w.next().await, None);
    }

    #[tokio::test]
    async fn an_unwatched_campaign_is_forgotten() {
        let bus = CampaignBus::default();
        let (site, slug) = key();
        drop(bus.subscribe(site.clone(), slug.clone()));
        assert_eq!(bus.watched(), 1);
        bus.publish(site, slug, CampaignNews::Reset);
        assert_eq!(bus.watched(), 0);
    }
}
