//! Drawing a [`Figure`] on any plotters backend (SVG or bitmap).

use std::error::Error;

use plotters::coord::Shift;
use plotters::coord::ranged1d::SegmentedCoord;
use plotters::coord::types::{RangedCoordf64, RangedCoordusize};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::charts::{Chart, Curve, Figure};
use super::font::FAMILY;

pub type DrawResult = Result<(), BoxError>;

/// A colour-blind-safe qualitative palette (Okabe–Ito).
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(240, 228, 66),
    RGBColor(0, 0, 0),
];

pub fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

const TITLE_PX: u32 = 22;
const LABEL_PX: u32 = 15;
const TICK_PX: u32 = 13;

/// Draws `chart` filling `root`.
pub fn draw<DB: DrawingBackend>(chart: &Chart, root: &DrawingArea<DB, Shift>) -> DrawResult
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE)?;
    let area = root.titled(&chart.title, (FAMILY, TITLE_PX).into_font())?;
    match &chart.figure {
        Figure::Cdf { curves } => cdf(&area, curves)?,
        Figure::Bars { y_label, bars } => {
            let labels: Vec<String> = bars.iter().map(|b| b.label.clone()).collect();
            let top = bars
                .iter()
                .map(|b| b.value + b.half_width.unwrap_or(0.0))
                .fold(0.0, f64::max);
            let mut c = category_chart(&area, &labels, top, y_label)?;
            for (i, b) in bars.iter().enumerate() {
                let at = slot(i, bars.len());
                floating_bar(&mut c, at, 0.0, b.value, colour(i), b.half_width)?;
            }
        }
        Figure::Stacked {
            y_label,
            categories,
            segments,
            values,
        } => {
            let top = values
                .iter()
                .map(|v| v.iter().sum::<f64>())
                .fold(0.0, f64::max);
            let mut c = category_chart(&area, categories, top, y_label)?;
            for (s, name) in segments.iter().enumerate() {
                let col = colour(s);
                c.draw_series(values.iter().enumerate().map(|(i, v)| {
                    let below: f64 = v[..s].iter().sum();
                    let at = slot(i, values.len());
                    inset(
                        Rectangle::new(
                            [
                                (SegmentValue::Exact(at), below),
                                (SegmentValue::Exact(at + 1), below + v[s]),
                            ],
                            col.filled(),
                        ),
                        18,
                    )
                }))?
                .label(name.as_str())
                .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], col.filled()));
            }
            legend(&mut c)?;
        }
        Figure::Waterfall { y_label, bars } => {
            let labels: Vec<String> = bars.iter().map(|b| b.label.clone()).collect();
            let top = bars
                .iter()
                .map(|b| b.from.max(b.to) + b.half_width.unwrap_or(0.0))
                .fold(0.0, f64::max);
            let mut c = category_chart(&area, &labels, top, y_label)?;
            for (i, b) in bars.iter().enumerate() {
                // Levels in the first colour; falls in green, rises in red.
                let col = if b.level {
                    colour(0)
                } else if b.to <= b.from {
                    RGBColor(46, 139, 87)
                } else {
                    RGBColor(200, 60, 50)
                };
                let at = slot(i, bars.len());
                floating_bar(&mut c, at, b.from, b.to, col, b.half_width)?;
            }
        }
        Figure::Panels {
            x_label,
            panels,
            bands,
        } => {
            let parts = area.split_evenly((panels.len().max(1), 1));
            for (part, (title, curves)) in parts.iter().zip(panels) {
                lines(part, title, x_label, curves, bands)?;
            }
        }
        Figure::Heat {
            x_label,
            y_label,
            columns,
            rows,
            values,
            unit,
        } => heat(&area, x_label, y_label, columns, rows, values, unit)?,
    }
    root.present()?;
    Ok(())
}

/// A bar in category slot `at` spanning `from` → `to`, with a 95% error
/// bar around `to` when the half-width is known.
fn floating_bar<DB: DrawingBackend>(
    c: &mut ChartContext<'_, DB, Cartesian2d<Categories, RangedCoordf64>>,
    at: usize,
    from: f64,
    to: f64,
    col: RGBColor,
    half_width: Option<f64>,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    c.draw_series(std::iter::once(inset(
        Rectangle::new(
            [
                (SegmentValue::Exact(at), from.min(to)),
                (SegmentValue::Exact(at + 1), from.max(to)),
            ],
            col.filled(),
        ),
        18,
    )))?;
    if let Some(h) = half_width {
        c.draw_series(std::iter::once(ErrorBar::new_vertical(
            SegmentValue::CenterOf(at),
            to - h,
            to,
            to + h,
            BLACK.stroke_width(2),
            14,
        )))?;
    }
    Ok(())
}

/// A bar narrower than its category, `px` pixels in from each side.
fn inset<C>(mut r: Rectangle<C>, px: u32) -> Rectangle<C> {
    r.set_margin(0, 0, px, px);
    r
}

