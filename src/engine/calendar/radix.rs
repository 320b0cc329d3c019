//! The calendar's queue while it is large: a radix heap.
//!
//! Simulated time never runs backwards, so every event scheduled is due no
//! earlier than the last one popped, and a *monotone* priority queue is
//! enough. A radix heap keeps its entries in buckets by the highest bit in
//! which their key differs from the last key popped; a schedule is an
//! append to one bucket, and a pop takes the lowest occupied bucket, whose
//! entries are spread into lower buckets around their earliest. Every
//! access is a sequential scan or an append. A comparison heap touches one
//! scattered node per level instead: at national scale (over a million
//! pending events, a heap of tens of megabytes) each of those was a cache
//! miss, and the heap's sift-down was about 40% of a run's time
//! (docs/performance.md).

use super::Entry;

/// Buckets: keys of up to 127 significant bits (a key's top bit, a float's
/// sign, is always 0), plus "equal to the last key".
const BUCKETS: usize = 128;

/// Room (entries) an emptied bucket keeps: enough that a calendar of a few
/// thousand events never allocates, small beside a large one's entries.
pub(super) const KEEP_ROOM: usize = 4096;

impl<E> Entry<E> {
    /// The bucket of this entry relative to the last key popped: one plus
    /// the position of the highest bit in which the two keys differ, or 0
    /// when they are equal.
    #[inline(always)]
    fn bucket(&self, last_time: u64, last_seq: u64) -> usize {
        let time_diff = self.time_bits ^ last_time;
        let b = if time_diff != 0 {
            128 - time_diff.leading_zeros()
        } else {
            64 - (self.seq ^ last_seq).leading_zeros()
        };
        b as usize % BUCKETS
    }
}

/// The earliest of `entries`.
fn earliest<E>(entries: &[Entry<E>]) -> Option<&Entry<E>> {
    entries
        .iter()
        .reduce(|best, e| if e.before(best) { e } else { best })
}

pub(super) struct Radix<E> {
    /// `buckets[b]` holds the entries whose key first differs from the last
    /// key popped at bit `b − 1` (bucket 0: equal to it).
    buckets: Box<[Vec<Entry<E>>; BUCKETS]>,
    /// Bit `b` is set when `buckets[b]` is not empty.
    occupied: u128,
    /// The key of the last entry popped.
    last_time: u64,
    last_seq: u64,
    /// Entries due before the last one popped. Simulation time never goes
    /// back, so this stays empty; it is there so that a caller that breaks
    /// that rule still gets its events in order, not a corrupted queue.
    early: Vec<Entry<E>>,
    /// A spare vector to spread a bucket from without allocating.
    spare: Vec<Entry<E>>,
    len: usize,
}

impl<E: Copy> Radix<E> {
    pub(super) fn new() -> Self {
        Self {
            buckets: Box::new(std::array::from_fn(|_| Vec::new())),
            occupied: 0,
            last_time: 0,
            last_seq: 0,
            early: Vec::new(),
            spare: Vec::new(),
            len: 0,
        }
    }

    /// Empties the queue and makes `(time_bits, seq)` the last key popped:
    /// the entries pushed next are placed relative to it.
    pub(super) fn restart_at(&mut self, time_bits: u64, seq: u64) {
        debug_assert_eq!(self.len, 0);
        self.last_time = time_bits;
        self.last_seq = seq;
    }

    #[inline]
    pub(super) fn push(&mut self, entry: Entry<E>) {
        self.len += 1;
        if entry.time_bits < self.last_time {
            self.early.push(entry);
            return;
        }
        let b = entry.bucket(self.last_time, self.last_seq);
        self.buckets[b].push(entry);
        self.occupied |= 1 << b;
    }

    #[inline]
    pub(super) fn pop(&mut self) -> Option<Entry<E>> {
        if !self.early.is_empty() {
            return Some(self.pop_early());
        }
        if self.occupied == 0 {
            return None;
        }
        let b = self.occupied.trailing_zeros() as usize;
        let bucket = &mut self.buckets[b % BUCKETS];
        let entry = if bucket.len() == 1 {
            // The lowest bucket's only entry is the earliest.
            self.occupied &= !(1 << b);
            let entry = bucket.pop().expect("one entry");
            self.last_time = entry.time_bits;
            self.last_seq = entry.seq;
            entry
        } else {
            self.spread(b)
        };
        self.len -= 1;
        Some(entry)
    }

