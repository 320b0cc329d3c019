//! The future event list: a 4-ary heap ordered by `(time, sequence)` (a
//! shallower tree than a binary heap: fewer cache misses per pop).
//!
//! The sequence number makes ties first-in first-out, which is what keeps a
//! run deterministic: two events at the same instant are handled in the order
//! they were scheduled, never in the heap's arbitrary order.

use dary_heap::QuaternaryHeap as BinaryHeap;
use std::cmp::Ordering;

/// A pending event. For non-negative floats the bit pattern orders like
/// the number, so comparing `(time bits, sequence)` as integers orders by
/// `(time, sequence)`. Two `u64`s rather than one `u128` keep the entry at
/// 8-byte alignment (24 bytes with a small event, not 32).
struct Entry<E> {
    time_bits: u64,
    seq: u64,
    event: E,
}

impl<E> Entry<E> {
    fn time(&self) -> f64 {
        f64::from_bits(self.time_bits)
    }
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        (self.time_bits, self.seq) == (other.time_bits, other.seq)
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    /// Reversed so that `BinaryHeap` (a max-heap) pops the earliest event.
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        (other.time_bits, other.seq).cmp(&(self.time_bits, self.seq))
    }
}

/// Pending events of type `E`, popped in time order, FIFO among equal times.
pub struct Calendar<E> {
    heap: BinaryHeap<Entry<E>>,
    next_seq: u64,
}

impl<E> Default for Calendar<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> Calendar<E> {
    pub fn new() -> Self {
        Self {
            heap: BinaryHeap::with_capacity(64),
            next_seq: 0,
        }
    }

    /// Schedules `event` at absolute time `time` `[h]`, which must be a
    /// non-negative number (simulation time never runs backwards from 0).
    #[inline]
    pub fn schedule(&mut self, time: f64, event: E) {
        debug_assert!(time >= 0.0, "event scheduled at time {time}");
        // `+ 0.0` turns a negative zero into a positive one.
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Entry {
            time_bits: (time + 0.0).to_bits(),
            seq,
            event,
        });
    }

    /// Removes and returns the earliest event.
    #[inline]
    pub fn pop(&mut self) -> Option<(f64, E)> {
        self.heap.pop().map(|e| (e.time(), e.event))
    }

    /// Time of the earliest event, if any.
    pub fn peek_time(&self) -> Option<f64> {
        self.heap.peek().map(Entry::time)
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
}