fn legend<'a, DB: DrawingBackend + 'a, X: Ranged, Y: Ranged>(
    c: &mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    c.configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.4))
        .label_font((FAMILY, TICK_PX))
        .position(SeriesLabelPosition::UpperLeft)
        .draw()?;
    Ok(())
}

type BoxError = Box<dyn Error + Send + Sync>;
type Categories = SegmentedCoord<RangedCoordusize>;

/// `n` categories on an axis (plotters' integer ranges include their end).
/// A lone category gets an empty slot on each side, so its bar stands in
/// the middle at a normal width; [`slot`] gives each category's position.
fn categories(n: usize) -> Categories {
    if n == 1 {
        (0..2usize).into_segmented()
    } else {
        (0..n.saturating_sub(1)).into_segmented()
    }
}

/// The axis position of category `i` of `n` (see [`categories`]).
fn slot(i: usize, n: usize) -> usize {
    i + usize::from(n == 1)
}

/// The label at an axis position, if a category stands there.
fn label_at(labels: &[String], v: &SegmentValue<usize>) -> String {
    let n = labels.len();
    match v {
        SegmentValue::CenterOf(pos) => (0..n)
            .find(|&i| slot(i, n) == *pos)
            .map(|i| labels[i].clone())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// Bars on named categories, y from 0 to a little above `top`.
fn category_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    labels: &'a [String],
    top: f64,
    y_label: &str,
) -> Result<ChartContext<'a, DB, Cartesian2d<Categories, RangedCoordf64>>, BoxError>
where
    DB::ErrorType: 'static,
{
    let top = if top > 0.0 { top * 1.15 } else { 1.0 };
    let mut c = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(80)
        .build_cartesian_2d(categories(labels.len()), 0.0..top)?;
    let name = |v: &SegmentValue<usize>| label_at(labels, v);
    c.configure_mesh()
        .disable_x_mesh()
        .x_labels(labels.len() + 2)
        .x_label_formatter(&name)
        .y_label_formatter(&|y| format_tick(*y))
        .y_desc(y_label)
        .label_style((FAMILY, TICK_PX))
        .axis_desc_style((FAMILY, LABEL_PX))
        .draw()?;
    Ok(c)
}

/// Lower and upper bounds of the values, padded; a flat range is widened.
fn bounds(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    if hi - lo < 1e-12 {
        return (
            lo - 0.5_f64.max(lo.abs() * 0.1),
            hi + 0.5_f64.max(hi.abs() * 0.1),
        );
    }
    (lo, hi)
}

fn cdf<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, curves: &[Curve]) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let positive = curves
        .iter()
        .flat_map(|c| c.points.iter().map(|p| p.0))
        .filter(|x| *x > 0.0);
    let (lo, hi) = bounds(positive);
    let (lo, hi) = (lo.max(1e-3) * 0.8, hi.max(lo * 10.0) * 1.25);
    let mut c = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(45)
        .y_label_area_size(70)
        .build_cartesian_2d((lo..hi).log_scale(), 0.0..1.0)?;
    c.configure_mesh()
        .x_desc("release time [h] (log scale)")
        .y_desc("share released within that time")
        .x_label_formatter(&|x| format_tick(*x))
        .label_style((FAMILY, TICK_PX))
        .axis_desc_style((FAMILY, LABEL_PX))
        .draw()?;
    for (i, curve) in curves.iter().enumerate() {
        let col = colour(i);
        let pts = curve.points.iter().map(|&(x, y)| (x.max(lo), y));
        c.draw_series(LineSeries::new(pts, col.stroke_width(2)))?
            .label(curve.name.as_str())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], col.stroke_width(2)));
    }
    legend(&mut c)?;
    Ok(())
}

/// A tick label without spurious digits: 0.01, 0.5, 12, 1000.
pub fn format_tick(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let digits = (2 - x.abs().log10().floor() as i32).clamp(0, 6) as usize;
    let s = format!("{x:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

fn lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    y_label: &str,
    x_label: &str,
    curves: &[Curve],
    bands: &[(String, f64, f64)],
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (x0, x1) = bounds(curves.iter().flat_map(|c| c.points.iter().map(|p| p.0)));
    let (y0, y1) = bounds(curves.iter().flat_map(|c| c.points.iter().map(|p| p.1)));
    let (y0, y1) = (y0.min(0.0), y1 + (y1 - y0.min(0.0)) * 0.1);
    let mut c = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(80)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    // Named periods (Double 11) as pale bands behind the curves, each
    // labelled at its top left.
    for (name, from, until) in bands {
        let (from, until) = (from.max(x0), until.min(x1));
        if from >= until {
            continue;
        }
        c.draw_series(std::iter::once(Rectangle::new(
            [(from, y0), (until, y1)],
            RGBColor(255, 214, 102).mix(0.35).filled(),
        )))?;
        c.draw_series(std::iter::once(Text::new(
            name.clone(),
            (from, y1),
            TextStyle::from((FAMILY, TICK_PX).into_font())
                .color(&RGBColor(140, 90, 0))
                .pos(Pos::new(HPos::Left, VPos::Top)),
        )))?;
    }
    c.configure_mesh()
        .x_desc(x_label)
        .y_desc(y_label)
        .x_label_formatter(&|x| format_tick(*x))
        .y_label_formatter(&|y| format_tick(*y))
        .label_style((FAMILY, TICK_PX))
        .axis_desc_style((FAMILY, LABEL_PX))
        .draw()?;
    for (i, curve) in curves.iter().enumerate() {
        let col = colour(i);
        let pts = curve.points.iter().copied();
        c.draw_series(LineSeries::new(pts.clone(), col.stroke_width(2)))?
            .label(curve.name.as_str())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], col.stroke_width(2)));
        if curve.points.len() <= 40 {
            c.draw_series(pts.map(|p| Circle::new(p, 3, col.filled())))?;
        }
    }
    // One unnamed curve (a sweep of one setting) needs no legend.
    if curves.iter().any(|c| !c.name.is_empty()) {
        legend(&mut c)?;
    }
    Ok(())
}

