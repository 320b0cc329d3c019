//! A dated reform ladder: a base scenario and an ordered list of reforms,
//! each a named set of changes. Which reform bought how much of the fall in
//! a metric?
//!
//! Every variant runs the same replications with the same seeds (common
//! random numbers), so contributions are estimated replication by
//! replication. Two attributions are reported, because reforms interact
//! and the order they are applied in matters:
//!
//! - **step**: in the ladder's (historical) order, each reform's change of
//!   the metric from the rung below: what the reform did given those
//!   before it;
//! - **Shapley**: each reform's change averaged over every order it could
//!   have come in, weighted as in the Shapley value. It needs every subset
//!   of the reforms to be run, so it is computed when there are at most
//!   [`MAX_SHAPLEY`] reforms.
//!
//! Both add up, replication by replication, to the total change from the
//! base to the last rung.

use toml::Value;

use crate::stats::Estimate;

/// Most reforms for which every subset is run (2⁸ = 256 variants).
pub const MAX_SHAPLEY: usize = 8;
/// Most reforms a ladder may list.
pub const MAX_REFORMS: usize = 32;

/// One reform: what changed, when, on whose authority.
#[derive(Clone, Debug, PartialEq)]
pub struct Reform {
    pub name: String,
    /// When it took effect, `YYYY-MM`.
    pub date: String,
    pub source: String,
    /// `PATH=VALUE` changes (sweep syntax, one value each).
    pub settings: Vec<(String, Value)>,
}

/// The sets of reforms to run, as bit masks (bit k: reform k applied):
/// every subset when Shapley contributions can be computed, else the rungs
/// alone (the first k reforms, k = 0..=n). The rungs come first, in order.
pub fn masks(n: usize) -> Vec<u32> {
    let rungs = (0..=n).map(rung_mask);
    if n <= MAX_SHAPLEY {
        let others = (0u32..1 << n).filter(|m| !is_rung(*m));
        rungs.chain(others).collect()
    } else {
        rungs.collect()
    }
}

/// The mask of rung `k`: the first `k` reforms.
pub fn rung_mask(k: usize) -> u32 {
    ((1u64 << k) - 1) as u32
}

fn is_rung(m: u32) -> bool {
    m & (m.wrapping_add(1)) == 0
}

/// The changes of the reforms in `mask`, in ladder order (a later reform's
/// setting of the same key wins).
pub fn assignments(reforms: &[Reform], mask: u32) -> Vec<(String, Value)> {
    reforms
        .iter()
        .enumerate()
        .filter(|(k, _)| mask >> k & 1 == 1)
        .flat_map(|(_, r)| r.settings.iter().cloned())
        .collect()
}

/// A variant's name: the rung (`0 base`, `3 +two-step declaration`), or
/// for another subset the reforms it holds.
pub fn variant_name(reforms: &[Reform], mask: u32) -> String {
    if is_rung(mask) {
        let k = mask.count_ones() as usize;
        if k == 0 {
            "0 base".to_string()
        } else {
            format!("{k} +{}", reforms[k - 1].name)
        }
    } else {
        let names: Vec<&str> = reforms
            .iter()
            .enumerate()
            .filter(|(k, _)| mask >> k & 1 == 1)
            .map(|(_, r)| r.name.as_str())
            .collect();
        format!("subset {}", names.join(" + "))
    }
}

/// One row of `ladder.csv`: rung `k` (0 = the base) with the metric's
/// level, and for a reform its step and Shapley contributions.
#[derive(Clone, Debug, PartialEq)]
pub struct Rung {
    pub k: usize,
    pub level: Estimate,
    pub step: Option<Estimate>,
    pub shapley: Option<Estimate>,
}

/// The rungs' levels and each reform's contributions, from `values[i][r]`:
/// the metric in replication `r` of the variant with mask `masks[i]`.
/// A replication where any value needed is undefined is left out of that
/// estimate.
pub fn contributions(n: usize, masks: &[u32], values: &[Vec<Option<f64>>]) -> Vec<Rung> {
    let reps = values.first().map_or(0, Vec::len);
    let of = |mask: u32| -> &[Option<f64>] {
        let i = masks
            .iter()
            .position(|m| *m == mask)
            .expect("every needed subset was run");
        &values[i]
    };
    let diff = |a: u32, b: u32, r: usize| Some(of(a)[r]? - of(b)[r]?);
    let shapley = |k: usize| -> Option<Estimate> {
        if masks.len() < 1 << n {
            return None;
        }
        let bit = 1u32 << k;
        let per_rep = (0..reps).map(|r| {
            let mut phi = 0.0;
            for s in (0u32..1 << n).filter(|s| s & bit == 0) {
                phi += shapley_weight(n, s.count_ones() as usize) * diff(s | bit, s, r)?;
            }
            Some(phi)
        });
        Some(Estimate::from_values(per_rep))
    };
    (0..=n)
        .map(|k| Rung {
            k,
            level: Estimate::from_values(of(rung_mask(k)).iter().copied()),
            step: (k > 0).then(|| {
                Estimate::from_values((0..reps).map(|r| diff(rung_mask(k), rung_mask(k - 1), r)))
            }),
            shapley: if k > 0 { shapley(k - 1) } else { None },
        })
        .collect()
}

