//! Views kept in the store between commands, so that reading them does not mean recomputing them
//! from the whole history: for the data's "now" (any account, any network; see `View::slot`), the
//! people listing, discover's ranking, today's candidate actions and the audit. (Discover's blend
//! is kept state of its own, across generations: see `blend`.) The store drops them whenever the data they come from changes (see its
//! `derived` migration); imports compute the views of "me" again straight away, so the first read
//! after an import is as fast as the next.
//!
//! Views of a past moment (`--as-of`) and discover's topic or look-alike queries are computed
//! afresh.

pub(crate) mod codec;
mod views;

use std::sync::Arc;

use rapport_store::{Read, Store};

use crate::{Engine, Error, Result, Snapshot, TodayQuery, View};

pub(crate) use views::{
    decode_audit, decode_candidates, decode_people, decode_suggestions, encode_audit,
    encode_candidates, encode_people, encode_suggestions,
};

/// What a kept view is computed by. The key of every view carries it, so a build that computes them
/// differently (new weights, another check model, a change here) never reads an older build's.
pub(crate) fn build_id() -> String {
    // The blend kept for discover was chosen on top of the circle's other defaults.
    let weights = format!(
        "{:?}{:?}{}",
        rapport_score::ScoreParams::default(),
        rapport_graph::algo::salsa::CircleParams::default(),
        rapport_check::Model::embedded_id()
    );
    let hash = xxhash_rust::xxh3::xxh3_64(weights.as_bytes());
    format!("{}-{FORMAT}-{hash:016x}", env!("CARGO_PKG_VERSION"))
}

/// The layout of the bodies; bump it whenever `views` encodes differently or the engine computes a
/// kept view differently.
const FORMAT: u32 = 7;

impl Snapshot<'_> {
    /// The view in `slot` as kept for `variant` (what else it depends on, such as the settings):
    /// decoded already by this process, or read from the store, or computed by `compute` and kept
    /// in place of the slot's other variants. A view that does not decode (an older layout, a
    /// damaged row) is computed again; failing to keep it in the store (a read-only or busy store)
    /// only costs the next process the same work.
    pub(crate) fn kept<T: Send + Sync + 'static>(
        &self,
        slot: &str,
        variant: &str,
        compute: impl FnOnce() -> Result<T>,
        encode: impl FnOnce(&T) -> Vec<u8>,
        decode: impl FnOnce(&[u8]) -> Option<T>,
    ) -> Result<Arc<T>> {
        // The store keeps one view per slot, the key up to `#`: a handle has no `#` on any network
        // Rapport reads, and if one did, views would only be recomputed more often.
        let key = format!("{slot}#{variant}@{}", build_id());
        // The snapshot's generation: the data the view is computed from, whatever commits while
        // it is computed.
        let generation = self.store.generation()?;
        let cache = &self.engine.cache;
        if let Some(view) = cache.view::<T>(&key, generation) {
            return Ok(view);
        }
        if let Some(view) = self.store.derived(&key)?.and_then(|body| decode(&body)) {
            tracing::debug!(view = slot, "kept view read");
            let view = Arc::new(view);
            cache.keep_view(&key, generation, &view);
            return Ok(view);
        }
        let view = Arc::new(compute()?);
        // A snapshot does not see what is written after it began, so the views computed later in
        // the same snapshot (today's list reads the listing, and so does the audit) find this one
        // in the process's cache, not in the store.
        cache.keep_view(&key, generation, &view);
        if let Err(err) = self.engine.store.put_derived(&key, generation, &encode(&view)) {
            tracing::warn!(view = slot, %err, "could not keep the view in the store");
        }
        Ok(view)
    }
}

impl Engine {
    /// Computes and keeps the views of "me" as the data stands now (people, discover, today's
    /// candidates, the audit), so that the first read after an import is as fast as the next.
    /// Returns false when there is nothing to compute: "me" is not set or has no interactions.
    ///
    /// A process that follows the networks calls it after each batch `sync_write` writes; there the
    /// check's verdicts on the user's messages, every post's terms, the history of "me" (see
    /// `history`) and the whole store's event set (extended by the batch, see `events`) carry over
    /// from one batch to the next, and discover's blend is kept state read from the store (chosen
    /// again only after a week of the data or a tenth of change in the network, see `blend`), but
    /// the listing, the person graph, discover's ranking, today's candidates and the audit are each
    /// still computed again, from the kept sets, for every generation.
    pub fn refresh_views(&self) -> Result<bool> {
        let snapshot = self.read()?;
        if !snapshot.refresh_today()? {
            return Ok(false);
        }
        snapshot.audit(&View::default())?;
        Ok(true)
    }

    /// Brings today's list up to date, and the views it reads (the people listing and discover's
    /// ranking), but not the audit: what a live tail does first after a batch, so that a reply is
    /// on today's list as soon as it can be. Returns false as [`Engine::refresh_views`] does.
    pub fn refresh_today(&self) -> Result<bool> {
        self.read()?.refresh_today()
    }
}

impl Snapshot<'_> {
    fn refresh_today(&self) -> Result<bool> {
        // Today's list reads the people listing and discover's ranking, so this computes all three.
        match self.today(&View::default(), &TodayQuery { limit: 1 }) {
            Err(Error::NoMe | Error::NoInteractions { .. }) => Ok(false),
            other => other.map(|_| true),
        }
    }
}
