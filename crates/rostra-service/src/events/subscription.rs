//! A subscriber's side of the bus.

use super::{Delivery, EventBus, EventId, Live, ThreadKey};
use std::collections::VecDeque;
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::sync::watch;

/// One subscriber's view of one thread. Dropping it unsubscribes.
pub struct Subscription {
    pub(super) bus: EventBus,
    pub(super) key: ThreadKey,
    pub(super) rx: broadcast::Receiver<Live>,
    pub(super) backlog: VecDeque<Delivery>,
    pub(super) closed: watch::Receiver<bool>,
}

impl Subscription {
    /// The next delivery; `None` once the bus is closed.
    pub async fn next(&mut self) -> Option<Delivery> {
        if *self.closed.borrow() {
            return None;
        }
        if let Some(d) = self.backlog.pop_front() {
            return Some(d);
        }
        tokio::select! {
            biased;
            _ = self.closed.wait_for(|closed| *closed) => None,
            received = self.rx.recv() => match received {
                Ok(Live::Event(event)) => Some(Delivery::Event(event)),
                Ok(Live::Reset(at)) => Some(Delivery::Reset(Some(at))),
                Err(RecvError::Lagged(missed)) => {
                    tracing::debug!(missed, "subscriber lagged; reset");
                    Some(Delivery::Reset(None))
                }
                Err(RecvError::Closed) => None,
            },
        }
    }

    /// The id a subscriber may come back with and miss nothing, when every
    /// event of its thread published so far has been handed out; `None`
    /// while some are still waiting.
    pub fn position(&self) -> Option<EventId> {
        if !self.backlog.is_empty() {
            return None;
        }
        let state = self.bus.lock();
        self.rx.is_empty().then(|| self.bus.head(&state))
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut state = self.bus.lock();
        // Our own receiver still counts: at 1 the thread has no one else.
        if state
            .live
            .get(&self.key)
            .is_some_and(|tx| tx.receiver_count() <= 1)
        {
            state.live.remove(&self.key);
        }
    }
}
