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
    /// The bin of `last_t`, and the time before which a change stays in it
    /// and its integral is one product and one sum (see [`Self::set`]).
    bin: usize,
    same_bin_until: f64,
}

impl BinnedSeries {
    pub fn new(width: f64, bins: usize) -> Self {
        assert!(width > 0.0, "bin width must be positive");
        let mut s = Self {
            width,
            last_t: 0.0,
            value: 0.0,
            areas: vec![0.0; bins],
            bin: 0,
            same_bin_until: 0.0,
        };
        s.locate(0.0);
        s
    }

    /// The value changes to `value` at time `t` (non-decreasing).
    ///
    /// Most changes fall in the same bin as the one before: then the bin
    /// walk of [`Self::accumulate`] would do exactly one step, which is done
    /// here directly, with the same floating-point operations, so the areas
    /// are the same to the last bit (and no division is needed).
    #[inline]
    pub fn set(&mut self, t: f64, value: f64) {
        if t < self.same_bin_until {
            if self.value != 0.0 && t > self.last_t {
                self.areas[self.bin] += self.value * (t - self.last_t);
            }
        } else {
            if self.value != 0.0 {
                self.accumulate(t);
            }
            self.locate(t);
        }
        self.last_t = t;
        self.value = value;
    }

    /// Caches the bin of `t` as `accumulate` computes it, and the earliest
    /// time at which a later change would leave it (where `accumulate`
    /// would compute another bin, cut the step at the bin's end, or reach
    /// the last bin's end). Division rounds monotonically, so the first
    /// time whose bin is the next one is found by stepping a few floats
    /// from the bin's nominal end.
    #[cold]
    fn locate(&mut self, t: f64) {
        let bin = (t / self.width) as usize;
        self.bin = bin;
        if bin >= self.areas.len() {
            self.same_bin_until = f64::NEG_INFINITY;
            return;
        }
        let edge = (bin + 1) as f64 * self.width;
        let in_next = |x: f64| (x / self.width) as usize > bin;
        let mut next = edge;
        while in_next(next) {
            next = next.next_down();
        }
        while !in_next(next) {
            next = next.next_up();
        }
        let limit = self.width * self.areas.len() as f64;
        self.same_bin_until = next.min(edge.next_up()).min(limit.next_up());
    }

    /// Adds `value × (t - last_t)` to the bins it spans.
    fn accumulate(&mut self, t: f64) {
        let end = t.min(self.width * self.areas.len() as f64);
        let mut from = self.last_t;
        while from < end {
            let mut bin = (from / self.width) as usize;
            let mut to = end.min((bin + 1) as f64 * self.width);
            if to <= from {
                // Division rounded `from` into the bin whose rounded end it
                // already reaches (width 0.1, from 4.3: 4.3 / 0.1 is
                // 42.999…, and 43 × 0.1 is 4.3): it belongs to the next bin.
                // Without this step the walk would never advance.
                bin += 1;
                to = end.min((bin + 1) as f64 * self.width);
            }
            if bin >= self.areas.len() {
                break;
            }
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
        assert_eq!(s.width(), 2.0);
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
        // Past 240 weeks no round width is enough: whole hours, rounded up.
        assert_eq!(bin_width_for(2.0 * 168.0 * 240.0, 240), 336.0);
        assert_eq!(bin_width_for(100_000.0, 240), 417.0);
    }

    /// One step of the 64-bit LCG the shortcut tests draw their times from.
    fn next_lcg(x: u64) -> u64 {
        x.wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407)
    }

    /// The reference `set`: the bin walk alone, as `set` did before the
    /// same-bin shortcut.
    fn walk_set(walk: &mut BinnedSeries, t: f64, value: f64) {
        if walk.value != 0.0 {
            walk.accumulate(t);
        }
        walk.last_t = t;
        walk.value = value;
    }

