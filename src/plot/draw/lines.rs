//! Line charts: the release-time CDF on a log axis, and panels of curves
//! against a shared x (time series, sweeps, plans), with interval bands.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::legend::{self, Entry, Key};
use super::style::{Stroke, stroke};
use super::{DrawResult, FAMILY, LABEL_PX, TICK_PX, bounds, format_tick};
use crate::plot::charts::Curve;

/// Tick values of a log axis over `lo..hi`: labelled ones at 1, 2 and 5
/// of each decade (every decade alone when that would crowd the axis),
/// and unlabelled minor ticks at every whole multiple of each decade.
pub fn log_ticks(lo: f64, hi: f64) -> (Vec<f64>, Vec<f64>) {
    let (first, last) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
    let within = |v: &f64| (lo..=hi).contains(v);
    let decade =
        |d: i32, ms: &[f64]| -> Vec<f64> { ms.iter().map(|m| m * 10f64.powi(d)).collect() };
    let by = |ms: &[f64]| -> Vec<f64> {
        (first..=last)
            .flat_map(|d| decade(d, ms))
            .filter(within)
            .collect()
    };
    let mut major = by(&[1.0, 2.0, 5.0]);
    if major.len() > 12 {
        major = by(&[1.0]);
    }
    let minor = by(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0])
        .into_iter()
        .filter(|v| !major.contains(v))
        .collect();
    (major, minor)
}

/// Shares of consignments at which a CDF curve carries its markers: a few,
/// shifted a little per curve so that coinciding curves show every marker.
fn marker_shares(i: usize) -> [f64; 4] {
    let shift = 0.04 * (i % 5) as f64;
    [0.1 + shift, 0.3 + shift, 0.55 + shift, 0.75 + shift]
}

pub fn cdf<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, curves: &[Curve]) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let positive = curves
        .iter()
        .flat_map(|c| c.points.iter().map(|p| p.0))
        .filter(|x| *x > 0.0);
    let (lo, hi) = bounds(positive);
    let (lo, hi) = (lo.max(1e-3) * 0.8, hi.max(lo * 10.0) * 1.25);
    let (major, minor) = log_ticks(lo, hi);
    let mut c = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(45)
        .y_label_area_size(70)
        .build_cartesian_2d(
            (lo..hi)
                .log_scale()
                .with_key_points(major)
                .with_light_points(minor),
            0.0..1.0,
        )?;
    c.configure_mesh()
        .x_desc("release time [h] (log scale)")
        .y_desc("share released within that time")
        .x_label_formatter(&|x| format_tick(*x))
        .label_style((FAMILY, TICK_PX))
        .axis_desc_style((FAMILY, LABEL_PX))
        .draw()?;
    let mut entries = Vec::new();
    let mut drawn = Vec::new();
    for (i, curve) in curves.iter().enumerate() {
        let s = stroke(i, curves.len());
        let pts: Vec<(f64, f64)> = curve.points.iter().map(|&(x, y)| (x.max(lo), y)).collect();
        s.draw_line(&mut c, pts.clone())?;
        let at = marker_shares(i).map(|p| {
            pts.iter()
                .copied()
                .min_by(|a, b| (a.1 - p).abs().total_cmp(&(b.1 - p).abs()))
        });
        s.draw_markers(&mut c, at.into_iter().flatten())?;
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

/// A panel of `curves` against a shared x, titled `y_label`; `names` is the
/// figure's series in order (so a series keeps its stroke in every panel),
/// `bands` the named x intervals shaded behind, `marks` the named x
/// positions marked by a labelled vertical line.
pub fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    y_label: &str,
    x_label: &str,
    curves: &[Curve],
    bands: &[(String, f64, f64)],
    marks: &[(String, f64)],
    names: &[String],
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let band_of = |c: &Curve| -> Vec<(f64, f64, f64)> {
        c.points
            .iter()
            .zip(&c.half_widths)
            .map(|(&(x, y), &h)| (x, y - h, y + h))
            .collect()
    };
    let (x0, x1) = bounds(
        curves
            .iter()
            .flat_map(|c| c.points.iter().map(|p| p.0))
            .chain(marks.iter().map(|m| m.1)),
    );
    let (y0, y1) = bounds(curves.iter().flat_map(|c| {
        c.points
            .iter()
            .map(|p| p.1)
            .chain(band_of(c).into_iter().flat_map(|(_, l, h)| [l, h]))
    }));
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
    let n = names.len().max(curves.len());
    let stroke_of = |i: usize, curve: &Curve| -> Stroke {
        let k = names.iter().position(|x| *x == curve.name).unwrap_or(i);
        stroke(k, n)
    };
    // Bands first, so that every line stays on top of every band.
    for (i, curve) in curves.iter().enumerate() {
        let band = band_of(curve);
        if band.is_empty() {
            continue;
        }
        let s = stroke_of(i, curve);
        let outline: Vec<(f64, f64)> = band
            .iter()
            .map(|&(x, _, h)| (x, h))
            .chain(band.iter().rev().map(|&(x, l, _)| (x, l)))
            .collect();
        c.draw_series(std::iter::once(Polygon::new(
            outline,
            s.colour.mix(0.2).filled(),
        )))?;
    }
    for (i, curve) in curves.iter().enumerate() {
        let s = stroke_of(i, curve);
        s.draw_line(&mut c, curve.points.clone())?;
        if curve.points.len() <= 40 {
            s.draw_markers(&mut c, curve.points.iter().copied())?;
        }
    }
    // Marks last, over everything: a dark vertical line the full height,
    // its name at the top, on the side with more room.
    for (name, x) in marks {
        c.draw_series(std::iter::once(PathElement::new(
            vec![(*x, y0), (*x, y1)],
            MARK_COLOUR.stroke_width(3),
        )))?;
        let right = *x < x0 + (x1 - x0) * 0.7;
        let (h, dx) = if right {
            (HPos::Left, 6)
        } else {
            (HPos::Right, -6)
        };
        let style = TextStyle::from((FAMILY, LABEL_PX).into_font().style(FontStyle::Bold))
            .color(&MARK_COLOUR)
            .pos(Pos::new(h, VPos::Top));
        c.draw_series(std::iter::once(
            EmptyElement::at((*x, y1)) + Text::new(name.clone(), (dx, 6), style),
        ))?;
    }
    Ok(())
}

/// The colour of a marked x position: dark red, apart from the palette.
const MARK_COLOUR: RGBColor = RGBColor(150, 20, 40);

/// The legend rows of a panel figure's series.
pub fn entries(names: &[String], marked: bool) -> Vec<Entry> {
    names
        .iter()
        .enumerate()
        .map(|(i, name)| Entry {
            name: name.clone(),
            key: Key::Line {
                stroke: stroke(i, names.len()),
                marked,
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_axis_is_labelled_at_one_two_five() {
        let (major, minor) = log_ticks(0.3, 60.0);
        assert_eq!(major, vec![0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0]);
        assert!(minor.contains(&3.0) && minor.contains(&0.4) && minor.contains(&40.0));
        assert!(!minor.contains(&2.0));
        // Many decades: one label each.
        let (major, _) = log_ticks(0.001, 1e6);
        assert_eq!(major.len(), 10);
    }
}
