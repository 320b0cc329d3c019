//! Capacity planning: the smallest capacity of one resource that meets a
//! target on a metric, judged by the upper end of its 95% confidence
//! interval, found with few evaluations.
//!
//! The search assumes the metric improves as capacity grows (waits and
//! release times fall). It starts at the smallest stable capacity (offered
//! load below capacity), grows the step geometrically until the target is
//! met, then bisects between the last capacity that failed and the first
//! that met it. If adding capacity stops changing the metric (common random
//! numbers make that exact), the resource no longer limits it and the
//! search stops: no capacity will do.

use crate::stats::Estimate;

/// `METRIC<=VALUE` or `METRIC<VALUE`.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub metric: String,
    pub bound: f64,
    pub strict: bool,
}

impl Target {
    pub fn parse(s: &str) -> Result<Target, String> {
        let (metric, rest, strict) = if let Some((m, v)) = s.split_once("<=") {
            (m, v, false)
        } else if let Some((m, v)) = s.split_once('<') {
            (m, v, true)
        } else {
            return Err(format!(
                "{s:?}: expected METRIC<=VALUE, e.g. 'release_time_p90_h<=24' (a target is an upper bound)"
            ));
        };
        let bound: f64 = rest
            .trim()
            .parse()
            .map_err(|_| format!("{s:?}: {rest:?} is not a number"))?;
        let metric = metric.trim();
        if metric.is_empty() || !bound.is_finite() {
            return Err(format!("{s:?}: expected METRIC<=VALUE with a finite VALUE"));
        }
        Ok(Target {
            metric: metric.to_string(),
            bound,
            strict,
        })
    }

    /// Whether an estimate meets the target with its upper 95% bound (its
    /// mean alone with one replication).
    pub fn met_by(&self, e: &Estimate) -> bool {
        let Some(upper) = e.upper() else { return false };
        if self.strict {
            upper < self.bound
        } else {
            upper <= self.bound
        }
    }
}

/// One evaluated capacity and what it gave.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    pub capacity: u32,
    pub estimate: Estimate,
    pub met: bool,
}

/// Searches capacities from `start` to `max` with `evaluate`, returning
/// every evaluation (in the order made) and the smallest capacity that met
/// the target, if any did.
pub fn search<F>(
    start: u32,
    max: u32,
    mut evaluate: F,
) -> anyhow::Result<(Vec<Evaluation>, Option<u32>)>
where
    F: FnMut(u32) -> anyhow::Result<Evaluation>,
{
    let mut evals = Vec::new();
    // `max` is at least 1 (checked where it is read); never panic on 0.
    let max = max.max(1);
    let start = start.clamp(1, max);
    let first = evaluate(start)?;
    let met = first.met;
    evals.push(first);
    if met {
        return Ok((evals, Some(start)));
    }
    // Grow geometrically until the target is met.
    let (mut fail, mut step) = (start, 1u32);
    let mut pass = None;
    while fail < max {
        let c = fail.saturating_add(step).min(max);
        let e = evaluate(c)?;
        let met = e.met;
        evals.push(e);
        if met {
            pass = Some(c);
            break;
        }
        // More capacity changed nothing: the resource no longer limits the
        // metric, so no capacity will meet the target.
        // (A capacity that diverged has no estimate to compare.)
        if evals.len() >= 2
            && evals[evals.len() - 1].estimate.mean.is_some()
            && evals[evals.len() - 1].estimate == evals[evals.len() - 2].estimate
        {
            return Ok((evals, None));
        }
        fail = c;
        step = step.saturating_mul(2);
    }
    let Some(mut pass) = pass else {
        return Ok((evals, None));
    };
    // Bisect (fail, pass]. Each step halves it, so a range of u32 is down
    // to one after at most 32 steps (33 checks); a step that failed to
    // narrow it is a bug, and stops the search with a message rather than
    // running simulations for ever.
    for _ in 0..=u32::BITS {
        if pass - fail <= 1 {
            return Ok((evals, Some(pass)));
        }
        let mid = fail + (pass - fail) / 2;
        let e = evaluate(mid)?;
        let met = e.met;
        evals.push(e);
        if met {
            pass = mid;
        } else {
            fail = mid;
        }
    }
    panic!(
        "the bisection of ({fail}, {pass}] did not narrow in {} steps",
        u32::BITS + 1
    )
}

/// Why a search met no capacity: the two causes call for different
/// actions, so the message must not guess.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unmet {
    /// The last two capacities tried gave the same estimate (common random
    /// numbers make them equal to the bit): this resource no longer limits
    /// the metric, and no capacity will meet the target.
    Plateau { from: u32, to: u32 },
    /// The search reached `--max` with the metric still changing: a larger
    /// `--max` may meet the target.
    MaxReached,
}