    /// The same-bin shortcut of `set` gives the areas of the plain bin walk
    /// to the last bit, on the widths [`bin_width_for`] gives (whole hours;
    /// the walk itself assumes `k × width` divides back to `k`) and changes
    /// landing on and around bin edges.
    #[test]
    fn shortcut_matches_the_bin_walk_exactly() {
        for width in [1.0, 3.0, 7.0, 168.0, 4630.0] {
            let bins = 50;
            let mut fast = BinnedSeries::new(width, bins);
            // The reference: the walk alone, as `set` did before the shortcut.
            let mut walk = BinnedSeries::new(width, bins);
            let mut x: u64 = 99;
            let mut t = 0.0f64;
            for i in 0..20_000 {
                x = next_lcg(x);
                t += match x >> 62 {
                    0 => 0.0,
                    1 => ((x >> 11) as f64 / (1u64 << 53) as f64) * width * 0.01,
                    _ => ((x >> 11) as f64 / (1u64 << 53) as f64) * width * 0.2,
                };
                if i % 97 == 0 {
                    // Exactly on an edge, as far as floats go.
                    t = ((t / width).ceil()) * width;
                }
                let value = ((x >> 40) % 5) as f64;
                fast.set(t, value);
                walk_set(&mut walk, t, value);
            }
            let bits = |v: &[f64]| v.iter().map(|a| a.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&fast.areas), bits(&walk.areas), "width {width}");
        }
    }

    /// On whole-hour widths the shortcut of `set` lasts exactly to the end
    /// of the bin (the last bin's end too): a change anywhere before it
    /// costs no bin walk.
    #[test]
    fn the_shortcut_lasts_to_the_end_of_the_bin() {
        for width in [1.0, 3.0, 168.0] {
            let bins = 40;
            let mut s = BinnedSeries::new(width, bins);
            assert_eq!(s.same_bin_until, width);
            for k in 0..bins {
                s.set((k as f64 + 0.5) * width, 1.0);
                assert_eq!(
                    s.same_bin_until,
                    (k + 1) as f64 * width,
                    "width {width}, bin {k}"
                );
            }
        }
    }

    /// A change exactly at the time `set` caches as the end of its bin's
    /// shortcut (the first time whose bin is the next one, or just past
    /// the bin's nominal end where division rounds down) gives the walk's
    /// areas to the last bit, on widths that are not whole hours too.
    #[test]
    fn a_change_at_the_cached_bin_end_matches_the_walk() {
        for width in [1.0, 3.0, 0.1, 0.3, 0.7, 1.0 / 3.0, 2.2, 0.15] {
            let bins = 40;
            let mut fast = BinnedSeries::new(width, bins);
            let mut walk = BinnedSeries::new(width, bins);
            let mut x: u64 = 7;
            let mut t = 0.0f64;
            for i in 0..400 {
                x = next_lcg(x);
                t = if i % 2 == 1 && fast.same_bin_until.is_finite() {
                    fast.same_bin_until
                } else {
                    t + ((x >> 11) as f64 / (1u64 << 53) as f64) * width * 0.3
                };
                let value = 1.0 + ((x >> 40) % 5) as f64;
                fast.set(t, value);
                walk_set(&mut walk, t, value);
            }
            let bits = |v: &[f64]| v.iter().map(|a| a.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&fast.areas), bits(&walk.areas), "width {width}");
        }
    }

    /// Widths that are not whole hours: a step starting exactly where
    /// division rounds it into the bin before (width 0.1, t = 4.3, whose
    /// quotient is 42.999…) once made the bin walk loop for ever. Every
    /// such step now ends, and the areas add up to the integral.
    #[test]
    fn steps_from_a_rounded_bin_end_finish_and_add_up() {
        let mut s = BinnedSeries::new(0.1, 100);
        s.set(4.3, 1.0);
        s.set(5.0, 0.0);
        let areas = s.areas(10.0);
        let total: f64 = areas.iter().sum();
        assert!((total - 0.7).abs() < 1e-12, "total {total}");
        assert_eq!(areas[42], 0.0);
        assert!((areas[43] - 0.1).abs() < 1e-12, "bin 43: {}", areas[43]);

        // Many such widths and starts: the walk ends, nothing is lost.
        for width in [0.1, 0.3, 0.7, 1.0 / 3.0, 0.15, 2.2, 0.05, 1.1] {
            let bins = 2000;
            let mut s = BinnedSeries::new(width, bins);
            let mut integral = 0.0;
            let mut last = 0.0;
            for k in 1..bins {
                let t = k as f64 * width;
                s.set(t, 1.0 + (k % 3) as f64);
                integral += (1.0 + ((k - 1) % 3) as f64) * (t - last) * f64::from(k > 1);
                last = t;
            }
            let total: f64 = s.areas(last).iter().sum();
            assert!(
                (total - integral).abs() < 1e-9 * integral,
                "width {width}: {total} against {integral}"
            );
        }
    }
}
