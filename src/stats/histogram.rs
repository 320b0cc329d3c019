//! Quantiles of durations in bounded memory.
//!
//! Durations `[h]` are counted in units of a millionth of an hour (3.6 ms)
//! in the buckets of an HDR histogram with three significant digits. A
//! reported quantile lies between the exact order statistic less half a
//! unit and the order statistic times `1 + 2⁻¹⁰` plus half a unit (see
//! [`quantile_error_bound`]): within 0.1% for any duration of 3.7 s
//! (1024 units) or more, and within 1.8 ms below that, whatever the number
//! of observations. Exact zeros are counted apart.
//!
//! Memory grows a bucket (1024 `u32` counters, 4 KiB) per doubling of the
//! largest duration recorded: 8 KiB for durations under 7.4 s, 60 KiB under
//! 16 h, 88 KiB under 12 weeks (the unit of 1/1000 h used before took 40 KiB
//! less). Durations of [`MAX_HOURS`] and more count as [`MAX_HOURS`] (a
//! scenario's horizon is shorter), so a histogram never holds more than
//! 152 KiB. Counts are `u32`, saturating: a counter holds four billion.
//!
//! The bucketing and the quantile rule are those of the `hdrhistogram`
//! crate (lowest discernible value 1, three significant digits, `u32`
//! counts), written out here because recording is on the hot path: the
//! crate's `record` checks ranges, tracks the minimum and maximum and may
//! resize, about 60 instructions a value, where a value's bucket is a
//! leading-zero count and two shifts. The tests check both against the
//! crate, value by value and quantile by quantile.

/// Recording resolution: values are stored in 1/`UNITS_PER_HOUR` hours.
const UNITS_PER_HOUR: f64 = 1_000_000.0;

/// The largest value counted, in units: 2⁴⁷ − 1 (about 1.4 × 10⁸ h,
/// above the longest horizon a scenario may have).
const MAX_UNITS: u64 = (1 << 47) - 1;

/// The largest duration counted `[h]`; larger ones count as this.
pub const MAX_HOURS: f64 = MAX_UNITS as f64 / UNITS_PER_HOUR;

/// How far a reported quantile may lie above the exact order statistic
/// `exact` `[h]` (below it by at most half a unit, `0.5e-6` h): half a
/// unit of rounding, then the width of the counter it falls in, at most
/// `2⁻¹⁰` of the value.
pub fn quantile_error_bound(exact: f64) -> f64 {
    let half_unit = 0.5 / UNITS_PER_HOUR;
    (exact + half_unit) / 1024.0 + half_unit
}

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
    /// Durations of exactly zero (or less), counted apart: many are zero
    /// (no wait at a free server), and a counter costs less than a
    /// histogram record. A positive duration under half a unit is not a
    /// zero: it is counted in the histogram's first counter.
    zeros: u64,
}

