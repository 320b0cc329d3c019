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
    let bytes = v.capacity() * std::mem::size_of::<T>();
    let Some((start, len)) = huge_page_range(v.as_ptr() as usize, bytes) else {
        return;
    };
    #[cfg(target_os = "linux")]
    // SAFETY: `huge_page_range` keeps the range inside `v`'s own
    // allocation, and MADV_HUGEPAGE changes only how the kernel backs those
    // pages, never their contents; a failure (e.g. huge pages disabled) is
    // harmless and ignored.
    unsafe {
        libc::madvise(start as *mut libc::c_void, len, libc::MADV_HUGEPAGE);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (start, len);
}

/// Allocations smaller than this are left to ordinary pages.
const LARGE: usize = 8 << 20;

/// The kernel's ordinary page [bytes].
const PAGE: usize = 4096;

/// The whole pages inside an allocation of `bytes` at address `addr`, as
/// (first page's address, length), if the allocation is large enough to be
/// worth huge pages. The range never leaves the allocation: `madvise` is
/// given only memory the vector owns.
fn huge_page_range(addr: usize, bytes: usize) -> Option<(usize, usize)> {
    if bytes < LARGE {
        return None;
    }
    let start = addr.next_multiple_of(PAGE);
    let end = (addr + bytes) / PAGE * PAGE;
    (end > start).then(|| (start, end - start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_allocation_is_left_to_ordinary_pages() {
        assert_eq!(huge_page_range(0x10_0000, LARGE - 1), None);
        assert_eq!(huge_page_range(0x10_0000, 8 << 10), None);
    }

    #[test]
    fn an_aligned_allocation_is_advised_whole() {
        assert_eq!(huge_page_range(0x10_0000, LARGE), Some((0x10_0000, LARGE)));
        assert_eq!(
            huge_page_range(0x10_0000, 3 * LARGE),
            Some((0x10_0000, 3 * LARGE))
        );
    }

    #[test]
    fn an_unaligned_allocation_is_advised_only_its_whole_pages() {
        // Starts 100 bytes into a page and ends 100 bytes into another: the
        // partial pages at both ends stay out.
        let addr = 0x10_0000 + 100;
        let (start, len) = huge_page_range(addr, LARGE).unwrap();
        assert_eq!(start, 0x10_0000 + PAGE);
        assert_eq!(len, LARGE - PAGE);
        assert!(start >= addr && start + len <= addr + LARGE);
    }

    #[test]
    fn hints_change_no_value() {
        let v: Vec<u64> = (0..(LARGE / 8) as u64 + 7).collect();
        prefer_huge_pages(&v);
        prefetch(&v[3]);
        assert!(v.iter().enumerate().all(|(i, &x)| x == i as u64));
    }

    /// The hint reaches the kernel for a large vector's whole room: the
    /// mapping holding it gains the `hg` flag (`MADV_HUGEPAGE`) in
    /// `/proc/self/smaps`, which it did not have before. 64 MiB is above
    /// the C allocator's largest threshold for a mapping of its own, so the
    /// mapping is fresh. Skipped where the kernel has no transparent huge
    /// pages (then `madvise` refuses the hint).
    #[cfg(target_os = "linux")]
    #[test]
    fn a_large_vector_is_marked_for_huge_pages() {
        if !std::path::Path::new("/sys/kernel/mm/transparent_hugepage/enabled").exists() {
            return;
        }
        let v: Vec<u64> = Vec::with_capacity(LARGE); // 8 bytes each: 64 MiB
        let (start, len) = huge_page_range(v.as_ptr() as usize, 8 * LARGE).unwrap();
        let huge = |addr: usize| vm_flags_at(addr).split_whitespace().any(|f| f == "hg");
        assert!(!huge(start) && !huge(start + len - 1));
        prefer_huge_pages(&v);
        assert!(huge(start) && huge(start + len - 1));
    }

    /// The `VmFlags` of the mapping of this process that holds `addr`.
    #[cfg(target_os = "linux")]
    fn vm_flags_at(addr: usize) -> String {
        let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
        let mut inside = false;
        for line in smaps.lines() {
            let range = line
                .split_whitespace()
                .next()
                .and_then(|r| r.split_once('-'));
            if let Some((lo, hi)) = range
                && let (Ok(lo), Ok(hi)) =
                    (usize::from_str_radix(lo, 16), usize::from_str_radix(hi, 16))
            {
                inside = (lo..hi).contains(&addr);
            } else if inside && let Some(flags) = line.strip_prefix("VmFlags:") {
                return flags.to_string();
            }
        }
        panic!("no mapping holds {addr:#x}");
    }
}
