//! Non-homogeneous Poisson arrivals by thinning (Lewis and Shedler).
//!
//! The rate at time t is `base × hour_of_day[h] × day_of_week[d] × Π peaks`.
//! Candidates are drawn from a homogeneous process at the maximum rate and
//! each is kept with probability `rate(t) / max_rate`; the kept points form
//! exactly the non-homogeneous process. When every multiplier is 1 the
//! process is homogeneous and no candidate is ever rejected, so the common
//! case pays for one exponential draw per arrival and nothing more.

use rand::Rng;
use rand::RngExt;
use rand_distr::{Distribution, Exp1};

/// A dated surge, e.g. Double-11: the rate is multiplied by `multiplier` on
/// `[from, until)` `[h]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Peak {
    pub from: f64,
    pub until: f64,
    pub multiplier: f64,
}

#[derive(Clone, Debug)]
pub struct ArrivalProcess {
    /// Base rate `[1/h]`.
    base_rate: f64,
    hour_of_day: [f64; 24],
    day_of_week: [f64; 7],
    peaks: Vec<Peak>,
    /// Weekday of simulation hour 0 (0 = Monday).
    start_weekday: usize,
    max_rate: f64,
    homogeneous: bool,
}

impl ArrivalProcess {
    /// A process with the given base rate `[1/h]` and profiles. Multipliers
    /// must be finite and non-negative (the scenario layer checks this).
    pub fn new(
        base_rate: f64,
        hour_of_day: [f64; 24],
        day_of_week: [f64; 7],
        peaks: Vec<Peak>,
        start_weekday: usize,
    ) -> Self {
        let max_of = |xs: &[f64]| xs.iter().copied().fold(0.0, f64::max);
        // The largest product of overlapping peaks is reached at some peak's
        // start, so checking those instants gives the exact bound.
        let peak_max = peaks
            .iter()
            .map(|p| peak_factor(&peaks, p.from))
            .fold(1.0, f64::max);
        let max_rate = if base_rate == 0.0 {
            0.0 // not 0 × inf = NaN when multipliers overflow
        } else {
            base_rate * max_of(&hour_of_day) * max_of(&day_of_week) * peak_max
        };
        let homogeneous = hour_of_day.iter().all(|m| *m == 1.0)
            && day_of_week.iter().all(|m| *m == 1.0)
            && peaks.iter().all(|p| p.multiplier == 1.0);
        Self {
            base_rate,
            hour_of_day,
            day_of_week,
            peaks,
            start_weekday: start_weekday % 7,
            max_rate,
            homogeneous,
        }
    }

    /// A homogeneous Poisson process with rate `rate` `[1/h]`.
    pub fn poisson(rate: f64) -> Self {
        Self::new(rate, [1.0; 24], [1.0; 7], Vec::new(), 0)
    }

    /// Instantaneous rate at `t` `[1/h]`.
    pub fn rate(&self, t: f64) -> f64 {
        if self.homogeneous {
            return self.base_rate;
        }
        let hour = t.max(0.0) as u64; // truncation is floor for t >= 0
        let h = (hour % 24) as usize;
        let d = ((hour / 24 + self.start_weekday as u64) % 7) as usize;
        self.base_rate * self.hour_of_day[h] * self.day_of_week[d] * peak_factor(&self.peaks, t)
    }

    /// Long-run mean rate over a week, ignoring peaks `[1/h]`.
    pub fn mean_weekly_rate(&self) -> f64 {
        let h: f64 = self.hour_of_day.iter().sum::<f64>() / 24.0;
        let d: f64 = self.day_of_week.iter().sum::<f64>() / 7.0;
        self.base_rate * h * d
    }

    /// Expected arrivals in `[0, horizon)`: the mean weekly rate times the
    /// integral of the peaks' factor (exact without profiles, an estimate
    /// with them, good when peaks last whole weeks or are short).
    pub fn expected_count(&self, horizon: f64) -> f64 {
        let mut cuts: Vec<f64> = vec![0.0, horizon];
        for p in &self.peaks {
            cuts.extend(
                [p.from, p.until]
                    .into_iter()
                    .filter(|x| *x > 0.0 && *x < horizon),
            );
        }
        cuts.sort_by(f64::total_cmp);
        cuts.dedup();
        let integral: f64 = cuts
            .windows(2)
            .map(|w| (w[1] - w[0]) * peak_factor(&self.peaks, w[0]))
            .sum();
        if self.base_rate == 0.0 {
            0.0
        } else {
            self.mean_weekly_rate() * integral
        }
    }

