//! The one module that calls the engine: store calls run off the async runtime, on a small pool
//! of threads that each own one `Engine`.
//!
//! The engine keeps its last event set in an `Rc`, so it is not `Send` and cannot sit behind an
//! `Arc<Mutex<_>>`; each worker opens its own engine on its own thread instead (SQLite in WAL mode
//! lets their connections read side by side, and its busy timeout queues their writes). When the
//! engine becomes `Send + Sync`, this file becomes one `Arc<Engine>` and `spawn_blocking`, and
//! nothing else changes.

use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, mpsc};

use rapport_engine::{Config, Engine};
use tokio::sync::oneshot;

use crate::error::ApiError;

/// A store call, run on whichever worker is free.
type Job = Box<dyn FnOnce(&mut Engine) + Send>;

/// A handle on the engine workers; cloning it is cheap.
#[derive(Clone)]
pub(crate) struct Engines {
    queue: mpsc::Sender<Job>,
}

impl Engines {
    /// Starts `workers` threads, each with the engine opened on `config`; fails when the store
    /// cannot be opened.
    pub(crate) fn start(config: &Config, workers: usize) -> Result<Engines, crate::Error> {
        let (queue, jobs) = mpsc::channel::<Job>();
        let jobs = Arc::new(Mutex::new(jobs));
        for n in 0..workers.max(1) {
            let (ready, opened) = mpsc::channel();
            let jobs = Arc::clone(&jobs);
            let config = config.clone();
            std::thread::Builder::new()
                .name(format!("rapport-engine-{n}"))
                .spawn(move || work(&config, &jobs, &ready))
                .map_err(crate::Error::Thread)?;
            match opened.recv() {
                Ok(Ok(())) => {}
                Ok(Err(err)) => return Err(crate::Error::Open(err)),
                Err(_) => return Err(crate::Error::Thread(std::io::Error::other("worker died"))),
            }
        }
        Ok(Engines { queue })
    }

    /// Runs `f` with an engine on a worker thread and waits for its answer without blocking the
    /// runtime.
    pub(crate) async fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Engine) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move |engine| {
            // The receiver may be gone (the client hung up); the work is done either way.
            let _ = answer.send(f(engine));
        });
        self.queue.send(job).map_err(|_| ApiError::internal("the engine workers stopped"))?;
        // A job that panicked drops its sender: report it instead of hanging.
        answered.await.map_err(|_| ApiError::internal("the engine failed on this request"))?
    }
}

/// One worker: opens its engine, says whether that worked, then runs jobs until the queue closes.
fn work(
    config: &Config,
    jobs: &Mutex<mpsc::Receiver<Job>>,
    ready: &mpsc::Sender<Result<(), rapport_engine::Error>>,
) {
    let mut engine = match Engine::open(config) {
        Ok(engine) => engine,
        Err(err) => {
            let _ = ready.send(Err(err));
            return;
        }
    };
    let _ = ready.send(Ok(()));
    loop {
        let job = {
            let Ok(queue) = jobs.lock() else { return };
            match queue.recv() {
                Ok(job) => job,
                Err(_) => return,
            }
        };
        // A bug in one request must not take the worker down with it.
        if std::panic::catch_unwind(AssertUnwindSafe(|| job(&mut engine))).is_err() {
            tracing::error!("an engine call panicked");
        }
    }
}
