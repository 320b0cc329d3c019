//! Comparing variants of one scenario with common random numbers.
//!
//! Every variant runs the same replications with the same seeds, and each
//! random source (a stream's arrivals, its screening draws, its values) has
//! its own stream, so replication r of every variant sees the same
//! consignments. Differences are then estimated replication by replication
//! (paired), which removes the noise the variants share; the unpaired
//! interval is reported beside it to show what pairing gains.

use std::collections::HashMap;

use crate::sim::ReplicationResult;
use crate::stats::ci::{CONFIDENCE, sample_variance};
use crate::stats::{Estimate, student_t_quantile};

/// A metric's difference `variant − baseline` across replications.
#[derive(Clone, Debug, PartialEq)]
pub struct DiffRow {
    pub variant: String,
    pub baseline: String,
    pub group: String,
    pub metric: &'static str,
    /// Mean and 95% half-width of the paired differences.
    pub paired: Estimate,
    /// 95% half-width of the difference of means treating the variants as
    /// independent (Welch).
    pub unpaired_half_width: Option<f64>,
}

/// A `(group, metric)` key.
type Key = (String, &'static str);
/// Each key's values across replications, and the keys in first-seen order.
type ByKey = (Vec<Key>, HashMap<Key, Vec<Option<f64>>>);

/// Per `(group, metric)`: each replication's value, in replication order.
fn by_key(results: &[ReplicationResult]) -> ByKey {
    let mut order = Vec::new();
    let mut map: HashMap<Key, Vec<Option<f64>>> = HashMap::new();
    for r in results {
        for o in &r.observations {
            let key = (o.group.clone(), o.metric);
            let values = map.entry(key.clone()).or_insert_with(|| {
                order.push(key.clone());
                Vec::new()
            });
            values.push(o.value);
        }
    }
    (order, map)
}

/// Welch's 95% half-width for the difference of two independent means.
pub fn welch_half_width(a: &[f64], b: &[f64]) -> Option<f64> {
    let (na, nb) = (a.len() as f64, b.len() as f64);
    let (va, vb) = (sample_variance(a)? / na, sample_variance(b)? / nb);
    let se2 = va + vb;
    if se2 == 0.0 {
        return Some(0.0);
    }
    let df = se2 * se2 / (va * va / (na - 1.0) + vb * vb / (nb - 1.0));
    Some(student_t_quantile(CONFIDENCE, df) * se2.sqrt())
}

/// Differences `variant − baseline` for every `(group, metric)` both have,
/// in the variant's order. Replications are paired by id.
pub fn differences(
    variant: &str,
    results: &[ReplicationResult],
    baseline: &str,
    base: &[ReplicationResult],
) -> Vec<DiffRow> {
    let (order, values) = by_key(results);
    let (_, base_values) = by_key(base);
    order
        .into_iter()
        .filter_map(|key| {
            let b = base_values.get(&key)?;
            let v = &values[&key];
            let pairs: Vec<(f64, f64)> = v
                .iter()
                .zip(b)
                .filter_map(|(x, y)| Some(((*x)?, (*y)?)))
                .collect();
            let paired = Estimate::from_values(pairs.iter().map(|(x, y)| Some(x - y)));
            let xs: Vec<f64> = pairs.iter().map(|p| p.0).collect();
            let ys: Vec<f64> = pairs.iter().map(|p| p.1).collect();
            Some(DiffRow {
                variant: variant.to_string(),
                baseline: baseline.to_string(),
                group: key.0,
                metric: key.1,
                paired,
                unpaired_half_width: welch_half_width(&xs, &ys),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn welch_matches_a_hand_computation() {
        // Equal sizes and variances: df = 2n − 2, se = sqrt(2 s² / n).
        let a = [1.0, 2.0, 3.0, 4.0];
        let b = [2.0, 3.0, 4.0, 5.0];
        let s2: f64 = 5.0 / 3.0;
        let expect = student_t_quantile(0.95, 6.0) * (2.0 * s2 / 4.0).sqrt();
        assert!((welch_half_width(&a, &b).unwrap() - expect).abs() < 1e-12);
        assert_eq!(welch_half_width(&a[..1], &b), None);
        // Unequal sizes and variances, where the two terms of the
        // Welch–Satterthwaite denominator differ: va = (5/3)/4 = 5/12,
        // vb = 50/2 = 25, se² = 305/12, and
        // df = (305/12)² / ((5/12)²/3 + 25²/1) = 279075/270025 ≈ 1.0335.
        let uneven = [0.0, 10.0];
        let expect = student_t_quantile(0.95, 279_075.0 / 270_025.0) * (305.0_f64 / 12.0).sqrt();
        assert!((welch_half_width(&a, &uneven).unwrap() - expect).abs() < 1e-9);
    }

    fn replication(values: &[(&str, &'static str, Option<f64>)]) -> ReplicationResult {
        ReplicationResult::observed(0, 0, values)
    }

    /// Replication r of the variant minus replication r of the baseline,
    /// for each (group, metric) both have, in the variant's order; a pair
    /// with an undefined side is left out.
    #[test]
    fn differences_pair_replications_by_key() {
        let variant = [
            replication(&[
                ("all", "arrived", Some(12.0)),
                ("all", "leakage", Some(0.5)),
            ]),
            replication(&[("all", "arrived", Some(15.0)), ("all", "leakage", None)]),
        ];
        let base = [
            replication(&[
                ("all", "leakage", Some(0.25)),
                ("all", "arrived", Some(10.0)),
            ]),
            replication(&[
                ("all", "leakage", Some(0.75)),
                ("all", "arrived", Some(11.0)),
            ]),
        ];
        let rows = differences("fast", &variant, "base", &base);
        let got: Vec<_> = rows
            .iter()
            .map(|d| (d.group.as_str(), d.metric, d.paired.mean, d.paired.n))
            .collect();
        // arrived: 12 − 10 and 15 − 11; leakage: 0.5 − 0.25 only.
        assert_eq!(
            got,
            [
                ("all", "arrived", Some(3.0), 2),
                ("all", "leakage", Some(0.25), 1)
            ]
        );
        assert_eq!(
            (rows[0].variant.as_str(), rows[0].baseline.as_str()),
            ("fast", "base")
        );
        assert_eq!(
            rows[0].unpaired_half_width,
            welch_half_width(&[12.0, 15.0], &[10.0, 11.0])
        );
    }
}