impl DurationHistogram {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a duration `[h]`; negative values (and NaN) count as zero,
    /// values from [`MAX_HOURS`] up (infinity included) as [`MAX_HOURS`].
    #[inline]
    // One comparison that is also true for NaN.
    #[allow(clippy::neg_cmp_op_on_partial_ord)]
    pub fn record(&mut self, hours: f64) {
        // `!(x > 0)` is true for NaN too.
        if !(hours > 0.0) {
            self.zeros += 1;
            return;
        }
        // Adding 0.5 then truncating rounds a non-negative value, without
        // the library call `round` costs; the cast saturates.
        let units = ((hours * UNITS_PER_HOUR + 0.5) as u64).min(MAX_UNITS);
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
        // 30 zeros and 70 values 1..=70 units: the q-quantile is the
        // ceil(100 q)-th smallest.
        let units = |n: u32| f64::from(n) / UNITS_PER_HOUR;
        let unit = units(1);
        let mut h = DurationHistogram::new();
        for _ in 0..30 {
            h.record(0.0);
        }
        // Zeros are counted apart: no counter is allocated for them.
        assert_eq!((h.zeros, h.non_zero, h.counts.len()), (30, 0, 0));
        for i in 1..=70 {
            h.record(units(i));
        }
        assert_eq!(h.count(), 100);
        for (q, exact) in [
            (0.1, 0.0),
            (0.3, 0.0),
            (0.31, unit),
            (0.5, units(20)),
            (0.99, units(69)),
        ] {
            assert_eq!(h.quantile(q), Some(exact), "q{q}");
        }
        let mut merged = DurationHistogram::new();
        merged.merge(&h);
        assert_eq!(merged.quantile(0.3), Some(0.0));
        assert_eq!(merged.quantile(0.31), Some(unit));
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
            let magnitude = (x >> 58) as u32 % 48; // up to 2^47 units
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
        small.record(2.0 / UNITS_PER_HOUR);
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

    /// Short durations, where a unit of 1/1000 h was 8% off: every
    /// quantile within [`quantile_error_bound`] of the exact order
    /// statistic, from milliseconds to months.
    #[test]
    fn relative_precision_from_seconds_to_months() {
        for scale in [1e-5, 2e-3, 0.01, 1.0, 500.0] {
            let mut h = DurationHistogram::new();
            let n = 10_000;
            // Exponential quantiles as the sample: the order statistics
            // are known exactly.
            let values: Vec<f64> = (1..=n)
                .map(|i| -scale * (1.0 - (i as f64 - 0.5) / n as f64).ln())
                .collect();
            for v in &values {
                h.record(*v);
            }
            for q in [0.01, 0.1, 0.5, 0.9, 0.99, 1.0] {
                let rank = ((q * n as f64).ceil() as usize).clamp(1, n);
                let exact = values[rank - 1];
                let got = h.quantile(q).unwrap();
                // The documented claim, written out: half of 10⁻⁶ h below,
                // 2⁻¹⁰ of the value and a unit above.
                assert!(
                    got >= exact - 0.5e-6 && got <= exact * (1.0 + 1.0 / 1024.0) + 1e-6,
                    "scale {scale}, q{q}: {got} vs {exact}"
                );
                assert!(got <= exact + quantile_error_bound(exact));
            }
        }
    }

    /// [`quantile_error_bound`] is one unit from tight: a duration just
    /// over half a unit below the start of a counter 2¹⁰ units wide
    /// (2²⁰ units, about 1.05 h) is rounded up into it and reported at the
    /// counter's top, 1023.5 units above it, where the bound is 1024.5.
    #[test]
    fn error_bound_is_one_unit_above_the_worst_error() {
        let unit = 1.0 / UNITS_PER_HOUR;
        let start = 1u64 << 20;
        let exact = (start as f64 - 0.5 + 1e-6) * unit;
        let mut h = DurationHistogram::new();
        h.record(exact);
        let got = h.quantile(1.0).unwrap();
        assert_eq!(got, (start + 1023) as f64 / UNITS_PER_HOUR);
        let slack = exact + quantile_error_bound(exact) - got;
        assert!(
            (slack - unit).abs() < 1e-4 * unit,
            "slack {} units",
            slack / unit
        );
    }

    /// Memory grows by whole buckets, as the module documentation states:
    /// the counters take 8 KiB for durations under 7.4 s (2048 units),
    /// 60 KiB under 16 h, 88 KiB under 12 weeks and 152 KiB at most.
    #[test]
    fn counters_grow_a_bucket_per_doubling() {
        let kib = |h: &DurationHistogram| h.counts.len() * size_of::<u32>() / 1024;
        let mut h = DurationHistogram::new();
        for (hours, expect) in [
            (2047.0 / UNITS_PER_HOUR, 8),
            (15.99, 60),
            (12.0 * 168.0 - 1.0, 88),
            (MAX_HOURS, 152),
        ] {
            h.record(hours);
            assert_eq!(kib(&h), expect, "after {hours} h");
            assert_eq!(h.counts.len() % SUB_BUCKET_HALF, 0);
        }
    }

    /// Values beyond the range count at its top; NaN and negatives as
    /// zeros; nothing panics and memory stays bounded.
    #[test]
    fn out_of_range_values_are_clamped() {
        let mut h = DurationHistogram::new();
        for v in [f64::INFINITY, 1e300, MAX_HOURS * 10.0] {
            h.record(v);
        }
        h.record(f64::NAN);
        h.record(-1.0);
        h.record(f64::NEG_INFINITY);
        h.record(1e-12); // positive, under half a unit: not a zero
        assert_eq!(h.count(), 7);
        assert_eq!(h.zeros, 3);
        assert!(h.counts.len() <= 38 * SUB_BUCKET_HALF, "{}", h.counts.len());
        let top = h.quantile(1.0).unwrap();
        assert!(
            (top - MAX_HOURS).abs() <= quantile_error_bound(MAX_HOURS),
            "{top}"
        );
        assert_eq!(h.quantile(3.0 / 7.0), Some(0.0));
        assert_eq!(h.quantile(4.0 / 7.0), Some(0.0)); // the tiny one, in counter 0
    }
}
