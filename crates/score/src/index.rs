//! Events grouped by unordered pair and sorted by time, plus the neighbour lists shared connections need.

use rapport_model::{InteractionKind, Timestamp};
use rayon::slice::ParallelSliceMut;

use crate::event::{Event, Tier};
use crate::summary::decay;

/// The time undated events sort at: before everything, so they shape state but never recency.
pub(crate) const UNDATED: Timestamp = Timestamp::MIN;

/// One event inside a pair, oriented relative to the pair's lower id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PairEvent {
    /// When it happened, or [`UNDATED`].
    pub(crate) at: Timestamp,
    /// What happened.
    pub(crate) kind: InteractionKind,
    /// True when the lower id acted on the higher one.
    pub(crate) forward: bool,
}

impl PairEvent {
    /// The event's time if it has one.
    pub(crate) fn dated(&self) -> Option<Timestamp> {
        (self.at != UNDATED).then_some(self.at)
    }
}

/// Every pair's events, and every account's neighbours with the time they first connected.
pub(crate) struct PairIndex {
    /// Sorted pair keys (`low << 32 | high`).
    keys: Vec<u64>,
    /// `events[starts[i]..starts[i + 1]]` belong to `keys[i]`.
    starts: Vec<usize>,
    events: Vec<PairEvent>,
    /// `neighbours[offsets[v]..offsets[v + 1]]` are v's neighbours, sorted by id.
    offsets: Vec<usize>,
    neighbours: Vec<(u32, Timestamp)>,
    /// The pair (its index in `keys`) of each entry of `neighbours`: a node's activity reads
    /// every neighbour's pair, and finding it by key was most of the listing's scoring.
    neighbour_pairs: Vec<u32>,
}

/// The key of an unordered pair.
pub(crate) fn pair_key(a: u32, b: u32) -> u64 {
    let (low, high) = if a < b { (a, b) } else { (b, a) };
    (u64::from(low) << 32) | u64::from(high)
}

/// The two ids of a pair key, lower first.
pub(crate) fn pair_ids(key: u64) -> (u32, u32) {
    // Truncation is the point: the key packs two u32 halves.
    ((key >> 32) as u32, key as u32)
}

/// True for the kinds that make two accounts neighbours: anything but an unfollow, block or mute.
fn connects(kind: InteractionKind) -> bool {
    !matches!(kind, InteractionKind::Unfollow | InteractionKind::Block | InteractionKind::Mute)
}

impl PairIndex {
    /// Indexes the events visible at `as_of` (dated at or before it, or undated); self-loops are dropped.
    pub(crate) fn build(events: &[Event], as_of: Timestamp) -> PairIndex {
        let mut keyed: Vec<(u64, PairEvent)> = events
            .iter()
            .filter(|e| e.source != e.target && e.visible_at(as_of))
            .map(|e| {
                let event = PairEvent {
                    at: e.at.unwrap_or(UNDATED),
                    kind: e.kind,
                    forward: e.source < e.target,
                };
                (pair_key(e.source, e.target), event)
            })
            .collect();
        // Sorting on every field makes the order, and so every float sum, independent of input order.
        keyed.par_sort_unstable_by_key(|(key, e)| (*key, e.at, e.kind.code(), e.forward));

        let mut keys = Vec::new();
        let mut starts = Vec::new();
        let mut pair_events = Vec::with_capacity(keyed.len());
        let mut first_link: Vec<(u64, Timestamp, u32)> = Vec::new();
        for (i, (key, event)) in keyed.iter().enumerate() {
            if i == 0 || keyed[i - 1].0 != *key {
                keys.push(*key);
                starts.push(i);
            }
            // Events are in time order within a pair, so the first connecting one is the earliest.
            if connects(event.kind) && first_link.last().is_none_or(|(k, _, _)| k != key) {
                // The pair is the last key pushed; there are fewer pairs than events (`u32`).
                let pair = u32::try_from(keys.len() - 1).unwrap_or(u32::MAX);
                first_link.push((*key, event.at, pair));
            }
            pair_events.push(*event);
        }
        starts.push(pair_events.len());

        let nodes = keys.iter().map(|k| pair_ids(*k).1 as usize + 1).max().unwrap_or(0);
        let mut degree = vec![0usize; nodes + 1];
        for (key, _, _) in &first_link {
            let (low, high) = pair_ids(*key);
            degree[low as usize + 1] += 1;
            degree[high as usize + 1] += 1;
        }
        let mut offsets = degree;
        for v in 1..offsets.len() {
            offsets[v] += offsets[v - 1];
        }
        let mut fill = offsets.clone();
        let mut neighbours = vec![(0u32, 0); first_link.len() * 2];
        let mut neighbour_pairs = vec![0u32; first_link.len() * 2];
        // Keys ascend by (low, high), so each list fills in ascending neighbour order: a node's
        // lower neighbours all come from earlier keys than its higher ones.
        for &(key, first, pair) in &first_link {
            let (low, high) = pair_ids(key);
            for (side, other) in [(low, high), (high, low)] {
                let at = fill[side as usize];
                neighbours[at] = (other, first);
                neighbour_pairs[at] = pair;
                fill[side as usize] += 1;
            }
        }
        PairIndex { keys, starts, events: pair_events, offsets, neighbours, neighbour_pairs }
    }

    /// The number of pairs with any event.
    pub(crate) fn pair_count(&self) -> usize {
        self.keys.len()
    }

