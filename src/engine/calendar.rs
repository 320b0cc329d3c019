//! The future event list, ordered by `(time, sequence)`.
//!
//! The sequence number makes ties first-in first-out, which is what keeps a
//! run deterministic: two events at the same instant are handled in the order
//! they were scheduled, never in the queue's arbitrary order.
//!
//! Two queues serve, one at a time, by size. While the calendar is small
//! (the M/M/c benchmark holds about ten events, the default scenario
//! hundreds) a 4-ary heap ([`heap`]) costs the fewest instructions and
//! sits in the caches. At national scale (over a million pending events) a
//! heap's pop touches one scattered node per level, each a cache miss, so
//! past [`TO_RADIX`] pending events the entries move to a radix heap
//! ([`radix`]), whose accesses are appends and sequential scans, and back
//! below [`TO_HEAP`]. Both pop exactly the sorted `(time, sequence)` order
//! (the order is total: no two entries share a sequence number), so which
//! queue holds the events never changes a result.

mod heap;
mod radix;

use heap::Heap;
use radix::Radix;

/// Pending events past which the calendar moves to the radix heap: a
/// 4-ary heap of 65,536 entries of 24 bytes fills about the 2 MiB of a
/// core's second-level cache, beyond which its pops start to miss.
const TO_RADIX: usize = 1 << 16;

/// Pending events below which the calendar moves back to the heap: a
/// sixteenth of [`TO_RADIX`], so that a calendar hovering near one
/// threshold does not move back and forth.
const TO_HEAP: usize = 1 << 12;

/// A pending event. The key is the 128-bit number `time bits × 2⁶⁴ +
/// sequence`: for non-negative floats the bit pattern orders like the
/// number, so comparing `(time bits, sequence)` as integers orders by
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

