//! Hints about memory: to the processor, to start loading a value it will
//! soon need; to the kernel, to back a large allocation with huge pages.
//! Neither changes a value or a result; both exist for national scale.
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

/// Asks the kernel to back the room of `v` with huge pages (2 MiB) where
/// it can, when the room is large (at least 8 MiB): a million consignments
/// in flight spread over 35,000 ordinary pages, more than the processor's
/// translation buffers hold, so each read of one also missed there. Only a
/// hint (Linux `madvise(MADV_HUGEPAGE)`, effective when transparent huge
/// pages are in `madvise` or `always` mode); it changes no value.
pub fn prefer_huge_pages<T>(v: &Vec<T>) {
    const LARGE: usize = 8 << 20;
    let bytes = v.capacity() * std::mem::size_of::<T>();
    if bytes < LARGE {
        return;
    }
    #[cfg(target_os = "linux")]
    {
        const PAGE: usize = 4096;
        // The whole pages inside the allocation.
        let start = (v.as_ptr() as usize).next_multiple_of(PAGE);
        let end = (v.as_ptr() as usize + bytes) / PAGE * PAGE;
        if end > start {
            // SAFETY: the range lies inside `v`'s own allocation, and
            // MADV_HUGEPAGE changes only how the kernel backs those pages,
            // never their contents; a failure (e.g. huge pages disabled) is
            // harmless and ignored.
            unsafe {
                libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
            }
        }
    }
}
