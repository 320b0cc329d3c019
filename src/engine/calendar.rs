//! The future event list: a binary heap ordered by `(time, sequence)`.
//!
//! The sequence number makes ties first-in first-out, which is what keeps a
//! run deterministic: two events at the same instant are handled in the order
//! they were scheduled, never in the heap's arbitrary order.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

struct Entry<E> {
    time: f64,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
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
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .time
            .total_cmp(&self.time)
            .then_with(|| other.seq.cmp(&self.seq))
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

    /// Schedules `event` at absolute time `time` `[h]`.
    #[inline]
    pub fn schedule(&mut self, time: f64, event: E) {
        debug_assert!(!time.is_nan(), "event scheduled at NaN time");
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Entry { time, seq, event });
    }

    /// Removes and returns the earliest event.
    #[inline]
    pub fn pop(&mut self) -> Option<(f64, E)> {
        self.heap.pop().map(|e| (e.time, e.event))
    }

    /// Time of the earliest event, if any.
    pub fn peek_time(&self) -> Option<f64> {
        self.heap.peek().map(|e| e.time)
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
}