/// Pending events of type `E`, popped in time order, FIFO among equal times.
/// Events are small plain values (`Copy`): handles, not payloads.
pub struct Calendar<E> {
    small: Heap<E>,
    large: Radix<E>,
    /// Whether the events are in `large`.
    is_large: bool,
    /// The key of the last entry popped, where the radix heap starts from.
    last_time: u64,
    last_seq: u64,
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
            small: Heap::new(),
            large: Radix::new(),
            is_large: false,
            last_time: 0,
            last_seq: 0,
            next_seq: 0,
        }
    }

    /// Schedules `event` at absolute time `time` `[h]`, which must be a
    /// non-negative number, and should be no earlier than the last event
    /// popped (simulation time never runs backwards; an earlier one is
    /// still popped in order, at some cost).
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
        if self.is_large {
            self.large.push(entry);
        } else {
            self.small.push(entry);
            if self.small.len() > TO_RADIX {
                self.move_to_radix();
            }
        }
    }

    /// Removes and returns the earliest event.
    #[inline]
    pub fn pop(&mut self) -> Option<(f64, E)> {
        let entry = if self.is_large {
            let entry = self.large.pop()?;
            if self.large.len() < TO_HEAP {
                self.move_to_heap();
            }
            entry
        } else {
            self.small.pop()?
        };
        self.last_time = entry.time_bits;
        self.last_seq = entry.seq;
        Some((entry.time(), entry.event))
    }

    #[cold]
    fn move_to_radix(&mut self) {
        self.large.restart_at(self.last_time, self.last_seq);
        for entry in self.small.drain() {
            self.large.push(entry);
        }
        self.small.shrink();
        self.is_large = true;
    }

    #[cold]
    fn move_to_heap(&mut self) {
        let small = &mut self.small;
        self.large.drain_into(|entry| small.push(entry));
        self.is_large = false;
    }

    /// Events due soon, in no particular order: when the calendar is
    /// large, those of the radix heap's lowest bucket (the next to pop and
    /// its nearest neighbours in time); when it is small, none, since its
    /// events' data is then likely in the caches anyway. A hint for the
    /// caller to load their data ahead (see [`crate::engine::memory::prefetch`]);
    /// it moves nothing.
    #[inline]
    pub fn due_next(&self) -> impl Iterator<Item = &E> {
        let due: &[Entry<E>] = if self.is_large {
            self.large.due_next()
        } else {
            &[]
        };
        due.iter().map(|e| &e.event)
    }

    /// Time of the earliest event, if any.
    pub fn peek_time(&self) -> Option<f64> {
        if self.is_large {
            self.large.peek().map(Entry::time)
        } else {
            self.small.peek().map(Entry::time)
        }
    }

    pub fn len(&self) -> usize {
        if self.is_large {
            self.large.len()
        } else {
            self.small.len()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Entries the calendar has room for, in all its vectors.
    #[cfg(test)]
    fn room(&self) -> usize {
        self.small.room() + self.large.room()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reproducible test input: a 64-bit linear congruential generator
    /// (Knuth's MMIX constants) from `seed`, each state mapped by `map`.
    fn lcg<T>(seed: u64, map: impl Fn(u64) -> T) -> impl FnMut() -> T {
        let mut x = seed;
        move || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            map(x)
        }
    }

    /// A state's top 53 bits as a number in (0, 1).
    fn unit_interval(x: u64) -> f64 {
        ((x >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

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
        let mut next = lcg(12345, |x| x >> 33);
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

    /// Times spread over many magnitudes (exponential gaps of very
    /// different means, and exact ties), a large calendar filled and then
    /// drained while new events keep coming: the pop order is exactly the
    /// sorted `(time, sequence)` order, which is what makes the radix heap
    /// interchangeable with any other correct queue.
    #[test]
    fn matches_a_sorted_reference_across_magnitudes() {
        let mut c = Calendar::new();
        let mut pending: std::collections::BTreeSet<(u64, u64)> = Default::default();
        let mut unit = lcg(99, unit_interval);
        let (mut now, mut seq) = (0.0f64, 0u64);
        for round in 0..300_000u64 {
            let filling = round < 100_000 || round % 3 == 0;
            if filling || pending.is_empty() {
                let u = unit();
                let mean = [1e-6, 0.01, 1.0, 30.0, 1e4][(round % 5) as usize];
                let t = if u < 0.1 {
                    now
                } else {
                    now - mean * unit().ln()
                };
                c.schedule(t, seq);
                pending.insert((t.to_bits(), seq));
                seq += 1;
            } else {
                let (bits, s) = pending.pop_first().expect("not empty");
                assert_eq!(c.pop(), Some((f64::from_bits(bits), s)));
                now = f64::from_bits(bits);
            }
            assert_eq!(c.len(), pending.len());
        }
        while let Some((bits, s)) = pending.pop_first() {
            assert_eq!(c.pop(), Some((f64::from_bits(bits), s)));
        }
        assert_eq!(c.pop(), None);
    }

    /// A caller that schedules before the last event popped still gets its
    /// events in time order (earliest first), not a corrupted queue, with
    /// the calendar small (heap) and large (radix heap).
    #[test]
    fn an_event_in_the_past_comes_out_first_and_in_order() {
        for filler in [0, TO_RADIX + 10] {
            let mut c = Calendar::new();
            for t in [10.0, 20.0, 30.0] {
                c.schedule(t, t as i64);
            }
            for i in 0..filler {
                c.schedule(1000.0 + i as f64, 1000 + i as i64);
            }
            assert_eq!(c.pop(), Some((10.0, 10)));
            assert_eq!(c.is_large, filler > 0);
            c.schedule(5.0, 5);
            c.schedule(2.0, 2);
            c.schedule(25.0, 25);
            let order: Vec<i64> = std::iter::from_fn(|| c.pop().map(|(_, e)| e))
                .take(5)
                .collect();
            assert_eq!(order, vec![2, 5, 20, 25, 30]);
            assert_eq!(c.len(), filler);
        }
    }

    /// The calendar moves its events to the radix heap and back many
    /// times (its size swings across both thresholds), schedules and pops
    /// interleaved at every size, and pops exactly the sorted order.
    #[test]
    fn moving_between_heap_and_radix_heap_keeps_the_order() {
        let mut c = Calendar::new();
        let mut pending: std::collections::BTreeSet<(u64, u64)> = Default::default();
        let mut next = lcg(2024, |x| x >> 33);
        let (mut now, mut seq, mut moves, mut was_large) = (0.0f64, 0u64, 0, false);
        for swing in 0..6 {
            let (target, grow) = if swing % 2 == 0 {
                (TO_RADIX + 500, true)
            } else {
                (TO_HEAP - 500, false)
            };
            while (pending.len() < target) == grow {
                // Mostly growing (or shrinking), with the other move mixed in.
                let schedule = (next() % 10 < 7) == grow;
                if schedule || pending.is_empty() {
                    let t = now + (next() % 64) as f64 * 0.125;
                    c.schedule(t, seq);
                    pending.insert((t.to_bits(), seq));
                    seq += 1;
                } else {
                    let (bits, s) = pending.pop_first().expect("not empty");
                    assert_eq!(c.pop(), Some((f64::from_bits(bits), s)));
                    now = f64::from_bits(bits);
                }
                if c.is_large != was_large {
                    moves += 1;
                    was_large = c.is_large;
                }
            }
        }
        assert_eq!(moves, 6, "three moves each way");
        while let Some((bits, s)) = pending.pop_first() {
            assert_eq!(c.pop(), Some((f64::from_bits(bits), s)));
        }
        assert!(c.is_empty());
    }

    /// The calendar moves to the radix heap on the schedule that takes it
    /// past [`TO_RADIX`] pending events, and back to the heap on the pop
    /// that takes it below [`TO_HEAP`], not one event earlier or later.
    #[test]
    fn moves_at_the_documented_thresholds() {
        let mut c = Calendar::new();
        for i in 0..TO_RADIX {
            c.schedule(i as f64, i);
        }
        assert!(!c.is_large, "{} pending", c.len());
        c.schedule(0.5, TO_RADIX);
        assert!(c.is_large, "{} pending", c.len());
        // The emptied heap gives back its room.
        assert!(c.small.room() < TO_RADIX, "heap room {}", c.small.room());
        while c.len() > TO_HEAP {
            c.pop();
        }
        assert!(c.is_large, "{} pending", c.len());
        c.pop();
        assert!(!c.is_large, "{} pending", c.len());
    }

    /// `peek_time` is the time the next `pop` returns, with the calendar
    /// small and large, and `None` once it is empty; `due_next` is empty
    /// while small and, while large, holds the event popped next.
    #[test]
    fn peek_and_due_next_show_the_next_event() {
        for n in [3, TO_RADIX + 10] {
            let mut c = Calendar::new();
            assert!(c.is_empty());
            assert_eq!(c.peek_time(), None);
            let mut time = lcg(5, |x| (x >> 40) as f64 * 0.25);
            for i in 0..n {
                c.schedule(time(), i);
            }
            assert!(!c.is_empty());
            assert_eq!(c.is_large, n > TO_RADIX);
            for _ in 0..n {
                let peeked = c.peek_time();
                let was_large = c.is_large;
                let due: Vec<usize> = c.due_next().copied().collect();
                let (t, e) = c.pop().expect("not empty");
                assert_eq!(peeked, Some(t));
                if was_large {
                    assert!(due.contains(&e), "{e} not among {} due next", due.len());
                } else {
                    assert!(due.is_empty());
                }
            }
            assert!(c.is_empty());
            assert_eq!(c.peek_time(), None);
        }
    }

    /// A negative zero is time zero: it pops before a later event and in
    /// sequence among other zeros (its sign bit would otherwise order it
    /// after every positive time).
    #[test]
    fn negative_zero_is_time_zero() {
        let mut c = Calendar::new();
        c.schedule(1.0, 'b');
        c.schedule(-0.0, 'a');
        c.schedule(0.0, 'z');
        assert_eq!(c.pop(), Some((0.0, 'a')));
        assert_eq!(c.pop(), Some((0.0, 'z')));
        assert_eq!(c.pop(), Some((1.0, 'b')));
    }

    /// Memory follows the pending events: after a million events pass
    /// through a calendar that never holds more than 100,000, its vectors
    /// have room for at most four times that peak plus the small room each
    /// bucket keeps (without the drop of large spares in `spread`, the
    /// room grows to about twelve times the peak).
    #[test]
    fn room_stays_within_a_few_times_the_peak() {
        let mut c = Calendar::new();
        let mut unit = lcg(7, unit_interval);
        let peak = 100_000;
        let mut now = 0.0;
        for i in 0..peak {
            c.schedule(-(unit().ln()) * 1000.0, i);
        }
        for i in 0..1_000_000 {
            let (t, _) = c.pop().expect("kept full");
            now = t;
            c.schedule(now - unit().ln() * 1000.0, i);
        }
        let bound = 4 * peak + 128 * radix::KEEP_ROOM;
        assert!(
            c.room() <= bound,
            "room for {} entries, bound {bound}",
            c.room()
        );
        assert_eq!(c.len(), peak);
        assert!(now > 0.0);
    }
}
