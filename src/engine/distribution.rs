//! Probability distributions for durations `[h]`, each knowing its mean.
//!
//! Constructors check their parameters and return a message saying what is
//! wrong and what would be valid, so the scenario layer can pass it on.
//! Sampling never allocates.

use rand::Rng;
use rand::RngExt;
use rand_distr::{Distribution, Exp1, Gamma, LogNormal, Triangular};

/// A duration distribution. All values are non-negative hours.
#[derive(Clone, Debug)]
pub enum Dist {
    /// Always `value`.
    Deterministic { value: f64 },
    /// Exponential with the given mean.
    Exponential { mean: f64 },
    /// Uniform on `[min, max]`.
    Uniform { min: f64, max: f64 },
    /// Triangular on `[min, max]` with the given mode.
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
        sampler: Triangular<f64>,
    },
    /// Lognormal given by the mean and standard deviation of the value itself
    /// (not of its logarithm), which is how durations are usually reported.
    Lognormal {
        mean: f64,
        sd: f64,
        sampler: LogNormal<f64>,
    },
    /// Gamma with `shape` and `scale`; Erlang-k is gamma with integer shape k.
    Gamma {
        shape: f64,
        scale: f64,
        sampler: Gamma<f64>,
    },
    /// Discrete empirical: one of `values`, with probabilities proportional
    /// to the weights (uniform when none are given).
    Empirical {
        values: Vec<f64>,
        /// Cumulative probabilities, last one exactly 1.
        cumulative: Vec<f64>,
    },
}

fn finite_non_negative(name: &str, v: f64) -> Result<(), String> {
    if v.is_finite() && v >= 0.0 {
        Ok(())
    } else {
        Err(format!("{name} must be a finite number >= 0, got {v}"))
    }
}

fn positive(name: &str, v: f64) -> Result<(), String> {
    if v.is_finite() && v > 0.0 {
        Ok(())
    } else {
        Err(format!("{name} must be a finite number > 0, got {v}"))
    }
}

impl Dist {
    pub fn deterministic(value: f64) -> Result<Self, String> {
        finite_non_negative("value", value)?;
        Ok(Dist::Deterministic { value })
    }

    pub fn exponential(mean: f64) -> Result<Self, String> {
        positive("mean", mean)?;
        Ok(Dist::Exponential { mean })
    }

    pub fn uniform(min: f64, max: f64) -> Result<Self, String> {
        finite_non_negative("min", min)?;
        finite_non_negative("max", max)?;
        if min > max {
            return Err(format!("min ({min}) must not exceed max ({max})"));
        }
        Ok(Dist::Uniform { min, max })
    }

    pub fn triangular(min: f64, mode: f64, max: f64) -> Result<Self, String> {
        finite_non_negative("min", min)?;
        finite_non_negative("mode", mode)?;
        finite_non_negative("max", max)?;
        if !(min <= mode && mode <= max && min < max) {
            return Err(format!(
                "need min <= mode <= max and min < max, got min={min}, mode={mode}, max={max}"
            ));
        }
        let sampler = Triangular::new(min, max, mode).map_err(|e| e.to_string())?;
        Ok(Dist::Triangular {
            min,
            mode,
            max,
            sampler,
        })
    }

    pub fn lognormal(mean: f64, sd: f64) -> Result<Self, String> {
        positive("mean", mean)?;
        positive("sd", sd)?;
        let sigma2 = (1.0 + (sd / mean).powi(2)).ln();
        let mu = mean.ln() - sigma2 / 2.0;
        if !(sigma2.is_finite() && mu.is_finite()) {
            return Err(format!(
                "sd / mean = {} is too large to represent; keep sd below 1e150 × mean",
                sd / mean
            ));
        }
        let sampler = LogNormal::new(mu, sigma2.sqrt()).map_err(|e| e.to_string())?;
        Ok(Dist::Lognormal { mean, sd, sampler })
    }

    /// Gamma given its shape and mean (scale = mean / shape).
    pub fn gamma(shape: f64, mean: f64) -> Result<Self, String> {
        positive("shape", shape)?;
        positive("mean", mean)?;
        let scale = mean / shape;
        if !(scale.is_finite() && scale > 0.0) {
            return Err(format!(
                "mean / shape = {scale} is not a positive finite scale; \
                 choose shape and mean of comparable magnitude"
            ));
        }
        let sampler = Gamma::new(shape, scale).map_err(|e| e.to_string())?;
        Ok(Dist::Gamma {
            shape,
            scale,
            sampler,
        })
    }

    /// Erlang-k with the given mean: the sum of k exponential phases.
    pub fn erlang(k: i64, mean: f64) -> Result<Self, String> {
        if k < 1 {
            return Err(format!("k must be an integer >= 1, got {k}"));
        }
        Self::gamma(k as f64, mean)
    }

