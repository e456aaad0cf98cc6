//! Version counters for cache invalidation.
//!
//! A reader notes a thread's version, reads the database, and caches what it
//! read under that version; a writer bumps the version after its commit. A
//! cached page is served only while the version it was read under is still
//! current, so a page read before a commit is never served after it, and no
//! lock is held across the read. Counters live in a fixed array indexed by a
//! hash of the thread's key: memory stays constant however many threads there
//! are, and a collision only costs an extra cache miss.
//!
//! [`ThreadVersions::bump_all`] marks every thread changed at once, in O(1):
//! a global epoch is part of every version, so moving it moves them all.

use rostra_core::{PageUrl, SiteId};
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

const SLOTS: usize = 8192;

/// The low bits of a version: its slot's counter. The high bits are the
/// epoch's, so a counter would have to be bumped 2^40 times before a
/// version repeats within one epoch.
const SLOT_BITS: u32 = 40;
const SLOT_MASK: u64 = (1 << SLOT_BITS) - 1;

/// The counters.
#[derive(Clone)]
pub struct ThreadVersions {
    slots: Arc<[AtomicU64]>,
    epoch: Arc<AtomicU64>,
    hasher: std::collections::hash_map::RandomState,
}

impl Default for ThreadVersions {
    fn default() -> Self {
        Self {
            slots: (0..SLOTS).map(|_| AtomicU64::new(0)).collect(),
            epoch: Arc::new(AtomicU64::new(0)),
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
        // The epoch first: a `bump_all` between the two loads leaves a
        // version that is already stale, never one that looks current.
        let epoch = self.epoch.load(Ordering::Acquire);
        let slot = self.slot(site, url).load(Ordering::Acquire);
        (epoch << SLOT_BITS) | (slot & SLOT_MASK)
    }

    /// Marks the thread changed. Call after the change is committed.
    pub fn bump(&self, site: &SiteId, url: &PageUrl) {
        self.slot(site, url).fetch_add(1, Ordering::AcqRel);
    }

    /// Marks every thread changed: for when changes may have been missed
    /// (another node's, while the change feed was not listening).
    pub fn bump_all(&self) {
        self.epoch.fetch_add(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn thread(path: &str) -> (SiteId, PageUrl) {
        (
            SiteId::parse("demo").unwrap(),
            PageUrl::from_canonical(format!("https://example.org{path}")),
        )
    }

    #[test]
    fn bump_moves_one_thread_and_bump_all_moves_every_one() {
        let versions = ThreadVersions::default();
        let (site, a) = thread("/a");
        let (_, b) = thread("/b");
        let (va, vb) = (versions.get(&site, &a), versions.get(&site, &b));
        versions.bump(&site, &a);
        assert_ne!(versions.get(&site, &a), va);
        let (va, vb2) = (versions.get(&site, &a), versions.get(&site, &b));
        // Unless both share a slot, which only costs a miss.
        assert!(vb2 == vb || vb2 == va);
        versions.bump_all();
        assert_ne!(versions.get(&site, &a), va);
        assert_ne!(versions.get(&site, &b), vb2);
        // No version comes back after an epoch, whatever the slot did.
        let seen = versions.get(&site, &a);
        versions.bump(&site, &a);
        versions.bump_all();
        assert_ne!(versions.get(&site, &a), seen);
    }
}
