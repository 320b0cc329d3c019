//! A grid of values as coloured cells, each labelled, with a colour bar
//! that says what the colours mean.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    DrawResult, FAMILY, LABEL_PX, TICK_PX, bounds, categories, format_tick, label_at, slot,
};

/// Width of the colour bar's strip, its labels included [px].
const BAR_STRIP_PX: u32 = 130;

fn centred() -> Pos {
    Pos::new(HPos::Center, VPos::Center)
}

/// Sequential colour for `t` in [0, 1]: pale yellow to dark red.
pub fn heat_colour(t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0);
    let lerp = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    RGBColor(lerp(255.0, 165.0), lerp(245.0, 15.0), lerp(200.0, 21.0))
}

/// What a heat map shows: axis names, cell names, `values[row][column]`,
/// the values' unit and what they are (for the colour bar).
pub struct Grid<'a> {
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub columns: &'a [String],
    pub rows: &'a [String],
    pub values: &'a [Vec<Option<f64>>],
    pub unit: &'a str,
    pub value_label: &'a str,
}

pub fn heat<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, g: &Grid) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (lo, hi) = bounds(g.values.iter().flatten().flatten().copied());
    let (w, _) = area.dim_in_pixel();
    let (cells, bar) = area.split_horizontally(w.saturating_sub(BAR_STRIP_PX));
    let mut c = ChartBuilder::on(&cells)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(150)
        .build_cartesian_2d(categories(g.columns.len()), categories(g.rows.len()))?;
    let col_name = |v: &SegmentValue<usize>| label_at(g.columns, v);
    let row_name = |v: &SegmentValue<usize>| label_at(g.rows, v);
    c.configure_mesh()
        .disable_mesh()
        .x_labels(g.columns.len() + 2)
        .y_labels(g.rows.len() + 2)
        .x_label_formatter(&col_name)
        .y_label_formatter(&row_name)
        .x_desc(g.x_label)
        .y_desc(g.y_label)
        .label_style((FAMILY, TICK_PX))
        .axis_desc_style((FAMILY, LABEL_PX))
        .draw()?;
    for (r, row) in g.values.iter().enumerate() {
        for (k, v) in row.iter().enumerate() {
            let (x, y) = (slot(k, g.columns.len()), slot(r, g.rows.len()));
            let cell = [
                (SegmentValue::Exact(x), SegmentValue::Exact(y)),
                (SegmentValue::Exact(x + 1), SegmentValue::Exact(y + 1)),
            ];
            let centre = (SegmentValue::CenterOf(x), SegmentValue::CenterOf(y));
            let Some(v) = v else {
                let style = TextStyle::from((FAMILY, TICK_PX).into_font())
                    .color(&RGBColor(150, 150, 150))
                    .pos(centred());
                c.draw_series(std::iter::once(Text::new("no traffic", centre, style)))?;
                continue;
            };
            let t = (v - lo) / (hi - lo);
            let mut rect = Rectangle::new(cell, heat_colour(t).filled());
            rect.set_margin(1, 1, 1, 1);
            c.draw_series(std::iter::once(rect))?;
            let ink = if t > 0.55 { WHITE } else { BLACK };
            let style = TextStyle::from((FAMILY, TICK_PX).into_font())
                .color(&ink)
                .pos(centred());
            c.draw_series(std::iter::once(Text::new(
                format!("{} {}", format_tick(*v), g.unit)
                    .trim_end()
                    .to_string(),
                centre,
                style,
            )))?;
        }
    }
    colour_bar(&bar, lo, hi, g.value_label)
}

/// Steps of the colour bar's gradient.
pub const BAR_STEPS: usize = 48;

/// A vertical gradient from `lo` (bottom) to `hi` (top) with a labelled
/// value axis on its right, named `label`.
fn colour_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    lo: f64,
    hi: f64,
    label: &str,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let mut c = ChartBuilder::on(area)
        .margin_top(24)
        .margin_bottom(64)
        .margin_right(8)
        .right_y_label_area_size(80)
        .build_cartesian_2d(0.0..1.0, lo..hi)?;
    c.configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .y_labels(6)
        .y_label_formatter(&|y| format_tick(*y))
        .y_desc(label)
        .label_style((FAMILY, TICK_PX))
        .axis_desc_style((FAMILY, LABEL_PX))
        .draw()?;
    let step = (hi - lo) / BAR_STEPS as f64;
    c.draw_series((0..BAR_STEPS).map(|k| {
        let from = lo + step * k as f64;
        let t = (k as f64 + 0.5) / BAR_STEPS as f64;
        Rectangle::new([(0.0, from), (1.0, from + step)], heat_colour(t).filled())
    }))?;
    c.draw_series(std::iter::once(Rectangle::new(
        [(0.0, lo), (1.0, hi)],
        BLACK.mix(0.5),
    )))?;
    Ok(())
}