/// The cause of a search that met nothing, from its evaluations (as
/// [`search`] returns them).
pub fn unmet_reason(evals: &[Evaluation]) -> Unmet {
    match evals {
        [.., a, b] if b.estimate.mean.is_some() && a.estimate == b.estimate => Unmet::Plateau {
            from: a.capacity,
            to: b.capacity,
        },
        _ => Unmet::MaxReached,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn est(x: f64) -> Estimate {
        Estimate {
            mean: Some(x),
            half_width: Some(0.1),
            n: 10,
        }
    }

    /// An evaluation of capacity `c` whose metric is `metric(c)` ± 0.1.
    fn judged(
        target: &Target,
        metric: impl Fn(f64) -> f64,
    ) -> impl FnMut(u32) -> anyhow::Result<Evaluation> {
        move |c| {
            let e = est(metric(c as f64));
            Ok(Evaluation {
                capacity: c,
                met: target.met_by(&e),
                estimate: e,
            })
        }
    }

    #[test]
    fn finds_the_smallest_capacity_with_few_evaluations() {
        let target = Target::parse("wait_mean_h<=1.0").unwrap();
        // A metric that falls with capacity: 100 / c.
        let (evals, best) = search(1, 1000, judged(&target, |c| 100.0 / c)).unwrap();
        // 100 / c + 0.1 <= 1  ⇔  c >= 111.1
        assert_eq!(best, Some(112));
        assert!(evals.len() <= 16, "{} evaluations", evals.len());
        let (_, none) = search(1, 50, judged(&target, |c| 100.0 / c)).unwrap();
        assert_eq!(none, None);
        // A plateau ends the search early.
        let plateau = judged(&target, |c| (100.0 / c).max(5.0));
        let (evals, none) = search(1, 1_000_000, plateau).unwrap();
        assert_eq!(none, None);
        assert!(evals.len() < 12, "{} evaluations", evals.len());
    }

    /// The widest range there is: the growth jumps from 2³¹ to u32::MAX,
    /// and the bisection of that gap takes 31 steps, inside its bound.
    #[test]
    fn the_bisection_reaches_the_top_of_the_range() {
        let target = Target::parse("wait_mean_h<=1.0").unwrap();
        let threshold = u32::MAX - 1;
        let steep = judged(&target, move |c| {
            // Falls with capacity (so no plateau stops the growth), and
            // meets the target only at the threshold.
            if c >= f64::from(threshold) {
                0.0
            } else {
                2.0 + 1.0 / c
            }
        });
        let (evals, best) = search(1, u32::MAX, steep).unwrap();
        assert_eq!(best, Some(threshold));
        assert!(evals.len() <= 33 + 32, "{} evaluations", evals.len());
    }

    #[test]
    fn an_unmet_search_says_whether_max_or_a_plateau_stopped_it() {
        let target = Target::parse("wait_mean_h<=1.0").unwrap();
        // Still falling at the maximum: 100 / c never reaches 1 by c = 20.
        let (evals, best) = search(1, 20, judged(&target, |c| 100.0 / c)).unwrap();
        assert_eq!(best, None);
        assert_eq!(evals.last().unwrap().capacity, 20);
        assert_eq!(unmet_reason(&evals), Unmet::MaxReached);
        // Flat from 4 servers on (another resource limits it): stops there.
        let flat = |c: f64| 5.0 + 10.0 / c.min(4.0);
        let (evals, best) = search(1, 1000, judged(&target, flat)).unwrap();
        assert_eq!(best, None);
        assert_eq!(unmet_reason(&evals), Unmet::Plateau { from: 4, to: 8 });
    }

    #[test]
    fn targets_parse_and_compare_the_upper_bound() {
        let t = Target::parse("release_time_p90_h <= 24").unwrap();
        assert_eq!(t.metric, "release_time_p90_h");
        assert!(t.met_by(&est(23.5))); // upper bound 23.6
        assert!(!t.met_by(&est(24.0))); // upper bound 24.1
        assert!(Target::parse("x<5").unwrap().strict);
        assert!(Target::parse("x>=5").is_err());
        assert!(Target::parse("x<=abc").is_err());
    }

    /// A strict target (`<`) is met only by an upper bound below it; the
    /// bound equal to the target meets `<=` but not `<`.
    #[test]
    fn a_strict_target_excludes_its_bound() {
        let at = |mean: f64| Estimate {
            mean: Some(mean),
            half_width: Some(0.25),
            n: 10,
        };
        let strict = Target::parse("wait_mean_h<1").unwrap();
        let loose = Target::parse("wait_mean_h<=1").unwrap();
        // Upper bounds 0.75, 1 and 1.25 (exact in binary).
        assert!(strict.met_by(&at(0.5)));
        assert!(!strict.met_by(&at(0.75)));
        assert!(!strict.met_by(&at(1.0)));
        assert!(loose.met_by(&at(0.75)));
        assert!(!loose.met_by(&at(1.0)));
    }

    /// A target needs a metric name and a finite bound.
    #[test]
    fn a_target_needs_a_metric_and_a_finite_bound() {
        for bad in ["<=5", " < 5", "x<=inf", "x<-inf", "x<=NaN"] {
            assert!(Target::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Target::parse("x<=-2.5").unwrap().bound, -2.5);
    }
}
