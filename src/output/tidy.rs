//! Tidy long-format CSV: one row per observation, loadable as is by pandas,
//! polars or R. Numbers use Rust's shortest round-trip formatting, so the
//! bytes depend only on the values; undefined values are empty cells.

use crate::experiment::SummaryRow;
use crate::experiment::compare::DiffRow;
use crate::sim::ReplicationResult;

pub const SUMMARY_HEADER: [&str; 6] = [
    "variant",
    "group",
    "metric",
    "mean",
    "ci95_half_width",
    "reps",
];
pub const COMPARISON_HEADER: [&str; 8] = [
    "variant",
    "baseline",
    "group",
    "metric",
    "diff_mean",
    "diff_ci95_half_width",
    "unpaired_ci95_half_width",
    "reps",
];
pub const REPLICATIONS_HEADER: [&str; 6] =
    ["variant", "replication", "seed", "group", "metric", "value"];

fn num(v: Option<f64>) -> String {
    crate::output::cell(v)
}

/// `summary.csv`: `variant,group,metric,mean,ci95_half_width,reps`.
pub fn summary_csv(rows: &[SummaryRow]) -> anyhow::Result<Vec<u8>> {
    let mut w = crate::output::sheet::SheetWriter::new();
    w.row(SUMMARY_HEADER)?;
    for r in rows {
        w.row([
            r.variant.as_str(),
            r.group.as_str(),
            r.metric,
            &num(r.estimate.mean),
            &num(r.estimate.half_width),
            &r.estimate.n.to_string(),
        ])?;
    }
    w.into_bytes()
}

/// `replications.csv`: one row per variant, replication, group and metric.
pub fn replications_csv(variants: &[(&str, &[ReplicationResult])]) -> anyhow::Result<Vec<u8>> {
    let mut w = crate::output::sheet::SheetWriter::new();
    w.row(REPLICATIONS_HEADER)?;
    for (variant, results) in variants {
        for r in *results {
            let (rep, seed) = (r.replication.to_string(), r.seed.to_string());
            for o in &r.observations {
                w.row([
                    variant,
                    rep.as_str(),
                    &seed,
                    &o.group,
                    o.metric,
                    &num(o.value),
                ])?;
            }
        }
    }
    w.into_bytes()
}

/// `comparison.csv`: each variant's difference from the baseline, with the
/// paired and the unpaired 95% half-widths.
pub fn comparison_csv(rows: &[DiffRow]) -> anyhow::Result<Vec<u8>> {
    let mut w = crate::output::sheet::SheetWriter::new();
    w.row(COMPARISON_HEADER)?;
    for r in rows {
        w.row([
            r.variant.as_str(),
            r.baseline.as_str(),
            r.group.as_str(),
            r.metric,
            &num(r.paired.mean),
            &num(r.paired.half_width),
            &num(r.unpaired_half_width),
            &r.paired.n.to_string(),
        ])?;
    }
    w.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Estimate;

    fn estimate(mean: Option<f64>, half_width: Option<f64>, n: usize) -> Estimate {
        Estimate {
            mean,
            half_width,
            n,
        }
    }

    /// Each summary row as one CSV line, columns in the header's order,
    /// an undefined value as an empty cell.
    #[test]
    fn summary_csv_has_a_line_per_row() {
        let rows = [
            SummaryRow::estimated("base", "all", "arrived", Some(1200.0), Some(35.5), 5),
            SummaryRow::estimated("base", "mode=paper", "leakage", None, None, 0),
        ];
        assert_eq!(
            String::from_utf8(summary_csv(&rows).unwrap()).unwrap(),
            "variant,group,metric,mean,ci95_half_width,reps\n\
             base,all,arrived,1200,35.5,5\n\
             base,mode=paper,leakage,,,0\n"
        );
    }

    fn replication(replication: u32, seed: u64, values: [Option<f64>; 2]) -> ReplicationResult {
        ReplicationResult::observed(
            replication,
            seed,
            &[("all", "arrived", values[0]), ("all", "leakage", values[1])],
        )
    }

    /// One line per variant, replication (with its seed) and observation.
    #[test]
    fn replications_csv_has_a_line_per_observation() {
        let base = [
            replication(0, 11, [Some(3.0), Some(0.5)]),
            replication(1, 12, [Some(4.0), None]),
        ];
        let fast = [replication(0, 11, [Some(5.0), Some(0.25)])];
        let variants: [(&str, &[ReplicationResult]); 2] = [("base", &base), ("fast", &fast)];
        assert_eq!(
            String::from_utf8(replications_csv(&variants).unwrap()).unwrap(),
            "variant,replication,seed,group,metric,value\n\
             base,0,11,all,arrived,3\n\
             base,0,11,all,leakage,0.5\n\
             base,1,12,all,arrived,4\n\
             base,1,12,all,leakage,\n\
             fast,0,11,all,arrived,5\n\
             fast,0,11,all,leakage,0.25\n"
        );
    }

    /// The paired mean and half-width, the unpaired half-width and the
    /// number of pairs, in the header's order.
    #[test]
    fn comparison_csv_has_a_line_per_difference() {
        let rows = [
            DiffRow {
                variant: "fast".into(),
                baseline: "base".into(),
                group: "all".into(),
                metric: "release_time_mean_h",
                paired: estimate(Some(-2.5), Some(0.5), 4),
                unpaired_half_width: Some(1.25),
            },
            DiffRow {
                variant: "fast".into(),
                baseline: "base".into(),
                group: "all".into(),
                metric: "leakage",
                paired: estimate(Some(0.125), None, 1),
                unpaired_half_width: None,
            },
        ];
        assert_eq!(
            String::from_utf8(comparison_csv(&rows).unwrap()).unwrap(),
            "variant,baseline,group,metric,diff_mean,diff_ci95_half_width,\
             unpaired_ci95_half_width,reps\n\
             fast,base,all,release_time_mean_h,-2.5,0.5,1.25,4\n\
             fast,base,all,leakage,0.125,,,1\n"
        );
    }
}
