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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Estimate;

    fn row(
        variant: &str,
        group: &str,
        metric: &'static str,
        mean: Option<f64>,
        half_width: Option<f64>,
    ) -> SummaryRow {
        SummaryRow::estimated(variant, group, metric, mean, half_width, 5)
    }

    fn diff(group: &str, metric: &'static str, mean: Option<f64>, hw: Option<f64>) -> DiffRow {
        DiffRow {
            variant: "fast".into(),
            baseline: "base".into(),
            group: group.into(),
            metric,
            paired: Estimate {
                mean,
                half_width: hw,
                n: 5,
            },
            unpaired_half_width: None,
        }
    }

    /// The table's lines with runs of spaces (the column padding) folded
    /// to one: what the tests check is which number goes in which column.
    fn words(table: &str) -> Vec<String> {
        table
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    }

    /// The terminal's number format: whole numbers, and anything of 1000
    /// or more, without decimals; two decimals from 10 up; three below.
    #[test]
    fn a_number_keeps_four_or_five_significant_digits() {
        for (x, shown) in [
            (3.0, "3"),
            (-40.0, "-40"),
            (0.0, "0"),
            (1000.25, "1000"),
            (-1500.75, "-1501"),
            (999.75, "999.75"),
            (10.25, "10.25"),
            (-12.25, "-12.25"),
            (9.75, "9.750"),
            (0.125, "0.125"),
            (-0.5, "-0.500"),
        ] {
            assert_eq!(number(x), shown, "{x}");
        }
    }

    /// Which row's mean and half-width each line of the summary shows:
    /// `all` metrics in their fixed order (undefined ones left out), then
    /// the cohorts and the resources, each once, region × mode cells not.
    #[test]
    fn the_summary_shows_each_groups_own_numbers() {
        let rows = [
            row("base", "all", "leakage", None, None),
            row(
                "base",
                "region_mode=north×paperless",
                "arrived",
                Some(7.0),
                None,
            ),
            row("base", "all", "release_time_mean_h", Some(12.5), Some(0.25)),
            row("base", "all", "arrived", Some(1200.0), Some(35.5)),
            row("base", "all", "hit_rate", Some(0.125), None),
            row("base", "mode=paperless", "arrived", Some(600.0), Some(20.0)),
            row(
                "base",
                "mode=paperless",
                "release_time_mean_h",
                Some(10.5),
                Some(0.75),
            ),
            row(
                "base",
                "resource=officers",
                "utilisation",
                Some(0.875),
                Some(0.01),
            ),
            row(
                "base",
                "resource=officers",
                "wait_mean_h",
                Some(1.5),
                Some(0.125),
            ),
            row("base", "mode=paper", "arrived", Some(600.0), None),
            row("base", "mode=paper", "release_time_mean_h", Some(9.5), None),
        ];
        assert_eq!(
            words(&render("Title", &rows)),
            [
                "Title",
                "all mean ± 95% CI",
                "arrived 1200 35.50",
                "release_time_mean_h 12.50 0.250",
                "hit_rate 0.125 -",
                "",
                "group arrived release mean h p90 h inspect leakage",
                "mode=paperless 600 10.50 ± 0.750 - - -",
                "mode=paper 600 9.500 - - -",
                "",
                "resource utilisation wait mean h queue",
                "resource=officers 0.875 1.500 ± 0.125 -",
            ]
        );
    }

    /// Each variant's `all` estimate and its paired difference from the
    /// baseline, starred exactly when |difference| > half-width.
    #[test]
    fn the_comparison_shows_each_variants_own_difference() {
        let rows = [
            row(
                "base",
                "mode=a",
                "release_time_mean_h",
                Some(50.0),
                Some(5.0),
            ),
            row("base", "all", "release_time_mean_h", Some(12.5), Some(0.5)),
            row("base", "all", "release_time_p90_h", Some(30.0), None),
            row("base", "all", "throughput_per_day", Some(400.0), Some(2.5)),
            row("base", "all", "leakage", None, None),
            row(
                "fast",
                "mode=a",
                "release_time_mean_h",
                Some(40.0),
                Some(4.0),
            ),
            row("fast", "all", "release_time_mean_h", Some(10.5), Some(0.25)),
            row("fast", "all", "release_time_p90_h", Some(29.5), None),
            row("fast", "all", "throughput_per_day", Some(401.0), Some(2.5)),
            row("fast", "all", "leakage", Some(0.375), Some(0.001)),
            row("fast", "all", "inspections", Some(100.0), Some(3.0)),
        ];
        let diffs = [
            diff("mode=a", "release_time_mean_h", Some(-10.0), Some(1.0)),
            diff("all", "release_time_mean_h", Some(-2.5), Some(0.5)),
            diff("all", "release_time_p90_h", Some(-0.5), None),
            // |difference| equal to the half-width: not starred.
            diff("all", "throughput_per_day", Some(1.0), Some(1.0)),
            diff("all", "leakage", Some(0.25), Some(0.5)),
            diff("all", "inspections", None, None),
        ];
        let head = "mean ± 95% CI difference ± 95% CI";
        assert_eq!(
            words(&render_comparison("Title", &rows, &diffs, "base")),
            [
                "Title".to_string(),
                "group all; differences are paired (common random numbers) against base; \
                 * = the 95% interval excludes 0"
                    .into(),
                "".into(),
                format!("release_time_mean_h {head}"),
                "base 12.50 ± 0.500 (baseline)".into(),
                "fast 10.50 ± 0.250 -2.500 ± 0.500 *".into(),
                "".into(),
                format!("release_time_p90_h {head}"),
                "base 30 (baseline)".into(),
                "fast 29.50 -0.500".into(),
                "".into(),
                format!("released_within_24h_share {head}"),
                "".into(),
                format!("throughput_per_day {head}"),
                "base 400 ± 2.500 (baseline)".into(),
                "fast 401 ± 2.500 +1 ± 1".into(),
                "".into(),
                format!("inspections {head}"),
                "fast 100 ± 3 -".into(),
                "".into(),
                format!("leakage {head}"),
                "base - (baseline)".into(),
                "fast 0.375 ± 0.001 +0.250 ± 0.500".into(),
                "".into(),
                format!("revenue_evaded_yuan {head}"),
                "".into(),
                format!("officer_hours {head}"),
            ]
        );
    }

    /// One line per variant, in the order given, with that variant's own
    /// `all` numbers.
    #[test]
    fn the_sweep_shows_each_variants_own_numbers() {
        let rows = [
            row("low", "mode=a", "release_time_mean_h", Some(99.0), None),
            row("low", "all", "release_time_mean_h", Some(12.5), Some(0.5)),
            row("low", "all", "release_time_p90_h", Some(30.0), Some(1.0)),
            row("low", "all", "inspections", Some(120.0), None),
            row("low", "mode=a", "seizures", Some(77.0), None),
            row("low", "all", "seizures", Some(6.0), None),
            row(
                "high_intensity",
                "all",
                "release_time_mean_h",
                Some(14.0),
                None,
            ),
            row(
                "high_intensity",
                "all",
                "release_time_p90_h",
                Some(35.0),
                Some(2.0),
            ),
            row("high_intensity", "all", "leakage", Some(0.125), None),
        ];
        let variants = [
            crate::output::sweep::SweepVariant {
                name: "low".into(),
                values: vec!["0.1".into()],
            },
            crate::output::sweep::SweepVariant {
                name: "high_intensity".into(),
                values: vec!["0.9".into()],
            },
        ];
        assert_eq!(
            words(&render_sweep("Title", &rows, &variants)),
            [
                "Title",
                "variant release mean h p90 h inspections seizures leakage evaded yuan",
                "low 12.50 ± 0.500 30 120 6 - -",
                "high_intensity 14 35 - - 0.125 -",
            ]
        );
    }
}
