//! Other nodes' writes, relayed to this node: with several nodes on one
//! database, each hears the others' commits through the store's change feed
//! ([`Store::changes`](rostra_store::Store::changes)) and treats each one as
//! it treats its own writes: the thread's version moves, so no cache serves
//! what was read before, and the thread's readers get the event; a
//! campaign's new totals reach its watchers.

use crate::events;
use crate::Service;
use futures::StreamExt;
use rostra_store::feed::{Change, ChangeFeed, ThreadEvent};

impl Service {
    /// Applies `feed` until it ends (a feed of a shared database ends only
    /// when dropped: run this in a task and abort it to stop).
    pub async fn relay(&self, mut feed: ChangeFeed) {
        while let Some(change) = feed.next().await {
            self.apply(change);
        }
    }

    /// Applies one change another node committed.
    pub fn apply(&self, change: Change) {
        let (site, url, event) = match change {
            Change::Thread { site, url, event } => (site, url, event),
            Change::Campaign {
                site,
                slug,
                raised,
                donors,
            } => {
                let news = crate::CampaignNews::Totals { raised, donors };
                self.campaign_bus.publish(site, slug, news);
                return;
            }
            Change::Everything | Change::LostTrack => {
                tracing::info!(
                    ?change,
                    "other nodes' changes unknown: every cache and stream starts over"
                );
                self.versions.bump_all();
                self.events.reset_all();
                self.campaign_bus.reset_all();
                return;
            }
        };
        self.versions.bump(&site, &url);
        let change = match event {
            ThreadEvent::Comment {
                id,
                parent,
                kind,
                count,
            } => events::Change::Comment {
                id,
                parent,
                kind,
                count,
            },
            ThreadEvent::Vote { id, up, down } => events::Change::Vote { id, up, down },
            ThreadEvent::Quiet => return,
            ThreadEvent::Unknown => {
                self.events.reset(site, url);
                return;
            }
        };
        self.events.publish(site, url, change);
    }
}
