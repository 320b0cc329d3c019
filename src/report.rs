//! `report.html`: one self-contained page per run (no network, inline SVG
//! and CSS, no script) with the scenario, its key parameters, the headline
//! table with confidence intervals, every chart with a caption saying what
//! to read from it, and the manifest.
//!
//! Every text that comes from a scenario file or an output file is
//! HTML-escaped: a scenario may be named anything, `<script>` included.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::output::write_atomic;
use crate::plot::Rendered;
use crate::plot::charts::short_label;
use crate::plot::data::RunOutputs;

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Headline metrics: label, metric, decimals.
const HEADLINE: [(&str, &str, usize); 8] = [
    ("mean release [h]", "release_time_mean_h", 2),
    ("p90 release [h]", "release_time_p90_h", 2),
    ("released ≤ 24 h", "released_within_24h_share", 3),
    ("throughput [/day]", "throughput_per_day", 0),
    ("inspections", "inspections", 0),
    ("seizures", "seizures", 1),
    ("leakage", "leakage", 0),
    ("tax evaded [yuan]", "revenue_evaded_yuan", 0),
];

const STYLE: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1d2733;background:#f6f7f9}
main{max-width:1040px;margin:0 auto;padding:24px}
h1{font-size:1.6em;margin:0 0 4px}h2{font-size:1.2em;margin:28px 0 8px;border-bottom:1px solid #d5d9df;padding-bottom:4px}
.sub{color:#5a6673;margin:0 0 16px}
table{border-collapse:collapse;background:#fff;font-size:.9em;margin:8px 0}
th,td{border:1px solid #d5d9df;padding:4px 8px;text-align:right}th{background:#eef1f4}
td:first-child,th:first-child{text-align:left}
.real{font-weight:600}.params td{text-align:left}
figure{background:#fff;border:1px solid #d5d9df;margin:16px 0;padding:8px}
figure svg{width:100%;height:auto;display:block}
figcaption{color:#3a4652;font-size:.92em;padding:6px 4px 2px}
pre{background:#fff;border:1px solid #d5d9df;padding:12px;overflow-x:auto;font-size:.8em}
";

/// A number to `decimals` places, without a minus sign on a zero.
fn fmt(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    match s.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => s,
    }
}

fn cell(out: &RunOutputs, variant: &str, group: &str, metric: &str, decimals: usize) -> String {
    match out.get(variant, group, metric) {
        Some((m, Some(h))) => format!("{} ± {}", fmt(m, decimals), fmt(h, decimals)),
        Some((m, None)) => fmt(m, decimals),
        None => "–".into(),
    }
}

/// The rows of the headline table: (label, variant, group).
fn headline_rows(out: &RunOutputs) -> Vec<(String, String, String)> {
    let variants = &out.manifest.variants;
    if variants.len() > 1 {
        return variants
            .iter()
            .map(|v| (short_label(v), v.clone(), "all".into()))
            .collect();
    }
    let base = variants.first().cloned().unwrap_or_default();
    let mut rows = vec![("all consignments".to_string(), base.clone(), "all".into())];
    for key in ["mode", "channel"] {
        let groups = out.groups(key);
        if groups.len() > 1 {
            rows.extend(groups.into_iter().map(|g| {
                (
                    format!("{key}: {}", short_label(&g)),
                    base.clone(),
                    format!("{key}={g}"),
                )
            }));
        }
    }
    rows
}

fn headline_table(out: &RunOutputs, html: &mut String) {
    html.push_str("<table><tr><th></th>");
    for (label, _, _) in HEADLINE {
        let _ = write!(html, "<th>{}</th>", escape(label));
    }
    html.push_str("</tr>\n");
    for (label, variant, group) in headline_rows(out) {
        let _ = write!(html, "<tr><td>{}</td>", escape(&label));
        for (_, metric, d) in HEADLINE {
            let _ = write!(
                html,
                "<td>{}</td>",
                escape(&cell(out, &variant, &group, metric, d))
            );
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</table>\n");
}

/// Paired differences from the baseline (compare runs): a difference whose
/// interval excludes zero is marked as real.
fn comparison_table(out: &RunOutputs, html: &mut String) {
    let rows: Vec<_> = out
        .comparison
        .iter()
        .filter(|r| r.group == "all" && HEADLINE.iter().any(|(_, m, _)| *m == r.metric))
        .collect();
    let Some(first) = rows.first() else {
        return;
    };
    let _ = write!(
        html,
        "<h2>Differences from {} (paired, common random numbers)</h2>\n<p class=\"sub\">Bold: the 95% interval excludes zero, so the difference is real at this precision. The unpaired half-width shows what common random numbers saved.</p>\n<table><tr><th>mode</th><th>metric</th><th>difference</th><th>paired ± 95%</th><th>unpaired ± 95%</th></tr>\n",
        escape(&short_label(&first.baseline))
    );
    for r in rows {
        let (label, _, d) = HEADLINE
            .iter()
            .find(|(_, m, _)| *m == r.metric)
            .copied()
            .unwrap_or(("", "", 2));
        let real =
            matches!((r.diff_mean, r.diff_ci95_half_width), (Some(m), Some(h)) if m.abs() > h);
        let num = |v: Option<f64>| v.map_or("–".to_string(), |v| fmt(v, d));
        let _ = writeln!(
            html,
            "<tr{}><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            if real { " class=\"real\"" } else { "" },
            escape(&short_label(&r.variant)),
            escape(label),
            num(r.diff_mean),
            num(r.diff_ci95_half_width),
            num(r.unpaired_ci95_half_width)
        );
    }
    html.push_str("</table>\n");
}

/// Strips the XML declaration so the SVG can sit inline in HTML.
fn inline_svg(svg: &str) -> &str {
    match svg.find("<svg") {
        Some(i) => &svg[i..],
        None => svg,
    }
}

/// The page as text.
pub fn render(out: &RunOutputs, charts: &[Rendered]) -> String {
    let m = &out.manifest;
    let mut html = String::new();
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>clearsim: {}</title>\n<style>{STYLE}</style>\n</head>\n<body><main>\n<h1>{}</h1>\n<p class=\"sub\">{}</p>\n",
        escape(&m.scenario.name),
        escape(&m.scenario.name),
        escape(&m.scenario.description)
    );
    html.push_str("<h2>Scenario and run</h2>\n<table class=\"params\">\n");
    let mut row = |k: &str, v: String| {
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td></tr>",
            escape(k),
            escape(&v)
        );
    };
    row("scenario file", m.scenario.file.clone());
    row("command", m.command_line.join(" "));
    row("seed", m.run.seed.to_string());
    row("replications", m.run.replications.to_string());
    row(
        "horizon, warm-up",
        format!("{} h, {} h", m.run.horizon_h, m.run.warmup_h),
    );
    row(
        "consignments simulated",
        m.run.consignments_simulated.to_string(),
    );
    row("variants", m.variants.join(", "));
    for p in &m.parameters {
        row(&p.name, p.value.clone());
    }
    html.push_str(
        "</table>\n<h2>Headline results (mean ± 95% half-width across replications)</h2>\n",
    );
    headline_table(out, &mut html);
    comparison_table(out, &mut html);
    if !charts.is_empty() {
        html.push_str("<h2>Charts</h2>\n");
    }
    for r in charts {
        let _ = write!(
            html,
            "<figure id=\"{}\">\n{}\n<figcaption><b>{}.</b> {}</figcaption>\n</figure>\n",
            escape(r.chart.name),
            inline_svg(&r.svg),
            escape(&r.chart.title),
            escape(&r.chart.caption)
        );
    }
    let _ = write!(
        html,
        "<h2>Manifest</h2>\n<pre>{}</pre>\n<p class=\"sub\">Output directory: {}; the charts are also in its plots/ folder as SVG and PNG.</p>\n</main></body>\n</html>\n",
        escape(&out.manifest_text),
        escape(&out.dir.display().to_string())
    );
    html
}

/// Writes `report.html` into `into` (the run's folder, or the folder being
/// staged for it) and returns its path in the run's folder.
pub fn write_report(out: &RunOutputs, charts: &[Rendered], into: &Path) -> anyhow::Result<PathBuf> {
    write_atomic(&into.join("report.html"), render(out, charts).as_bytes())?;
    Ok(out.dir.join("report.html"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<script>alert('x & \"y\"')</script>"),
            "&lt;script&gt;alert(&#39;x &amp; &quot;y&quot;&#39;)&lt;/script&gt;"
        );
    }

    #[test]
    fn zero_has_no_sign() {
        assert_eq!(fmt(-0.0004, 2), "0.00");
        assert_eq!(fmt(-0.2, 0), "0");
        assert_eq!(fmt(-1.5, 1), "-1.5");
    }

    #[test]
    fn inline_svg_drops_the_xml_declaration() {
        assert_eq!(
            inline_svg("<?xml version=\"1.0\"?>\n<svg a=\"1\"/>"),
            "<svg a=\"1\"/>"
        );
    }
}