fn centred() -> Pos {
    Pos::new(HPos::Center, VPos::Center)
}

/// Sequential colour for `t` in [0, 1]: pale yellow to dark red.
fn heat_colour(t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0);
    let lerp = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    RGBColor(lerp(255.0, 165.0), lerp(245.0, 15.0), lerp(200.0, 21.0))
}

fn heat<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    x_label: &str,
    y_label: &str,
    columns: &[String],
    rows: &[String],
    values: &[Vec<Option<f64>>],
    unit: &str,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (lo, hi) = bounds(values.iter().flatten().flatten().copied());
    let mut c = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(150)
        .build_cartesian_2d(categories(columns.len()), categories(rows.len()))?;
    let col_name = |v: &SegmentValue<usize>| label_at(columns, v);
    let row_name = |v: &SegmentValue<usize>| label_at(rows, v);
    c.configure_mesh()
        .disable_mesh()
        .x_labels(columns.len() + 2)
        .y_labels(rows.len() + 2)
        .x_label_formatter(&col_name)
        .y_label_formatter(&row_name)
        .x_desc(x_label)
        .y_desc(y_label)
        .label_style((FAMILY, TICK_PX))
        .axis_desc_style((FAMILY, LABEL_PX))
        .draw()?;
    for (r, row) in values.iter().enumerate() {
        for (k, v) in row.iter().enumerate() {
            let (x, y) = (slot(k, columns.len()), slot(r, rows.len()));
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
            c.draw_series(std::iter::once(inset(
                Rectangle::new(cell, heat_colour(t).filled()),
                1,
            )))?;
            let ink = if t > 0.55 { WHITE } else { BLACK };
            let style = TextStyle::from((FAMILY, TICK_PX).into_font())
                .color(&ink)
                .pos(centred());
            c.draw_series(std::iter::once(Text::new(
                format!("{} {unit}", format_tick(*v)),
                centre,
                style,
            )))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_have_no_spurious_digits() {
        assert_eq!(format_tick(0.0), "0");
        assert_eq!(format_tick(0.01), "0.01");
        assert_eq!(format_tick(0.5), "0.5");
        assert_eq!(format_tick(12.0), "12");
        assert_eq!(format_tick(140000.0), "140000");
        assert_eq!(format_tick(0.30000000000000004), "0.3");
    }

    /// Regression: a lone bar (a run with one mode and one channel) used to
    /// be drawn as a sliver at the left edge of the axis.
    #[test]
    fn a_lone_bar_stands_in_the_middle() {
        let chart = Chart {
            name: "t",
            title: "t".into(),
            caption: String::new(),
            figure: Figure::Bars {
                y_label: "y".into(),
                bars: vec![super::super::charts::Bar {
                    label: "all".into(),
                    value: 5.0,
                    half_width: None,
                }],
            },
        };
        let svg = crate::plot::svg(&chart).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let bar = doc
            .descendants()
            .find(|n| n.has_tag_name("rect") && n.attribute("fill") == Some("#0072B2"))
            .expect("the bar is drawn");
        let x: f64 = bar.attribute("x").unwrap().parse().unwrap();
        let w: f64 = bar.attribute("width").unwrap().parse().unwrap();
        assert!(w > 150.0, "bar only {w} px wide");
        let centre = x + w / 2.0;
        assert!(
            (400.0..600.0).contains(&centre),
            "bar centred at {centre} px of 960"
        );
    }

    #[test]
    fn bounds_widen_a_flat_range() {
        assert_eq!(bounds([2.0, 2.0].into_iter()), (1.5, 2.5));
        assert_eq!(bounds(std::iter::empty()), (0.0, 1.0));
        assert_eq!(bounds([1.0, 3.0].into_iter()), (1.0, 3.0));
    }
}
