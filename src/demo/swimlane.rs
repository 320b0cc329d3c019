//! The demo's swimlane chart: one lane per site touched, time across, each
//! followed consignment a coloured row of bars (pale while it waits for
//! officers or equipment, solid while it is being served), so a trainer can
//! see at a glance where a mode sends the goods and where they wait. Time
//! runs in calendar time (day, weekday, hh:mm) as in the narration, and a
//! bar wide enough carries its step's name.

use std::path::Path;

use anyhow::anyhow;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::narrate::clock;
use crate::model::{Mode, Model, SiteKind, StepKind};
use crate::output::write_atomic;
use crate::plot::font::{FAMILY, ensure_registered};
use crate::sim::trace::{ConsignmentTrace, Outcome, StepTrace};

const WIDTH: u32 = 1200;
const LANE_HEIGHT: u32 = 64;
const LEGEND_ROW: u32 = 22;
/// Font size of the step names written inside bars.
const STEP_LABEL_SIZE: u32 = 10;
/// The time axis: calendar time as the narration writes it.
const X_DESC: &str = "calendar time (day 1 is the scenario's first day; as in the narration)";

/// The colour of consignment `i`.
fn colour(i: usize) -> RGBColor {
    crate::plot::draw::colour(i)
}

/// Where in the chart's vertical order a lane goes: along the way goods
/// and papers travel (entry ports, then the regional centre and data
/// exchange, then the road, then the inland customs), the same order in
/// every mode so charts can be compared side by side.
fn lane_rank(model: &Model, step: &StepTrace) -> u8 {
    match step.step {
        StepKind::Coordination => 2,
        StepKind::Transport => 3,
        _ => match model.site(step.site).kind {
            k if k.is_entry_point() => 0,
            SiteKind::ClearanceCentre => 1,
            _ => 4,
        },
    }
}

/// The lane a step is drawn in: its site, or one lane for the road to each
/// inland customs and one for data exchange between customs.
pub fn lane_name(model: &Model, step: &StepTrace) -> String {
    match step.step {
        StepKind::Transport => format!("road → {}", model.site(step.site).id),
        StepKind::Coordination => "data exchange".to_string(),
        _ => model.site(step.site).id.clone(),
    }
}

/// The lanes of a chart: the places of the steps taken, by rank and then
/// in order of first use.
pub fn lanes(model: &Model, traces: &[ConsignmentTrace]) -> Vec<String> {
    let mut seen: Vec<(u8, usize, String)> = Vec::new();
    for s in traces.iter().flat_map(|t| &t.steps).filter(|s| s.taken()) {
        let name = lane_name(model, s);
        if !seen.iter().any(|(_, _, n)| *n == name) {
            seen.push((lane_rank(model, s), seen.len(), name));
        }
    }
    seen.sort();
    seen.into_iter().map(|(_, _, n)| n).collect()
}

/// The chart's title.
pub fn title(mode: Mode) -> String {
    format!("How a consignment moves under {}", mode.name())
}