    pub fn empirical(values: Vec<f64>, weights: Option<Vec<f64>>) -> Result<Self, String> {
        if values.is_empty() {
            return Err("values must list at least one duration".into());
        }
        for (i, &v) in values.iter().enumerate() {
            finite_non_negative(&format!("values[{i}]"), v)?;
        }
        let weights = weights.unwrap_or_else(|| vec![1.0; values.len()]);
        if weights.len() != values.len() {
            return Err(format!(
                "weights has {} entries but values has {}; give one weight per value",
                weights.len(),
                values.len()
            ));
        }
        for (i, &w) in weights.iter().enumerate() {
            finite_non_negative(&format!("weights[{i}]"), w)?;
        }
        let total: f64 = weights.iter().sum();
        if !total.is_finite() {
            return Err(format!(
                "the weights add up to {total}; give weights whose sum is a finite number \
                 (they are relative: [1, 1] is the same as [1e300, 1e300])"
            ));
        }
        if total <= 0.0 {
            return Err("weights must not all be zero".into());
        }
        let mut acc = 0.0;
        let mut cumulative: Vec<f64> = weights
            .iter()
            .map(|w| {
                acc += w;
                acc / total
            })
            .collect();
        *cumulative.last_mut().expect("non-empty") = 1.0;
        Ok(Dist::Empirical { values, cumulative })
    }

    /// The distribution's mean `[h]`.
    pub fn mean(&self) -> f64 {
        match self {
            Dist::Deterministic { value } => *value,
            Dist::Exponential { mean } => *mean,
            Dist::Uniform { min, max } => (min + max) / 2.0,
            Dist::Triangular { min, mode, max, .. } => (min + mode + max) / 3.0,
            Dist::Lognormal { mean, .. } => *mean,
            Dist::Gamma { shape, scale, .. } => shape * scale,
            Dist::Empirical { values, cumulative } => {
                let mut prev = 0.0;
                values
                    .iter()
                    .zip(cumulative)
                    .map(|(v, c)| {
                        let p = c - prev;
                        prev = *c;
                        v * p
                    })
                    .sum()
            }
        }
    }

    /// The distribution's variance `[h²]`.
    pub fn variance(&self) -> f64 {
        match self {
            Dist::Deterministic { .. } => 0.0,
            Dist::Exponential { mean } => mean * mean,
            Dist::Uniform { min, max } => (max - min).powi(2) / 12.0,
            Dist::Triangular { min, mode, max, .. } => {
                (min * min + mode * mode + max * max - min * mode - min * max - mode * max) / 18.0
            }
            Dist::Lognormal { sd, .. } => sd * sd,
            Dist::Gamma { shape, scale, .. } => shape * scale * scale,
            Dist::Empirical { values, cumulative } => {
                let m = self.mean();
                let mut prev = 0.0;
                values
                    .iter()
                    .zip(cumulative)
                    .map(|(v, c)| {
                        let p = c - prev;
                        prev = *c;
                        (v - m).powi(2) * p
                    })
                    .sum()
            }
        }
    }

    /// True when every draw is exactly zero: such a step costs no event.
    pub fn is_zero(&self) -> bool {
        matches!(self, Dist::Deterministic { value } if *value == 0.0)
    }

