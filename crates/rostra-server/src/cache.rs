//! Rendered thread pages, cached in memory.
//!
//! An entry is the exact JSON of a page, stored with the thread version it was
//! read under (see `rostra_service::ThreadVersions`); it is served only while
//! that version is current. The cache is bounded by bytes.

use bytes::Bytes;
use std::sync::Arc;

/// A cached response body and its validator.
#[derive(Clone)]
pub struct CachedPage {
    /// The thread version it was read under.
    pub version: u64,
    /// The JSON.
    pub body: Bytes,
    /// Its ETag.
    pub etag: Arc<str>,
}

/// The cache.
#[derive(Clone)]
pub struct PageCache {
    inner: Option<moka::sync::Cache<String, CachedPage>>,
    nonce: u64,
}

impl PageCache {
    /// A cache of at most `max_bytes` of bodies; 0 disables it.
    pub fn new(max_bytes: u64) -> Self {
        let inner = (max_bytes > 0).then(|| {
            moka::sync::Cache::builder()
                .max_capacity(max_bytes)
                .weigher(|k: &String, v: &CachedPage| {
                    (k.len() + v.body.len()).try_into().unwrap_or(u32::MAX)
                })
                .build()
        });
        Self {
            inner,
            nonce: rand::random(),
        }
    }

    /// The entry for `key` if it was read under `version`.
    pub fn get(&self, key: &str, version: u64) -> Option<CachedPage> {
        self.inner
            .as_ref()?
            .get(key)
            .filter(|p| p.version == version)
    }

    /// Builds an entry (and stores it when caching is on).
    pub fn put(&self, key: String, version: u64, body: Bytes) -> CachedPage {
        let etag: Arc<str> = format!("\"{:x}-{version:x}-{:x}\"", self.nonce, fxhash(&key)).into();
        let page = CachedPage {
            version,
            body,
            etag,
        };
        if let Some(inner) = &self.inner {
            inner.insert(key, page.clone());
        }
        page
    }
}

fn fxhash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Counts responses, cached whole: listing pages ask the same question over
/// and over. An entry is served while every count in it is current (each
/// thread's version unchanged) and the site is the one it was answered for.
#[derive(Clone)]
pub struct CountsCache {
    inner: Option<moka::sync::Cache<String, Arc<CachedCounts>>>,
}

/// A cached counts answer.
pub struct CachedCounts {
    /// What it was computed from.
    pub counts: rostra_service::Counts,
    /// The JSON.
    pub body: Bytes,
}

impl CountsCache {
    /// A cache of at most `entries` answers; 0 disables it.
    pub fn new(entries: u64) -> Self {
        Self {
            inner: (entries > 0).then(|| moka::sync::Cache::new(entries)),
        }
    }

    /// The answer for `key` if still current for `site` under `versions`.
    pub fn get(
        &self,
        key: &str,
        site: &Arc<rostra_core::Site>,
        versions: &rostra_service::ThreadVersions,
    ) -> Option<Bytes> {
        let hit = self.inner.as_ref()?.get(key)?;
        (Arc::ptr_eq(&hit.counts.site, site) && hit.counts.current(versions))
            .then(|| hit.body.clone())
    }

    /// Remembers an answer.
    pub fn put(&self, key: String, counts: rostra_service::Counts, body: Bytes) {
        if let Some(inner) = &self.inner {
            inner.insert(key, Arc::new(CachedCounts { counts, body }));
        }
    }
}
