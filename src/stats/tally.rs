//! Count, mean and variance of a stream of observations in constant memory.

/// Observations are stored as sums of their offsets from the first value,
/// which keeps the variance accurate (no catastrophic cancellation for
/// durations far from zero) without a division per observation.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    n: u64,
    /// The first observation, the shift of the sums.
    shift: f64,
    sum: f64,
    sum_sq: f64,
}

impl Tally {
    #[inline]
    pub fn add(&mut self, x: f64) {
        if self.n == 0 {
            self.shift = x;
        }
        self.n += 1;
        let d = x - self.shift;
        self.sum += d;
        self.sum_sq += d * d;
    }

    /// Combines two tallies, as if all observations had gone into one.
    pub fn merge(&mut self, other: &Tally) {
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = other.clone();
            return;
        }
        // Re-express the other's sums around this shift.
        let delta = other.shift - self.shift;
        let n = other.n as f64;
        self.sum_sq += other.sum_sq + 2.0 * delta * other.sum + n * delta * delta;
        self.sum += other.sum + n * delta;
        self.n += other.n;
    }

    pub fn count(&self) -> u64 {
        self.n
    }

    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then(|| self.shift + self.sum / self.n as f64)
    }

    /// Sample standard deviation; `None` with fewer than two observations.
    pub fn sd(&self) -> Option<f64> {
        (self.n > 1).then(|| {
            let n = self.n as f64;
            let ss = (self.sum_sq - self.sum * self.sum / n).max(0.0);
            (ss / (n - 1.0)).sqrt()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_sd_and_merge() {
        let xs = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        let mut all = Tally::default();
        xs.iter().for_each(|x| all.add(*x));
        assert_eq!(all.mean(), Some(5.0));
        assert!((all.sd().unwrap() - (32.0f64 / 7.0).sqrt()).abs() < 1e-12);
        let (mut a, mut b) = (Tally::default(), Tally::default());
        xs[..3].iter().for_each(|x| a.add(*x));
        xs[3..].iter().for_each(|x| b.add(*x));
        a.merge(&b);
        assert_eq!(a.count(), 8);
        assert!((a.mean().unwrap() - 5.0).abs() < 1e-12);
        assert!((a.sd().unwrap() - all.sd().unwrap()).abs() < 1e-12);
        assert_eq!(Tally::default().mean(), None);
        // One observation has a mean but no sample standard deviation.
        let mut one = Tally::default();
        one.add(3.0);
        assert_eq!((one.count(), one.mean(), one.sd()), (1, Some(3.0), None));
        // Merging an empty tally changes nothing; merging into one copies.
        let mut empty = Tally::default();
        empty.merge(&one);
        one.merge(&Tally::default());
        assert_eq!((empty.count(), empty.mean()), (1, Some(3.0)));
        assert_eq!((one.count(), one.mean()), (1, Some(3.0)));
    }

    /// Durations around a large offset keep their small variance.
    #[test]
    fn variance_is_accurate_far_from_zero() {
        let mut t = Tally::default();
        for i in 0..1_000_000 {
            t.add(1e6 + (i % 2) as f64);
        }
        assert!((t.mean().unwrap() - (1e6 + 0.5)).abs() < 1e-6);
        assert!((t.sd().unwrap() - 0.5).abs() < 1e-6);
    }
}
