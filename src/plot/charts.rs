//! Which charts a run gets, and their data, chosen from its outputs.
//!
//! "Modes" are the compared variants in a `compare` run, or the `mode=`
//! groups of a plain run (each stream clears under its own mode).

use super::data::{RunOutputs, Table};

/// A named curve of (x, y) points.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Curve {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    /// The 95% half-width of each point, drawn as a shaded band around the
    /// line; empty when the curve has none.
    pub half_widths: Vec<f64>,
}

impl Curve {
    pub fn new(name: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Self {
            name: name.into(),
            points,
            half_widths: Vec::new(),
        }
    }
}

/// A point of a tradeoff curve, with 95% half-widths on both axes and the
/// setting it was measured at.
#[derive(Clone, Debug, PartialEq)]
pub struct TradePoint {
    pub x: f64,
    pub x_half_width: Option<f64>,
    pub y: f64,
    pub y_half_width: Option<f64>,
    pub label: String,
}

/// A named tradeoff curve: its points in order of the setting.
#[derive(Clone, Debug, PartialEq)]
pub struct Tradeoff {
    pub name: String,
    pub points: Vec<TradePoint>,
}

/// A bar with its 95% half-width.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub half_width: Option<f64>,
}

/// One bar of a waterfall.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub label: String,
    pub from: f64,
    pub to: f64,
    pub half_width: Option<f64>,
    /// A level (the start and the end), not a change.
    pub level: bool,
}

/// What a chart shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Figure {
    /// Lines on a log-x axis: release time `[h]` against P(T <= t).
    Cdf { curves: Vec<Curve> },
    /// Bars with error bars.
    Bars { y_label: String, bars: Vec<Bar> },
    /// Stacked bars: one per category, one layer per segment.
    Stacked {
        y_label: String,
        categories: Vec<String>,
        segments: Vec<String>,
        /// `values[category][segment]`.
        values: Vec<Vec<f64>>,
    },
    /// Panels sharing the x axis, each with its curves, and named x
    /// intervals shaded behind them.
    Panels {
        x_label: String,
        panels: Vec<(String, Vec<Curve>)>,
        bands: Vec<(String, f64, f64)>,
        /// Named x positions marked by a labelled vertical line (the
        /// capacity a plan chose).
        marks: Vec<(String, f64)>,
    },
    /// A waterfall: a starting level, steps up or down from it, and the
    /// level reached; each bar spans `from` → `to`, its interval around
    /// `to`.
    Waterfall { y_label: String, bars: Vec<Step> },
    /// One metric against another, each point with intervals on both axes
    /// and labelled with its setting: the price of one outcome in the other.
    Tradeoff {
        x_label: String,
        y_label: String,
        /// What the point labels are values of.
        point_label: String,
        curves: Vec<Tradeoff>,
    },
    /// A grid of values, coloured, with a colour bar; `None` for an empty
    /// cell.
    Heat {
        x_label: String,
        y_label: String,
        columns: Vec<String>,
        rows: Vec<String>,
        values: Vec<Vec<Option<f64>>>,
        unit: String,
        /// What the values are, with their unit: the colour bar's label.
        value_label: String,
    },
}

/// One chart: file stem, title, the one line that says what to read from
/// it, and its figure.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    pub name: &'static str,
    pub title: String,
    pub caption: String,
    pub figure: Figure,
}

/// A compact label for a clearance mode (axis space is short).
pub fn short_label(name: &str) -> String {
    match name {
        "port_clearance" => "port clearance".into(),
        "territorial_declaration_port_release" => "terr. decl. + port release".into(),
        "territorial_declaration_release" => "terr. decl. + release".into(),
        "customs_transit" => "customs transit".into(),
        "regional_integration" => "regional integration".into(),
        other => other.to_string(),
    }
}

/// What a run's per-category charts compare: the clearance modes (the
/// variants of a `compare`, or the `mode=` groups of a run whose streams
/// use several), else the channels, else everything together; nothing for
/// a sweep.
struct Categories {
    /// "clearance mode", "channel", "all consignments" or "sweep".
    kind: &'static str,
    /// (label, variant, group) to look up in the outputs.
    entries: Vec<(String, String, String)>,
}

