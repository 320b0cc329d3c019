//! A tradeoff chart: one metric against another, a curve per policy, each
//! point with 95% intervals on both axes and labelled with its setting.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::legend::{self, Entry, Key};
use super::style::stroke;
use super::{DrawResult, FAMILY, LABEL_PX, TICK_PX, bounds, format_tick, whisker};
use crate::plot::charts::Tradeoff;

pub fn tradeoff<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    x_label: &str,
    y_label: &str,
    point_label: &str,
    curves: &[Tradeoff],
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let points = || curves.iter().flat_map(|c| c.points.iter());
    let span = |v: f64, h: Option<f64>| {
        let h = h.unwrap_or(0.0);
        [v - h, v + h]
    };
    let pad = |(lo, hi): (f64, f64)| {
        let d = (hi - lo) * 0.08;
        (lo - d, hi + d)
    };
    let (x0, x1) = pad(bounds(points().flat_map(|p| span(p.x, p.x_half_width))));
    let (y0, y1) = pad(bounds(points().flat_map(|p| span(p.y, p.y_half_width))));
    let mut c = ChartBuilder::on(area)
        .margin(12)
        .margin_right(28)
        .x_label_area_size(45)
        .y_label_area_size(80)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    c.configure_mesh()
        .x_desc(format!("{x_label}   (points labelled with {point_label})"))
        .y_desc(y_label)
        .x_label_formatter(&|x| format_tick(*x))
        .y_label_formatter(&|y| format_tick(*y))
        .label_style((FAMILY, TICK_PX))
        .axis_desc_style((FAMILY, LABEL_PX))
        .draw()?;
    let mut entries = Vec::new();
    // What the legend must not cover: each line, each interval.
    let mut drawn: Vec<Vec<(f64, f64)>> = Vec::new();
    for (i, curve) in curves.iter().enumerate() {
        let s = stroke(i, curves.len());
        let pts: Vec<(f64, f64)> = curve.points.iter().map(|p| (p.x, p.y)).collect();
        s.draw_line(&mut c, pts.clone())?;
        let bar = s.colour.stroke_width(2);
        for p in &curve.points {
            if let Some(h) = p.y_half_width.filter(|h| *h > 0.0) {
                whisker(&mut c, (p.x, p.y - h), (p.x, p.y + h), true, bar, 5)?;
                drawn.push(vec![(p.x, p.y - h), (p.x, p.y + h)]);
            }
            if let Some(h) = p.x_half_width.filter(|h| *h > 0.0) {
                whisker(&mut c, (p.x - h, p.y), (p.x + h, p.y), false, bar, 5)?;
                drawn.push(vec![(p.x - h, p.y), (p.x + h, p.y)]);
            }
        }
        s.draw_markers(&mut c, pts.iter().copied())?;
        let style = TextStyle::from((FAMILY, TICK_PX).into_font())
            .color(&s.colour)
            .pos(Pos::new(HPos::Left, VPos::Bottom));
        c.draw_series(curve.points.iter().map(|p| {
            EmptyElement::at((p.x, p.y)) + Text::new(p.label.clone(), (7, -5), style.clone())
        }))?;
        entries.push(Entry {
            name: curve.name.clone(),
            key: Key::Line {
                stroke: s,
                marked: true,
            },
        });
        drawn.push(pts);
    }
    legend::in_corner(&c, &entries, &drawn)
}
