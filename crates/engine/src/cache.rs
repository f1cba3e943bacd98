//! What reads build and share between commands of one process: the event sets of the store (its
//! costliest scan) for the last few views asked.
//!
//! Entries are keyed by the data's generation, so one built from older data is never handed out;
//! they are `Arc`s, so a snapshot keeps using the set it took while another thread replaces it.

use std::sync::{Arc, Mutex, PoisonError};

use crate::events::{EventSet, EventSetKey};

/// How many event sets are kept: a server answers a few views (me, `--as` another account, a
/// network) in turn, and each set holds every interaction of the store.
const EVENT_SETS: usize = 4;

/// The engine's shared caches.
#[derive(Default)]
pub(crate) struct Cache {
    /// The most recently used last.
    event_sets: Mutex<Vec<(EventSetKey, Arc<EventSet>)>>,
}

impl Cache {
    /// The event set built for `key`, if one is kept.
    pub(crate) fn event_set(&self, key: &EventSetKey) -> Option<Arc<EventSet>> {
        let mut sets = self.event_sets.lock().unwrap_or_else(PoisonError::into_inner);
        let at = sets.iter().position(|(k, _)| k == key)?;
        let entry = sets.remove(at);
        let set = Arc::clone(&entry.1);
        sets.push(entry);
        Some(set)
    }

    /// Keeps `set` for `key`, dropping the least recently used set beyond the bound and every set
    /// of an older generation, which can never be asked for again.
    pub(crate) fn keep_event_set(&self, key: EventSetKey, set: &Arc<EventSet>) {
        let mut sets = self.event_sets.lock().unwrap_or_else(PoisonError::into_inner);
        sets.retain(|(k, _)| k != &key && k.0 >= key.0);
        sets.push((key, Arc::clone(set)));
        let excess = sets.len().saturating_sub(EVENT_SETS);
        sets.drain(..excess);
    }
}
