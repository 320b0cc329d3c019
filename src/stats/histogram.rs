//! Quantiles of durations in bounded memory.
//!
//! Durations `[h]` are counted in units of 1/1000 hour (3.6 s) in the
//! buckets of an HDR histogram with three significant digits, so any
//! quantile is within 0.1% of the exact order statistic whatever the number
//! of observations, and memory stays a few tens of kilobytes.
//!
//! The bucketing and the quantile rule are those of the `hdrhistogram`
//! crate (lowest discernible value 1, three significant digits, `u32`
//! counts), written out here because recording is on the hot path: the
//! crate's `record` checks ranges, tracks the minimum and maximum and may
//! resize, about 60 instructions a value, where a value's bucket is a
//! leading-zero count and two shifts. The tests check both against the
//! crate, value by value and quantile by quantile.

/// Recording resolution: values are stored in 1/`UNITS_PER_HOUR` hours.
const UNITS_PER_HOUR: f64 = 1000.0;

/// HDR layout for three significant digits: each bucket after the first
/// holds `SUB_BUCKET_HALF` counters for values `[2^b × 1024, 2^b × 2048)` at
/// a resolution of `2^b` units; the first holds `[0, 2048)` at resolution 1.
const SUB_BUCKET_HALF_MAGNITUDE: u32 = 10;
const SUB_BUCKET_HALF: usize = 1 << SUB_BUCKET_HALF_MAGNITUDE;
const SUB_BUCKET_MASK: u64 = (2 * SUB_BUCKET_HALF as u64) - 1;
/// 64 minus the bits of a first-bucket value.
const LEADING_ZERO_BASE: u32 = 64 - SUB_BUCKET_HALF_MAGNITUDE - 1;

/// The bucket of `value`: how many doublings it lies above the first.
#[inline]
fn bucket_of(value: u64) -> u32 {
    LEADING_ZERO_BASE - (value | SUB_BUCKET_MASK).leading_zeros()
}

/// The counter of `value`.
#[inline]
fn index_of(value: u64) -> usize {
    let bucket = bucket_of(value);
    let sub = (value >> bucket) as usize;
    ((bucket as usize + 1) << SUB_BUCKET_HALF_MAGNITUDE) + sub - SUB_BUCKET_HALF
}

/// The lowest value counted by counter `index`.
fn value_of(index: usize) -> u64 {
    let bucket = (index >> SUB_BUCKET_HALF_MAGNITUDE) as i64 - 1;
    let sub = (index & (SUB_BUCKET_HALF - 1)) + SUB_BUCKET_HALF;
    if bucket < 0 {
        (sub - SUB_BUCKET_HALF) as u64
    } else {
        (sub as u64) << bucket
    }
}

/// The highest value counted by the same counter as `value`.
fn highest_equivalent(value: u64) -> u64 {
    let bucket = bucket_of(value);
    ((value >> bucket) << bucket) + (1u64 << bucket) - 1
}

#[derive(Clone, Debug, Default)]
pub struct DurationHistogram {
    /// Counts of the non-zero durations by HDR counter, grown a whole
    /// bucket at a time as larger values come; empty until the first one
    /// (many histograms stay empty: a party that plays no part in a
    /// stream's clearance, a cell with no general trade).
    counts: Vec<u32>,
    /// Non-zero durations recorded.
    non_zero: u64,
    /// Durations that round to zero, counted apart: many are zero, and a
    /// counter costs less than a histogram record.
    zeros: u64,
}

impl DurationHistogram {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a duration `[h]`; negative values count as zero.
    #[inline]
    pub fn record(&mut self, hours: f64) {
        // Adding 0.5 then truncating rounds a non-negative value, without
        // the library call `round` costs.
        let units = (hours.max(0.0) * UNITS_PER_HOUR + 0.5) as u64;
        if units == 0 {
            self.zeros += 1;
            return;
        }
        let i = index_of(units);
        match self.counts.get_mut(i) {
            Some(c) => *c = c.saturating_add(1),
            None => self.grow_and_count(i),
        }
        self.non_zero += 1;
    }

    /// Extends the counters to the end of counter `i`'s bucket, then counts
    /// one at `i`.
    #[cold]
    fn grow_and_count(&mut self, i: usize) {
        let end = (i | (SUB_BUCKET_HALF - 1)) + 1;
        self.counts.resize(end, 0);
        self.counts[i] = 1;
    }

