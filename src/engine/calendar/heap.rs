//! The calendar's queue while it is small: a 4-ary min-heap (a shallower
//! tree than a binary heap). With up to tens of thousands of pending events
//! the whole heap sits in the caches and a pop is a dozen comparisons.
//!
//! Written out rather than taken from a crate: the order is total (no two
//! entries share a sequence number), so the pop order is the same whatever
//! the heap's shape, and a heap that knows its entries are small `Copy`
//! values compares two integers per child and moves each entry once, where
//! a generic one pays for holes, options and `Ord` calls (it was about a
//! tenth of a run's instructions on M/M/c).

use super::Entry;

/// Children per node.
const ARITY: usize = 4;

/// The position of the earliest of four entries: a two-round tournament,
/// whose two first comparisons do not wait for each other.
#[inline(always)]
fn earliest_of_four<E>(c: &[Entry<E>]) -> usize {
    let a = usize::from(c[1].before(&c[0]));
    let b = 2 + usize::from(c[3].before(&c[2]));
    if c[b].before(&c[a]) { b } else { a }
}

/// A 4-ary min-heap: the children of node `i` are `4i + 1 ..= 4i + 4`.
pub(super) struct Heap<E> {
    heap: Vec<Entry<E>>,
}

impl<E: Copy> Heap<E> {
    pub(super) fn new() -> Self {
        Self {
            heap: Vec::with_capacity(64),
        }
    }

    /// Sift up: parents due later move down into the hole.
    #[inline]
    pub(super) fn push(&mut self, entry: Entry<E>) {
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

    #[inline]
    pub(super) fn pop(&mut self) -> Option<Entry<E>> {
        let last = self.heap.pop()?;
        let Some(&top) = self.heap.first() else {
            return Some(last);
        };
        self.sift_down_from_root(last);
        Some(top)
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

    pub(super) fn peek(&self) -> Option<&Entry<E>> {
        self.heap.first()
    }

    pub(super) fn len(&self) -> usize {
        self.heap.len()
    }

    /// Takes every entry out, in no particular order, keeping the room.
    pub(super) fn drain(&mut self) -> std::vec::Drain<'_, Entry<E>> {
        self.heap.drain(..)
    }

    /// Frees the room of a large heap whose entries have moved out.
    pub(super) fn shrink(&mut self) {
        self.heap.shrink_to(64);
    }

    #[cfg(test)]
    pub(super) fn room(&self) -> usize {
        self.heap.capacity()
    }
}
