//! What people post about: reads every post's text up to a moment, files it under its author's
//! node, and hands it to `rapport_score::interests`, which builds the term profiles.

use rapport_model::Timestamp;
use std::collections::HashMap;

use rapport_score::interests::{Interests, Vocabulary};
use rapport_store::Read;

use crate::events::EventSet;
use crate::{Result, Snapshot};

impl Snapshot<'_> {
    /// The term profiles of every node of `set` that posted by `as_of`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub(crate) fn interests(&self, set: &EventSet, as_of: Timestamp) -> Result<Interests> {
        let mut vocabulary = Vocabulary::default();
        let mut used: HashMap<u32, Vec<u32>> = HashMap::new();
        let merged = self.store.merged_persons()?;
        // Posts are streamed, not collected: a store's posts need not fit in memory at once.
        self.store.for_each_post_text(Some(as_of), &mut |author, text| {
            let person = if set.is_me_account(author) {
                set.me_person()
            } else {
                merged.get(&author).copied().unwrap_or(-author)
            };
            if let Some(node) = set.node_of(person) {
                vocabulary.post_terms(text, used.entry(node).or_default());
            }
        })?;
        Ok(vocabulary.profiles(used))
    }
}