    pub fn merge(&mut self, other: &DurationHistogram) {
        if self.counts.len() < other.counts.len() {
            self.counts.resize(other.counts.len(), 0);
        }
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a = a.saturating_add(*b);
        }
        self.non_zero += other.non_zero;
        self.zeros += other.zeros;
    }

    pub fn count(&self) -> u64 {
        self.non_zero + self.zeros
    }

    /// The `q`-quantile `[h]` (q in 0..=1): the smallest recorded value
    /// with at least `ceil(q n)` values at or below it (at least one), as
    /// the histogram library defines it; `None` when empty.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        let n = self.count();
        if n == 0 {
            return None;
        }
        let rank = ((q * n as f64).ceil() as u64).clamp(1, n);
        if self.non_zero == 0 || rank <= self.zeros {
            return Some(0.0);
        }
        // The (rank − zeros)-th of the non-zero values: asking for the
        // middle of its rank interval keeps rounding from moving it by one.
        let k = rank - self.zeros;
        let q_rest = (k as f64 - 0.5) / self.non_zero as f64;
        Some(self.value_at_quantile(q_rest) as f64 / UNITS_PER_HOUR)
    }

    /// HDR's quantile of the non-zero values (in units, `q` in (0, 1]): the
    /// highest value equivalent to the first counter at which the running
    /// count reaches `ceil(q n)`.
    fn value_at_quantile(&self, q: f64) -> u64 {
        let q = q.min(1.0);
        let target = ((q * self.non_zero as f64).ceil() as u64).max(1);
        let mut running = 0u64;
        for (i, c) in self.counts.iter().enumerate() {
            running += u64::from(*c);
            if running >= target {
                return highest_equivalent(value_of(i));
            }
        }
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_within_a_tenth_of_a_percent() {
        let mut h = DurationHistogram::new();
        for i in 1..=100_000 {
            h.record(i as f64 / 1000.0); // 0.001 .. 100 h
        }
        for (q, exact) in [(0.5, 50.0), (0.9, 90.0), (0.99, 99.0)] {
            let got = h.quantile(q).unwrap();
            assert!((got - exact).abs() / exact < 1e-3, "q{q}: {got} vs {exact}");
        }
        assert_eq!(DurationHistogram::new().quantile(0.5), None);
    }

    #[test]
    fn zeros_counted_apart_give_the_same_quantiles() {
        // 30 zeros and 70 values 1..=70 (in 1/1000 h): the q-quantile is
        // the ceil(100 q)-th smallest.
        let mut h = DurationHistogram::new();
        for _ in 0..30 {
            h.record(0.0);
        }
        for i in 1..=70 {
            h.record(i as f64 / 1000.0);
        }
        assert_eq!(h.count(), 100);
        for (q, exact) in [
            (0.1, 0.0),
            (0.3, 0.0),
            (0.31, 0.001),
            (0.5, 0.020),
            (0.99, 0.069),
        ] {
            assert_eq!(h.quantile(q), Some(exact), "q{q}");
        }
        let mut merged = DurationHistogram::new();
        merged.merge(&h);
        assert_eq!(merged.quantile(0.3), Some(0.0));
        assert_eq!(merged.quantile(0.31), Some(0.001));
    }

    /// The same values recorded here and in the `hdrhistogram` crate, as
    /// the crate was used before: the same counter for every value, and the
    /// same quantiles, bit for bit.
    #[test]
    fn same_buckets_and_quantiles_as_the_hdrhistogram_crate() {
        let mut reference = hdrhistogram::Histogram::<u32>::new(3).unwrap();
        reference.auto(true);
        let mut ours = DurationHistogram::new();
        // Values from a few units to about a year, spread over magnitudes,
        // from a fixed multiplicative sequence.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..200_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let magnitude = (x >> 59) as u32 % 34; // up to 2^33 units
            let units = ((x >> 20) & ((1u64 << magnitude) - 1)).max(1);
            assert_eq!(
                highest_equivalent(units),
                reference.highest_equivalent(units),
                "highest equivalent of {units}"
            );
            assert_eq!(
                value_of(index_of(units)),
                reference.lowest_equivalent(units),
                "lowest equivalent of {units}"
            );
            reference.record(units).unwrap();
            ours.record(units as f64 / UNITS_PER_HOUR);
        }
        assert_eq!(ours.non_zero, reference.len());
        for k in 0..=1000 {
            let q = k as f64 / 1000.0;
            let rest = (q * ours.non_zero as f64).ceil().max(1.0);
            let q_rest = (rest - 0.5) / ours.non_zero as f64;
            assert_eq!(
                ours.value_at_quantile(q_rest),
                reference.value_at_quantile(q_rest),
                "q = {q_rest}"
            );
        }
        // Merging (into an empty one and into a smaller one) as the crate adds.
        let mut small = DurationHistogram::new();
        small.record(0.002);
        let mut reference_small = hdrhistogram::Histogram::<u32>::new(3).unwrap();
        reference_small.auto(true);
        reference_small.record(2).unwrap();
        small.merge(&ours);
        reference_small.add(&reference).unwrap();
        for q in [0.001, 0.25, 0.5, 0.9, 0.999, 1.0] {
            assert_eq!(
                small.value_at_quantile(q),
                reference_small.value_at_quantile(q),
                "merged, q = {q}"
            );
        }
    }
}
