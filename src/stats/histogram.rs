//! Quantiles of durations in bounded memory.
//!
//! Durations `[h]` are recorded in an HDR histogram in units of 1/1000 hour
//! (3.6 s) with three significant digits, so any quantile is within 0.1% of
//! the exact order statistic whatever the number of observations, and memory
//! stays a few tens of kilobytes.

use hdrhistogram::Histogram;

/// Recording resolution: values are stored in 1/`UNITS_PER_HOUR` hours.
const UNITS_PER_HOUR: f64 = 1000.0;
const SIGNIFICANT_DIGITS: u8 = 3;

#[derive(Clone, Debug, Default)]
pub struct DurationHistogram {
    /// Created at the first non-zero duration: many histograms stay empty
    /// (a party that plays no part in a stream's clearance, a cell with no
    /// general trade), and an empty HDR histogram still holds its counts.
    hist: Option<Histogram<u32>>,
    /// Durations that round to zero, counted apart: many are zero, and a
    /// counter costs less than a histogram record.
    zeros: u64,
}

fn new_hist() -> Histogram<u32> {
    let mut hist = Histogram::new(SIGNIFICANT_DIGITS).expect("3 significant digits is valid");
    hist.auto(true);
    hist
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
        // Auto-resizing histograms only fail on values beyond u64 range.
        let _ = self.hist.get_or_insert_with(new_hist).record(units);
    }

    pub fn merge(&mut self, other: &DurationHistogram) {
        if let Some(o) = &other.hist {
            match &mut self.hist {
                Some(h) => {
                    let _ = h.add(o);
                }
                None => self.hist = Some(o.clone()),
            }
        }
        self.zeros += other.zeros;
    }

    fn non_zero(&self) -> u64 {
        self.hist.as_ref().map_or(0, |h| h.len())
    }

    pub fn count(&self) -> u64 {
        self.non_zero() + self.zeros
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
        let (Some(hist), true) = (&self.hist, rank > self.zeros) else {
            return Some(0.0);
        };
        // The (rank − zeros)-th of the non-zero values: asking for the
        // middle of its rank interval keeps rounding from moving it by one.
        let k = rank - self.zeros;
        let q_rest = (k as f64 - 0.5) / hist.len() as f64;
        Some(hist.value_at_quantile(q_rest) as f64 / UNITS_PER_HOUR)
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
}