    /// The i-th pair's key and its events in time order.
    pub(crate) fn pair(&self, i: usize) -> (u64, &[PairEvent]) {
        (self.keys[i], &self.events[self.starts[i]..self.starts[i + 1]])
    }

    /// The events of the pair `(a, b)`, empty if they have none.
    pub(crate) fn events_of(&self, a: u32, b: u32) -> &[PairEvent] {
        match self.keys.binary_search(&pair_key(a, b)) {
            Ok(i) => self.pair(i).1,
            Err(_) => &[],
        }
    }

    /// The neighbours of `v` with the time each link began, sorted by id.
    pub(crate) fn neighbours(&self, v: u32) -> &[(u32, Timestamp)] {
        let v = v as usize;
        if v + 1 >= self.offsets.len() {
            return &[];
        }
        &self.neighbours[self.offsets[v]..self.offsets[v + 1]]
    }

    /// `v`'s own activity at `as_of`: its interactions with anyone, either way.
    pub(crate) fn activity(&self, v: u32, as_of: Timestamp) -> Activity {
        let [activity] = self.activities(v, [as_of]);
        activity
    }

    /// `v`'s own activity at each of `times`, in one pass over its neighbours: each is the
    /// [`activity`](Self::activity) at that time, summed in the same order.
    pub(crate) fn activities<const N: usize>(
        &self,
        v: u32,
        times: [Timestamp; N],
    ) -> [Activity; N] {
        let mut totals = [Activity::default(); N];
        let range = match self.offsets.get(v as usize..v as usize + 2) {
            Some(&[start, end]) => start..end,
            _ => 0..0,
        };
        for (&(w, _), &pair) in
            self.neighbours[range.clone()].iter().zip(&self.neighbour_pairs[range])
        {
            let events = self.pair(pair as usize).1;
            for (total, &as_of) in totals.iter_mut().zip(&times) {
                total.merge(PairActivity::of(events, as_of).side(v < w));
            }
        }
        totals
    }

    /// Every account's [`activity`](Self::activity) at `as_of`, in one pass.
    pub(crate) fn all_activity(&self, as_of: Timestamp) -> Vec<Activity> {
        let mut activity = vec![Activity::default(); self.offsets.len().saturating_sub(1)];
        for (i, &key) in self.keys.iter().enumerate() {
            let (low, high) = pair_ids(key);
            let pair = PairActivity::of(&self.events[self.starts[i]..self.starts[i + 1]], as_of);
            activity[low as usize].merge(pair.side(true));
            activity[high as usize].merge(pair.side(false));
        }
        activity
    }

    /// How many accounts both `a` and `b` were linked to at `as_of`.
    pub(crate) fn shared_connections(&self, a: u32, b: u32, as_of: Timestamp) -> u32 {
        let (na, nb) = (self.neighbours(a), self.neighbours(b));
        let (small, large) = if na.len() <= nb.len() { (na, nb) } else { (nb, na) };
        let mut count = 0;
        for &(w, since) in small {
            if since > as_of || w == a || w == b {
                continue;
            }
            if let Ok(j) = large.binary_search_by_key(&w, |&(id, _)| id)
                && large[j].1 <= as_of
            {
                count += 1;
            }
        }
        count
    }
}

/// An account's own activity at one moment: its dated interactions with anyone, either way, and how
/// it answers likes and reposts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Activity {
    /// Interactions weighted by `0.955^days`.
    pub(crate) decayed: f64,
    /// The first one, if any: where the account's history begins.
    pub(crate) first: Option<Timestamp>,
    /// The last one, or [`UNDATED`] if none.
    pub(crate) last: Timestamp,
    /// The accounts that liked or reposted this one (dated or not).
    pub(crate) amplified_by: u32,
    /// Of those, the ones this account liked or reposted too: how often it returns the favour.
    pub(crate) returned: u32,
}

impl Default for Activity {
    fn default() -> Self {
        Activity { decayed: 0.0, first: None, last: UNDATED, amplified_by: 0, returned: 0 }
    }
}

/// What one pair's events contribute to the activity of its two sides.
struct PairActivity {
    /// The interactions, the same for both sides.
    shared: Activity,
    /// Whether the lower id liked or reposted the higher one, and the other way round.
    amplified: [bool; 2],
}

impl PairActivity {
    /// One pair's events (in time order) up to `as_of`.
    fn of(events: &[PairEvent], as_of: Timestamp) -> PairActivity {
        let mut shared = Activity::default();
        let mut amplified = [false; 2];
        let seen = events.iter().take_while(|e| e.at <= as_of);
        for e in seen.filter(|e| Tier::of(e.kind).is_some()) {
            if Tier::of(e.kind) == Some(Tier::Amplification) {
                amplified[usize::from(!e.forward)] = true;
            }
            let Some(at) = e.dated() else { continue };
            shared.decayed += decay(as_of, at);
            shared.first.get_or_insert(at);
            shared.last = at;
        }
        PairActivity { shared, amplified }
    }

    /// The contribution to the lower id's activity when `low` is true, else to the higher id's.
    fn side(&self, low: bool) -> Activity {
        let [gave, received] =
            if low { self.amplified } else { [self.amplified[1], self.amplified[0]] };
        Activity {
            amplified_by: u32::from(received),
            returned: u32::from(received && gave),
            ..self.shared
        }
    }
}

impl Activity {
    fn merge(&mut self, other: Activity) {
        self.amplified_by += other.amplified_by;
        self.returned += other.returned;
        self.decayed += other.decayed;
        self.first = match (self.first, other.first) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.last = self.last.max(other.last);
    }
}
