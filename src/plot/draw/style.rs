//! How the `i`-th series of a chart is stroked and marked.
//!
//! Series can coincide exactly (modes that differ only where few
//! consignments go, reviewer pools with the same load): colour alone then
//! shows only the line drawn last. So each series also gets its own width,
//! dash pattern and marker shape, the earlier ones wider, so that a line
//! drawn over another leaves the one beneath visible on both sides and
//! through its gaps, in greyscale too.

use plotters::coord::CoordTranslate;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::{DrawResult, colour};

/// The stroke of one series.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stroke {
    pub colour: RGBColor,
    /// Line width [px]: earlier series are wider.
    pub width: u32,
    /// Dash and gap lengths [px]; `None` for a solid line.
    pub dash: Option<(u32, u32)>,
    /// Which of [`MARKERS`] marks its points.
    pub marker: usize,
}

/// Widths and dash patterns in series order (cycled after the last).
const LINES: [(u32, Option<(u32, u32)>); 6] = [
    (5, None),
    (4, Some((14, 6))),
    (3, Some((5, 4))),
    (3, Some((18, 4))),
    (2, Some((2, 3))),
    (2, None),
];

/// Marker outlines around (0, 0) [px]: octagon, triangle, square, diamond,
/// inverted triangle.
pub const MARKERS: [&[(i32, i32)]; 5] = [
    &[
        (-2, -5),
        (2, -5),
        (5, -2),
        (5, 2),
        (2, 5),
        (-2, 5),
        (-5, 2),
        (-5, -2),
    ],
    &[(0, -6), (6, 5), (-6, 5)],
    &[(-4, -4), (4, -4), (4, 4), (-4, 4)],
    &[(0, -6), (6, 0), (0, 6), (-6, 0)],
    &[(0, 6), (6, -5), (-6, -5)],
];

/// The stroke of series `i` among `n`: a lone series is a plain line.
pub fn stroke(i: usize, n: usize) -> Stroke {
    let (width, dash) = if n <= 1 {
        (2, None)
    } else {
        LINES[i % LINES.len()]
    };
    Stroke {
        colour: colour(i),
        width,
        dash,
        marker: i % MARKERS.len(),
    }
}

impl Stroke {
    pub fn style(&self) -> ShapeStyle {
        self.colour.stroke_width(self.width)
    }

    /// The line through `points` in this stroke.
    pub fn draw_line<DB, CT>(
        &self,
        c: &mut ChartContext<'_, DB, CT>,
        points: Vec<CT::From>,
    ) -> DrawResult
    where
        DB: DrawingBackend,
        DB::ErrorType: 'static,
        CT: CoordTranslate,
        CT::From: Clone + 'static,
    {
        match self.dash {
            None => {
                c.draw_series(LineSeries::new(points, self.style()))?;
            }
            Some((dash, gap)) => {
                c.draw_series(DashedLineSeries::new(points, dash, gap, self.style()))?;
            }
        }
        Ok(())
    }

    /// This stroke's marker at each of `points`.
    pub fn draw_markers<DB, CT>(
        &self,
        c: &mut ChartContext<'_, DB, CT>,
        points: impl IntoIterator<Item = CT::From>,
    ) -> DrawResult
    where
        DB: DrawingBackend,
        DB::ErrorType: 'static,
        CT: CoordTranslate,
        CT::From: Clone + 'static,
    {
        let shape = MARKERS[self.marker];
        let fill = self.colour.filled();
        c.draw_series(
            points
                .into_iter()
                .map(|p| EmptyElement::at(p) + Polygon::new(shape.to_vec(), fill)),
        )?;
        Ok(())
    }

    /// A legend sample of this stroke, 28 px long, centred at `(x, y)` on a
    /// pixel-addressed area; with its marker when `marked`.
    pub fn draw_sample<DB>(
        &self,
        area: &DrawingArea<DB, plotters::coord::Shift>,
        (x, y): (i32, i32),
        marked: bool,
    ) -> DrawResult
    where
        DB: DrawingBackend,
        DB::ErrorType: 'static,
    {
        let ends = vec![(x - 14, y), (x + 14, y)];
        match self.dash {
            None => area.draw(&PathElement::new(ends, self.style()))?,
            Some((dash, gap)) => {
                area.draw(&DashedPathElement::new(ends, dash, gap, self.style()))?
            }
        }
        if marked {
            let shape = MARKERS[self.marker].to_vec();
            area.draw(&(EmptyElement::at((x, y)) + Polygon::new(shape, self.colour.filled())))?;
        }
        Ok(())
    }
}
