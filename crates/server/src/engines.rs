//! The one module that calls the engine directly: the server holds one shared `Engine` (it is
//! `Send + Sync`) and runs every store call on tokio's blocking pool, off the async runtime.

use std::sync::Arc;

use rapport_engine::{Config, Engine};

use crate::error::ApiError;

/// The shared engine; cloning it is cheap.
#[derive(Clone)]
pub(crate) struct Engines {
    engine: Arc<Engine>,
}

impl Engines {
    /// Opens the store `config` names.
    pub(crate) fn start(config: &Config) -> Result<Engines, crate::Error> {
        Ok(Engines { engine: Arc::new(Engine::open(config).map_err(crate::Error::Open)?) })
    }

    /// Runs `f` with the engine on the blocking pool and waits for its answer without blocking
    /// the runtime.
    pub(crate) async fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Engine) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let engine = Arc::clone(&self.engine);
        tokio::task::spawn_blocking(move || f(&engine))
            .await
            // A call that panicked: report it instead of taking the server down.
            .map_err(|_| ApiError::internal("the engine failed on this request"))?
    }
}