    /// The largest rate reached at any time `[1/h]`.
    pub fn max_rate(&self) -> f64 {
        self.max_rate
    }

    /// The first arrival strictly after `t`, or `f64::INFINITY` if the rate
    /// is zero everywhere.
    #[inline]
    pub fn next_after<R: Rng + ?Sized>(&self, mut t: f64, rng: &mut R) -> f64 {
        // A rate that is zero, or not a finite number (refused by the
        // scenario layer), never produces an arrival: thinning at an
        // infinite rate would never advance.
        if !(self.max_rate > 0.0 && self.max_rate.is_finite()) {
            return f64::INFINITY;
        }
        loop {
            let e: f64 = Exp1.sample(rng);
            t += e / self.max_rate;
            if self.homogeneous {
                return t;
            }
            let u: f64 = rng.random();
            if u * self.max_rate < self.rate(t) {
                return t;
            }
        }
    }
}

fn peak_factor(peaks: &[Peak], t: f64) -> f64 {
    peaks
        .iter()
        .filter(|p| p.from <= t && t < p.until)
        .map(|p| p.multiplier)
        .product()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::rng::from_seed;

    fn count_in(p: &ArrivalProcess, a: f64, b: f64, seed: u64) -> usize {
        let mut rng = from_seed(seed);
        let mut t = 0.0;
        let mut n = 0;
        loop {
            t = p.next_after(t, &mut rng);
            if t >= b {
                return n;
            }
            if t >= a {
                n += 1;
            }
        }
    }

    /// Counts over a window are Poisson: within 4 standard deviations of the
    /// integrated rate.
    #[test]
    fn homogeneous_count_matches_rate() {
        let p = ArrivalProcess::poisson(9.0);
        let n = count_in(&p, 0.0, 10_000.0, 1) as f64;
        let expect = 90_000.0;
        assert!((n - expect).abs() < 4.0 * expect.sqrt(), "{n} vs {expect}");
    }

    #[test]
    fn thinning_follows_hour_of_day_and_peaks() {
        let mut hours = [0.0; 24];
        for h in hours.iter_mut().take(12).skip(8) {
            *h = 3.0; // busy 08:00–12:00, closed otherwise
        }
        let peak = Peak {
            from: 24.0 * 10.0,
            until: 24.0 * 12.0,
            multiplier: 5.0,
        };
        let p = ArrivalProcess::new(2.0, hours, [1.0; 7], vec![peak], 0);
        assert_eq!(p.max_rate(), 2.0 * 3.0 * 5.0);
        assert_eq!(p.rate(3.0), 0.0);
        assert_eq!(p.rate(9.5), 6.0);
        assert_eq!(p.rate(24.0 * 10.0 + 9.0), 30.0);
        // Over 100 ordinary days: 100 × 4 h × 6/h = 2400 expected.
        let n = count_in(&p, 24.0 * 20.0, 24.0 * 120.0, 3) as f64;
        assert!((n - 2400.0).abs() < 4.0 * 2400f64.sqrt(), "{n}");
        // Two peak days: 2 × 4 h × 30/h = 240 expected.
        let n = count_in(&p, 24.0 * 10.0, 24.0 * 12.0, 4) as f64;
        assert!((n - 240.0).abs() < 4.0 * 240f64.sqrt(), "{n}");
        // Nothing arrives at night.
        let mut rng = from_seed(9);
        let mut t = 0.0;
        for _ in 0..1000 {
            t = p.next_after(t, &mut rng);
            let h = t.floor() as u64 % 24;
            assert!((8..12).contains(&h), "arrival at hour {h}");
        }
    }

    /// Base rate 2 /h with peaks ×3 on [10, 20) and ×2 on [15, 30).
    fn two_peaks() -> ArrivalProcess {
        let peak = |from, until, multiplier| Peak {
            from,
            until,
            multiplier,
        };
        ArrivalProcess::new(
            2.0,
            [1.0; 24],
            [1.0; 7],
            vec![peak(10.0, 20.0, 3.0), peak(15.0, 30.0, 2.0)],
            0,
        )
    }

    #[test]
    fn expected_count_integrates_peaks() {
        let peak = |from, until, multiplier| Peak {
            from,
            until,
            multiplier,
        };
        let p = two_peaks();
        // 100 h at 2/h, plus (3-1)×10 h... by pieces: 10×1 + 5×3 + 5×6 + 10×2 + 70×1.
        assert_eq!(
            p.expected_count(100.0),
            2.0 * (10.0 + 15.0 + 30.0 + 20.0 + 70.0)
        );
        let huge = ArrivalProcess::new(0.0, [1.0; 24], [1.0; 7], vec![peak(0.0, 1.0, 1e308); 2], 0);
        assert_eq!(huge.max_rate(), 0.0);
        assert_eq!(huge.expected_count(10.0), 0.0);
        let inf = ArrivalProcess::new(1.0, [1.0; 24], [1.0; 7], vec![peak(0.0, 1.0, 1e308); 2], 0);
        assert_eq!(inf.next_after(0.0, &mut from_seed(1)), f64::INFINITY);
    }

    /// The rate's day-of-week factor is that of the weekday the hour falls
    /// on, day `t / 24` counted from `start_weekday` (taken modulo 7), and
    /// its hour-of-day factor that of `t mod 24`, exactly, over three weeks.
    #[test]
    fn rate_follows_the_weekday_counted_from_the_start_day() {
        let days = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0];
        let mut peaked = [1.0; 24];
        peaked[5] = 10.0;
        // A day profile alone makes the process non-homogeneous too.
        for (hours, start) in [([1.0; 24], 2), (peaked, 0), (peaked, 3), (peaked, 9)] {
            let p = ArrivalProcess::new(0.5, hours, days, Vec::new(), start);
            for hour in 0..3 * 168u32 {
                let weekday = (hour as usize / 24 + start) % 7;
                let expect = 0.5 * hours[hour as usize % 24] * days[weekday];
                assert_eq!(
                    p.rate(f64::from(hour) + 0.5),
                    expect,
                    "start {start}, hour {hour}"
                );
            }
        }
    }

    /// The mean weekly rate is the base times the mean of each profile:
    /// 24 hours averaging 2 and 7 days averaging 4/7.
    #[test]
    fn mean_weekly_rate_averages_both_profiles() {
        let mut hours = [1.0; 24];
        hours[..12].fill(3.0);
        let days = [2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0];
        let p = ArrivalProcess::new(1.5, hours, days, Vec::new(), 0);
        assert_eq!(p.mean_weekly_rate(), 1.5 * 2.0 * (4.0 / 7.0));
    }

    /// Peaks beyond the horizon do not count: with peaks on [10, 20) ×3
    /// and [15, 30) ×2, the first 25 h hold 10×1 + 5×3 + 5×6 + 5×2 h of
    /// base rate.
    #[test]
    fn expected_count_stops_at_the_horizon() {
        let p = two_peaks();
        assert_eq!(p.expected_count(25.0), 2.0 * (10.0 + 15.0 + 30.0 + 10.0));
    }

    #[test]
    fn zero_rate_never_arrives() {
        let p = ArrivalProcess::poisson(0.0);
        assert_eq!(p.next_after(0.0, &mut from_seed(1)), f64::INFINITY);
        // Also with profiles, where thinning would wait for ever for a
        // candidate to keep: a zero base, and every hour's factor zero.
        let mut hours = [1.0; 24];
        hours[3] = 2.0;
        for p in [
            ArrivalProcess::new(0.0, hours, [1.0; 7], Vec::new(), 0),
            ArrivalProcess::new(1.0, [0.0; 24], [1.0; 7], Vec::new(), 0),
        ] {
            assert_eq!(p.max_rate(), 0.0);
            assert_eq!(p.next_after(0.0, &mut from_seed(1)), f64::INFINITY);
        }
    }
}
