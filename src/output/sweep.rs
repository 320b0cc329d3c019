//! The wide tables of a sweep: `sweep.csv` (one row per variant, its
//! parameter values and headline metrics) and `frontier.csv` (the
//! inspection-intensity frontier).

use crate::experiment::SummaryRow;

/// Headline metrics of the `all` group in `sweep.csv`.
pub const SWEEP_METRICS: [&str; 14] = [
    "arrived",
    "release_time_mean_h",
    "release_time_p90_h",
    "released_within_24h_share",
    "throughput_per_day",
    "inspections",
    "inspection_rate",
    "seizures",
    "hit_rate",
    "leakage",
    "revenue_assessed_yuan",
    "revenue_evaded_yuan",
    "revenue_recovered_yuan",
    "officer_hours",
];

/// The frontier's metrics: what inspection intensity buys and costs.
pub const FRONTIER_METRICS: [&str; 6] = [
    "release_time_p90_h",
    "inspections",
    "seizures",
    "leakage",
    "revenue_assessed_yuan",
    "revenue_evaded_yuan",
];

/// One variant of a sweep: its name, parameter values (as text, in the
/// order of `params`).
pub struct SweepVariant {
    pub name: String,
    pub values: Vec<String>,
}

fn num(v: Option<f64>) -> String {
    crate::output::cell(v)
}

/// A wide table: `variant`, the parameters, then `metric` and
/// `metric_ci95` for each metric, rows in `order`.
pub fn wide_csv(
    params: &[String],
    variants: &[SweepVariant],
    order: &[usize],
    rows: &[SummaryRow],
    metrics: &[&str],
) -> anyhow::Result<Vec<u8>> {
    let mut w = crate::output::sheet::SheetWriter::new();
    let mut header = vec!["variant".to_string()];
    header.extend(params.iter().cloned());
    for m in metrics {
        header.push(m.to_string());
        header.push(format!("{m}_ci95"));
    }
    w.row(&header)?;
    for &i in order {
        let v = &variants[i];
        let mut rec = vec![v.name.clone()];
        rec.extend(v.values.iter().cloned());
        for m in metrics {
            let r = rows
                .iter()
                .find(|r| r.variant == v.name && r.group == "all" && r.metric == *m);
            rec.push(num(r.and_then(|r| r.estimate.mean)));
            rec.push(num(r.and_then(|r| r.estimate.half_width)));
        }
        w.row(&rec)?;
    }
    w.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        variant: &str,
        group: &str,
        metric: &'static str,
        mean: f64,
        hw: Option<f64>,
    ) -> SummaryRow {
        SummaryRow::estimated(variant, group, metric, Some(mean), hw, 3)
    }

    /// Rows in the order given, each with its parameter values and its own
    /// `all` mean and half-width per metric (empty where there is none).
    #[test]
    fn each_variant_row_holds_its_own_all_numbers() {
        let rows = [
            row("low", "mode=a", "release_time_mean_h", 99.0, Some(9.0)),
            row("low", "all", "release_time_mean_h", 12.5, Some(0.5)),
            row("high", "all", "release_time_mean_h", 14.0, None),
            row("high", "mode=a", "leakage", 0.75, None),
            row("high", "all", "leakage", 0.125, Some(0.01)),
        ];
        let variants = [
            SweepVariant {
                name: "low".into(),
                values: vec!["0.1".into(), "2".into()],
            },
            SweepVariant {
                name: "high".into(),
                values: vec!["0.9".into(), "4".into()],
            },
        ];
        let params = ["inspection_rate".to_string(), "officers".to_string()];
        let bytes = wide_csv(
            &params,
            &variants,
            &[1, 0],
            &rows,
            &["release_time_mean_h", "leakage"],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "variant,inspection_rate,officers,release_time_mean_h,release_time_mean_h_ci95,\
             leakage,leakage_ci95\n\
             high,0.9,4,14,,0.125,0.01\n\
             low,0.1,2,12.5,0.5,,\n"
        );
    }
}
