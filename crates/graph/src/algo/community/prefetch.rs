//! Software prefetch for the random reads of the moving loops.
//!
//! Local moving, refinement and aggregation read, for every arc, an entry of a node-sized array
//! at the far end's index, then an entry of a community-sized array at the label found there.
//! On large graphs both miss the cache, and the second load depends on the first, so the CPU
//! overlaps few of them by itself. Looking every label of a row up first, hinting the loads a
//! few arcs ahead, keeps many misses in flight at once.

/// How many elements ahead to hint: enough to cover a memory round trip at the cost of a few
/// arcs each, small enough that short rows still profit.
pub(crate) const DISTANCE: usize = 16;

/// Asks the CPU to start loading the cache line holding `data[index]` (no effect when `index`
/// is out of bounds, or on targets without a prefetch instruction).
#[inline(always)]
pub(crate) fn prefetch<T>(data: &[T], index: usize) {
    #[cfg(target_arch = "x86_64")]
    if let Some(item) = data.get(index) {
        // SAFETY: SSE, which `_mm_prefetch` needs, is part of the x86_64 baseline, and a
        // prefetch is only a hint: it never faults and changes no memory or architectural state.
        unsafe {
            core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>(
                std::ptr::from_ref(item).cast::<i8>(),
            );
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (data, index);
}