/// The Shapley weight of a coalition of `s` of the other `n − 1` players:
/// s! (n − s − 1)! / n!.
///
/// Panics unless `s < n`: a coalition of the others cannot hold all `n`,
/// and unchecked, `n − s − 1` would wrap and the factorial below would
/// run for ever instead of failing.
fn shapley_weight(n: usize, s: usize) -> f64 {
    assert!(s < n, "a coalition of {s} of the other players of {n}");
    let fact = |m: usize| (1..=m).map(|x| x as f64).product::<f64>();
    fact(s) * fact(n - s - 1) / fact(n)
}

/// The total change from the base to the last rung, paired.
pub fn total(n: usize, masks: &[u32], values: &[Vec<Option<f64>>]) -> Estimate {
    let i = |mask: u32| masks.iter().position(|m| *m == mask).expect("rungs run");
    let (last, base) = (&values[i(rung_mask(n))], &values[i(0)]);
    Estimate::from_values(last.iter().zip(base).map(|(a, b)| Some((*a)? - (*b)?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reform(name: &str) -> Reform {
        Reform {
            name: name.into(),
            date: "2018-01".into(),
            source: "test".into(),
            settings: vec![(format!("x.{name}"), Value::Integer(1))],
        }
    }

    #[test]
    fn rungs_come_first_then_every_other_subset() {
        assert_eq!(masks(2), vec![0, 1, 3, 2]);
        assert_eq!(masks(3).len(), 8);
        assert_eq!(&masks(3)[..4], &[0, 1, 3, 7]);
        assert_eq!(masks(MAX_SHAPLEY + 1).len(), MAX_SHAPLEY + 2);
        let r = [reform("a"), reform("b"), reform("c")];
        assert_eq!(variant_name(&r, 0), "0 base");
        assert_eq!(variant_name(&r, 3), "2 +b");
        assert_eq!(variant_name(&r, 5), "subset a + c");
        let a = assignments(&r, 5);
        assert_eq!(a.len(), 2);
        assert_eq!(a[1].0, "x.c");
    }

    /// v(S) = 100 − 10 a − 20 b + 6 a b (the two reforms overlap: together
    /// they save 24, not 30). In ladder order a then b, the steps are −10
    /// and −14; Shapley splits the overlap evenly: −7 and −17. Both add up
    /// to −24.
    #[test]
    fn steps_depend_on_order_and_shapley_splits_the_interaction() {
        let v = |m: u32| {
            let (a, b) = ((m & 1) as f64, (m >> 1 & 1) as f64);
            100.0 - 10.0 * a - 20.0 * b + 6.0 * a * b
        };
        let ms = masks(2);
        // Two replications, the second shifted by 1 (common noise).
        let values: Vec<Vec<Option<f64>>> = ms
            .iter()
            .map(|m| vec![Some(v(*m)), Some(v(*m) + 1.0)])
            .collect();
        let rungs = contributions(2, &ms, &values);
        assert_eq!(rungs[0].level.mean, Some(100.5));
        assert_eq!(rungs[1].step.unwrap().mean, Some(-10.0));
        assert_eq!(rungs[2].step.unwrap().mean, Some(-14.0));
        assert_eq!(rungs[1].shapley.unwrap().mean, Some(-7.0));
        assert_eq!(rungs[2].shapley.unwrap().mean, Some(-17.0));
        // Common noise cancels: the paired contributions have no spread.
        assert_eq!(rungs[2].step.unwrap().half_width, Some(0.0));
        assert_eq!(total(2, &ms, &values).mean, Some(-24.0));
    }

    #[test]
    fn without_every_subset_there_is_no_shapley_value() {
        let n = MAX_SHAPLEY + 1;
        let ms = masks(n);
        let values: Vec<Vec<Option<f64>>> = ms
            .iter()
            .map(|m| vec![Some(-(m.count_ones() as f64))])
            .collect();
        let rungs = contributions(n, &ms, &values);
        assert!(rungs.iter().all(|r| r.shapley.is_none()));
        assert_eq!(rungs[n].step.unwrap().mean, Some(-1.0));
    }

    #[test]
    fn shapley_weights_sum_to_one_over_coalitions() {
        let n = 5;
        let total: f64 = (0u32..1 << (n - 1))
            .map(|s| shapley_weight(n, s.count_ones() as usize))
            .sum();
        assert!((total - 1.0).abs() < 1e-12);
    }

    #[test]
    #[should_panic(expected = "a coalition of 3 of the other players of 3")]
    fn a_coalition_of_every_player_is_refused() {
        shapley_weight(3, 3);
    }
}
