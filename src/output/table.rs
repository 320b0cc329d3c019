//! The short, readable summary printed to the terminal after a run: the
//! headline metrics of `all` with their 95% confidence half-widths, then
//! one line per group and per resource. The CSV files hold everything; this
//! is what a person reads first.

use std::fmt::Write;

use crate::experiment::SummaryRow;
use crate::experiment::compare::DiffRow;

/// Metrics shown for the `all` group, one per line (a metric undefined in
/// this run, such as GACC's figure without general trade, is left out).
const ALL_METRICS: [&str; 22] = [
    "arrived",
    "released",
    "seized",
    "in_system_end",
    "release_time_mean_h",
    "release_time_p50_h",
    "release_time_p90_h",
    "release_time_p99_h",
    "released_within_24h_share",
    "overall_clearance_time_mean_h",
    "overall_clearance_time_p90_h",
    "customs_time_mean_h",
    "other_agency_time_mean_h",
    "trader_time_mean_h",
    "logistics_time_mean_h",
    "throughput_per_day",
    "inspection_rate",
    "hit_rate",
    "leakage",
    "revenue_assessed_yuan",
    "revenue_evaded_yuan",
    "revenue_recovered_yuan",
];

/// A mean as the terminal shows it: whole numbers (counts, one
/// replication's tallies, exact zeros) without decimals; others to four or
/// five significant digits.
fn number(x: f64) -> String {
    let a = x.abs();
    if x.fract() == 0.0 || a >= 1000.0 {
        format!("{x:.0}")
    } else if a >= 10.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}

fn find<'a>(rows: &'a [SummaryRow], group: &str, metric: &str) -> Option<&'a SummaryRow> {
    rows.iter().find(|r| r.group == group && r.metric == metric)
}

/// The mean of a metric, or `-` when undefined.
fn mean(rows: &[SummaryRow], group: &str, metric: &str) -> String {
    find(rows, group, metric)
        .and_then(|r| r.estimate.mean)
        .map_or("-".into(), number)
}

/// `mean ± half-width`, or just the mean with one replication.
fn mean_ci(rows: &[SummaryRow], group: &str, metric: &str) -> String {
    let Some(r) = find(rows, group, metric) else {
        return "-".into();
    };
    match (r.estimate.mean, r.estimate.half_width) {
        (Some(m), Some(h)) => format!("{} ± {}", number(m), number(h)),
        (Some(m), None) => number(m),
        _ => "-".into(),
    }
}

/// Renders the summary table. `title` heads it.
pub fn render(title: &str, rows: &[SummaryRow]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{title}");
    let _ = writeln!(out, "{:<34} {:>14} {:>12}", "all", "mean", "± 95% CI");
    for m in ALL_METRICS {
        let Some(r) = find(rows, "all", m).filter(|r| r.estimate.mean.is_some()) else {
            continue;
        };
        let mean = r.estimate.mean.map_or("-".to_string(), number);
        let hw = r.estimate.half_width.map_or("-".to_string(), number);
        let _ = writeln!(out, "  {m:<32} {mean:>14} {hw:>12}");
    }
    let mut groups: Vec<&str> = Vec::new();
    // Region × mode cells are for the heat map and summary.csv; here they
    // would double the list.
    for r in rows {
        if r.group != "all"
            && !r.group.starts_with("region_mode=")
            && !groups.contains(&r.group.as_str())
        {
            groups.push(&r.group);
        }
    }
    let (resources, cohorts): (Vec<&str>, Vec<&str>) =
        groups.iter().partition(|g| g.starts_with("resource="));
    if !cohorts.is_empty() {
        let _ = writeln!(
            out,
            "\n{:<40} {:>10} {:>18} {:>9} {:>9} {:>9}",
            "group", "arrived", "release mean h", "p90 h", "inspect", "leakage"
        );
        for g in cohorts {
            let _ = writeln!(
                out,
                "{g:<40} {:>10} {:>18} {:>9} {:>9} {:>9}",
                mean(rows, g, "arrived"),
                mean_ci(rows, g, "release_time_mean_h"),
                mean(rows, g, "release_time_p90_h"),
                mean(rows, g, "inspection_rate"),
                mean(rows, g, "leakage"),
            );
        }
    }
    if !resources.is_empty() {
        let _ = writeln!(
            out,
            "\n{:<40} {:>11} {:>18} {:>10}",
            "resource", "utilisation", "wait mean h", "queue"
        );
        for g in resources {
            let _ = writeln!(
                out,
                "{g:<40} {:>11} {:>18} {:>10}",
                mean(rows, g, "utilisation"),
                mean_ci(rows, g, "wait_mean_h"),
                mean(rows, g, "queue_len_mean"),
            );
        }
    }
    out
}

