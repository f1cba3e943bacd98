//! What both backends' record writers share: the buffered interaction row, and the numbering that
//! tells identical rows without a native id apart once a buffer is sorted by id.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rapport_model::{Interaction, Network};

use crate::ids::{interaction_id, nth_occurrence};

/// One interaction waiting in a writer's buffer, its accounts resolved to account ids. It is kept
/// small (56 bytes, less than half of what three inline text columns took) because a large import
/// sorts a million of them.
pub(crate) struct Pending {
    pub(crate) id: i64,
    pub(crate) source: i64,
    pub(crate) target: i64,
    pub(crate) at: Option<i64>,
    /// Most interactions of tables carry no text, and need no room for it.
    pub(crate) texts: Option<Box<Texts>>,
    pub(crate) network: u8,
    pub(crate) kind: u8,
    /// True when `id` hashes the content (the source gave no id of its own): identical rows are
    /// then told apart by their occurrence once the buffer is sorted.
    pub(crate) by_content: bool,
}

/// The text columns of an interaction.
pub(crate) struct Texts {
    pub(crate) post_id: Option<String>,
    pub(crate) reply_to: Option<String>,
    pub(crate) text: Option<String>,
}

impl Pending {
    /// The row of `i`, between accounts `source` and `target`.
    pub(crate) fn new(i: &Interaction, source: i64, target: i64) -> Pending {
        let has_texts = i.post_id.is_some() || i.reply_to.is_some() || i.text.is_some();
        Pending {
            id: interaction_id(i),
            source,
            target,
            at: i.at,
            texts: has_texts.then(|| {
                Box::new(Texts {
                    post_id: i.post_id.clone(),
                    reply_to: i.reply_to.clone(),
                    text: i.text.clone(),
                })
            }),
            network: i.network as u8,
            kind: i.kind.code(),
            by_content: i.native_id.is_none(),
        }
    }

    pub(crate) fn post_id(&self) -> Option<&str> {
        self.texts.as_deref().and_then(|t| t.post_id.as_deref())
    }

    pub(crate) fn reply_to(&self) -> Option<&str> {
        self.texts.as_deref().and_then(|t| t.reply_to.as_deref())
    }

    pub(crate) fn text(&self) -> Option<&str> {
        self.texts.as_deref().and_then(|t| t.text.as_deref())
    }
}

/// Account ids by native id, one map per network. Looking an account up is the hot path of an
/// import (two per interaction): foldhash is several times faster than the default SipHash on
/// such short keys, and its per-process seed still keeps a hostile file from choosing collisions.
pub(crate) type AccountMaps = [foldhash::HashMap<String, i64>; Network::ALL.len()];

/// How many records of identical content (and no native id) a batch's written chunks held.
#[derive(Default)]
pub(crate) struct Occurrences(HashMap<i64, u32, BuildHasherDefault<IdHasher>>);

impl Occurrences {
    /// Gives the second and later of identical rows without a native id their occurrence ids, in
    /// `pending` sorted by id; `last` tells that no chunk follows, which then needs no counts.
    /// Returns whether an id changed (and so the order).
    pub(crate) fn number(&mut self, pending: &mut [Pending], last: bool) -> bool {
        let mut changed = false;
        for run in pending.chunk_by_mut(|a, b| a.id == b.id) {
            let id = run[0].id;
            let earlier = self.0.get(&id).copied().unwrap_or(0);
            let mut seen = earlier;
            for p in run.iter_mut().filter(|p| p.by_content) {
                if seen > 0 {
                    p.id = nth_occurrence(id, seen);
                    changed = true;
                }
                seen += 1;
            }
            if !last && seen > earlier {
                self.0.insert(id, seen);
            }
        }
        changed
    }

    /// Sorts `pending` by id with every occurrence numbered: the order both stores write in.
    pub(crate) fn sort(&mut self, pending: &mut [Pending], last: bool) {
        pending.sort_unstable_by_key(|p| p.id);
        if self.number(pending, last) {
            pending.sort_unstable_by_key(|p| p.id);
        }
    }
}

/// Hashes keys that are already hashes (interaction ids): the key is its own hash.
#[derive(Default)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }

    fn write_i64(&mut self, n: i64) {
        self.0 = n as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::{Occurrences, Pending};
    use crate::ids::nth_occurrence;

    #[test]
    fn a_pending_row_stays_small() {
        assert_eq!(std::mem::size_of::<Pending>(), 56);
    }

    fn pending(id: i64, by_content: bool) -> Pending {
        Pending { id, source: 1, target: 2, at: None, texts: None, network: 0, kind: 0, by_content }
    }

    #[test]
    fn identical_rows_are_numbered_across_chunks() {
        let mut occurrences = Occurrences::default();
        // Rows with a native id are the same interaction however often they come.
        let mut first = [pending(5, true), pending(5, true), pending(7, false), pending(7, false)];
        assert!(occurrences.number(&mut first, false));
        let ids: Vec<i64> = first.iter().map(|p| p.id).collect();
        assert_eq!(ids, [5, nth_occurrence(5, 1), 7, 7]);
        // A later chunk goes on counting where the earlier ones stopped.
        let mut second = [pending(5, true), pending(9, true)];
        assert!(occurrences.number(&mut second, true));
        assert_eq!(second[0].id, nth_occurrence(5, 2));
        assert_eq!(second[1].id, 9);
    }
}