fn categories(out: &RunOutputs) -> Categories {
    if out.variants_are_modes() {
        let entries = out
            .manifest
            .variants
            .iter()
            .map(|v| (short_label(v), v.clone(), "all".to_string()))
            .collect();
        return Categories {
            kind: "clearance mode",
            entries,
        };
    }
    if out.is_sweep() {
        // Its variants are settings, read in sweep.csv and the frontier;
        // per-category bars of one of them would mislead.
        return Categories {
            kind: "sweep",
            entries: Vec::new(),
        };
    }
    let base = out.manifest.variants.first().cloned().unwrap_or_default();
    for (key, kind) in [("mode", "clearance mode"), ("channel", "channel")] {
        let groups = out.groups(key);
        if groups.len() > 1 {
            let entries = groups
                .into_iter()
                .map(|g| (short_label(&g), base.clone(), format!("{key}={g}")))
                .collect();
            return Categories { kind, entries };
        }
    }
    Categories {
        kind: "all consignments",
        entries: vec![("all".into(), base, "all".into())],
    }
}

/// " by clearance mode", " by channel", or nothing.
fn by(c: &Categories) -> String {
    match c.kind {
        "all consignments" => String::new(),
        kind => format!(" by {kind}"),
    }
}

/// Every chart the outputs support, in report order.
pub fn charts(out: &RunOutputs) -> Vec<Chart> {
    [
        release_cdf(out),
        throughput(out),
        trs_segments(out),
        busiest_resources(out),
        frontier(out),
        sweep_curves(out),
        plan_chart(out),
        heat_map(out),
        waterfall(out),
    ]
    .into_iter()
    .flatten()
    .chain(sweep_heat_maps(out))
    .collect()
}

fn release_cdf(out: &RunOutputs) -> Option<Chart> {
    let cats = categories(out);
    let curves: Vec<Curve> = cats
        .entries
        .iter()
        .map(|(label, variant, group)| {
            Curve::new(
                label.clone(),
                out.quantiles
                    .iter()
                    .filter(|q| &q.variant == variant && &q.group == group)
                    .filter_map(|q| q.release_time_h.map(|t| (t, q.p)))
                    .collect(),
            )
        })
        .filter(|c| !c.points.is_empty())
        .collect();
    (!curves.is_empty()).then(|| Chart {
        name: "release_time_cdf",
        title: format!("Release time distribution{}", by(&cats)),
        caption: "Share of consignments released within a given time (log scale): \
                  the further left and higher a curve, the faster the release; the \
                  right tail is the slow, inspected minority."
            .into(),
        figure: Figure::Cdf { curves },
    })
}

fn throughput(out: &RunOutputs) -> Option<Chart> {
    let cats = categories(out);
    let bars: Vec<Bar> = cats
        .entries
        .iter()
        .filter_map(|(label, variant, group)| {
            let (value, half_width) = out.get(variant, group, "throughput_per_day")?;
            Some(Bar {
                label: label.clone(),
                value,
                half_width,
            })
        })
        .collect();
    (!bars.is_empty()).then(|| Chart {
        name: "throughput",
        title: format!("Throughput{}", by(&cats)),
        caption: "Consignments released per day, with 95% confidence intervals: \
                  bars whose intervals overlap are not shown to differ."
            .into(),
        figure: Figure::Bars {
            y_label: "releases per day".into(),
            bars,
        },
    })
}

fn trs_segments(out: &RunOutputs) -> Option<Chart> {
    const PARTIES: [(&str, &str); 4] = [
        ("customs_time_mean_h", "customs"),
        ("other_agency_time_mean_h", "other agencies"),
        ("trader_time_mean_h", "trader"),
        ("logistics_time_mean_h", "port and logistics"),
    ];
    let cats = categories(out);
    let mut labels = Vec::new();
    let mut values = Vec::new();
    for (label, variant, group) in &cats.entries {
        let v: Vec<f64> = PARTIES
            .iter()
            .map(|(m, _)| out.get(variant, group, m).map_or(0.0, |(x, _)| x))
            .collect();
        if v.iter().any(|x| *x > 0.0) {
            labels.push(label.clone());
            values.push(v);
        }
    }
    (!labels.is_empty()).then(|| Chart {
        name: "trs_segments",
        title: format!("Time Release Study: who holds the goods up{}", by(&cats)),
        caption: "Mean hours from arrival to leaving customs control, split by the \
                  party responsible (customs, other agencies, the trader, the port \
                  and logistics): where each mode spends its time."
            .into(),
        figure: Figure::Stacked {
            y_label: "mean time [h]".into(),
            categories: labels,
            segments: PARTIES.iter().map(|(_, s)| s.to_string()).collect(),
            values,
        },
    })
}

