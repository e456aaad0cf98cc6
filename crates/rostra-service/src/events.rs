//! Live events: what changed in which thread, for the readers watching it.
//!
//! The [`EventBus`] gives every event an [`EventId`] (`{epoch}-{seq}`: the
//! epoch is random per process start, the sequence only grows), keeps the
//! most recent events in a bounded ring for replay, and hands each one to the
//! subscribers of its thread through a `tokio::sync::broadcast` channel per
//! watched thread, so an event wakes only the readers of its own page.
//!
//! A subscriber that comes back with the id of the last event it saw gets
//! exactly the events of its thread it missed, then the live ones: replay and
//! live delivery are set up under the same lock that publishing takes, so no
//! event falls between them or arrives twice. When that cannot be promised
//! (an id from another process, a malformed one, one older than the ring, or
//! a subscriber too slow for its channel) it gets a [`Delivery::Reset`]
//! instead: refetch the thread.
//!
//! A reset can also be sent on purpose, to one thread's readers
//! ([`EventBus::reset`]) or to everyone's ([`EventBus::reset_all`]), when
//! changes happened that the bus cannot describe (another node's, missed by
//! the relay). It takes an id like an event, so that a reader who comes back
//! from before it gets a reset too, rather than a replay that lacks them.

mod id;
mod subscription;
#[cfg(test)]
mod tests;

pub use id::EventId;
pub use subscription::Subscription;

use rostra_core::{CommentId, PageUrl, SiteId};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use tokio::sync::broadcast;
use tokio::sync::watch;

/// Events kept for replay unless [`EventBus::new`] is told otherwise.
pub const DEFAULT_CAPACITY: usize = 4096;

/// The most events of its own thread a subscriber may fall behind before it
/// gets a reset: the size of each watched thread's live channel.
const LIVE_PER_THREAD: usize = 64;

/// What happened to a comment: one type from the store's feed to the
/// stream, so a change relayed from another node needs no translation.
pub use rostra_store::feed::CommentChange;

/// A change in a thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A comment changed.
    Comment {
        /// The comment.
        id: CommentId,
        /// The comment it answers, if any.
        parent: Option<CommentId>,
        /// What happened to it.
        kind: CommentChange,
        /// The thread's approved comments after the change.
        count: i64,
    },
    /// A comment's votes changed.
    Vote {
        /// The comment.
        id: CommentId,
        /// Up-votes after the vote.
        up: i64,
        /// Down-votes after the vote.
        down: i64,
    },
}

/// A change in one thread, with its place in the bus's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Its id.
    pub id: EventId,
    /// The thread's site.
    pub site: SiteId,
    /// The thread's canonical page URL.
    pub url: PageUrl,
    /// What changed.
    pub change: Change,
}

/// What a subscription hands out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// An event of the subscribed thread.
    Event(Arc<Event>),
    /// Events may have been missed beyond replay: refetch the thread. Carries
    /// the position the subscription goes on from, when it is known.
    Reset(Option<EventId>),
    /// Every event of the thread up to this id has been delivered: a
    /// subscriber that comes back with it misses nothing.
    Position(EventId),
}

type ThreadKey = (SiteId, PageUrl);

/// The in-process bus of thread events. Cheap to clone: clones share it.
#[derive(Clone)]
pub struct EventBus {
    inner: Arc<Inner>,
}

struct Inner {
    epoch: u64,
    capacity: usize,
    state: Mutex<State>,
    closed: watch::Sender<bool>,
}

struct State {
    /// The sequence number of the last event published (0: none yet).
    last_seq: u64,
    /// The most recent events and resets, oldest first, at most
    /// `capacity`, their ids one after another.
    recent: VecDeque<Recorded>,
    /// The live channel of every thread somebody watches.
    live: HashMap<ThreadKey, broadcast::Sender<Live>>,
}

/// What the ring keeps.
enum Recorded {
    /// An event.
    Event(Arc<Event>),
    /// Readers were told to refetch: those of one thread, or (`None`) all.
    Reset(EventId, Option<ThreadKey>),
}

impl Recorded {
    fn id(&self) -> EventId {
        match self {
            Self::Event(e) => e.id,
            Self::Reset(id, _) => *id,
        }
    }
}

/// What a thread's live channel carries.
#[derive(Clone)]
enum Live {
    Event(Arc<Event>),
    Reset(EventId),
}

impl Default for EventBus {
    fn default() -> Self {
        Self::new(DEFAULT_CAPACITY)
    }
}

