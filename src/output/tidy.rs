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
