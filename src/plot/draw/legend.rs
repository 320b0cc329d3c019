//! Legends that never cover data: inside the plot in whichever corner the
//! series leave emptiest, or outside it in a strip of their own.
//!
//! Plotters' own legend sits at a fixed corner, which in the busiest
//! resources and the frontier lay on top of the lines. Here the corner is
//! chosen by counting the pixels of every drawn series that each candidate
//! box would cover.

use plotters::coord::{CoordTranslate, Shift};
use plotters::prelude::*;

use super::style::Stroke;
use super::{DrawResult, FAMILY, TICK_PX};

/// What a legend row shows before its name.
#[derive(Clone, Copy, Debug)]
pub enum Key {
    /// A line sample in the series' stroke, with its marker if `marked`.
    Line { stroke: Stroke, marked: bool },
    /// A filled square (a bar's segment).
    Swatch(RGBColor),
}

/// One legend row.
#[derive(Clone, Debug)]
pub struct Entry {
    pub name: String,
    pub key: Key,
}

const ROW_PX: i32 = 20;
const PAD_PX: i32 = 8;
const SAMPLE_PX: i32 = 28;
/// Space between a strip's entries.
const GAP_PX: i32 = 22;

fn font() -> TextStyle<'static> {
    (FAMILY, TICK_PX).into_font().into()
}

/// The width of `text` in the legend's font [px].
fn text_width<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, text: &str) -> i32 {
    area.estimate_text_size(text, &font())
        .map_or(text.len() as i32 * 8, |(w, _)| w as i32)
}

/// The width and height of a boxed, one-row-per-entry legend [px].
fn box_size<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, entries: &[Entry]) -> (i32, i32) {
    let widest = entries
        .iter()
        .map(|e| text_width(area, &e.name))
        .max()
        .unwrap_or(0);
    (
        2 * PAD_PX + SAMPLE_PX + PAD_PX + widest,
        2 * PAD_PX + ROW_PX * entries.len() as i32 - 4,
    )
}

/// The legend's box: white, slightly see-through, with a grey border.
fn frame<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    (w, h): (i32, i32),
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let corners = [(x, y), (x + w, y + h)];
    area.draw(&Rectangle::new(corners, WHITE.mix(0.85).filled()))?;
    area.draw(&Rectangle::new(corners, BLACK.mix(0.4)))?;
    Ok(())
}

/// One row: its key centred at `(x + SAMPLE_PX / 2, y)`, its name after.
fn row<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    e: &Entry,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    match e.key {
        Key::Line { stroke, marked } => stroke.draw_sample(area, (x + SAMPLE_PX / 2, y), marked)?,
        Key::Swatch(c) => area.draw(&Rectangle::new(
            [(x + 7, y - 7), (x + 21, y + 7)],
            c.filled(),
        ))?,
    }
    let style = font().pos(plotters::style::text_anchor::Pos::new(
        plotters::style::text_anchor::HPos::Left,
        plotters::style::text_anchor::VPos::Center,
    ));
    area.draw(&Text::new(
        e.name.clone(),
        (x + SAMPLE_PX + PAD_PX, y),
        style,
    ))?;
    Ok(())
}

/// A boxed legend with its top left corner at `at` on `area`.
fn boxed<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    entries: &[Entry],
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let size = box_size(area, entries);
    frame(area, at, size)?;
    for (i, e) in entries.iter().enumerate() {
        let y = at.1 + PAD_PX + ROW_PX * i as i32 + ROW_PX / 2 - 2;
        row(area, (at.0 + PAD_PX, y), e)?;
    }
    Ok(())
}

/// Pixels of the polylines `lines` (absolute [px]), every few pixels along
/// each segment, so a box over a long straight segment is seen to cover it.
fn trace(lines: &[Vec<(i32, i32)>]) -> Vec<(i32, i32)> {
    let mut out = Vec::new();
    for line in lines {
        out.extend(line.first().copied());
        for w in line.windows(2) {
            let (a, b) = (w[0], w[1]);
            let (dx, dy) = (f64::from(b.0 - a.0), f64::from(b.1 - a.1));
            let steps = (dx.hypot(dy) / 3.0).ceil().clamp(1.0, 2000.0) as i32;
            for k in 1..=steps {
                let t = f64::from(k) / f64::from(steps);
                out.push((a.0 + (dx * t) as i32, a.1 + (dy * t) as i32));
            }
        }
    }
    out
}

