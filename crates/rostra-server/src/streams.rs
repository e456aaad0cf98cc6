//! The cap on live-update streams open at once on this node.
//!
//! A stream holds a connection and a task for as long as a reader keeps the
//! page open, so their number is bounded (`limits.streams`): past it a new
//! stream is refused with 503 and `Retry-After` rather than exhausting file
//! descriptors or memory. Open streams are a Prometheus gauge.

use prometheus_client::metrics::gauge::Gauge;
use std::sync::Arc;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The slots streams take.
#[derive(Clone)]
pub struct StreamSlots {
    slots: Arc<Semaphore>,
    open: Gauge,
}

impl StreamSlots {
    /// At most `max` streams at once (0: none); `open` counts those open.
    pub fn new(max: usize, open: Gauge) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(max.min(Semaphore::MAX_PERMITS))),
            open,
        }
    }

    /// A slot for one stream, held until it is dropped; `None` when every
    /// slot is taken.
    pub fn acquire(&self) -> Option<StreamSlot> {
        let permit = self.slots.clone().try_acquire_owned().ok()?;
        self.open.inc();
        Some(StreamSlot {
            _permit: permit,
            open: self.open.clone(),
        })
    }

    /// Slots free now.
    pub fn available(&self) -> usize {
        self.slots.available_permits()
    }
}

/// One open stream's slot.
pub struct StreamSlot {
    _permit: OwnedSemaphorePermit,
    open: Gauge,
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        self.open.dec();
    }
}

#[cfg(test)]
mod tests {
    use super::StreamSlots;
    use prometheus_client::metrics::gauge::Gauge;

    #[test]
    fn slots_are_capped_counted_and_given_back() {
        let open = Gauge::default();
        let slots = StreamSlots::new(2, open.clone());
        let a = slots.acquire();
        let b = slots.acquire();
        assert!(a.is_some() && b.is_some());
        assert!(slots.acquire().is_none());
        assert_eq!(open.get(), 2);
        drop(a);
        assert_eq!((open.get(), slots.available()), (1, 1));
        assert!(slots.acquire().is_some());
        assert_eq!(open.get(), 1, "a slot dropped at once gives itself back");
        assert!(StreamSlots::new(0, Gauge::default()).acquire().is_none());
    }
}