impl EventBus {
    /// A bus that keeps the last `capacity` events (of all threads) for replay.
    pub fn new(capacity: usize) -> Self {
        let (closed, _) = watch::channel(false);
        Self {
            inner: Arc::new(Inner {
                epoch: rand::random(),
                capacity,
                state: Mutex::new(State {
                    last_seq: 0,
                    recent: VecDeque::with_capacity(capacity.min(DEFAULT_CAPACITY)),
                    live: HashMap::new(),
                }),
                closed,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Nothing under the lock can leave the state half-changed.
        self.inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn head(&self, state: &State) -> EventId {
        EventId::new(self.inner.epoch, state.last_seq)
    }

    /// Announces a change in a thread, after it is committed: gives it the
    /// next id, keeps it for replay and hands it to the thread's subscribers.
    ///
    /// The service calls it after its own writes, and its relay
    /// ([`Service::relay`](crate::Service::relay)) for each change another
    /// node on the same database announces, so that every node's readers
    /// hear of every write. Ids are this bus's own, whichever node wrote.
    pub fn publish(&self, site: SiteId, url: PageUrl, change: Change) -> EventId {
        let mut state = self.lock();
        state.last_seq += 1;
        let id = self.head(&state);
        let key = (site, url);
        let live = state.live.get(&key).cloned();
        let (site, url) = key;
        let event = Arc::new(Event {
            id,
            site,
            url,
            change,
        });
        self.record(&mut state, Recorded::Event(event.clone()));
        // Sent under the lock: a subscriber either replays it or receives it.
        let receivers = live.map_or(0, |tx| tx.send(Live::Event(event)).unwrap_or(0));
        tracing::debug!(event = %id, receivers, "event published");
        id
    }

    /// Keeps `entry` for replay, forgetting the oldest if the ring is full.
    fn record(&self, state: &mut State, entry: Recorded) {
        if self.inner.capacity > 0 {
            if state.recent.len() == self.inner.capacity {
                state.recent.pop_front();
            }
            state.recent.push_back(entry);
        }
    }

    /// Tells the readers of one thread to refetch it: it changed in a way
    /// the bus cannot describe. A reader coming back from before this gets a
    /// reset as well.
    pub fn reset(&self, site: SiteId, url: PageUrl) -> EventId {
        let mut state = self.lock();
        state.last_seq += 1;
        let id = self.head(&state);
        let key = (site, url);
        if let Some(tx) = state.live.get(&key) {
            let _ = tx.send(Live::Reset(id));
        }
        self.record(&mut state, Recorded::Reset(id, Some(key)));
        tracing::debug!(event = %id, "thread reset");
        id
    }

    /// Tells every reader of every thread to refetch: anything may have
    /// changed (changes were missed). A reader coming back from before this
    /// gets a reset as well.
    pub fn reset_all(&self) -> EventId {
        let mut state = self.lock();
        state.last_seq += 1;
        let id = self.head(&state);
        for tx in state.live.values() {
            let _ = tx.send(Live::Reset(id));
        }
        self.record(&mut state, Recorded::Reset(id, None));
        tracing::debug!(event = %id, threads = state.live.len(), "every thread reset");
        id
    }

    /// Watches one thread. `last_seen` is the id of the last event the
    /// subscriber saw (`Last-Event-ID`): it first gets the events of the
    /// thread published since, or one [`Delivery::Reset`] when they cannot
    /// all be replayed; then a [`Delivery::Position`]; then each new event.
    pub fn subscribe(&self, site: SiteId, url: PageUrl, last_seen: Option<&str>) -> Subscription {
        let mut state = self.lock();
        let head = self.head(&state);
        let mut backlog = VecDeque::new();
        match last_seen.map(str::trim).filter(|s| !s.is_empty()) {
            None => backlog.push_back(Delivery::Position(head)),
            Some(raw) => match self.missed(&state, raw, &site, &url) {
                Some(missed) => {
                    backlog.extend(missed.into_iter().map(Delivery::Event));
                    backlog.push_back(Delivery::Position(head));
                }
                None => {
                    tracing::debug!(last_seen = raw, %head, "cannot replay; reset");
                    backlog.push_back(Delivery::Reset(Some(head)));
                }
            },
        }
        let key = (site, url);
        let rx = state
            .live
            .entry(key.clone())
            .or_insert_with(|| {
                broadcast::channel(LIVE_PER_THREAD.min(self.inner.capacity.max(1))).0
            })
            .subscribe();
        drop(state);
        Subscription {
            bus: self.clone(),
            key,
            rx,
            backlog,
            closed: self.inner.closed.subscribe(),
        }
    }

    /// The events of one thread after `raw`, or `None` if the ring no longer
    /// holds every event after it (or `raw` is no id of this bus).
    fn missed(
        &self,
        state: &State,
        raw: &str,
        site: &SiteId,
        url: &PageUrl,
    ) -> Option<Vec<Arc<Event>>> {
        let seen = EventId::parse(raw)?;
        if seen.epoch() != self.inner.epoch || seen.seq() > state.last_seq {
            return None;
        }
        let oldest = state
            .recent
            .front()
            .map_or(state.last_seq + 1, |e| e.id().seq());
        let skip = usize::try_from((seen.seq() + 1).checked_sub(oldest)?).ok()?;
        let mut missed = Vec::new();
        for entry in state.recent.iter().skip(skip) {
            match entry {
                Recorded::Event(e) if e.site == *site && e.url == *url => missed.push(e.clone()),
                Recorded::Event(_) => {}
                Recorded::Reset(_, None) => return None,
                Recorded::Reset(_, Some((s, u))) if s == site && u == url => return None,
                Recorded::Reset(_, Some(_)) => {}
            }
        }
        Some(missed)
    }

    /// Ends every subscription, now and to come: for a graceful stop, so
    /// that streams that would never end on their own let the server exit.
    pub fn close(&self) {
        self.inner.closed.send_replace(true);
    }

    /// Threads that have at least one subscriber.
    pub fn watched_threads(&self) -> usize {
        self.lock().live.len()
    }
}
