//! A hint to the processor to start loading a value it will soon need.
//!
//! At national scale a replication holds over a million consignments in
//! flight (about 140 MB), far more than the caches, and nearly every event
//! begins by reading its consignment: that one read was a third of a run's
//! time (docs/performance.md). The event loop knows which events come next
//! ([`crate::engine::Calendar::due_next`]), so it can ask for their data
//! while it handles the current one.

/// Asks the processor to bring the cache line holding the start of `value`
/// into its caches. Only a hint: it changes no value and no result.
#[inline(always)]
pub fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        // SAFETY: a prefetch reads nothing into the program and cannot
        // fault (it is dropped if the address were invalid, and here it is
        // the address of a live reference); SSE is part of the x86-64
        // baseline, so the instruction always exists.
        unsafe { _mm_prefetch::<_MM_HINT_T0>((value as *const T).cast::<i8>()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}
