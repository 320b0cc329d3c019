//! A hand-written M/M/c simulation: the yardstick clearsim's engine speed is
//! read against.
//!
//! It is the least a discrete-event simulation of M/M/c can do: a
//! `BinaryHeap` calendar of `(time bits, sequence, kind)` (the sequence keeps
//! ties first-in first-out, as clearsim's calendar does), a `VecDeque` of
//! arrival times for the queue, a SplitMix64 generator, exponentials by
//! `-ln u`, and one statistic, the mean wait in queue. Absolute speeds drift
//! with the machine and its load; clearsim's rate divided by this loop's,
//! measured in the same run, is the figure that compares across days.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// SplitMix64: a 64-bit counter scrambled by two multiply-xorshift rounds.
/// Small, fast, and good enough for a yardstick.
struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    #[inline]
    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform on (0, 1]: the top 53 bits, shifted away from zero so that
    /// `ln` is finite.
    #[inline]
    fn unit_open0(&mut self) -> f64 {
        ((self.next_u64() >> 11) + 1) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Exponential with the given mean, by inversion.
    #[inline]
    fn exponential(&mut self, mean: f64) -> f64 {
        -mean * self.unit_open0().ln()
    }
}

const ARRIVAL: u8 = 0;
const DEPARTURE: u8 = 1;

/// What one run of the loop produced.
#[derive(Clone, Copy, Debug)]
pub struct Outcome {
    /// Customers that arrived by the horizon.
    pub arrivals: u64,
    /// Mean wait in queue of the customers who started service `[h]`.
    pub mean_wait: f64,
}

/// Simulates M/M/`servers` with arrival rate `lambda` `[1/h]` and mean
/// service time `service_mean` `[h]` over `[0, horizon]`, from an empty
/// system, with the generator seeded by `seed`.
pub fn run(lambda: f64, service_mean: f64, servers: u32, horizon: f64, seed: u64) -> Outcome {
    let mut rng = SplitMix64::new(seed);
    let mut calendar: BinaryHeap<Reverse<(u64, u64, u8)>> = BinaryHeap::with_capacity(64);
    let mut seq = 0u64;
    let mut schedule = |calendar: &mut BinaryHeap<_>, t: f64, kind: u8| {
        calendar.push(Reverse((t.to_bits(), seq, kind)));
        seq += 1;
    };
    let mut queue: VecDeque<f64> = VecDeque::with_capacity(64);
    let mut busy = 0u32;
    let (mut arrivals, mut started, mut wait_sum) = (0u64, 0u64, 0.0f64);

    schedule(&mut calendar, rng.exponential(1.0 / lambda), ARRIVAL);
    while let Some(Reverse((bits, _, kind))) = calendar.pop() {
        let now = f64::from_bits(bits);
        if now > horizon {
            break;
        }
        if kind == ARRIVAL {
            arrivals += 1;
            let next = now + rng.exponential(1.0 / lambda);
            if next <= horizon {
                schedule(&mut calendar, next, ARRIVAL);
            }
            if busy < servers {
                busy += 1;
                started += 1;
                schedule(
                    &mut calendar,
                    now + rng.exponential(service_mean),
                    DEPARTURE,
                );
            } else {
                queue.push_back(now);
            }
        } else if let Some(since) = queue.pop_front() {
            started += 1;
            wait_sum += now - since;
            schedule(
                &mut calendar,
                now + rng.exponential(service_mean),
                DEPARTURE,
            );
        } else {
            busy -= 1;
        }
    }
    Outcome {
        arrivals,
        mean_wait: wait_sum / started.max(1) as f64,
    }
}
