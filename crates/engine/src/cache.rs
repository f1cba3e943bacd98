//! What reads build and share between commands of one process: the event sets of the store (its
//! costliest scan) for the last few views asked, every post's terms, the history of "me", and the
//! kept views as decoded, so that a server
//! answering the same view to many clients neither decodes it nor computes it twice.
//!
//! Entries are keyed by the data's generation, so one built from older data is never handed out;
//! they are `Arc`s, so a snapshot keeps using the set it took while another thread replaces it.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rapport_model::Network;
use rapport_store::EdgesMark;

use crate::events::{EventSet, EventSetKey};
use crate::history::KeptHistory;
use crate::interests::PostTerms;

/// How many event sets are kept: a server answers a few views (me, `--as` another account, a
/// network) in turn, and each set holds every interaction of the store.
const EVENT_SETS: usize = 4;

/// How many decoded views are kept: the views of "me" (people, discover, today, the audit) and those of a few other accounts or networks.
const VIEWS: usize = 16;

/// How many verdicts on the user's messages are kept: far more than one user writes, so the bound
/// only stops a long-running server from growing without end.
const VERDICTS: usize = 1 << 20;

/// Whether the check reads a message of the user as a pitch, by its text: replies first, then DMs.
pub(crate) type Verdicts = [HashMap<String, bool>; 2];

/// A kept event set: its key, the set, and where the store stood when it was read (see `events`).
type KeptSet = (EventSetKey, Arc<EventSet>, Option<EdgesMark>);

/// A decoded kept view: its key in the store, the generation of its data, the view.
type KeptView = (String, i64, Arc<dyn Any + Send + Sync>);

/// The engine's shared caches.
#[derive(Default)]
pub(crate) struct Cache {
    /// The most recently used last, each with where the store stood when it was read, if known.
    event_sets: Mutex<Vec<KeptSet>>,
    /// The most recently used last.
    views: Mutex<Vec<KeptView>>,
    /// The check's verdicts on the user's messages: a pure function of the text and the kind, so
    /// valid across generations, and the listing's costliest part after the scan when the views are
    /// brought up to date after each small batch a sync writes.
    verdicts: Mutex<Verdicts>,
    /// Every public post's terms, split once (see `interests`): valid across generations, since
    /// posts are never rewritten and which of them count is decided on every read.
    post_terms: Mutex<PostTerms>,
    /// The history of "me", extended from one generation to the next (see `history`).
    pub(crate) history: Mutex<Option<KeptHistory>>,
}

impl Cache {
    /// The event set built for `key`, if one is kept.
    pub(crate) fn event_set(&self, key: &EventSetKey) -> Option<Arc<EventSet>> {
        let mut sets = self.event_sets.lock().unwrap_or_else(PoisonError::into_inner);
        let at = sets.iter().position(|(k, _, _)| k == key)?;
        let entry = sets.remove(at);
        let set = Arc::clone(&entry.1);
        sets.push(entry);
        Some(set)
    }

    /// The set of the newest generation kept for `network` and `me` that can be extended, with
    /// where the store stood when it was read.
    pub(crate) fn newest_event_set(
        &self,
        network: Option<Network>,
        me: &[i64],
    ) -> Option<(Arc<EventSet>, EdgesMark)> {
        let sets = self.event_sets.lock().unwrap_or_else(PoisonError::into_inner);
        sets.iter()
            .filter(|((_, n, m), _, _)| *n == network && m == me)
            .filter_map(|((generation, _, _), set, mark)| Some((*generation, set, (*mark)?)))
            .max_by_key(|(generation, _, _)| *generation)
            .map(|(_, set, mark)| (Arc::clone(set), mark))
    }

    /// Keeps `set` for `key`, dropping the least recently used set beyond the bound and every set
    /// of an older generation, which can never be asked for again.
    pub(crate) fn keep_event_set(
        &self,
        key: EventSetKey,
        set: &Arc<EventSet>,
        mark: Option<EdgesMark>,
    ) {
        let mut sets = self.event_sets.lock().unwrap_or_else(PoisonError::into_inner);
        sets.retain(|(k, _, _)| k != &key && k.0 >= key.0);
        sets.push((key, Arc::clone(set), mark));
        let excess = sets.len().saturating_sub(EVENT_SETS);
        sets.drain(..excess);
    }