    /// Draws one value.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Dist::Deterministic { value } => *value,
            Dist::Exponential { mean } => {
                let e: f64 = Exp1.sample(rng);
                e * mean
            }
            Dist::Uniform { min, max } => min + (max - min) * rng.random::<f64>(),
            Dist::Triangular { sampler, .. } => sampler.sample(rng),
            Dist::Lognormal { sampler, .. } => sampler.sample(rng),
            Dist::Gamma { sampler, .. } => sampler.sample(rng),
            Dist::Empirical { values, cumulative } => {
                let u: f64 = rng.random();
                let i = cumulative
                    .partition_point(|&c| c <= u)
                    .min(values.len() - 1);
                values[i]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::rng::from_seed;

    /// Sample mean and variance of `n` draws.
    fn moments(d: &Dist, n: usize) -> (f64, f64) {
        let mut rng = from_seed(12345);
        let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64;
        assert!(xs.iter().all(|x| *x >= 0.0), "negative duration drawn");
        (m, v)
    }

    /// Each distribution's sample mean lies within 4 standard errors of its
    /// stated mean, and its sample variance within 10% of the stated one.
    #[test]
    fn sample_moments_match_stated_moments() {
        const N: usize = 200_000;
        const MEAN_Z: f64 = 4.0;
        const VAR_REL: f64 = 0.10;
        let cases = vec![
            Dist::deterministic(2.5).unwrap(),
            Dist::exponential(1.7).unwrap(),
            Dist::uniform(0.5, 3.0).unwrap(),
            Dist::triangular(0.2, 0.5, 2.0).unwrap(),
            Dist::lognormal(1.5, 0.8).unwrap(),
            Dist::gamma(2.5, 3.0).unwrap(),
            Dist::erlang(4, 2.0).unwrap(),
            Dist::empirical(vec![0.5, 1.0, 4.0], Some(vec![1.0, 2.0, 1.0])).unwrap(),
        ];
        for d in cases {
            let (m, v) = moments(&d, N);
            let se = (d.variance() / N as f64).sqrt();
            assert!(
                (m - d.mean()).abs() <= MEAN_Z * se + 1e-12,
                "{d:?}: sample mean {m} vs stated {}",
                d.mean()
            );
            assert!(
                (v - d.variance()).abs() <= VAR_REL * d.variance() + 1e-12,
                "{d:?}: sample variance {v} vs stated {}",
                d.variance()
            );
        }
    }

    /// The bounds of the valid ranges are accepted: a uniform on a single
    /// point, a triangular with its mode at either end.
    #[test]
    fn boundary_parameters_are_accepted() {
        // A duration of exactly zero is valid, and the only one that costs
        // no event.
        assert!(Dist::deterministic(0.0).unwrap().is_zero());
        assert!(!Dist::deterministic(0.5).unwrap().is_zero());
        assert!(!Dist::uniform(0.0, 0.0).unwrap().is_zero());
        let point = Dist::uniform(2.0, 2.0).unwrap();
        assert_eq!((point.mean(), point.variance()), (2.0, 0.0));
        assert_eq!(point.sample(&mut from_seed(1)), 2.0);
        for (min, mode, max) in [(1.0, 1.0, 2.0), (1.0, 2.0, 2.0)] {
            let d = Dist::triangular(min, mode, max).unwrap();
            assert_eq!(d.mean(), (min + mode + max) / 3.0);
        }
        // Erlang-1 is the exponential.
        let erlang1 = Dist::erlang(1, 2.0).unwrap();
        assert_eq!((erlang1.mean(), erlang1.variance()), (2.0, 4.0));
    }

    /// A triangular's variance is its second moment,
    /// (a² + b² + c² + ab + ac + bc) / 6, less its mean squared: the
    /// sample-moment test's 10% would let a wrong cross term through.
    #[test]
    fn triangular_variance_is_the_second_moment_less_the_squared_mean() {
        for (a, b, c) in [
            (1.0, 2.0, 4.0),
            (0.2, 0.5, 2.0),
            (3.0, 3.0, 5.0),
            (0.0, 1.0, 1.0),
        ] {
            let d = Dist::triangular(a, b, c).unwrap();
            let second = (a * a + b * b + c * c + a * b + a * c + b * c) / 6.0;
            let expect = second - d.mean().powi(2);
            assert!(
                (d.variance() - expect).abs() < 1e-12,
                "({a}, {b}, {c}): {} vs {expect}",
                d.variance()
            );
        }
    }

    /// An empirical distribution's mean and variance are the weighted ones:
    /// values 0.5, 1, 4 with weights 1, 2, 1 have mean 6.5 / 4 and variance
    /// (1.125² + 0.625² × 2 + 2.375²) / 4.
    #[test]
    fn empirical_moments_are_the_weighted_ones() {
        let d = Dist::empirical(vec![0.5, 1.0, 4.0], Some(vec![1.0, 2.0, 1.0])).unwrap();
        assert_eq!(d.mean(), 1.625);
        let var = (1.125f64.powi(2) + 2.0 * 0.625f64.powi(2) + 2.375f64.powi(2)) / 4.0;
        assert!((d.variance() - var).abs() < 1e-12, "{}", d.variance());
        // Without weights, each value is as likely.
        let even = Dist::empirical(vec![1.0, 2.0, 6.0], None).unwrap();
        assert_eq!(even.mean(), 3.0);
    }

    #[test]
    fn bad_parameters_are_rejected_with_reasons() {
        assert!(Dist::exponential(-1.0).unwrap_err().contains("mean"));
        assert!(Dist::exponential(f64::NAN).is_err());
        assert!(Dist::uniform(3.0, 1.0).unwrap_err().contains("max"));
        // Refused with clearsim's own message, not left to the sampler's.
        for (min, mode, max) in [(1.0, 0.5, 2.0), (1.0, 2.5, 2.0), (1.0, 1.0, 1.0)] {
            let why = Dist::triangular(min, mode, max).unwrap_err();
            assert!(why.starts_with("need min <= mode <= max"), "{why}");
        }
        assert!(Dist::lognormal(1.0, 0.0).is_err());
        assert!(Dist::erlang(0, 1.0).unwrap_err().contains("k"));
        assert!(Dist::empirical(vec![], None).is_err());
        assert!(Dist::empirical(vec![1.0], Some(vec![1.0, 2.0])).is_err());
        assert!(Dist::deterministic(f64::INFINITY).is_err());
        assert!(
            Dist::lognormal(1.0, 1e300)
                .unwrap_err()
                .contains("sd / mean")
        );
        // Scales of zero and infinity, refused by clearsim's check.
        for (shape, mean) in [(1e300, 1e-300), (1e-300, 1e300)] {
            let why = Dist::gamma(shape, mean).unwrap_err();
            assert!(why.starts_with("mean / shape"), "{why}");
        }
    }
}
