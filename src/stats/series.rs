//! Time series of a piecewise-constant quantity, as time averages over
//! fixed bins: the queue length and busy servers of a pool through the run,
//! so a peak (Double 11) shows where it happens. Memory is one number per
//! bin, whatever the number of changes.

/// Integrates a value over `[0, bins × width)` bin by bin. Changes after the
/// last bin are ignored.
#[derive(Clone, Debug)]
pub struct BinnedSeries {
    width: f64,
    last_t: f64,
    value: f64,
    /// Integral of the value over each bin so far.
    areas: Vec<f64>,
}

impl BinnedSeries {
    pub fn new(width: f64, bins: usize) -> Self {
        assert!(width > 0.0, "bin width must be positive");
        Self {
            width,
            last_t: 0.0,
            value: 0.0,
            areas: vec![0.0; bins],
        }
    }

    /// The value changes to `value` at time `t` (non-decreasing).
    #[inline]
    pub fn set(&mut self, t: f64, value: f64) {
        if self.value != 0.0 {
            self.accumulate(t);
        }
        self.last_t = t;
        self.value = value;
    }

    /// Adds `value × (t - last_t)` to the bins it spans.
    fn accumulate(&mut self, t: f64) {
        let end = t.min(self.width * self.areas.len() as f64);
        let mut from = self.last_t;
        while from < end {
            let bin = (from / self.width) as usize;
            if bin >= self.areas.len() {
                break;
            }
            let to = end.min((bin + 1) as f64 * self.width);
            self.areas[bin] += self.value * (to - from);
            from = to;
        }
    }

    /// The average value over each bin, the last one closed at `now`.
    pub fn means(&self, now: f64) -> Vec<f64> {
        let mut s = self.clone();
        s.set(now, 0.0);
        s.areas.iter().map(|a| a / s.width).collect()
    }

    /// Integral of the value over each bin, up to `now`.
    pub fn areas(&self, now: f64) -> Vec<f64> {
        let mut s = self.clone();
        s.set(now, 0.0);
        s.areas
    }

    pub fn width(&self) -> f64 {
        self.width
    }
}

/// Bin width `[h]` for a run of `horizon` hours: the smallest of a round
/// set of widths that keeps the series at most `max_bins` long, so a week
/// gets hourly bins and a quarter daily ones.
pub fn bin_width_for(horizon: f64, max_bins: usize) -> f64 {
    const WIDTHS: [f64; 10] = [1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 24.0, 48.0, 168.0];
    WIDTHS
        .iter()
        .copied()
        .find(|w| horizon / w <= max_bins as f64)
        .unwrap_or_else(|| (horizon / max_bins as f64).ceil())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averages_over_each_bin() {
        let mut s = BinnedSeries::new(2.0, 3);
        s.set(1.0, 2.0); // 0 on [0,1), 2 on [1,3)
        s.set(3.0, 1.0); // 1 on [3,6)
        assert_eq!(s.means(6.0), vec![1.0, 1.5, 1.0]);
        // Changes beyond the last bin are ignored.
        s.set(9.0, 5.0);
        assert_eq!(s.means(10.0), vec![1.0, 1.5, 1.0]);
    }

    #[test]
    fn widths_are_round() {
        assert_eq!(bin_width_for(168.0, 240), 1.0);
        assert_eq!(bin_width_for(35.0 * 24.0, 240), 4.0);
        assert_eq!(bin_width_for(365.0 * 24.0, 240), 48.0);
    }
}
