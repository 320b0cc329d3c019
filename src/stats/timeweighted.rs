//! Time-weighted average of a piecewise-constant quantity.

/// Integrates a value over time from `start`; `reset` restarts the
/// integration (the warm-up cut) without forgetting the current value.
#[derive(Clone, Debug, Default)]
pub struct TimeWeighted {
    start: f64,
    last_t: f64,
    value: f64,
    area: f64,
}

impl TimeWeighted {
    pub fn new(start: f64, value: f64) -> Self {
        Self {
            start,
            last_t: start,
            value,
            area: 0.0,
        }
    }

    /// A constant-zero quantity whose integral so far is `area`: used to
    /// sum several time-weighted quantities over the same window.
    pub fn with_area(t: f64, area: f64) -> Self {
        Self {
            start: t,
            last_t: t,
            value: 0.0,
            area,
        }
    }

    /// The value changes to `value` at time `t`.
    #[inline]
    pub fn set(&mut self, t: f64, value: f64) {
        self.area += self.value * (t - self.last_t);
        self.last_t = t;
        self.value = value;
    }

    #[inline]
    pub fn value(&self) -> f64 {
        self.value
    }

    /// Forget the history before `t`.
    pub fn reset(&mut self, t: f64) {
        self.start = t;
        self.last_t = t;
        self.area = 0.0;
    }

    /// Integral of the value over `[start, t]`.
    pub fn area_until(&self, t: f64) -> f64 {
        self.area + self.value * (t - self.last_t)
    }

    /// Time average over `[start, t]`; `None` on an empty interval.
    pub fn mean_until(&self, t: f64) -> Option<f64> {
        let span = t - self.start;
        (span > 0.0).then(|| self.area_until(t) / span)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averages_a_step_function() {
        // 0 on [0,1), 2 on [1,3), 5 on [3,4): each value counts from when
        // it was set (left endpoints), 9/4; charging each interval the
        // value set at its end would give 17/4.
        let mut tw = TimeWeighted::new(0.0, 0.0);
        tw.set(1.0, 2.0);
        tw.set(3.0, 5.0);
        assert_eq!(tw.mean_until(4.0), Some((0.0 + 4.0 + 5.0) / 4.0));
        tw.set(4.0, 1.0);
        tw.reset(4.0);
        assert_eq!(tw.mean_until(6.0), Some(1.0));
        assert_eq!(tw.mean_until(4.0), None);
    }

    /// `with_area` starts a constant zero carrying an integral: area 6 over
    /// [2, 5) averages 2, and a value set later adds on from its time.
    #[test]
    fn with_area_carries_its_integral() {
        let mut tw = TimeWeighted::with_area(2.0, 6.0);
        assert_eq!(tw.value(), 0.0);
        assert_eq!(tw.mean_until(5.0), Some(2.0));
        tw.set(5.0, 3.0);
        assert_eq!(tw.value(), 3.0);
        assert_eq!(tw.area_until(7.0), 12.0);
        assert_eq!(tw.mean_until(8.0), Some(15.0 / 6.0));
    }
}
