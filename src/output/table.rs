//! The short, readable summary printed to the terminal after a run: the
//! headline metrics of each group with their 95% confidence half-widths.
//! The CSV files hold everything; this is what a person reads first.

use std::fmt::Write;

use crate::experiment::SummaryRow;

/// Metrics shown for consignment groups (`all`, `stream=...`).
const CONSIGNMENT_METRICS: [&str; 10] = [
    "arrived",
    "released",
    "seized",
    "in_system_end",
    "release_time_mean_h",
    "release_time_p50_h",
    "release_time_p90_h",
    "release_time_p99_h",
    "released_within_24h_share",
    "throughput_per_day",
];
/// Metrics shown for `resource=...` groups.
const RESOURCE_METRICS: [&str; 3] = ["utilisation", "wait_mean_h", "queue_len_mean"];

fn number(x: f64) -> String {
    let a = x.abs();
    if a >= 1000.0 {
        format!("{x:.0}")
    } else if a >= 10.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}

/// Renders the summary table. `title` heads it.
pub fn render(title: &str, rows: &[SummaryRow]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{title}");
    let _ = writeln!(
        out,
        "{:<34} {:>14} {:>12}",
        "group / metric", "mean", "± 95% CI"
    );
    let mut groups: Vec<&str> = Vec::new();
    for r in rows {
        if !groups.contains(&r.group.as_str()) {
            groups.push(&r.group);
        }
    }
    for g in groups {
        let wanted: &[&str] = if g.starts_with("resource=") {
            &RESOURCE_METRICS
        } else {
            &CONSIGNMENT_METRICS
        };
        let _ = writeln!(out, "{g}");
        for m in wanted {
            let Some(r) = rows.iter().find(|r| r.group == g && r.metric == *m) else {
                continue;
            };
            let mean = r.estimate.mean.map_or("-".to_string(), number);
            let hw = r.estimate.half_width.map_or("-".to_string(), number);
            let _ = writeln!(out, "  {m:<32} {mean:>14} {hw:>12}");
        }
    }
    out
}
