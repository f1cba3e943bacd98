//! The one module that calls the engine directly: the server holds one shared `Engine` (it is
//! `Send + Sync`) and runs every store call on tokio's blocking pool, off the async runtime.
//!
//! A blocking call cannot be stopped once it runs, so calls wait for one of a few permits first:
//! a client that gives up while its request waits (a closed tab, a load tool's timeout) costs
//! nothing, and a burst of slow requests cannot pile up hundreds of computations.

use std::sync::Arc;

use rapport_engine::{Config, Engine};
use tokio::sync::Semaphore;

use crate::error::ApiError;

/// The shared engine; cloning it is cheap.
#[derive(Clone)]
pub(crate) struct Engines {
    engine: Arc<Engine>,
    permits: Arc<Semaphore>,
}

impl Engines {
    /// Opens the store `config` names.
    pub(crate) fn start(config: &Config) -> Result<Engines, crate::Error> {
        Ok(Engines::over(Engine::open(config).map_err(crate::Error::Open)?))
    }

    /// Serves an engine opened elsewhere (a workspace's, in team mode).
    pub(crate) fn over(engine: Engine) -> Engines {
        // Two calls per core keep the cores busy while one call waits on the disk.
        let permits = std::thread::available_parallelism().map_or(4, |n| 2 * n.get());
        Engines { engine: Arc::new(engine), permits: Arc::new(Semaphore::new(permits)) }
    }

    /// Runs `f` with the engine on the blocking pool and waits for its answer without blocking
    /// the runtime.
    pub(crate) async fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Engine) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|_| ApiError::internal("the server is stopping"))?;
        let engine = Arc::clone(&self.engine);
        // In team mode, a change's audit entry commits with the change (`teams::pending`).
        let pending = crate::teams::pending::current();
        tokio::task::spawn_blocking(move || {
            let answer = match pending {
                Some(pending) => pending.run(|| f(&engine)),
                None => f(&engine),
            };
            drop(permit);
            answer
        })
        .await
        // A call that panicked: report it instead of taking the server down.
        .map_err(|_| ApiError::internal("the engine failed on this request"))?
    }
}
