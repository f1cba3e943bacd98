//! Helpers for splitting CSR rows into balanced parallel blocks and for per-thread scratch space.

use std::ops::Range;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Splits the rows `0..offsets.len()-1` into about `parts` contiguous ranges of similar edge counts,
/// so that a skewed degree distribution does not leave one thread with most of the work.
pub(crate) fn balanced_ranges(offsets: &[u64], parts: usize) -> Vec<Range<usize>> {
    let rows = offsets.len().saturating_sub(1);
    let total = offsets.last().copied().unwrap_or(0);
    let parts = parts.max(1);
    let mut ranges = Vec::with_capacity(parts);
    let mut start = 0usize;
    for p in 1..=parts {
        let end = if p == parts {
            rows
        } else {
            let goal = total / parts as u64 * p as u64;
            offsets.partition_point(|&o| o < goal).min(rows).max(start)
        };
        if end > start {
            ranges.push(start..end);
            start = end;
        }
    }
    if start < rows {
        ranges.push(start..rows);
    }
    ranges
}

/// Cuts `data` (laid out by `offsets`) into one mutable slice per row range.
pub(crate) fn split_rows_mut<'a, T>(
    mut data: &'a mut [T],
    offsets: &[u64],
    ranges: &[Range<usize>],
) -> Vec<&'a mut [T]> {
    let mut slices = Vec::with_capacity(ranges.len());
    let mut consumed = 0u64;
    for r in ranges {
        let len = (offsets[r.end] - offsets[r.start]) as usize;
        let skip = (offsets[r.start] - consumed) as usize;
        let (_, rest) = data.split_at_mut(skip);
        let (head, tail) = rest.split_at_mut(len);
        slices.push(head);
        data = tail;
        consumed = offsets[r.end];
    }
    slices
}

/// How many blocks to cut work into: a few per thread, so work stealing can even out the load.
pub(crate) fn block_count() -> usize {
    rayon::current_num_threads() * 8
}

/// One scratch value per rayon worker, so hot loops reuse large buffers instead of allocating.
///
/// Results must not depend on which scratch a task gets, which keeps the algorithms
/// deterministic for a given seed whatever the thread count.
pub(crate) struct ScratchPool<T> {
    slots: Vec<Mutex<T>>,
}

impl<T> ScratchPool<T> {
    pub(crate) fn new(make: impl Fn() -> T) -> Self {
        let slots = (0..rayon::current_num_threads().max(1)).map(|_| Mutex::new(make())).collect();
        Self { slots }
    }

    /// The scratch of the calling worker thread (slot 0 outside the pool).
    pub(crate) fn get(&self) -> MutexGuard<'_, T> {
        let index = rayon::current_thread_index().unwrap_or(0) % self.slots.len();
        self.slots[index].lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Runs `f` on a pool of `threads` worker threads (all cores when `None` or 0), so a command can
/// honour `--threads` without a process-wide setting.
pub fn with_threads<T: Send>(
    threads: Option<usize>,
    f: impl FnOnce() -> T + Send,
) -> Result<T, crate::GraphError> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads.unwrap_or(0)).build()?;
    Ok(pool.install(f))
}