/// Draws the chart for one mode onto `root`.
fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    mode: Mode,
    model: &Model,
    traces: &[ConsignmentTrace],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    ensure_registered();
    root.fill(&WHITE)?;
    let lanes = lanes(model, traces);
    let n_lanes = lanes.len().max(1) as f64;
    let taken = || traces.iter().flat_map(|t| &t.steps).filter(|s| s.taken());
    let x0 = traces
        .iter()
        .map(|t| t.arrived)
        .fold(f64::INFINITY, f64::min);
    let x0 = if x0.is_finite() { x0.floor() } else { 0.0 };
    let last = taken()
        .map(|s| s.end)
        .filter(|e| e.is_finite())
        .fold(x0 + 1.0, f64::max);
    let x1 = x0 + (last - x0) * 1.03;
    let legend_h = 40 + LEGEND_ROW * traces.len().div_ceil(2) as u32;
    let (_, h) = root.dim_in_pixel();
    let (upper, lower) = root.split_vertically(h - legend_h);
    let mut chart = ChartBuilder::on(&upper)
        .caption(title(mode), (FAMILY, 22))
        .margin(12)
        .x_label_area_size(44)
        .y_label_area_size(250)
        .build_cartesian_2d(x0..x1, 0.0..n_lanes)?;
    let weekday = model.start_weekday;
    let calendar = |t: &f64| clock(*t, weekday);
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(7)
        .x_label_formatter(&calendar)
        .x_desc(X_DESC)
        .y_desc("site (one lane each)")
        .label_style((FAMILY, 13))
        .axis_desc_style((FAMILY, 14))
        .draw()?;
    // Lane borders and labels; lane 0 at the top.
    let lane_top = |i: usize| n_lanes - i as f64;
    let label_style = TextStyle::from((FAMILY, 14).into_font())
        .pos(Pos::new(HPos::Right, VPos::Center))
        .color(&BLACK);
    for (i, name) in lanes.iter().enumerate() {
        let border = lane_top(i) - 1.0;
        chart.draw_series(std::iter::once(PathElement::new(
            [(x0, border), (x1, border)],
            BLACK.mix(0.2),
        )))?;
        let (_, py) = chart.backend_coord(&(x0, lane_top(i) - 0.5));
        let (px, _) = chart.backend_coord(&(x0, 0.0));
        root.draw(&Text::new(name.clone(), (px - 8, py), label_style.clone()))?;
    }
    let rows = traces.len().max(1) as f64;
    let min_width = (x1 - x0) * 0.002;
    for (j, t) in traces.iter().enumerate() {
        let c = colour(j);
        let mut path = Vec::new();
        for s in t.steps.iter().filter(|s| s.taken() && s.start.is_finite()) {
            let Some(i) = lanes.iter().position(|l| *l == lane_name(model, s)) else {
                continue;
            };
            // Consignment j's row within the lane.
            let top = lane_top(i) - 0.1 - 0.8 * j as f64 / rows;
            let bottom = top - 0.8 / rows * 0.8;
            if s.start > s.reached {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(s.reached, top), (s.start, bottom)],
                    c.mix(0.25).filled(),
                )))?;
            }
            let end = if s.end.is_finite() { s.end } else { x1 };
            let bar = [(s.start, top), (end.max(s.start + min_width), bottom)];
            chart.draw_series(std::iter::once(Rectangle::new(bar, c.filled())))?;
            let (a, b) = (chart.backend_coord(&bar[0]), chart.backend_coord(&bar[1]));
            step_label(&root, s.step.name(), c, a, b)?;
            let mid = (top + bottom) / 2.0;
            path.push((s.reached, mid));
            path.push((end, mid));
        }
        chart.draw_series(std::iter::once(PathElement::new(path, c.mix(0.5))))?;
    }
    // Legend: one entry per consignment, then the key to the shading.
    let font = TextStyle::from((FAMILY, 13).into_font()).color(&BLACK);
    let entry = |i: usize| {
        (
            20 + (i % 2) as i32 * 580,
            8 + (i / 2) as i32 * LEGEND_ROW as i32,
        )
    };
    for (j, t) in traces.iter().enumerate() {
        let (x, y) = entry(j);
        lower.draw(&Rectangle::new(
            [(x, y + 2), (x + 24, y + 14)],
            colour(j).filled(),
        ))?;
        let how = match t.outcome {
            Outcome::Released { released, .. } => {
                format!("released after {:.1} h", released - t.arrived)
            }
            Outcome::Seized { .. } => "seized".to_string(),
            Outcome::InProgress => "still in clearance".to_string(),
        };
        let label = format!(
            "{} #{} ({}): {how}",
            t.channel.name(),
            t.number,
            model.streams[t.stream].id
        );
        lower.draw(&Text::new(label, (x + 32, y), font.clone()))?;
    }
    let (_, y) = entry(traces.len() + traces.len() % 2);
    lower.draw(&Rectangle::new(
        [(20, y + 2), (44, y + 14)],
        BLACK.mix(0.25).filled(),
    ))?;
    lower.draw(&Text::new(
        "pale: waiting for officers or equipment",
        (52, y),
        font.clone(),
    ))?;
    lower.draw(&Rectangle::new(
        [(340, y + 2), (364, y + 14)],
        BLACK.filled(),
    ))?;
    lower.draw(&Text::new(
        "solid: being served (a thin bar: an instant step)",
        (372, y),
        font,
    ))?;
    root.present()
}

/// Writes the step's name inside its bar (corners `a`, `b` in pixels) if
/// it fits, white on dark colours and black on light ones.
fn step_label<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    name: &str,
    bar: RGBColor,
    a: (i32, i32),
    b: (i32, i32),
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let ink = if luminance(bar) < 0.5 { WHITE } else { BLACK };
    let style = TextStyle::from((FAMILY, STEP_LABEL_SIZE).into_font())
        .pos(Pos::new(HPos::Center, VPos::Center))
        .color(&ink);
    let (w, h) = root.estimate_text_size(name, &style)?;
    let (bw, bh) = ((b.0 - a.0).unsigned_abs(), (b.1 - a.1).unsigned_abs());
    if bw >= w + 4 && bh + 2 >= h {
        root.draw(&Text::new(
            name.to_string(),
            ((a.0 + b.0) / 2, (a.1 + b.1) / 2),
            style,
        ))?;
    }
    Ok(())
}

/// Relative luminance of a colour, 0 (black) to 1 (white).
fn luminance(c: RGBColor) -> f64 {
    (0.2126 * f64::from(c.0) + 0.7152 * f64::from(c.1) + 0.0722 * f64::from(c.2)) / 255.0
}

/// The chart's size in pixels: taller with more lanes and consignments.
fn size(model: &Model, traces: &[ConsignmentTrace]) -> (u32, u32) {
    let lanes = lanes(model, traces).len().max(1) as u32;
    let legend = 40 + LEGEND_ROW * traces.len().div_ceil(2) as u32;
    (WIDTH, 110 + lanes * LANE_HEIGHT + legend)
}

/// The chart for one mode as SVG text.
pub fn svg(mode: Mode, model: &Model, traces: &[ConsignmentTrace]) -> anyhow::Result<String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size(model, traces)).into_drawing_area();
        draw(root, mode, model, traces).map_err(|e| anyhow!("drawing the swimlane chart: {e}"))?;
    }
    Ok(out)
}

/// Writes the chart for one mode as `DIR/demo_<mode>.svg` and `.png`, each
/// atomically; returns the SVG's path.
pub fn write(
    dir: &Path,
    mode: Mode,
    model: &Model,
    traces: &[ConsignmentTrace],
) -> anyhow::Result<std::path::PathBuf> {
    let svg_path = dir.join(format!("demo_{}.svg", mode.name()));
    let svg = svg(mode, model, traces)?;
    write_atomic(&svg_path, svg.as_bytes())?;
    // The PNG is the SVG rendered, with the charts' embedded font.
    let png_path = dir.join(format!("demo_{}.png", mode.name()));
    let png = crate::plot::png_of_svg(&svg, size(model, traces))
        .map_err(|e| anyhow!("drawing {}: {e}", png_path.display()))?;
    write_atomic(&png_path, &png)?;
    Ok(svg_path)
}
