//! The future event list: a 4-ary heap ordered by `(time, sequence)` (a
//! shallower tree than a binary heap: fewer cache misses per pop).
//!
//! The sequence number makes ties first-in first-out, which is what keeps a
//! run deterministic: two events at the same instant are handled in the order
//! they were scheduled, never in the heap's arbitrary order.
//!
//! The heap is written out here rather than taken from a crate: the order
//! is total (no two entries share a sequence number), so the pop order is
//! the same whatever the heap's shape, and a heap that knows its entries are
//! small `Copy` values compares two integers per child and moves each entry
//! once, where a generic one pays for holes, options and `Ord` calls (it
//! was about a tenth of a run's instructions on M/M/c).

/// Children per node.
const ARITY: usize = 4;

/// A pending event. For non-negative floats the bit pattern orders like
/// the number, so comparing `(time bits, sequence)` as integers orders by
/// `(time, sequence)`. Two `u64`s rather than one `u128` keep the entry at
/// 8-byte alignment (24 bytes with a small event, not 32).
#[derive(Clone, Copy)]
struct Entry<E> {
    time_bits: u64,
    seq: u64,
    event: E,
}

impl<E> Entry<E> {
    fn time(&self) -> f64 {
        f64::from_bits(self.time_bits)
    }

    /// Whether this entry is due before `other`.
    #[inline(always)]
    fn before(&self, other: &Self) -> bool {
        (self.time_bits, self.seq) < (other.time_bits, other.seq)
    }
}

/// The position of the earliest of four entries: a two-round tournament,
/// whose two first comparisons do not wait for each other.
#[inline(always)]
fn earliest_of_four<E>(c: &[Entry<E>]) -> usize {
    let a = usize::from(c[1].before(&c[0]));
    let b = 2 + usize::from(c[3].before(&c[2]));
    if c[b].before(&c[a]) { b } else { a }
}

/// Pending events of type `E`, popped in time order, FIFO among equal times.
/// Events are small plain values (`Copy`): handles, not payloads.
pub struct Calendar<E> {
    /// A 4-ary min-heap: the children of node `i` are `4i + 1 ..= 4i + 4`.
    heap: Vec<Entry<E>>,
    next_seq: u64,
}

impl<E: Copy> Default for Calendar<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Copy> Calendar<E> {
    pub fn new() -> Self {
        Self {
            heap: Vec::with_capacity(64),
            next_seq: 0,
        }
    }

    /// Schedules `event` at absolute time `time` `[h]`, which must be a
    /// non-negative number (simulation time never runs backwards from 0).
    #[inline]
    pub fn schedule(&mut self, time: f64, event: E) {
        debug_assert!(time >= 0.0, "event scheduled at time {time}");
        // `+ 0.0` turns a negative zero into a positive one.
        let entry = Entry {
            time_bits: (time + 0.0).to_bits(),
            seq: self.next_seq,
            event,
        };
        self.next_seq += 1;
        // Sift up: parents due later move down into the hole.
        let mut i = self.heap.len();
        self.heap.push(entry);
        while i > 0 {
            let parent = (i - 1) / ARITY;
            if !entry.before(&self.heap[parent]) {
                break;
            }
            self.heap[i] = self.heap[parent];
            i = parent;
        }
        self.heap[i] = entry;
    }

    /// Removes and returns the earliest event.
    #[inline]
    pub fn pop(&mut self) -> Option<(f64, E)> {
        let last = self.heap.pop()?;
        let Some(&top) = self.heap.first() else {
            return Some((last.time(), last.event));
        };
        self.sift_down_from_root(last);
        Some((top.time(), top.event))
    }

    /// Puts `entry` in the root's place, bottom-up (Floyd): the hole left
    /// by the root goes down to a leaf, the earliest child moving up at each
    /// level, and `entry` then rises from there. `entry` was the last leaf,
    /// so it seldom rises far: this costs about one comparison per level
    /// less than sinking it from the top, which counts on a calendar of
    /// hundreds of events.
    #[inline]
    fn sift_down_from_root(&mut self, entry: Entry<E>) {
        let heap = &mut self.heap[..];
        let mut hole = 0;
        loop {
            let first = ARITY * hole + 1;
            let child = match heap.get(first..first + ARITY) {
                Some(children) => first + earliest_of_four(children),
                None if first < heap.len() => {
                    // The last node with children may have fewer than four.
                    (first + 1..heap.len()).fold(first, |best, k| {
                        if heap[k].before(&heap[best]) { k } else { best }
                    })
                }
                None => break,
            };
            heap[hole] = heap[child];
            hole = child;
        }
        while hole > 0 {
            let parent = (hole - 1) / ARITY;
            if !entry.before(&heap[parent]) {
                break;
            }
            heap[hole] = heap[parent];
            hole = parent;
        }
        heap[hole] = entry;
    }

    /// Time of the earliest event, if any.
    pub fn peek_time(&self) -> Option<f64> {
        self.heap.first().map(Entry::time)
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_order() {
        let mut c = Calendar::new();
        for (t, e) in [(3.0, 'c'), (1.0, 'a'), (2.0, 'b')] {
            c.schedule(t, e);
        }
        let order: Vec<char> = std::iter::from_fn(|| c.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, vec!['a', 'b', 'c']);
    }

    #[test]
    fn ties_are_first_in_first_out() {
        let mut c = Calendar::new();
        for i in 0..100 {
            c.schedule(5.0, i);
        }
        c.schedule(1.0, -1);
        assert_eq!(c.pop(), Some((1.0, -1)));
        for i in 0..100 {
            assert_eq!(c.pop(), Some((5.0, i)));
        }
        assert!(c.is_empty());
    }

    #[test]
    fn orders_times_across_magnitudes() {
        let mut c = Calendar::new();
        let times = [1e9, 0.0, 3.5, 1e-9, 2.0, 123456.789, 0.5];
        for (i, t) in times.iter().enumerate() {
            c.schedule(*t, i);
        }
        let mut sorted = times.to_vec();
        sorted.sort_by(f64::total_cmp);
        let popped: Vec<f64> = std::iter::from_fn(|| c.pop().map(|(t, _)| t)).collect();
        assert_eq!(popped, sorted);
    }

    /// Interleaved schedules and pops, many ties, against a sorted list of
    /// `(time, sequence)`: the heap pops exactly that order.
    #[test]
    fn matches_a_sorted_reference_under_interleaving() {
        let mut c = Calendar::new();
        let mut reference: Vec<(f64, u64)> = Vec::new();
        let mut x: u64 = 12345;
        let mut next = || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            x >> 33
        };
        let (mut now, mut seq) = (0.0, 0u64);
        for _ in 0..20_000 {
            if next() % 3 != 0 || reference.is_empty() {
                // Times on a coarse grid, so that ties are common.
                let t = now + (next() % 8) as f64 * 0.25;
                c.schedule(t, seq);
                reference.push((t, seq));
                seq += 1;
            } else {
                reference.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                let expected = reference.remove(0);
                assert_eq!(c.pop(), Some(expected));
                now = expected.0;
            }
            assert_eq!(c.len(), reference.len());
        }
    }
}
