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

#[derive(Clone, Debug)]
pub struct DurationHistogram {
    hist: Histogram<u64>,
}

impl Default for DurationHistogram {
    fn default() -> Self {
        Self::new()
    }
}

impl DurationHistogram {
    pub fn new() -> Self {
        let mut hist = Histogram::new(SIGNIFICANT_DIGITS).expect("3 significant digits is valid");
        hist.auto(true);
        Self { hist }
    }

    /// Records a duration `[h]`; negative values count as zero.
    #[inline]
    pub fn record(&mut self, hours: f64) {
        // Adding 0.5 then truncating rounds a non-negative value, without
        // the library call `round` costs.
        let units = (hours.max(0.0) * UNITS_PER_HOUR + 0.5) as u64;
        // Auto-resizing histograms only fail on values beyond u64 range.
        let _ = self.hist.record(units);
    }

    pub fn merge(&mut self, other: &DurationHistogram) {
        let _ = self.hist.add(&other.hist);
    }

    pub fn count(&self) -> u64 {
        self.hist.len()
    }

    /// The `q`-quantile `[h]` (q in 0..=1); `None` when empty.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        (!self.hist.is_empty()).then(|| self.hist.value_at_quantile(q) as f64 / UNITS_PER_HOUR)
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
}