    /// The kept verdicts, for one pass over the user's messages; emptied first when full.
    pub(crate) fn verdicts(&self) -> MutexGuard<'_, Verdicts> {
        let mut verdicts = self.verdicts.lock().unwrap_or_else(PoisonError::into_inner);
        if verdicts.iter().map(HashMap::len).sum::<usize>() >= VERDICTS {
            *verdicts = Verdicts::default();
        }
        verdicts
    }

    /// The kept terms of the posts, for one computation of the profiles.
    pub(crate) fn post_terms(&self) -> MutexGuard<'_, PostTerms> {
        self.post_terms.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The kept verdicts on `texts`, copied out, so that a pass over one relationship's messages
    /// checks the others without holding the lock (people opened at once are then checked side by
    /// side, not one after another); [`Cache::keep_verdicts`] gives them back.
    pub(crate) fn verdicts_on<'t>(&self, texts: impl IntoIterator<Item = &'t str>) -> Verdicts {
        let kept = self.verdicts();
        let mut found = Verdicts::default();
        for text in texts {
            for (kind, known) in kept.iter().enumerate() {
                if let Some(&pitch) = known.get(text) {
                    found[kind].insert(text.to_owned(), pitch);
                }
            }
        }
        found
    }

    /// Keeps the verdicts of a pass that ran without the lock.
    pub(crate) fn keep_verdicts(&self, found: Verdicts) {
        let mut kept = self.verdicts();
        for (kind, verdicts) in found.into_iter().enumerate() {
            kept[kind].extend(verdicts);
        }
    }

    /// The view kept under `key` for the data's `generation`, if this process has it decoded.
    pub(crate) fn view<T: Any + Send + Sync>(&self, key: &str, generation: i64) -> Option<Arc<T>> {
        let mut views = self.views.lock().unwrap_or_else(PoisonError::into_inner);
        let at = views.iter().position(|(k, g, _)| k == key && *g == generation)?;
        let entry = views.remove(at);
        let view = Arc::clone(&entry.2).downcast::<T>().ok();
        views.push(entry);
        view
    }

    /// Keeps `view` under `key` for `generation`, dropping every view of an older generation. A
    /// view of a generation older than one already kept is not kept: it can only be asked by a
    /// snapshot that began before the newer data committed.
    pub(crate) fn keep_view<T: Any + Send + Sync>(
        &self,
        key: &str,
        generation: i64,
        view: &Arc<T>,
    ) {
        let mut views = self.views.lock().unwrap_or_else(PoisonError::into_inner);
        if views.iter().any(|(_, g, _)| *g > generation) {
            return;
        }
        views.retain(|(k, g, _)| k != key && *g == generation);
        let view: Arc<dyn Any + Send + Sync> = Arc::clone(view) as _;
        views.push((key.to_owned(), generation, view));
        let excess = views.len().saturating_sub(VIEWS);
        views.drain(..excess);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_view_is_handed_out_only_for_its_key_generation_and_type() {
        let cache = Cache::default();
        cache.keep_view("people", 4, &Arc::new(7_u32));
        assert_eq!(cache.view::<u32>("people", 4).as_deref(), Some(&7));
        assert!(cache.view::<u32>("people", 5).is_none(), "another generation");
        assert!(cache.view::<u32>("today", 4).is_none(), "another key");
        assert!(cache.view::<u64>("people", 4).is_none(), "another type");
        // A newer generation drops the older one, and an older one is not kept after it.
        cache.keep_view("today", 5, &Arc::new(8_u32));
        assert!(cache.view::<u32>("people", 4).is_none());
        cache.keep_view("people", 4, &Arc::new(9_u32));
        assert!(cache.view::<u32>("people", 4).is_none());
        assert_eq!(cache.view::<u32>("today", 5).as_deref(), Some(&8));
    }
}
