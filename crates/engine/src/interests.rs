//! What people post about: files every post's terms under its author's node and hands them to
//! `rapport_score::interests`, which builds the term profiles.
//!
//! A post is split into terms once per process: the terms of every public post are kept (with
//! the import that wrote it, its author and its time, in `cache`), and a later generation of the
//! data reads only the posts of the imports since, so bringing the views up to date after a live
//! batch does not read and split the whole store's posts again. Which posts count, and whose node
//! each is filed under, is decided afresh every time, so the profiles are those the whole store
//! gives.

use std::collections::HashMap;

use rapport_model::Timestamp;
use rapport_score::interests::{Interests, Vocabulary};
use rapport_store::Read;

use crate::events::EventSet;
use crate::{Result, Snapshot};

/// The terms of every public post read so far, split once.
#[derive(Default)]
pub(crate) struct PostTerms {
    /// The newest import whose posts are here.
    through: i64,
    vocabulary: Vocabulary,
    posts: Vec<KeptPost>,
}

/// One post's terms, as ids of the kept vocabulary, and what decides where and whether it counts.
struct KeptPost {
    import: i64,
    author: i64,
    at: Option<Timestamp>,
    terms: Box<[u32]>,
}

impl PostTerms {
    /// Reads and splits the posts of the imports after `self.through`, up to `last`.
    fn read_since(&mut self, snapshot: &Snapshot<'_>, last: i64) -> Result<()> {
        let PostTerms { through, vocabulary, posts } = self;
        let mut terms = Vec::new();
        snapshot.store.for_each_post_since(*through, &mut |import, author, at, text| {
            terms.clear();
            vocabulary.post_terms(text, &mut terms);
            posts.push(KeptPost { import, author, at, terms: terms.as_slice().into() });
        })?;
        *through = last;
        Ok(())
    }
}

impl Snapshot<'_> {
    /// The term profiles of every node of `set` that posted by `as_of`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub(crate) fn interests(&self, set: &EventSet, as_of: Timestamp) -> Result<Interests> {
        let (last, count) = self.store.posts_mark()?;
        let mut kept = self.engine.cache.post_terms();
        if kept.through < last {
            kept.read_since(self, last)?;
        }
        // The kept posts this snapshot sees (another thread may have read newer imports): all of
        // its posts unless some were removed since they were kept, and then every post is read
        // again.
        let seen = kept.posts.iter().filter(|p| p.import <= last).count();
        if seen as u64 != count {
            tracing::debug!(kept = seen, count, "posts removed since they were kept: read again");
            *kept = PostTerms::default();
            kept.read_since(self, last)?;
        }
        let merged = self.store.merged_persons()?;
        let mut used: HashMap<u32, Vec<u32>> = HashMap::new();
        for post in &kept.posts {
            if post.import > last || post.at.is_some_and(|at| at > as_of) {
                continue;
            }
            let person = if set.is_me_account(post.author) {
                set.me_person()
            } else {
                merged.get(&post.author).copied().unwrap_or(-post.author)
            };
            if let Some(node) = set.node_of(person) {
                used.entry(node).or_default().extend_from_slice(&post.terms);
            }
        }
        Ok(kept.vocabulary.profiles(used))
    }
}
