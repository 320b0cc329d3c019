//! Charts drawn with plotters, written as SVG and PNG into `DIR/plots/`.
//!
//! Charts are drawn from the files a run leaves in its output directory,
//! never from live simulation state, so `clearsim plot DIR` redraws exactly
//! what the run drew, without re-running.

pub mod charts;
pub mod data;
pub mod draw;
pub mod font;

use std::path::Path;

use anyhow::{Context, anyhow};
use plotters::prelude::*;
use rayon::prelude::*;

use crate::output::write_atomic;
use charts::{Chart, Figure};
use data::RunOutputs;

/// A chart and its SVG text (the report inlines it).
pub struct Rendered {
    pub chart: Chart,
    pub svg: String,
}

/// Pixel size of a chart: taller when it stacks panels.
fn size(chart: &Chart) -> (u32, u32) {
    match &chart.figure {
        Figure::Panels { panels, .. } if panels.len() > 1 => (960, 760),
        Figure::Heat { rows, .. } => (960, (220 + 60 * rows.len() as u32).clamp(420, 900)),
        Figure::Waterfall { bars, .. } => {
            let (_, key) = draw::waterfall_labels(bars);
            (960, 560 + draw::key_height(key.len()))
        }
        _ => (960, 560),
    }
}

/// The chart as SVG text.
pub fn svg(chart: &Chart) -> anyhow::Result<String> {
    font::ensure_registered();
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size(chart)).into_drawing_area();
        draw::draw(chart, &root).map_err(|e| anyhow!("cannot draw {}: {e}", chart.name))?;
    }
    Ok(out)
}

/// The chart as PNG bytes: its SVG rendered by resvg, so the PNG shows
/// exactly what the SVG does, with text shaped and kerned by a library made
/// for it (plotters' own bitmap text places each glyph without its side
/// bearing, which spaced "port release" unevenly and lost the dot of
/// `policy.inspection_rate`).
pub fn png(chart: &Chart) -> anyhow::Result<Vec<u8>> {
    png_of_svg(&svg(chart)?, size(chart))
}

/// Renders SVG text at `(w, h)` pixels into PNG bytes, with the embedded
/// DejaVu faces as the only fonts (no system font is ever consulted, so a
/// PNG is the same on every machine).
pub fn png_of_svg(svg: &str, (w, h): (u32, u32)) -> anyhow::Result<Vec<u8>> {
    use resvg::{tiny_skia, usvg};
    let tree = usvg::Tree::from_str(svg, font::svg_options())
        .map_err(|e| anyhow!("cannot read the chart's SVG: {e}"))?;
    let mut pixmap =
        tiny_skia::Pixmap::new(w, h).ok_or_else(|| anyhow!("a chart of {w}x{h} px"))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    // Opaque RGB, as the charts always were: every pixel is drawn on white.
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    encode_png(w, h, &rgb)
}

/// PNG bytes of a `w` × `h` RGB buffer (what plotters' bitmap backend
/// draws into), so a PNG can be written atomically like every output.
pub fn encode_png(w: u32, h: u32, rgb: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut enc = png::Encoder::new(&mut bytes, w, h);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header()?;
    writer.write_image_data(rgb)?;
    writer.finish()?;
    Ok(bytes)
}

/// Draws every chart the outputs support into `into/plots/` (SVG and PNG)
/// and returns them.
pub fn render_dir(out: &RunOutputs, into: &Path) -> anyhow::Result<Vec<Rendered>> {
    let plots = into.join("plots");
    std::fs::create_dir_all(&plots)
        .with_context(|| format!("cannot create {}", plots.display()))?;
    // Rasterising is most of the drawing time (a run's dozen charts took
    // about 0.3 s, serial, after the simulation's parallel part), and each
    // chart is independent: draw them on every core, then write them in
    // chart order. The bytes do not depend on the thread count.
    let drawn: Vec<anyhow::Result<(Chart, String, Vec<u8>)>> = charts::charts(out)
        .into_par_iter()
        .map(|chart| {
            let svg = svg(&chart)?;
            let png = png_of_svg(&svg, size(&chart))?;
            Ok((chart, svg, png))
        })
        .collect();
    let mut rendered = Vec::new();
    for drawing in drawn {
        let (chart, svg, png) = drawing?;
        write_atomic(&plots.join(format!("{}.svg", chart.name)), svg.as_bytes())?;
        write_atomic(&plots.join(format!("{}.png", chart.name)), &png)?;
        rendered.push(Rendered { chart, svg });
    }
    Ok(rendered)
}

/// Loads a run directory and draws its charts into `into/plots/`.
pub fn plot_dir(dir: &Path, into: &Path) -> anyhow::Result<(RunOutputs, Vec<Rendered>)> {
    let out = RunOutputs::load(dir)?;
    let rendered = render_dir(&out, into)?;
    Ok((out, rendered))
}
