//! What every job does around its rounds: agree that every worker succeeded before going on,
//! commit the output files together, and add up the traffic.

use std::path::PathBuf;

use timely::worker::Worker;

use crate::output::Staged;
use crate::round::Totals;
use crate::{DistError, Traffic};

/// One worker's view of a running job.
pub(crate) struct Ctx<'w> {
    pub(crate) worker: &'w mut Worker,
    pub(crate) traffic: Traffic,
    pub(crate) workers_per_process: usize,
    totals: Totals,
}

/// What a worker hands back when its job ends.
pub(crate) struct Finished {
    /// The file this worker wrote.
    pub(crate) file: Option<PathBuf>,
    /// Lines written over all workers.
    pub(crate) lines: u64,
    /// The traffic of all workers.
    pub(crate) traffic: Traffic,
}

impl<'w> Ctx<'w> {
    /// Builds the context; call before the job's own dataflows so every worker creates its
    /// dataflows in the same order.
    pub(crate) fn new(worker: &'w mut Worker, workers_per_process: usize) -> Self {
        let totals = Totals::new(worker, workers_per_process);
        Self { worker, traffic: Traffic::default(), workers_per_process, totals }
    }

    pub(crate) fn index(&self) -> usize {
        self.worker.index()
    }

    pub(crate) fn peers(&self) -> usize {
        self.worker.peers()
    }

    /// Sums `values` over all workers (one round).
    pub(crate) fn sum(&mut self, values: &[f64]) -> Vec<f64> {
        self.totals.sum(self.worker, values, &mut self.traffic)
    }

    /// Passes `result` on if every worker's step succeeded; otherwise every worker stops, the
    /// failed ones with their own error and the others naming the first failed worker.
    pub(crate) fn agree<T>(&mut self, result: Result<T, DistError>) -> Result<T, DistError> {
        let mut failed = vec![0.0; self.peers()];
        let me = self.index();
        failed[me] = if result.is_err() { 1.0 } else { 0.0 };
        let all = self.sum(&failed);
        match result {
            Err(e) => Err(e),
            Ok(value) => match all.iter().position(|&f| f > 0.0) {
                Some(worker) => Err(DistError::Peer { worker }),
                None => Ok(value),
            },
        }
    }

    /// Commits the staged output once every worker staged its own, and adds up the lines and
    /// the traffic.
    pub(crate) fn finish(
        &mut self,
        staged: Result<Option<Staged>, DistError>,
    ) -> Result<Finished, DistError> {
        let staged = self.agree(staged)?;
        let lines = staged.as_ref().map_or(0, |s| s.lines);
        let file = self.agree(staged.map(Staged::commit).transpose())?;
        let t = self.traffic;
        let mine = [lines, t.rounds, t.records, t.remote_records, t.remote_bytes].map(|x| x as f64);
        let all = self.sum(&mine);
        // Rounds are the same on every worker; the sum counts them once per worker.
        let traffic = Traffic {
            rounds: t.rounds,
            records: all[2] as u64,
            remote_records: all[3] as u64,
            remote_bytes: all[4] as u64,
        };
        Ok(Finished { file, lines: all[0] as u64, traffic })
    }
}

/// This process's answer from its workers' results: the first worker's, with every worker's
/// files; or the most telling error, a worker's own failure rather than another worker's report
/// that some worker failed.
pub(crate) fn gather<T>(
    parts: Vec<Result<T, DistError>>,
    files: impl Fn(&mut T) -> &mut Vec<PathBuf>,
) -> Result<T, DistError> {
    let mut done: Vec<T> = Vec::with_capacity(parts.len());
    let mut peer_error = None;
    for part in parts {
        match part {
            Ok(part) => done.push(part),
            Err(e @ DistError::Peer { .. }) => peer_error = peer_error.or(Some(e)),
            Err(e) => return Err(e),
        }
    }
    if let Some(e) = peer_error {
        return Err(e);
    }
    let mut rest = done.split_off(1.min(done.len()));
    let mut first = done.pop().ok_or_else(|| DistError::Workers("no worker ran".to_owned()))?;
    for part in &mut rest {
        let more = std::mem::take(files(part));
        files(&mut first).extend(more);
    }
    Ok(first)
}
