//! What every request shares: the engine workers, the secrets, the live-update channel, the
//! import jobs and the views cached for the data's current generation.

use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

use tokio::sync::broadcast;

use crate::engines::Engines;
use crate::error::ApiError;
use crate::events::Change;
use crate::imports::Jobs;
use crate::security::Secrets;

/// The shared state, cloned into every handler.
#[derive(Clone)]
pub(crate) struct AppState {
    pub(crate) engines: Engines,
    pub(crate) security: Arc<crate::security::Secrets>,
    pub(crate) changes: broadcast::Sender<Change>,
    pub(crate) jobs: Jobs,
    pub(crate) cache: Arc<Cache>,
    pub(crate) upload_limit: u64,
    /// Counts actions marked done or snoozed through this server, for views that show them.
    pub(crate) actions_done: Arc<AtomicU64>,
    /// Whose view every page shows, as of when: the CLI's `--as` and `--as-of`.
    pub(crate) view: Arc<rapport_engine::View>,
}

/// How many views one generation keeps at most: the slow views of the data (a handful per view
/// and query) and the people visited since the data last changed.
const MOST_KEPT: usize = 512;

/// A kept view of any type.
type Shared = Arc<dyn Any + Send + Sync>;

/// Views that are slow to compute and depend only on the data (the groups, the map), kept for
/// the generation they were computed at; a new generation drops them all.
#[derive(Default)]
pub(crate) struct Cache {
    entries: Mutex<(i64, HashMap<String, Shared>)>,
}

impl Cache {
    /// The view `key` at `generation`, if kept.
    fn get(&self, generation: i64, key: &str) -> Option<Shared> {
        let entries = self.entries.lock().ok()?;
        (entries.0 == generation).then(|| entries.1.get(key).cloned()).flatten()
    }

    /// Keeps `value` as the view `key` at `generation`, unless as many views as [`MOST_KEPT`]
    /// are kept already (one per person visited adds up): then it is answered, not kept.
    fn put(&self, generation: i64, key: &str, value: Shared) {
        let Ok(mut entries) = self.entries.lock() else { return };
        if entries.0 != generation {
            *entries = (generation, HashMap::new());
        }
        if entries.1.len() < MOST_KEPT {
            entries.1.insert(key.to_owned(), value);
        }
    }
}

impl AppState {
    /// The state of a server over `engines`, nothing cached and no job running yet, showing
    /// "me", now (`rapport serve` sets `view` from `--as` and `--as-of`).
    pub(crate) fn new(engines: Engines, secrets: Secrets, upload_limit: u64) -> AppState {
        AppState {
            engines,
            security: Arc::new(secrets),
            changes: broadcast::channel(64).0,
            jobs: Jobs::default(),
            cache: Arc::default(),
            upload_limit,
            actions_done: Arc::default(),
            view: Arc::default(),
        }
    }

    /// The view of the request being answered (the address may choose another than the server's).
    pub(crate) fn current_view(&self) -> Arc<rapport_engine::View> {
        crate::view::current(&self.view)
    }

    /// The view `key` from the cache, or computed by `compute` on an engine worker and kept.
    /// The generation is read before computing, so a view is never kept for newer data than it
    /// was computed from.
    pub(crate) async fn cached<T: Send + Sync + 'static>(
        &self,
        key: &str,
        compute: impl FnOnce(&rapport_engine::Engine) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<Arc<T>, ApiError> {
        let cache = Arc::clone(&self.cache);
        // Views kept for one vantage point are not another's.
        let key = format!("{key}@{:?}", self.current_view());
        self.engines
            .call(move |engine| {
                let generation = engine.read()?.generation()?;
                if let Some(hit) = cache.get(generation, &key).and_then(|v| v.downcast::<T>().ok())
                {
                    return Ok(hit);
                }
                let value = Arc::new(compute(engine)?);
                cache.put(generation, &key, Arc::clone(&value) as Shared);
                Ok(value)
            })
            .await
    }
}
