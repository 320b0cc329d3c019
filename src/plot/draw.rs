//! Drawing a [`Figure`] on a plotters backend (the SVG; the PNG is that
//! SVG rendered).

mod heat;
mod legend;
mod lines;
mod style;
mod tradeoff;

use std::error::Error;

use plotters::coord::Shift;
use plotters::coord::ranged1d::SegmentedCoord;
use plotters::coord::types::{RangedCoordf64, RangedCoordusize};
use plotters::prelude::*;

use super::charts::{Chart, Figure};
use super::font::FAMILY;
use legend::{Entry, Key};

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
        Figure::Cdf { curves } => lines::cdf(&area, curves)?,
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
            let mut entries = Vec::new();
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
                }))?;
                entries.push(Entry {
                    name: name.clone(),
                    key: Key::Swatch(col),
                });
            }
            // The bars, as vertical lines across each one, for the legend
            // to keep clear of.
            let bars: Vec<Vec<(SegmentValue<usize>, f64)>> = values
                .iter()
                .enumerate()
                .flat_map(|(i, v)| {
                    let (at, total) = (slot(i, values.len()), v.iter().sum::<f64>());
                    [
                        SegmentValue::Exact(at),
                        SegmentValue::CenterOf(at),
                        SegmentValue::Exact(at + 1),
                    ]
                    .map(|x| vec![(x.clone(), 0.0), (x, total)])
                })
                .collect();
            legend::in_corner(&c, &entries, &bars)?;
        }
        Figure::Waterfall { y_label, bars } => {
            let (labels, key) = waterfall_labels(bars);
            let top = bars
                .iter()
                .map(|b| b.from.max(b.to) + b.half_width.unwrap_or(0.0))
                .fold(0.0, f64::max);
            let h = area.dim_in_pixel().1;
            let (bars_area, key_area) =
                area.split_vertically(h.saturating_sub(key_height(key.len())));
            draw_key(&key_area, &key)?;
            let mut c = category_chart(&bars_area, &labels, top, y_label)?;
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
            marks,
        } => {
            // One legend for all panels, in a strip above them: the
            // series fill their panels, so no corner is free.
            let mut names: Vec<String> = Vec::new();
            for c in panels.iter().flat_map(|(_, curves)| curves) {
                if !c.name.is_empty() && !names.contains(&c.name) {
                    names.push(c.name.clone());
                }
            }
            let plots = if names.is_empty() {
                area.clone()
            } else {
                let (strip, rest) = area.split_vertically(legend::STRIP_PX);
                let marked = panels
                    .iter()
                    .flat_map(|(_, c)| c)
                    .any(|c| c.points.len() <= 40);
                legend::strip(&strip, &lines::entries(&names, marked))?;
                rest
            };
            let parts = plots.split_evenly((panels.len().max(1), 1));
            for (part, (title, curves)) in parts.iter().zip(panels) {
                lines::panel(part, title, x_label, curves, bands, marks, &names)?;
            }
        }
        Figure::Tradeoff {
            x_label,
            y_label,
            point_label,
            curves,
        } => tradeoff::tradeoff(&area, x_label, y_label, point_label, curves)?,
        Figure::Heat {
            x_label,
            y_label,
            columns,
            rows,
            values,
            unit,
            value_label,
        } => heat::heat(
            &area,
            &heat::Grid {
                x_label,
                y_label,
                columns,
                rows,
                values,
                unit,
                value_label,
            },
        )?,
    }
    root.present()?;
    Ok(())
}

/// Characters of an axis label that fit a waterfall's bar slot at 960 px
/// with `n` bars (13 px DejaVu Sans: about 7.5 px a character).
fn fits(n: usize) -> usize {
    (840.0 / n.max(1) as f64 / 7.5) as usize
}

/// A waterfall's axis labels and, when a step's label would not fit under
/// its bar, the key that names them: steps are numbered on the axis (the
/// levels keep their short names) and listed by number below the chart.
pub fn waterfall_labels(bars: &[super::charts::Step]) -> (Vec<String>, Vec<String>) {
    let room = fits(bars.len());
    if bars.iter().all(|b| b.label.chars().count() <= room) {
        return (bars.iter().map(|b| b.label.clone()).collect(), Vec::new());
    }
    let mut key = Vec::new();
    let labels = bars
        .iter()
        .map(|b| {
            if b.level {
                b.label.clone()
            } else {
                key.push(b.label.clone());
                key.len().to_string()
            }
        })
        .collect();
    (labels, key)
}

/// Line height of a waterfall's key [px].
const KEY_LINE_PX: u32 = 20;

/// Height of a key of `n` lines [px]; none without lines.
pub fn key_height(n: usize) -> u32 {
    if n == 0 {
        0
    } else {
        16 + KEY_LINE_PX * n as u32
    }
}

/// The numbered key below a waterfall: "1  <the step's full label>".
fn draw_key<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, key: &[String]) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let number = TextStyle::from((FAMILY, TICK_PX).into_font().style(FontStyle::Bold));
    let text = TextStyle::from((FAMILY, TICK_PX).into_font());
    for (i, label) in key.iter().enumerate() {
        let y = 8 + KEY_LINE_PX as i32 * i as i32;
        area.draw(&Text::new(format!("{}", i + 1), (92, y), number.clone()))?;
        area.draw(&Text::new(label.clone(), (116, y), text.clone()))?;
    }
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
        let at = SegmentValue::CenterOf(at);
        whisker(
            c,
            (at.clone(), to - h),
            (at, to + h),
            true,
            BLACK.stroke_width(2),
            8,
        )?;
    }
    Ok(())
}

/// An error bar from `from` to `to` with a cap of `cap` px each side at
/// both ends (across the bar: horizontal caps on a `vertical` one). Drawn
/// as lines: plotters' `ErrorBar` puts a circle at the mean, which read as
/// a glyph, not an interval.
pub fn whisker<DB, CT>(
    c: &mut ChartContext<'_, DB, CT>,
    from: CT::From,
    to: CT::From,
    vertical: bool,
    style: ShapeStyle,
    cap: i32,
) -> DrawResult
where
    DB: DrawingBackend,
    DB::ErrorType: 'static,
    CT: plotters::coord::CoordTranslate,
    CT::From: Clone + 'static,
{
    c.draw_series(std::iter::once(PathElement::new(
        vec![from.clone(), to.clone()],
        style,
    )))?;
    let across = if vertical {
        vec![(-cap, 0), (cap, 0)]
    } else {
        vec![(0, -cap), (0, cap)]
    };
    c.draw_series(
        [from, to]
            .into_iter()
            .map(|p| EmptyElement::at(p) + PathElement::new(across.clone(), style)),
    )?;
    Ok(())
}

/// A bar narrower than its category, `px` pixels in from each side.
fn inset<C>(mut r: Rectangle<C>, px: u32) -> Rectangle<C> {
    r.set_margin(0, 0, px, px);
    r
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

/// A tick label without spurious digits: 0.01, 0.5, 12, 1000.
pub fn format_tick(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let digits = (2 - x.abs().log10().floor() as i32).clamp(0, 6) as usize;
    let s = format!("{x:.digits$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    // A tiny negative (float noise around zero) rounds to "-0".
    if s == "-0" { "0".into() } else { s }
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
        assert_eq!(format_tick(-1e-17), "0");
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