/// A reform ladder's waterfall (`ladder.csv`): the base level, each
/// reform's step in ladder order with its paired interval, the level
/// reached.
fn waterfall(out: &RunOutputs) -> Option<Chart> {
    let t = out.ladder.as_ref()?;
    let col = |name: &str| t.column(name);
    let (reform, date, level, step, step_hw, metric, group) = (
        col("reform")?,
        col("date")?,
        col("level_mean")?,
        col("step_mean")?,
        col("step_ci95_half_width")?,
        col("metric")?,
        col("group")?,
    );
    let num = |row: &Vec<String>, i: usize| row.get(i).and_then(|v| v.parse::<f64>().ok());
    // The first metric's rungs (a ladder may attribute several).
    let rows: Vec<&Vec<String>> = t
        .rows
        .iter()
        .filter(|r| r.get(metric) == t.rows.first().and_then(|f| f.get(metric)))
        .collect();
    let first = *rows.first()?;
    let mut at = num(first, level)?;
    let mut bars = vec![Step {
        label: "base".into(),
        from: 0.0,
        to: at,
        half_width: num(first, col("level_ci95_half_width")?),
        level: true,
    }];
    for row in &rows[1..] {
        let d = num(row, step)?;
        bars.push(Step {
            label: format!("{} {}", row[date], short_label(&row[reform])),
            from: at,
            to: at + d,
            half_width: num(row, step_hw),
            level: false,
        });
        at += d;
    }
    let last = *rows.last()?;
    bars.push(Step {
        label: "reached".into(),
        from: 0.0,
        to: num(last, level)?,
        half_width: num(last, col("level_ci95_half_width")?),
        level: true,
    });
    Some(Chart {
        name: "ladder_waterfall",
        title: format!("Reform ladder: {} ({})", first[metric], first[group]),
        caption: "Each reform's change of the metric, applied in the order they took \
                  effect, with paired 95% intervals (common random numbers); \
                  ladder.csv also gives each reform's Shapley contribution, averaged \
                  over every order."
            .into(),
        figure: Figure::Waterfall {
            y_label: first[metric].clone(),
            bars,
        },
    })
}

type Points = Vec<(f64, f64)>;

/// Resources shown in the time-series chart.
const BUSIEST: usize = 4;

fn busiest_resources(out: &RunOutputs) -> Option<Chart> {
    let variant = out.manifest.variants.first()?;
    let mut ranked: Vec<(String, f64)> = out
        .groups("resource")
        .into_iter()
        .filter_map(|r| {
            let (u, _) = out.get(variant, &format!("resource={r}"), "utilisation")?;
            Some((r, u))
        })
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.truncate(BUSIEST);
    let series = |resource: &str, metric: &str| -> Vec<(f64, f64)> {
        out.series
            .iter()
            .filter(|s| &s.variant == variant && s.resource == resource && s.metric == metric)
            .filter_map(|s| s.mean.map(|m| (s.time_h / 24.0, m)))
            .collect()
    };
    let panel = |title: &str, metric: &str, shape: fn(Points) -> Points| {
        let curves: Vec<Curve> = ranked
            .iter()
            .map(|(r, _)| Curve::new(r.as_str(), shape(series(r, metric))))
            .filter(|c| !c.points.is_empty())
            .collect();
        (title.to_string(), curves)
    };
    let panels = vec![
        panel("mean queue length", "queue_len", |p| p),
        panel(
            "share of servers busy (daily mean)",
            "busy_share",
            daily_steps,
        ),
    ];
    if panels.iter().all(|(_, c)| c.is_empty()) {
        return None;
    }
    let whose = if out.manifest.variants.len() > 1 {
        format!(" ({})", short_label(variant))
    } else {
        String::new()
    };
    Some(Chart {
        name: "busiest_resources",
        title: format!("Queues and utilisation of the busiest resources{whose}"),
        caption: if out.manifest.peaks.is_empty() {
            "Queue length and utilisation over the run for the most utilised resources \
             (utilisation as a daily mean, closed hours counting as idle)."
                .into()
        } else {
            "Queue length and utilisation over the run for the most utilised \
             resources: the peaks (shaded) show as queues building faster than \
             the staff can clear them, and staff busy through it (utilisation as a \
             daily mean, closed hours counting as idle)."
                .into()
        },
        figure: Figure::Panels {
            x_label: "time [days]".into(),
            panels,
            bands: out
                .manifest
                .peaks
                .iter()
                .map(|p| (p.name.clone(), p.from_h / 24.0, p.until_h / 24.0))
                .collect(),
            marks: Vec::new(),
        },
    })
}