    /// Takes the earliest entry of bucket `b` out, makes it the last key
    /// and spreads the bucket's other entries over the buckets below (they
    /// share every bit above `b − 1` with the new key, so none stays in
    /// `b`).
    #[inline(never)]
    fn spread(&mut self, b: usize) -> Entry<E> {
        std::mem::swap(&mut self.spare, &mut self.buckets[b % BUCKETS]);
        self.occupied &= !(1 << b);
        let earliest = *earliest(&self.spare).expect("an occupied bucket is not empty");
        self.last_time = earliest.time_bits;
        self.last_seq = earliest.seq;
        for entry in self.spare.drain(..) {
            if entry.seq == earliest.seq {
                continue;
            }
            let to = entry.bucket(self.last_time, self.last_seq);
            self.buckets[to].push(entry);
            self.occupied |= 1 << to;
        }
        // Bucket `b` now holds the previous spare, empty. Keeping its room
        // would let every bucket keep the largest room it ever had (twelve
        // times the pending events on the national scenario); a bucket
        // only grows until it is spread, so dropping a large spare here
        // bounds the room to about twice the pending events plus the spare.
        // Small rooms are kept, so that small buckets never allocate.
        if self.buckets[b % BUCKETS].capacity() > KEEP_ROOM {
            self.buckets[b % BUCKETS] = Vec::new();
        }
        earliest
    }

    /// Pops the earliest of the entries scheduled in the past.
    #[cold]
    fn pop_early(&mut self) -> Entry<E> {
        let first = earliest(&self.early).expect("not empty");
        let i = self.early.iter().position(|e| e.seq == first.seq);
        self.len -= 1;
        self.early.swap_remove(i.expect("found"))
    }

    /// The entries of the lowest occupied bucket: the next to pop and its
    /// nearest neighbours in time, in no particular order.
    #[inline]
    pub(super) fn due_next(&self) -> &[Entry<E>] {
        if self.occupied == 0 {
            return &[];
        }
        &self.buckets[self.occupied.trailing_zeros() as usize % BUCKETS]
    }

    pub(super) fn peek(&self) -> Option<&Entry<E>> {
        earliest(&self.early).or_else(|| earliest(self.due_next()))
    }

    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// Takes every entry out, in no particular order, and frees the room
    /// of the large buckets.
    pub(super) fn drain_into(&mut self, mut put: impl FnMut(Entry<E>)) {
        for bucket in self.buckets.iter_mut().chain([&mut self.early]) {
            bucket.drain(..).for_each(&mut put);
            if bucket.capacity() > KEEP_ROOM {
                *bucket = Vec::new();
            }
        }
        self.spare = Vec::new();
        self.occupied = 0;
        self.len = 0;
    }

    #[cfg(test)]
    pub(super) fn room(&self) -> usize {
        self.buckets.iter().map(Vec::capacity).sum::<usize>()
            + self.spare.capacity()
            + self.early.capacity()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Moving the events out gives back the room of every bucket that grew
    /// past [`KEEP_ROOM`] (here two buckets hold all 3 × `KEEP_ROOM`
    /// entries before the drain) and keeps at most that in each.
    #[test]
    fn drain_gives_back_large_buckets() {
        let mut r = Radix::new();
        r.restart_at(0, 0);
        let n = 3 * KEEP_ROOM;
        for seq in 0..n as u64 {
            let time_bits = (1.0 + seq as f64).to_bits();
            r.push(Entry {
                time_bits,
                seq,
                event: (),
            });
        }
        for _ in 0..10 {
            r.pop();
        }
        let rooms = |r: &Radix<()>| {
            r.buckets
                .iter()
                .chain([&r.early, &r.spare])
                .map(Vec::capacity)
                .collect::<Vec<_>>()
        };
        assert!(rooms(&r).iter().any(|&c| c > KEEP_ROOM));
        let mut drained = 0;
        r.drain_into(|_| drained += 1);
        assert_eq!(drained, n - 10);
        assert!(rooms(&r).iter().all(|&c| c <= KEEP_ROOM), "{:?}", rooms(&r));
    }
}
