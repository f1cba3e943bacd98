//! The audit entry of the request being answered, carried to the engine calls it makes, so the
//! change and its entry commit in one transaction (`rapport_engine::team::audited`).
//!
//! The guard opens a scope around a change's handler; [`crate::engines::Engines::call`] runs each
//! engine call inside it on the blocking thread, where the store's next write transaction of the
//! workspace picks the entry up. Work that outlives its request (an upload imported by a job)
//! takes the entry along with [`hand_off`].

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rapport_engine::team::{PendingAudit, audited};

tokio::task_local! {
    static PENDING: Arc<Pending>;
}

/// An entry waiting for its change, and whether a committed change has carried it.
pub(crate) struct Pending {
    entry: PendingAudit,
    /// Written with a change, or handed to a job that writes it with its own.
    settled: AtomicBool,
}

impl Pending {
    fn new(entry: PendingAudit) -> Arc<Pending> {
        Arc::new(Pending { entry, settled: AtomicBool::new(false) })
    }

    /// Runs a blocking engine call with the entry pending on this thread, unless an earlier call
    /// of the request wrote it already.
    pub(crate) fn run<T>(&self, f: impl FnOnce() -> T) -> T {
        if self.settled.load(Ordering::Acquire) {
            return f();
        }
        let (out, written) = audited(self.entry.clone(), f);
        if written {
            self.settled.store(true, Ordering::Release);
        }
        out
    }
}

/// Runs `handler` with `entry` pending; says whether the entry was written (or handed to a job)
/// by the time the handler answered.
pub(crate) async fn scope<F: Future>(entry: PendingAudit, handler: F) -> (F::Output, bool) {
    let pending = Pending::new(entry);
    let out = PENDING.scope(Arc::clone(&pending), handler).await;
    (out, pending.settled.load(Ordering::Acquire))
}

/// The current request's entry, for an engine call to carry.
pub(crate) fn current() -> Option<Arc<Pending>> {
    PENDING.try_with(Arc::clone).ok()
}

/// Takes the current request's entry for a job that makes the change after the request has been
/// answered: the request no longer writes it, the job's change does.
pub(crate) fn hand_off() -> Option<PendingAudit> {
    let pending = current()?;
    if pending.settled.swap(true, Ordering::AcqRel) { None } else { Some(pending.entry.clone()) }
}

/// Runs a job's future with the entry [`hand_off`] gave it pending.
pub(crate) async fn within<F: Future>(entry: Option<PendingAudit>, job: F) -> F::Output {
    match entry {
        Some(entry) => scope(entry, job).await.0,
        None => job.await,
    }
}