/// A series of `(day, value)` bins as the mean of each whole day, drawn as
/// a step (flat across its day). Servers work shifts, so the bins swing
/// between idle nights and busy days; the daily mean shows what changes
/// from day to day (a peak keeping staff busy) without the zig-zag.
pub fn daily_steps(points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    let mut days: Vec<(f64, f64, u32)> = Vec::new();
    for (t, v) in points {
        let day = t.floor();
        match days.last_mut() {
            Some((d, sum, n)) if *d == day => {
                *sum += v;
                *n += 1;
            }
            _ => days.push((day, v, 1)),
        }
    }
    days.into_iter()
        .flat_map(|(d, sum, n)| {
            let mean = sum / f64::from(n);
            [(d, mean), (d + 1.0, mean)]
        })
        .collect()
}

/// The inspection-intensity frontier as the tradeoff itself: leakage
/// against p90 release time, one curve per targeting (and per value of any
/// other swept setting), each point a rate with 95% intervals both ways.
fn frontier(out: &RunOutputs) -> Option<Chart> {
    let t = out.frontier.as_ref()?;
    let first_metric = t.column("release_time_p90_h")?;
    let params: Vec<usize> = (1..first_metric).collect();
    let rate = params
        .iter()
        .copied()
        .find(|&c| t.header[c].ends_with("inspection_rate"))
        .or_else(|| {
            params
                .iter()
                .copied()
                .find(|&c| !t.header[c].ends_with("targeting"))
        })?;
    let cell = |row: &[String], name: &str| -> Option<f64> {
        row.get(t.column(name)?).and_then(|v| v.parse::<f64>().ok())
    };
    let mut curves: Vec<Tradeoff> = Vec::new();
    for row in &t.rows {
        let (Some(x), Some(y), Some(r)) = (
            cell(row, "release_time_p90_h"),
            cell(row, "leakage"),
            row[rate].parse::<f64>().ok(),
        ) else {
            continue;
        };
        let name = params
            .iter()
            .filter(|&&c| c != rate)
            .map(|&c| row[c].as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let point = TradePoint {
            x,
            x_half_width: cell(row, "release_time_p90_h_ci95"),
            y,
            y_half_width: cell(row, "leakage_ci95"),
            label: crate::plot::draw::format_tick(r),
        };
        match curves.iter_mut().find(|c| c.name == name) {
            Some(c) => c.points.push(point),
            None => curves.push(Tradeoff {
                name,
                points: vec![point],
            }),
        }
    }
    (!curves.is_empty()).then(|| Chart {
        name: "frontier",
        title: "Inspection-intensity frontier: leakage against release time".into(),
        caption: format!(
            "Each point is an inspection rate ({}, labelled) with 95% intervals on \
             both axes: moving along a curve trades slower release for less leakage; \
             a curve below and to the left of another is the better targeting.",
            t.header[rate]
        ),
        figure: Figure::Tradeoff {
            x_label: "p90 release time [h]".into(),
            y_label: "leakage [non-compliant released]".into(),
            point_label: t.header[rate].clone(),
            curves,
        },
    })
}

/// One titled panel per `(metric, title)` that the table has, each with
/// [`curves_against`] `x_col`.
fn panels_against(
    t: &Table,
    params: &[usize],
    x_col: usize,
    metrics: &[(&str, &str)],
) -> Vec<(String, Vec<Curve>)> {
    metrics
        .iter()
        .filter_map(|(metric, title)| {
            Some((title.to_string(), curves_against(t, params, x_col, metric)?))
        })
        .collect()
}

/// One curve of `metric` against column `x_col` of a wide table for each
/// combination of the other parameter columns `params` (rows whose x or
/// value is not a number are left out).
fn curves_against(t: &Table, params: &[usize], x_col: usize, metric: &str) -> Option<Vec<Curve>> {
    let m = t.column(metric)?;
    let hw = t.column(&format!("{metric}_ci95"));
    let number = |s: &str| s.parse::<f64>().ok();
    let mut curves: Vec<Curve> = Vec::new();
    for row in &t.rows {
        let key: Vec<String> = params
            .iter()
            .filter(|&&c| c != x_col)
            .map(|&c| row[c].clone())
            .collect();
        let name = key.join(", ");
        let (Some(x), Some(y)) = (number(&row[x_col]), number(&row[m])) else {
            continue;
        };
        // A missing interval (one replication) is a band of no width.
        let h = hw.and_then(|k| number(&row[k])).unwrap_or(0.0);
        match curves.iter_mut().find(|c| c.name == name) {
            Some(c) => {
                c.points.push((x, y));
                c.half_widths.push(h);
            }
            None => curves.push(Curve {
                name,
                points: vec![(x, y)],
                half_widths: vec![h],
            }),
        }
    }
    for c in &mut curves {
        let mut both: Vec<((f64, f64), f64)> = c
            .points
            .iter()
            .copied()
            .zip(c.half_widths.iter().copied())
            .collect();
        both.sort_by(|a, b| a.0.0.total_cmp(&b.0.0));
        (c.points, c.half_widths) = both.into_iter().unzip();
        if c.half_widths.iter().all(|h| *h == 0.0) {
            c.half_widths.clear();
        }
    }
    Some(curves)
}

/// A capacity plan: the metric's mean with its 95% interval (shaded) and
/// the upper end of that interval at each capacity tried, the target, and
/// the chosen capacity marked; the plan's answer is the smallest capacity
/// whose upper end is within the target.
fn plan_chart(out: &RunOutputs) -> Option<Chart> {
    let t = out.plan.as_ref()?;
    let col = |name: &str| t.column(name);
    let (cap, mean, half_width, upper, target, met) = (
        col("capacity")?,
        col("mean")?,
        col("ci95_half_width")?,
        col("upper_bound")?,
        col("target")?,
        col("meets_target")?,
    );
    let number = |s: &str| s.parse::<f64>().ok();
    let series = |c: usize| -> Vec<(f64, f64)> {
        t.rows
            .iter()
            .filter_map(|r| Some((number(&r[cap])?, number(&r[c])?)))
            .collect()
    };
    let first = t.rows.first()?;
    let metric = first[col("metric")?].clone();
    let group = first[col("group")?].clone();
    let chosen = t
        .rows
        .iter()
        .filter(|r| r[met] == "true")
        .filter_map(|r| number(&r[cap]))
        .reduce(f64::min);
    // The mean with its interval as a band (a capacity of one replication
    // has none: a band of no width there).
    let with_band: Vec<(f64, f64, f64)> = t
        .rows
        .iter()
        .filter_map(|r| {
            let h = number(&r[half_width]).unwrap_or(0.0);
            Some((number(&r[cap])?, number(&r[mean])?, h))
        })
        .collect();
    let mut mean_curve = Curve::new(
        "mean, 95% interval shaded",
        with_band.iter().map(|&(x, y, _)| (x, y)).collect(),
    );
    if with_band.iter().any(|p| p.2 > 0.0) {
        mean_curve.half_widths = with_band.iter().map(|p| p.2).collect();
    }
    let mut curves = vec![
        mean_curve,
        Curve::new("upper end of the 95% interval", series(upper)),
        Curve::new("target", series(target)),
    ];
    curves.retain(|c| !c.points.is_empty());
    let answer = match chosen {
        Some(c) => format!("the smallest capacity meeting it is {c} (marked)"),
        None => "no capacity tried meets it".into(),
    };
    Some(Chart {
        name: "plan",
        title: format!("{metric} ({group}) against capacity"),
        caption: format!(
            "Each capacity tried, judged by the upper end of its 95% interval \
             against the target: {answer}."
        ),
        figure: Figure::Panels {
            x_label: "capacity [servers]".into(),
            panels: vec![(metric, curves)],
            bands: Vec::new(),
            marks: chosen
                .map(|c| (format!("chosen: {}", super::draw::format_tick(c)), c))
                .into_iter()
                .collect(),
        },
    })
}

/// A sweep of anything but the inspection rate (which the frontier draws):
/// the headline metrics against the first numeric swept parameter, one
/// curve per value of the others.
fn sweep_curves(out: &RunOutputs) -> Option<Chart> {
    if out.frontier.is_some() {
        return None;
    }
    let t = out.sweep.as_ref()?;
    let first_metric = t.column("arrived")?;
    let params: Vec<usize> = (1..first_metric).collect();
    let numeric = |c: usize| {
        let xs: Vec<f64> = t.rows.iter().filter_map(|r| r[c].parse().ok()).collect();
        xs.len() == t.rows.len() && xs.iter().any(|x| *x != xs[0])
    };
    let x_col = params.iter().copied().find(|&c| numeric(c))?;
    let panels = panels_against(
        t,
        &params,
        x_col,
        &[
            ("release_time_mean_h", "mean release time [h]"),
            ("release_time_p90_h", "p90 release time [h]"),
            ("leakage", "leakage [non-compliant released]"),
            ("throughput_per_day", "throughput [per day]"),
        ],
    );
    (!panels.is_empty()).then(|| Chart {
        name: "sweep",
        title: format!("Headline metrics against {}", t.header[x_col]),
        caption: format!(
            "Each variant's mean over its replications with its 95% interval \
             (shaded), against {}{}.",
            t.header[x_col],
            if params.len() > 1 {
                ", one curve per value of the other swept settings"
            } else {
                ""
            }
        ),
        figure: Figure::Panels {
            x_label: t.header[x_col].clone(),
            panels,
            bands: Vec::new(),
            marks: Vec::new(),
        },
    })
}

/// The headline metrics a two-parameter sweep draws as heat maps: column in
/// `sweep.csv`, chart name, what the values are, their unit in a cell.
const SWEEP_HEAT: [(&str, &str, &str, &str); 4] = [
    (
        "release_time_mean_h",
        "sweep_heat_release_time_mean_h",
        "mean release time [h]",
        "h",
    ),
    (
        "release_time_p90_h",
        "sweep_heat_release_time_p90_h",
        "p90 release time [h]",
        "h",
    ),
    (
        "leakage",
        "sweep_heat_leakage",
        "leakage [non-compliant released]",
        "",
    ),
    (
        "throughput_per_day",
        "sweep_heat_throughput_per_day",
        "throughput [per day]",
        "/d",
    ),
];

/// A sweep over a grid of two numeric parameters: each headline metric as
/// a heat map, the first parameter across, the second down (with the
/// values of any other swept setting, such as the targeting a rate sweep
/// adds, beside it: one row per combination).
fn sweep_heat_maps(out: &RunOutputs) -> Vec<Chart> {
    let Some(t) = out.sweep.as_ref() else {
        return Vec::new();
    };
    let Some(first_metric) = t.column("arrived") else {
        return Vec::new();
    };
    let params: Vec<usize> = (1..first_metric).collect();
    // Numeric and varying: an axis of the grid.
    let axis = |c: usize| {
        let xs: Vec<f64> = t.rows.iter().filter_map(|r| r[c].parse().ok()).collect();
        xs.len() == t.rows.len() && xs.iter().any(|x| *x != xs[0])
    };
    let axes: Vec<usize> = params.iter().copied().filter(|&c| axis(c)).collect();
    let [x_col, y_col] = axes[..] else {
        return Vec::new();
    };
    // Other settings that vary (a setting of one value names no row).
    let others: Vec<usize> = params
        .iter()
        .copied()
        .filter(|&c| c != x_col && c != y_col)
        .filter(|&c| t.rows.iter().any(|r| r[c] != t.rows[0][c]))
        .collect();
    let number = |s: &str| s.parse::<f64>().unwrap_or(f64::NAN);
    let sorted_values = |key: &dyn Fn(&Vec<String>) -> (f64, String)| {
        let mut v: Vec<(f64, String)> = t.rows.iter().map(key).collect();
        v.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        v.dedup();
        v.into_iter().map(|(_, s)| s).collect::<Vec<String>>()
    };
    let columns = sorted_values(&|r| (number(&r[x_col]), r[x_col].clone()));
    let row_of = |r: &Vec<String>| -> String {
        std::iter::once(r[y_col].as_str())
            .chain(others.iter().map(|&c| r[c].as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Rising from the bottom, as on a y axis (the first row is drawn
    // lowest).
    let rows = sorted_values(&|r| (number(&r[y_col]), row_of(r)));
    let y_label = std::iter::once(t.header[y_col].as_str())
        .chain(others.iter().map(|&c| t.header[c].as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    SWEEP_HEAT
        .iter()
        .filter_map(|&(metric, name, value_label, unit)| {
            let m = t.column(metric)?;
            let mut values = vec![vec![None; columns.len()]; rows.len()];
            for r in &t.rows {
                let (Some(i), Some(k)) = (
                    rows.iter().position(|x| *x == row_of(r)),
                    columns.iter().position(|x| *x == r[x_col]),
                ) else {
                    continue;
                };
                values[i][k] = r[m].parse::<f64>().ok();
            }
            values.iter().flatten().any(Option::is_some).then(|| Chart {
                name,
                title: format!("Sweep grid: {value_label}"),
                caption: format!(
                    "Each cell is one setting of the grid: its mean over the \
                     replications (sweep.csv has the 95% intervals); darker is \
                     higher. Across: {}; down: {y_label}.",
                    t.header[x_col]
                ),
                figure: Figure::Heat {
                    x_label: t.header[x_col].clone(),
                    y_label: y_label.clone(),
                    columns: columns.clone(),
                    rows: rows.clone(),
                    values,
                    unit: unit.into(),
                    value_label: value_label.into(),
                },
            })
        })
        .collect()
}

fn heat_map(out: &RunOutputs) -> Option<Chart> {
    if out.is_sweep() {
        return None; // see `categories`
    }
    // Mean release time for each (region, mode), found at the (variant,
    // group) that `at` names.
    let grid = |regions: &[String],
                modes: &[String],
                at: &dyn Fn(&str, &str) -> (String, String)|
     -> Vec<Vec<Option<f64>>> {
        regions
            .iter()
            .map(|r| {
                modes
                    .iter()
                    .map(|m| {
                        let (variant, group) = at(r, m);
                        out.get(&variant, &group, "release_time_mean_h")
                            .map(|v| v.0)
                    })
                    .collect()
            })
            .collect()
    };
    let (columns, rows, values) = if out.variants_are_modes() {
        let regions = out.groups("region");
        let modes = out.manifest.variants.clone();
        let values = grid(&regions, &modes, &|r: &str, m: &str| {
            (m.to_string(), format!("region={r}"))
        });
        (modes, regions, values)
    } else {
        let base = out.manifest.variants.first()?;
        let cells = out.groups("region_mode");
        let mut regions: Vec<String> = Vec::new();
        let mut modes: Vec<String> = Vec::new();
        for c in &cells {
            let (r, m) = c.split_once('/')?;
            if !regions.iter().any(|x| x == r) {
                regions.push(r.to_string());
            }
            if !modes.iter().any(|x| x == m) {
                modes.push(m.to_string());
            }
        }
        let values = grid(&regions, &modes, &|r: &str, m: &str| {
            (base.clone(), format!("region_mode={r}/{m}"))
        });
        (modes, regions, values)
    };
    if rows.len() < 2 && columns.len() < 2 {
        return None;
    }
    Some(Chart {
        name: "region_mode_heatmap",
        title: "Mean release time by region and clearance mode".into(),
        caption: "Mean hours from arrival to release in each integrated region under \
                  each mode: darker cells are slower; empty cells have no such traffic."
            .into(),
        figure: Figure::Heat {
            x_label: "clearance mode".into(),
            y_label: "region".into(),
            columns: columns.iter().map(|c| short_label(c)).collect(),
            rows,
            values,
            unit: "h".into(),
            value_label: "mean release time [h]".into(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: the busy share was drawn bin by bin, a dense zig-zag of
    /// idle nights and busy days; it is now one flat step per day.
    #[test]
    fn busy_share_is_a_step_per_day() {
        let bins: Vec<(f64, f64)> = (0..16)
            .map(|k| (f64::from(k) / 8.0, if k % 2 == 0 { 1.0 } else { 0.0 }))
            .collect();
        let steps = daily_steps(bins);
        assert_eq!(steps, vec![(0.0, 0.5), (1.0, 0.5), (1.0, 0.5), (2.0, 0.5)]);
    }
}
