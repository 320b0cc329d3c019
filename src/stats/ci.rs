//! Across-replication estimates: the mean of independent replication values
//! and its 95% confidence half-width from Student's t.

use statrs::distribution::{ContinuousCDF, StudentsT};

/// Confidence level of every interval clearsim reports.
pub const CONFIDENCE: f64 = 0.95;

/// The two-sided `level` quantile of Student's t with `df` degrees of freedom.
///
/// Panics unless `df` is finite and positive: every caller's degrees of
/// freedom are a count or Welch's estimate, both finite, and `statrs`
/// accepts an infinite `df` but then never returns from the quantile, so a
/// fault upstream would hang the run instead of stopping it.
pub fn student_t_quantile(level: f64, df: f64) -> f64 {
    assert!(
        df.is_finite() && df > 0.0,
        "Student's t needs finite, positive degrees of freedom, not {df}"
    );
    let t = StudentsT::new(0.0, 1.0, df).expect("df is finite and positive");
    t.inverse_cdf(0.5 + level / 2.0)
}

/// The sample variance (divisor n − 1) of `xs`; `None` with fewer than two.
pub fn sample_variance(xs: &[f64]) -> Option<f64> {
    let n = xs.len();
    if n < 2 {
        return None;
    }
    let mean = xs.iter().sum::<f64>() / n as f64;
    Some(xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64)
}

/// Mean, 95% half-width and the number of replications that had a value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub mean: Option<f64>,
    /// `None` with fewer than two replications.
    pub half_width: Option<f64>,
    pub n: usize,
}

impl Estimate {
    /// Estimates from per-replication values; replications where the metric
    /// is undefined (e.g. no release to time) are skipped and not counted.
    pub fn from_values<I: IntoIterator<Item = Option<f64>>>(values: I) -> Self {
        let xs: Vec<f64> = values.into_iter().flatten().collect();
        let n = xs.len();
        if n == 0 {
            return Self {
                mean: None,
                half_width: None,
                n,
            };
        }
        let mean = xs.iter().sum::<f64>() / n as f64;
        let half_width = sample_variance(&xs)
            .map(|var| student_t_quantile(CONFIDENCE, (n - 1) as f64) * (var / n as f64).sqrt());
        Self {
            mean: Some(mean),
            half_width,
            n,
        }
    }

    /// The upper end of the 95% interval (the mean itself with one
    /// replication): what `plan` judges a target by.
    pub fn upper(&self) -> Option<f64> {
        self.mean.map(|m| m + self.half_width.unwrap_or(0.0))
    }

    /// Whether `value` lies inside the interval widened by `factor`.
    pub fn covers(&self, value: f64, factor: f64) -> bool {
        match (self.mean, self.half_width) {
            (Some(m), Some(h)) => (m - value).abs() <= h * factor,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_tables() {
        assert!((student_t_quantile(0.95, 1.0) - 12.706).abs() < 1e-3);
        assert!((student_t_quantile(0.95, 9.0) - 2.262).abs() < 1e-3);
        assert!((student_t_quantile(0.95, 1e6) - 1.960).abs() < 1e-3);
    }

    /// `statrs` would loop for ever on an infinite df; a fault that makes
    /// one must stop the run with a message instead.
    #[test]
    #[should_panic(expected = "finite, positive degrees of freedom, not inf")]
    fn infinite_degrees_of_freedom_are_refused_not_looped_on() {
        student_t_quantile(0.95, f64::INFINITY);
    }

    #[test]
    #[should_panic(expected = "finite, positive degrees of freedom, not 0")]
    fn zero_degrees_of_freedom_are_refused() {
        student_t_quantile(0.95, 0.0);
    }

    #[test]
    fn estimate_of_known_values() {
        let e = Estimate::from_values([Some(1.0), Some(2.0), None, Some(3.0)]);
        assert_eq!(e.n, 3);
        assert_eq!(e.mean, Some(2.0));
        let h = student_t_quantile(0.95, 2.0) * (1.0f64 / 3.0).sqrt();
        assert!((e.half_width.unwrap() - h).abs() < 1e-12);
        let single = Estimate::from_values([Some(4.0)]);
        assert_eq!(single.half_width, None);
    }

    /// `covers` is `|mean − value| <= half-width × factor`, ends included,
    /// on either side of the mean; without a half-width it covers nothing.
    #[test]
    fn covers_the_widened_interval_ends_included() {
        let e = Estimate {
            mean: Some(2.0),
            half_width: Some(0.5),
            n: 3,
        };
        assert!(e.covers(2.0, 1.0));
        assert!(e.covers(2.5, 1.0) && e.covers(1.5, 1.0));
        assert!(!e.covers(2.75, 1.0) && !e.covers(1.25, 1.0));
        assert!(e.covers(2.75, 1.5) && e.covers(1.25, 1.5));
        assert!(!e.covers(2.8, 1.5) && !e.covers(1.2, 1.5));
        let single = Estimate {
            half_width: None,
            ..e
        };
        assert!(!single.covers(2.0, 1.0));
    }
}