/// Metrics of the `all` group compared across variants.
const COMPARED_METRICS: [&str; 8] = [
    "release_time_mean_h",
    "release_time_p90_h",
    "released_within_24h_share",
    "throughput_per_day",
    "inspections",
    "leakage",
    "revenue_evaded_yuan",
    "officer_hours",
];

/// Renders a comparison: for each headline metric, every variant's mean
/// with its CI and its paired difference from `baseline`, starred where
/// the paired 95% interval excludes zero.
pub fn render_comparison(
    title: &str,
    rows: &[SummaryRow],
    diffs: &[DiffRow],
    baseline: &str,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{title}");
    let _ = writeln!(
        out,
        "group all; differences are paired (common random numbers) against {baseline}; \
         * = the 95% interval excludes 0"
    );
    let mut variants: Vec<&str> = Vec::new();
    for r in rows {
        if !variants.contains(&r.variant.as_str()) {
            variants.push(&r.variant);
        }
    }
    for m in COMPARED_METRICS {
        let _ = writeln!(
            out,
            "\n{m:<40} {:>22} {:>24}",
            "mean ± 95% CI", "difference ± 95% CI"
        );
        for v in &variants {
            let Some(r) = rows
                .iter()
                .find(|r| r.variant == *v && r.group == "all" && r.metric == m)
            else {
                continue;
            };
            let est = match (r.estimate.mean, r.estimate.half_width) {
                (Some(x), Some(h)) => format!("{} ± {}", number(x), number(h)),
                (Some(x), None) => number(x),
                _ => "-".into(),
            };
            let diff = if *v == baseline {
                "(baseline)".to_string()
            } else {
                diffs
                    .iter()
                    .find(|d| d.variant == *v && d.group == "all" && d.metric == m)
                    .and_then(|d| Some((d.paired.mean?, d.paired.half_width)))
                    .map_or("-".into(), |(x, h)| match h {
                        Some(h) => {
                            let star = if x.abs() > h { " *" } else { "  " };
                            format!(
                                "{}{} ± {}{star}",
                                if x >= 0.0 { "+" } else { "" },
                                number(x),
                                number(h)
                            )
                        }
                        None => number(x),
                    })
            };
            let _ = writeln!(out, "  {v:<38} {est:>22} {diff:>24}");
        }
    }
    out
}

/// Renders a sweep: one line per variant with the headline metrics.
pub fn render_sweep(
    title: &str,
    rows: &[SummaryRow],
    variants: &[super::sweep::SweepVariant],
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{title}");
    let width = variants
        .iter()
        .map(|v| v.name.len())
        .max()
        .unwrap_or(7)
        .max(7);
    let _ = writeln!(
        out,
        "{:<width$} {:>18} {:>9} {:>11} {:>9} {:>9} {:>14}",
        "variant", "release mean h", "p90 h", "inspections", "seizures", "leakage", "evaded yuan"
    );
    for v in variants {
        let g = |m: &str| {
            rows.iter()
                .find(|r| r.variant == v.name && r.group == "all" && r.metric == m)
                .and_then(|r| r.estimate.mean)
                .map_or("-".to_string(), number)
        };
        let mean = rows
            .iter()
            .find(|r| r.variant == v.name && r.group == "all" && r.metric == "release_time_mean_h")
            .map_or("-".to_string(), |r| {
                match (r.estimate.mean, r.estimate.half_width) {
                    (Some(m), Some(h)) => format!("{} ± {}", number(m), number(h)),
                    (Some(m), None) => number(m),
                    _ => "-".into(),
                }
            });
        let _ = writeln!(
            out,
            "{:<width$} {mean:>18} {:>9} {:>11} {:>9} {:>9} {:>14}",
            v.name,
            g("release_time_p90_h"),
            g("inspections"),
            g("seizures"),
            g("leakage"),
            g("revenue_evaded_yuan")
        );
    }
    out
}
