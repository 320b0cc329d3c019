//! Which charts a run gets, and their data, chosen from its outputs.
//!
//! "Modes" are the compared variants in a `compare` run, or the `mode=`
//! groups of a plain run (each stream clears under its own mode).

use super::data::{RunOutputs, Table};

/// A named curve of (x, y) points.
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    pub name: String,
    pub points: Vec<(f64, f64)>,
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
    },
    /// A waterfall: a starting level, steps up or down from it, and the
    /// level reached; each bar spans `from` → `to`, its interval around
    /// `to`.
    Waterfall { y_label: String, bars: Vec<Step> },
    /// A grid of values, coloured; `None` for an empty cell.
    Heat {
        x_label: String,
        y_label: String,
        columns: Vec<String>,
        rows: Vec<String>,
        values: Vec<Vec<Option<f64>>>,
        unit: String,
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
    .collect()
}

fn release_cdf(out: &RunOutputs) -> Option<Chart> {
    let cats = categories(out);
    let curves: Vec<Curve> = cats
        .entries
        .iter()
        .map(|(label, variant, group)| Curve {
            name: label.clone(),
            points: out
                .quantiles
                .iter()
                .filter(|q| &q.variant == variant && &q.group == group)
                .filter_map(|q| q.release_time_h.map(|t| (t, q.p)))
                .collect(),
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
    let curve = |resource: &str, metric: &str| Curve {
        name: resource.to_string(),
        points: out
            .series
            .iter()
            .filter(|s| &s.variant == variant && s.resource == resource && s.metric == metric)
            .filter_map(|s| s.mean.map(|m| (s.time_h / 24.0, m)))
            .collect(),
    };
    let panel = |title: &str, metric: &str| {
        let curves: Vec<Curve> = ranked
            .iter()
            .map(|(r, _)| curve(r, metric))
            .filter(|c| !c.points.is_empty())
            .collect();
        (title.to_string(), curves)
    };
    let panels = vec![
        panel("mean queue length", "queue_len"),
        panel("share of servers busy", "busy_share"),
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
            "Queue length and utilisation over the run for the most utilised resources.".into()
        } else {
            "Queue length and utilisation over the run for the most utilised \
             resources: the peaks (shaded) show as queues building faster than \
             the staff can clear them, and staff busy through it."
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
        },
    })
}

fn frontier(out: &RunOutputs) -> Option<Chart> {
    let t = out.frontier.as_ref()?;
    let first_metric = t.column("release_time_p90_h")?;
    let params: Vec<usize> = (1..first_metric).collect();
    let x_col = params
        .iter()
        .copied()
        .find(|&c| t.header[c].ends_with("inspection_rate"))
        .or_else(|| {
            params
                .iter()
                .copied()
                .find(|&c| !t.header[c].ends_with("targeting"))
        })?;
    let panels = panels_against(
        t,
        &params,
        x_col,
        &[
            ("release_time_p90_h", "p90 release time [h]"),
            ("leakage", "leakage [non-compliant released]"),
        ],
    );
    (!panels.is_empty()).then(|| Chart {
        name: "frontier",
        title: "Inspection-intensity frontier".into(),
        caption: "What inspecting more buys (less leakage) and costs (slower release), \
                  for random against risk-based targeting: the lower curve is the \
                  better policy at the same rate."
            .into(),
        figure: Figure::Panels {
            x_label: t.header[x_col].clone(),
            panels,
            bands: Vec::new(),
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
        match curves.iter_mut().find(|c| c.name == name) {
            Some(c) => c.points.push((x, y)),
            None => curves.push(Curve {
                name,
                points: vec![(x, y)],
            }),
        }
    }
    for c in &mut curves {
        c.points.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    Some(curves)
}

/// A capacity plan: the metric's mean and the upper end of its 95%
/// interval at each capacity tried, against the target; the plan's answer
/// is the smallest capacity whose upper end is within the target.
fn plan_chart(out: &RunOutputs) -> Option<Chart> {
    let t = out.plan.as_ref()?;
    let col = |name: &str| t.column(name);
    let (cap, mean, upper, target, met) = (
        col("capacity")?,
        col("mean")?,
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
    let mut curves = vec![
        Curve {
            name: "mean".into(),
            points: series(mean),
        },
        Curve {
            name: "upper end of the 95% interval".into(),
            points: series(upper),
        },
        Curve {
            name: "target".into(),
            points: series(target),
        },
    ];
    curves.retain(|c| !c.points.is_empty());
    let answer = match chosen {
        Some(c) => format!("the smallest capacity meeting it is {c}"),
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
            "Each variant's mean over its replications (sweep.csv has the 95% \
             intervals), against {}{}.",
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
        },
    })
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
        },
    })
}