/// Where a box of `size` goes inside a `(w, h)` plot so that it covers the
/// fewest of `pixels` (relative to the plot's top left); ties go to the
/// upper left, then upper right, lower right, lower left.
pub fn emptiest_corner((w, h): (i32, i32), size: (i32, i32), pixels: &[(i32, i32)]) -> (i32, i32) {
    let m = PAD_PX;
    // A little room around the box counts too: a line grazing the border
    // reads as touching it.
    let slack = 4;
    let candidates = [
        (m, m),
        (w - size.0 - m, m),
        (w - size.0 - m, h - size.1 - m),
        (m, h - size.1 - m),
    ];
    candidates
        .into_iter()
        .min_by_key(|&(x, y)| {
            pixels
                .iter()
                .filter(|&&(px, py)| {
                    (x - slack..=x + size.0 + slack).contains(&px)
                        && (y - slack..=y + size.1 + slack).contains(&py)
                })
                .count()
        })
        .unwrap_or((m, m))
}

/// Draws a legend inside `c`'s plot, in the corner the `series` (in data
/// coordinates, as drawn) leave emptiest.
pub fn in_corner<DB, CT>(
    c: &ChartContext<'_, DB, CT>,
    entries: &[Entry],
    series: &[Vec<CT::From>],
) -> DrawResult
where
    DB: DrawingBackend,
    DB::ErrorType: 'static,
    CT: CoordTranslate,
{
    if entries.is_empty() {
        return Ok(());
    }
    let plot = c.plotting_area().strip_coord_spec();
    let (x0, y0) = plot.get_base_pixel();
    let (w, h) = plot.dim_in_pixel();
    let spec = c.as_coord_spec();
    let lines: Vec<Vec<(i32, i32)>> = series
        .iter()
        .map(|s| {
            s.iter()
                .map(|p| {
                    let (x, y) = spec.translate(p);
                    (x - x0, y - y0)
                })
                .collect()
        })
        .collect();
    let size = box_size(&plot, entries);
    let at = emptiest_corner((w as i32, h as i32), size, &trace(&lines));
    boxed(&plot, at, entries)
}

/// The height of a strip legend [px].
pub const STRIP_PX: u32 = 34;

/// Draws the entries in one row, centred, boxed, on `area` (a strip of
/// [`STRIP_PX`] above the plots it serves).
pub fn strip<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, entries: &[Entry]) -> DrawResult
where
    DB::ErrorType: 'static,
{
    if entries.is_empty() {
        return Ok(());
    }
    let widths: Vec<i32> = entries
        .iter()
        .map(|e| SAMPLE_PX + PAD_PX + text_width(area, &e.name))
        .collect();
    let inner: i32 = widths.iter().sum::<i32>() + GAP_PX * (widths.len() as i32 - 1);
    let (w, _) = area.dim_in_pixel();
    let (w_box, h_box) = (inner + 2 * PAD_PX, ROW_PX + PAD_PX);
    let x0 = ((w as i32 - w_box) / 2).max(0);
    let y0 = 4;
    frame(area, (x0, y0), (w_box, h_box))?;
    let mut x = x0 + PAD_PX;
    for (e, width) in entries.iter().zip(&widths) {
        row(area, (x, y0 + h_box / 2), e)?;
        x += width + GAP_PX;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_corner_is_the_one_the_data_leaves_empty() {
        // A rising line from lower left to upper right, in a 400x300 plot
        // (y grows downwards): the upper left and lower right are empty,
        // the upper left wins the tie.
        let line = vec![vec![(0, 300), (400, 0)]];
        assert_eq!(
            emptiest_corner((400, 300), (100, 60), &trace(&line)),
            (8, 8)
        );
        // A line along the top: the lower right is taken before the left.
        let top = vec![vec![(0, 20), (400, 20)]];
        assert_eq!(
            emptiest_corner((400, 300), (100, 60), &trace(&top)),
            (292, 232)
        );
    }

    #[test]
    fn a_long_segment_counts_along_its_length() {
        let seg = trace(&[vec![(0, 50), (300, 50)]]);
        assert!(seg.iter().any(|&(x, _)| (100..110).contains(&x)));
    }
}
