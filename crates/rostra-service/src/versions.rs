//! Version counters for cache invalidation.
//!
//! A reader notes a thread's version, reads the database, and caches what it
//! read under that version; a writer bumps the version after its commit. A
//! cached page is served only while the version it was read under is still
//! current, so a page read before a commit is never served after it, and no
//! lock is held across the read. Counters live in a fixed array indexed by a
//! hash of the thread's key: memory stays constant however many threads there
//! are, and a collision only costs an extra cache miss.

use rostra_core::{PageUrl, SiteId};
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

const SLOTS: usize = 8192;

/// The counters.
#[derive(Clone)]
pub struct ThreadVersions {
    slots: Arc<[AtomicU64]>,
    hasher: std::collections::hash_map::RandomState,
}

impl Default for ThreadVersions {
    fn default() -> Self {
        Self {
            slots: (0..SLOTS).map(|_| AtomicU64::new(0)).collect(),
            hasher: std::collections::hash_map::RandomState::new(),
        }
    }
}

impl ThreadVersions {
    fn slot(&self, site: &SiteId, url: &PageUrl) -> &AtomicU64 {
        let mut h = self.hasher.build_hasher();
        site.hash(&mut h);
        url.hash(&mut h);
        &self.slots[(h.finish() as usize) % SLOTS]
    }

    /// The thread's current version.
    pub fn get(&self, site: &SiteId, url: &PageUrl) -> u64 {
        self.slot(site, url).load(Ordering::Acquire)
    }

    /// Marks the thread changed. Call after the change is committed.
    pub fn bump(&self, site: &SiteId, url: &PageUrl) {
        self.slot(site, url).fetch_add(1, Ordering::AcqRel);
    }
}
